"""Last year's figures of units formed since: their predecessors' values, summed, apportioned by
share (an estimate) or, for other rules, the rule over the predecessors' values; the report says so."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.accounts.choices import Role
from baocao.consolidation.compose import compose
from baocao.consolidation.selectors import compose_input
from baocao.orgunits.choices import ReorgKind, ShareMethod, UnitKind
from baocao.orgunits.events import LinkSpec, reorg_event_record
from baocao.reporting.models import Indicator
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)
from tests.factories import World, unit, user

pytestmark = pytest.mark.django_db

MERGER = date(2022, 1, 1)


def _approved(world: World, reporter, period: str, values: dict) -> None:
    submission = submission_get_or_create(regime=world.regime, period=period, unit=reporter.unit, acting_user=reporter)
    submission_save_draft(submission=submission, acting_user=reporter, values=values, narratives={"RESULTS": "Xong."})
    submission_submit(submission=submission, acting_user=reporter)
    submission_approve(submission=submission, acting_user=world.compiler)


@pytest.fixture
def merged():
    """2021S1: UA and UB report. 1 January 2022: UC takes UA and half of UB (by population), UD the
    other half. 2022S1: UC and UD report."""
    world = World()
    Indicator.objects.filter(form_version=world.form_version, code="PCT").update(aggregation="average")
    _approved(world, world.reporter_a, "2021S1", {"A": 10, "B": 15, "PCT": 40})
    _approved(world, world.reporter_b, "2021S1", {"A": 21, "B": 30, "PCT": 60})
    uc = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Chợ", kind=UnitKind.DISTRICT_OFFICE,
              parent=world.province, valid_from=MERGER)
    ud = unit(code="UD", name="Phòng Văn hóa và Thông tin huyện Đồng", kind=UnitKind.DISTRICT_OFFICE,
              parent=world.province, valid_from=MERGER)
    world.regime.reporting_units.add(uc, ud)
    reorg_event_record(acting_user=world.admin, kind=ReorgKind.MERGE, effective=MERGER, legal_basis="Nghị quyết số 9/NQ",
                       links=[LinkSpec(world.unit_a, uc),
                              LinkSpec(world.unit_b, uc, Decimal("0.5"), ShareMethod.POPULATION),
                              LinkSpec(world.unit_b, ud, Decimal("0.5"), ShareMethod.POPULATION)])
    _approved(world, user(username="cho", role=Role.REPORTER, unit=uc), "2022S1", {"A": 30, "B": 40, "PCT": 55})
    _approved(world, user(username="dong", role=Role.REPORTER, unit=ud), "2022S1", {"A": 12, "B": 14, "PCT": 70})
    world.uc, world.ud = uc, ud
    return world


def test_successors_compare_with_their_predecessors_and_say_so(merged):
    inp = compose_input(regime=merged.regime, period="2022S1", unit=merged.department)
    assert [u.code for u in inp.units] == ["UC", "UD"]  # the ended units are not expected any more
    uc, ud = merged.uc.pk, merged.ud.pk
    # Sums: UA whole + half of UB, rounded to whole numbers as an estimate of a count.
    assert inp.previous_by_unit[uc]["A"] == Decimal("20.5").quantize(Decimal(1), rounding="ROUND_HALF_UP")
    assert inp.previous_by_unit[ud]["A"] == Decimal("11")
    assert inp.previous_by_unit[uc]["B"] == Decimal("30") and inp.previous_by_unit[ud]["B"] == Decimal("15")
    # The total takes every predecessor once, whole: exact.
    assert inp.previous["A"] == Decimal("31") and inp.previous["B"] == Decimal("45")
    # An average is not apportioned: the rule over the predecessors' values.
    assert inp.previous_by_unit[uc]["PCT"] == Decimal("50") and inp.previous_by_unit[ud]["PCT"] == Decimal("60")
    assert inp.previous_basis == "estimate"
    assert inp.previous_rows[uc] == {"basis": "estimate", "predecessors": [
        {"code": "UA", "name": merged.unit_a.name, "share": 1.0, "method": "whole"},
        {"code": "UB", "name": merged.unit_b.name, "share": 0.5, "method": "population"}]}
    assert inp.previous_note == ("Số liệu cùng kỳ năm 2021 tổng hợp từ 2 phòng chuyên môn cấp huyện trước sắp xếp; "
                                 "1 đơn vị ước tính theo tỷ lệ dân số.")

    report = compose(inp).to_dict()
    assert inp.previous_note in report["parts"][1]["narrative"]
    figures = {f["code"]: f for part in report["parts"] for f in part.get("figures") or []}
    # The total took both predecessors whole: exact, although two rows are estimates.
    assert figures["A"]["previous"] == "31" and figures["A"]["previous_basis"] == "predecessors"
    assert figures["PCT"]["previous_basis"] == "estimate"
    table = next(part["table"] for part in report["parts"] if part.get("table"))
    assert [(r["code"], r["previous_basis"], [p["code"] for p in r["predecessors"]]) for r in table["raw"]] == [
        ("UC", "estimate", ["UA", "UB"]), ("UD", "estimate", ["UB"])]


def test_nothing_changes_where_nothing_was_reorganised():
    world = World()
    _approved(world, world.reporter_a, "2021S1", {"A": 10, "B": 15, "PCT": 40})
    _approved(world, world.reporter_a, "2022S1", {"A": 12, "B": 15, "PCT": 40})
    inp = compose_input(regime=world.regime, period="2022S1", unit=world.department)
    assert (inp.previous_basis, inp.previous_note, inp.previous_rows) == ("same_unit", "", {})
    assert inp.previous["A"] == Decimal("10")


def test_monitoring_follows_the_tree_of_each_period(merged):
    from baocao.reporting.selectors import regime_period
    from baocao.submissions.selectors import monitor_rows

    before, _ = monitor_rows(regime=merged.regime, rp=regime_period(merged.regime, "2021S1"))
    after, summary = monitor_rows(regime=merged.regime, rp=regime_period(merged.regime, "2022S1"))
    assert [r.unit.code for r in before] == ["UA", "UB"]
    assert [r.unit.code for r in after] == ["UC", "UD"] and summary.expected == 2


def test_a_new_units_targets_come_from_its_predecessors_of_the_year():
    """DEPT2 is formed on 1 March 2022 from DEPT (whole); DEPT's 2022 targets are its targets."""
    from baocao.consolidation.models import Target

    world = World()
    Target.objects.create(unit=world.department, year=2022, indicator_code="A", value=Decimal(40))
    successor = unit(code="DEPT-NEW", name="Sở Khoa học và Công nghệ", kind=UnitKind.DEPARTMENT,
                     parent=world.province, valid_from=date(2022, 3, 1))
    reorg_event_record(acting_user=world.admin, kind=ReorgKind.MERGE, effective=date(2022, 3, 1),
                       links=[LinkSpec(world.department, successor)])
    _approved(world, world.reporter_a, "2022S1", {"A": 30, "B": 40, "PCT": 55})
    world.regime.receiving_unit = successor
    world.regime.save()
    inp = compose_input(regime=world.regime, period="2022S1", unit=successor)
    assert inp.targets == {"A": Decimal(40)}
