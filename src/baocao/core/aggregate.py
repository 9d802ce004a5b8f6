"""Pure arithmetic of consolidated figures: aggregating units' values, comparing with last year,
and measuring against a target. Decimals throughout (never floats), so totals are exact. In core
(free of Django) because both the consolidation and the analytics store read figures by it.

Rules (the `Aggregation` choices of `baocao.reporting.choices`): ``sum``, ``average``, ``min``,
``max``, ``last``. Missing values (None) are ignored; with no values at all the result is None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

SUM, AVERAGE, MIN, MAX, LAST = "sum", "average", "min", "max", "last"
RULES = (SUM, AVERAGE, MIN, MAX, LAST)

# Value types, mirroring `baocao.reporting.choices.ValueType` (kept as plain strings so this
# module stays free of Django).
INTEGER, DECIMAL, PERCENT, YES_NO, TEXT = "integer", "decimal", "percent", "yes_no", "text"
NUMERIC_TYPES = (INTEGER, DECIMAL, PERCENT, YES_NO)

# Stored values have at most 17 integer digits and 6 decimals; sums of thousands of them and the
# quotients below fit comfortably in 60 significant digits, so nothing is silently rounded.
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
AVERAGE_MIN_PLACES = 2
AVERAGE_MAX_PLACES = 6
PERCENT_PLACES = 2
_HUNDRED = Decimal(100)


def trim(value: Decimal) -> Decimal:
    """The same number without trailing fractional zeros and never in exponent form:
    Decimal("3.50") -> Decimal("3.5"), Decimal("3.00") -> Decimal("3"), Decimal("1E+3") -> Decimal("1000")."""
    if value == 0:
        return Decimal(0)
    normal = value.normalize(_CONTEXT)
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        normal = normal.quantize(Decimal(1), context=_CONTEXT)
    return normal


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _round(value: Decimal, places: int) -> Decimal:
    return trim(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_CONTEXT))


def aggregate(values: Sequence[Decimal | None], rule: str) -> Decimal | None:
    """Aggregate units' values by ``rule``; None values are ignored, no values gives None.

    ``average`` is rounded half-up to as many decimals as the most precise input has, at least
    2 and at most 6, trailing zeros dropped (1, 2, 2 -> 1.67; 1, 2 -> 1.5). ``last`` is the last
    non-None value in the order given (callers pass units in a stable order).
    """
    if rule not in RULES:
        raise ValueError(f"unknown aggregation rule {rule!r}; expected one of {', '.join(RULES)}")
    present = [v if isinstance(v, Decimal) else Decimal(v) for v in values if v is not None]
    if not present:
        return None
    if rule == SUM:
        total = Decimal(0)
        for value in present:
            total = _CONTEXT.add(total, value)
        return total
    if rule == AVERAGE:
        total = Decimal(0)
        for value in present:
            total = _CONTEXT.add(total, value)
        places = min(AVERAGE_MAX_PLACES, max(AVERAGE_MIN_PLACES, max(_places(v) for v in present)))
        return _round(_CONTEXT.divide(total, Decimal(len(present))), places)
    if rule == MIN:
        return min(present)
    if rule == MAX:
        return max(present)
    return present[-1]


def aggregate_indicator(values: Sequence[Decimal | None], rule: str, value_type: str) -> Decimal | None:
    """Aggregate as the report does for an indicator of ``value_type``.

    Yes/no values (stored as 1 and 0) are counted: the result is the number of units that
    answered "Có", whatever the rule (None when nobody answered). Text indicators have no figure.
    """
    if value_type == TEXT:
        return None
    if value_type == YES_NO:
        present = [v for v in values if v is not None]
        if not present:
            return None
        return Decimal(sum(1 for v in present if v != 0))
    return aggregate(values, rule)


@dataclass(frozen=True)
class Comparison:
    """The current value against the same period last year.

    ``change`` is current - previous; ``change_pct`` is that change in percent of |previous|,
    rounded half-up to 2 decimals (None when either value is missing or previous is 0).
    """

    current: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None

    @property
    def direction(self) -> int | None:
        """1 up, -1 down, 0 unchanged, None when there is nothing to compare."""
        if self.change is None:
            return None
        return (self.change > 0) - (self.change < 0)


def compare(current: Decimal | None, previous: Decimal | None) -> Comparison:
    if current is None or previous is None:
        return Comparison(current, previous, None, None)
    change = _CONTEXT.subtract(current, previous)
    change_pct = None
    if previous != 0:
        change_pct = _round(_CONTEXT.divide(_CONTEXT.multiply(change, _HUNDRED), abs(previous)), PERCENT_PLACES)
    return Comparison(current, previous, trim(change), change_pct)


def achievement_pct(current: Decimal | None, target: Decimal | None) -> Decimal | None:
    """current in percent of target, rounded half-up to 2 decimals; None without a (non-zero) target."""
    if current is None or target is None or target == 0:
        return None
    return _round(_CONTEXT.divide(_CONTEXT.multiply(current, _HUNDRED), target), PERCENT_PLACES)
