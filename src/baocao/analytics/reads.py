"""The one module that reads consolidated figures from the aggregates (`IndicatorAggregate`).

Callers ask for figures of a regime's period over a unit (`totals`) or over each of its direct
children (`by_child`), and apply an indicator's aggregation rule with `figure`. Nothing else reads
the aggregate table, so a deployment that outgrows one database can answer these functions from a
columnar engine instead (docs/architecture.md, «Số liệu tổng hợp sẵn»).

A figure counts the approved reports of every unit in the subtree that has a path; which units a
report expects (and which are missing) is the consolidation's business, read elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal

from baocao.analytics.models import IndicatorAggregate
from baocao.core.aggregate import AVERAGE, LAST, MAX, MIN, SUM, TEXT, YES_NO, trim
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime

_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)
# Stored values carry 6 decimals (SubmissionValue.number), so the consolidation's average, rounded
# to the most precise input's places (at most 6), is rounded to 6 places.
AVERAGE_PLACES = 6


@dataclass(frozen=True)
class Aggregate:
    """The approved numbers of one indicator over a unit's subtree."""

    count: int
    sum: Decimal
    min: Decimal
    max: Decimal
    last: Decimal


_FIELDS = ("indicator_code", "value_count", "value_sum", "value_min", "value_max", "value_last")


def _aggregate(row: tuple) -> Aggregate:
    return Aggregate(count=row[1], sum=row[2], min=row[3], max=row[4], last=row[5])


def _rows(regime: ReportingRegime, period: str, codes: Iterable[str] | None):
    qs = IndicatorAggregate.objects.filter(regime=regime, period=period)
    if codes is not None:
        qs = qs.filter(indicator_code__in=list(codes))
    return qs


def totals(*, regime: ReportingRegime, period: str, unit: OrgUnit,
           codes: Iterable[str] | None = None) -> dict[str, Aggregate]:
    """Indicator code -> the aggregate over `unit` and every unit below it (codes without any
    approved number are absent). One query."""
    return {row[0]: _aggregate(row)
            for row in _rows(regime, period, codes).filter(unit=unit).values_list(*_FIELDS)}


def by_child(*, regime: ReportingRegime, period: str, unit: OrgUnit,
             codes: Iterable[str] | None = None) -> dict[int, dict[str, Aggregate]]:
    """Direct child unit id -> indicator code -> the aggregate over that child's subtree (the
    provinces of a ministry, the communes of a province). One query, whatever the size of the
    subtrees."""
    out: dict[int, dict[str, Aggregate]] = {}
    for row in _rows(regime, period, codes).filter(unit__parent=unit).values_list("unit_id", *_FIELDS):
        out.setdefault(row[0], {})[row[1]] = _aggregate(row[1:])
    return out


def figure(aggregate: Aggregate | None, rule: str, value_type: str) -> Decimal | None:
    """The consolidated figure of an indicator from its aggregate, as
    `core.aggregate.aggregate_indicator` computes it from the units' values: None without
    values and for text; yes/no counts the "Có" answers (stored 1, so the sum); average is
    sum / count rounded half-up to 6 places, trailing zeros dropped."""
    if aggregate is None or aggregate.count == 0 or value_type == TEXT:
        return None
    if value_type == YES_NO or rule == SUM:
        return aggregate.sum
    if rule == AVERAGE:
        quotient = _CONTEXT.divide(aggregate.sum, Decimal(aggregate.count))
        return trim(quotient.quantize(Decimal(1).scaleb(-AVERAGE_PLACES), rounding=ROUND_HALF_UP, context=_CONTEXT))
    if rule == MIN:
        return aggregate.min
    if rule == MAX:
        return aggregate.max
    if rule == LAST:
        return aggregate.last
    raise ValueError(f"unknown aggregation rule {rule!r}")
