"""The analytics tests' world: tests.factories.World with a deeper tree (communes under the two
district offices), a form with an indicator of every aggregation rule and value type, and
`expected_aggregates`, the aggregates computed in Python from the values, independent of the SQL
of baocao.analytics."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command

from baocao.analytics.models import IndicatorAggregate
from baocao.analytics.services import aggregates_differences
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from baocao.reporting.choices import ValueType
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionValue
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests.factories import World, form_version, regime, unit

PLACES = Decimal("0.000001")
INDICATORS = [
    {"code": "S", "name": "Số hồ sơ", "aggregation": "sum"},
    {"code": "AV", "name": "Điểm trung bình", "value_type": ValueType.DECIMAL, "aggregation": "average"},
    {"code": "MN", "name": "Thấp nhất", "value_type": ValueType.DECIMAL, "aggregation": "min"},
    {"code": "MX", "name": "Cao nhất", "aggregation": "max"},
    {"code": "L", "name": "Số cuối kỳ", "aggregation": "last"},
    {"code": "YN", "name": "Có cổng dịch vụ công", "value_type": ValueType.YES_NO},
    {"code": "NOTE", "name": "Ghi chú", "value_type": ValueType.TEXT},
]


class AnalyticsWorld(World):
    """province → unit_a (→ commune_1, commune_2), unit_b (→ commune_3); every one of these five
    reports to `self.regime` (form of INDICATORS, no rules, no narratives)."""

    def __init__(self) -> None:
        super().__init__()
        self.commune_1 = unit(code="C1", name="Xã Một", kind=UnitKind.COMMUNE, parent=self.unit_a)
        self.commune_2 = unit(code="C2", name="Xã Hai", kind=UnitKind.COMMUNE, parent=self.unit_a)
        self.commune_3 = unit(code="C3", name="Xã Ba", kind=UnitKind.COMMUNE, parent=self.unit_b)
        self.form_version = form_version(owner=self.department, indicators=INDICATORS, narratives=[], rules=[])
        self.regime = regime(receiving_unit=self.department, form_version=self.form_version, code="BC-AN",
                             units=self.reporting_units)

    @property
    def reporting_units(self) -> list[OrgUnit]:
        return [self.unit_a, self.unit_b, self.commune_1, self.commune_2, self.commune_3]

    def submitted(self, reporting_unit: OrgUnit, period: str = "2022S1", **values) -> Submission:
        """The unit's report of `period` saved with `values` (by indicator code) and submitted."""
        sub = submission_get_or_create(regime=self.regime, period=period, unit=reporting_unit, acting_user=self.admin)
        if values:
            submission_save_draft(submission=sub, acting_user=self.admin, values=values)
        return submission_submit(submission=sub, acting_user=self.admin)


@pytest.fixture
def world(db) -> AnalyticsWorld:
    return AnalyticsWorld()


def _q(value) -> Decimal:
    return Decimal(str(value)).quantize(PLACES)


def expected_aggregates() -> dict[tuple, tuple]:
    """(regime id, period, unit id, code) -> (count, sum, min, max, last, last unit's path), from the
    approved values in Python: a unit's ancestors from its path, units in the database's path order
    (the order the consolidation reads them in)."""
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    order = {pk: n for n, pk in enumerate(OrgUnit.objects.order_by("path").values_list("pk", flat=True))}
    numbers: dict[tuple, list[tuple[int, int, Decimal]]] = defaultdict(list)
    for regime_id, period, unit_id, code, number in SubmissionValue.objects.filter(
            submission__status=SubmissionStatus.APPROVED, number__isnull=False).values_list(
            "submission__regime_id", "submission__period", "submission__unit_id", "indicator__code", "number"):
        for ancestor in OrgUnit(path=paths[unit_id]).ancestor_ids():
            numbers[(regime_id, period, ancestor, code)].append((order[unit_id], unit_id, number))
    out = {}
    for key, items in numbers.items():
        values = [n for _, _, n in items]
        last = max(items)
        out[key] = (len(values), _q(sum(values)), _q(min(values)), _q(max(values)), _q(last[2]), paths[last[1]])
    return out


def stored_aggregates() -> dict[tuple, tuple]:
    return {
        (r, p, u, c): (n, _q(s), _q(lo), _q(hi), _q(last), path)
        for r, p, u, c, n, s, lo, hi, last, path in IndicatorAggregate.objects.values_list(
            "regime_id", "period", "unit_id", "indicator_code", "value_count", "value_sum", "value_min", "value_max",
            "value_last", "last_path")
    }


def assert_consistent() -> None:
    """The stored aggregates equal the Python computation, and `baocao analytics check` agrees."""
    assert stored_aggregates() == expected_aggregates()
    assert aggregates_differences() == []
    call_command("analytics", "check")
