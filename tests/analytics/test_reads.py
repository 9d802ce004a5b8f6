"""The read API (baocao.analytics.reads): totals over a unit, by direct child, and `figure`, which
gives what the consolidation's `aggregate_indicator` gives from the same approved values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.analytics.reads import Aggregate, by_child, figure, totals
from baocao.core.aggregate import aggregate_indicator
from baocao.orgunits.models import OrgUnit
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import SubmissionValue
from baocao.submissions.services import submissions_approve_many
from tests.analytics.conftest import INDICATORS
from tests.analytics.test_maintenance import C1, C2, C3, UA

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world):
    subs = [world.submitted(u, **values) for u, values in
            ((world.commune_1, C1), (world.commune_2, C2), (world.commune_3, C3), (world.unit_a, UA))]
    submissions_approve_many(submissions=subs, acting_user=world.compiler)
    return world


def test_totals_over_a_unit_in_one_query(approved, django_assert_num_queries):
    w = approved
    with django_assert_num_queries(1):
        got = totals(regime=w.regime, period="2022S1", unit=w.province, codes=["S", "L", "NOTE"])
    # `last` is the value of the unit last in path order (string order of paths, as the
    # consolidation's order_by("path")): which one depends on the ids the database gave.
    last_unit = max((w.commune_1, w.commune_2, w.commune_3, w.unit_a), key=lambda u: u.path)
    values = {w.commune_1: C1, w.commune_2: C2, w.commune_3: C3, w.unit_a: UA}[last_unit]
    assert got == {
        "S": Aggregate(count=4, sum=Decimal(116), min=Decimal(1), max=Decimal(100), last=Decimal(values["S"])),
        "L": Aggregate(count=4, sum=Decimal(10), min=Decimal(1), max=Decimal(4), last=Decimal(values["L"])),
    }
    assert totals(regime=w.regime, period="2021", unit=w.province) == {}
    assert set(totals(regime=w.regime, period="2022S1", unit=w.unit_b)) == {"S", "AV", "MN", "MX", "L", "YN"}


def test_by_child_reads_the_direct_children_in_one_query(approved, django_assert_num_queries):
    w = approved
    with django_assert_num_queries(1):
        got = by_child(regime=w.regime, period="2022S1", unit=w.province, codes=["S"])
    last_of_a = Decimal(C1["S"] if w.commune_1.path > w.commune_2.path else C2["S"])
    assert got == {
        w.unit_a.pk: {"S": Aggregate(count=3, sum=Decimal(115), min=Decimal(5), max=Decimal(100), last=last_of_a)},
        w.unit_b.pk: {"S": Aggregate(count=1, sum=Decimal(1), min=Decimal(1), max=Decimal(1), last=Decimal(1))},
    }
    assert set(by_child(regime=w.regime, period="2022S1", unit=w.unit_a)) == {w.commune_1.pk, w.commune_2.pk}


def test_figure_equals_the_consolidation_over_the_same_values(approved):
    """For every unit and indicator, `figure` of the stored aggregate is `aggregate_indicator` of the
    approved values of the subtree's units in path order, as the consolidation reads them."""
    w = approved
    rules = {spec["code"]: (spec.get("aggregation", "sum"), spec.get("value_type", "integer")) for spec in INDICATORS}
    checked = 0
    for unit in OrgUnit.objects.order_by("path"):
        got = totals(regime=w.regime, period="2022S1", unit=unit)
        for code, (rule, value_type) in rules.items():
            values = list(SubmissionValue.objects.filter(
                submission__status=SubmissionStatus.APPROVED, submission__unit__path__startswith=unit.path,
                indicator__code=code).order_by("submission__unit__path").values_list("number", flat=True))
            assert figure(got.get(code), rule, value_type) == aggregate_indicator(values, rule, value_type), (unit, code)
            checked += 1
    assert checked == OrgUnit.objects.count() * len(rules)


@pytest.mark.parametrize(("rule", "value_type", "expected"), [
    ("sum", "integer", Decimal(6)), ("average", "decimal", Decimal("1.666667")), ("min", "decimal", Decimal(1)),
    ("max", "decimal", Decimal(3)), ("last", "integer", Decimal(2)), ("max", "yes_no", Decimal(6)),
    ("sum", "text", None),
])
def test_figure_applies_the_rule(rule, value_type, expected):
    total = Decimal("5.000000") if rule == "average" else Decimal(6)
    agg = Aggregate(count=3, sum=total, min=Decimal(1), max=Decimal(3), last=Decimal(2))
    assert figure(agg, rule, value_type) == expected
    assert figure(None, rule, value_type) is None


def test_figure_refuses_an_unknown_rule():
    with pytest.raises(ValueError, match="unknown aggregation rule"):
        figure(Aggregate(count=1, sum=Decimal(1), min=Decimal(1), max=Decimal(1), last=Decimal(1)), "median", "integer")
