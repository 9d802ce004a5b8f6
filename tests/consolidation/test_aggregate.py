"""Aggregating units' values, comparing with last year, achievement against a target."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.core import aggregate as agg
from baocao.core.aggregate import (
    Comparison,
    achievement_pct,
    aggregate,
    aggregate_indicator,
    compare,
    trim,
)
from baocao.reporting.choices import Aggregation, ValueType

D = Decimal


def test_rule_and_type_names_match_the_model_choices() -> None:
    assert set(agg.RULES) == set(Aggregation.values)
    assert {agg.INTEGER, agg.DECIMAL, agg.PERCENT, agg.YES_NO, agg.TEXT} == set(ValueType.values)


@pytest.mark.parametrize(
    ("values", "rule", "expected"),
    [
        ([D(120), D(95), D(135)], "sum", D(350)),
        ([D("1.5"), None, D("2.25")], "sum", D("3.75")),
        ([D(1), D(2)], "average", D("1.5")),
        ([D(1), D(2), D(2)], "average", D("1.67")),  # 2 decimals at least, half up
        ([D("0.125"), D("0.25")], "average", D("0.188")),  # as precise as the inputs (0.1875 half up)
        ([D("0.0000001"), D(0)], "average", D("0")),  # at most 6 decimals
        ([D(2), D(4)], "average", D(3)),
        ([D(5), None, D(-3), D(9)], "min", D(-3)),
        ([D(5), None, D(-3), D(9)], "max", D(9)),
        ([D(5), D(7), None], "last", D(7)),  # last non-None in the order given
        ([None, None], "sum", None),
        ([], "average", None),
        ([D(0)], "sum", D(0)),
    ],
)
def test_aggregate(values: list[Decimal | None], rule: str, expected: Decimal | None) -> None:
    result = aggregate(values, rule)
    assert result == expected
    if result is not None:
        assert isinstance(result, Decimal)


def test_sum_is_exact_for_large_values() -> None:
    big = D("99999999999999999.999999")
    assert aggregate([big] * 1000, "sum") == big * 1000


def test_average_is_never_in_exponent_form() -> None:
    assert str(aggregate([D(20), D(40)], "average")) == "30"


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(ValueError, match="median"):
        aggregate([D(1)], "median")


def test_yes_no_counts_the_units_that_answered_yes_whatever_the_rule() -> None:
    values = [D(1), D(0), None, D(1)]
    for rule in agg.RULES:
        assert aggregate_indicator(values, rule, "yes_no") == D(2)
    assert aggregate_indicator([None, None], "sum", "yes_no") is None
    assert aggregate_indicator([D(0)], "sum", "yes_no") == D(0)
    assert aggregate_indicator([D(1)], "sum", "text") is None
    assert aggregate_indicator([D(1), D(3)], "average", "integer") == D(2)


@pytest.mark.parametrize(
    ("current", "previous", "change", "pct", "direction"),
    [
        (D(350), D(310), D(40), D("12.9"), 1),  # 12.903… rounded to 2 places
        (D(90), D(120), D(-30), D(-25), -1),
        (D(100), D(100), D(0), D(0), 0),
        (D(53), D(0), D(53), None, 1),  # no percent against zero
        (D(5), None, None, None, None),
        (None, D(5), None, None, None),
        (D(-5), D(-10), D(5), D(50), 1),  # percent of |previous|: the sign follows the change
        (D("1"), D("3"), D(-2), D("-66.67"), -1),
    ],
)
def test_compare(current, previous, change, pct, direction) -> None:
    result = compare(current, previous)
    assert result == Comparison(current, previous, change, pct)
    assert result.direction == direction


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        (D(350), D(400), D("87.5")),
        (D(1), D(3), D("33.33")),
        (D(500), D(400), D(125)),
        (D(5), D(0), None),
        (D(5), None, None),
        (None, D(5), None),
    ],
)
def test_achievement_pct(current, target, expected) -> None:
    assert achievement_pct(current, target) == expected


def test_trim() -> None:
    assert str(trim(D("3.50"))) == "3.5"
    assert str(trim(D("3.00"))) == "3"
    assert str(trim(D("1E+3"))) == "1000"
    assert str(trim(D("-0.0"))) == "0"


decimals = st.decimals(min_value=D("-1e12"), max_value=D("1e12"), places=4, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), decimals)


@settings(max_examples=200)
@given(st.lists(maybe, max_size=30), st.sampled_from(agg.RULES))
def test_aggregate_properties(values: list[Decimal | None], rule: str) -> None:
    present = [v for v in values if v is not None]
    result = aggregate(values, rule)
    if not present:
        assert result is None
        return
    assert isinstance(result, Decimal)
    if rule == "sum":
        assert result == sum(present, D(0))
    elif rule in ("min", "max", "average"):
        # The average of 4-place inputs is rounded to 4 places: within half a unit of the range.
        assert min(present) - D("0.00005") <= result <= max(present) + D("0.00005")
    else:
        assert result == present[-1]
    # None values never change the result.
    assert aggregate(present, rule) == result


@settings(max_examples=200)
@given(maybe, maybe)
def test_compare_properties(current: Decimal | None, previous: Decimal | None) -> None:
    result = compare(current, previous)
    if current is None or previous is None:
        assert result.change is None and result.change_pct is None
        return
    assert result.change == current - previous
    if previous == 0:
        assert result.change_pct is None
    else:
        exact = (current - previous) * 100 / abs(previous)
        assert abs(result.change_pct - exact) <= D("0.005")
