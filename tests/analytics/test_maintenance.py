"""The aggregates follow every kind of write to the approved values, in the writing transaction:
after each step the stored rows equal `expected_aggregates()` (Python, from the values) and
`baocao analytics check` passes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from baocao.analytics.models import IndicatorAggregate
from baocao.analytics.services import aggregates_differences
from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError
from baocao.exchange.bulk import bulk_import
from baocao.exchange.rows import ValueRow
from baocao.orgunits.events import reorg_reparent
from baocao.orgunits.services import orgunit_move
from baocao.submissions.models import Submission
from baocao.submissions.services import (
    submission_approve,
    submission_reopen,
    submission_save_draft,
    submission_submit,
    submissions_approve_many,
)
from tests.analytics.conftest import assert_consistent, expected_aggregates, stored_aggregates

pytestmark = pytest.mark.django_db(transaction=False)

C1 = {"S": 10, "AV": "1.5", "MN": "2.25", "MX": 7, "L": 1, "YN": "có", "NOTE": "ổn"}
C2 = {"S": 5, "AV": "2", "MN": "0.5", "MX": 9, "L": 2, "YN": "không"}
C3 = {"S": 1, "AV": "3.333333", "MN": "4", "MX": 3, "L": 3, "YN": "có"}
UA = {"S": 100, "L": 4}


def row(world, unit, code) -> IndicatorAggregate:
    return IndicatorAggregate.objects.get(regime=world.regime, period="2022S1", unit=unit, indicator_code=code)


def test_submitting_adds_nothing(world):
    world.submitted(world.commune_1, **C1)
    assert not IndicatorAggregate.objects.exists()
    assert_consistent()


def test_approving_adds_the_numbers_to_the_unit_and_every_ancestor(world):
    sub = world.submitted(world.commune_1, **C1)
    submission_approve(submission=sub, acting_user=world.compiler)
    assert_consistent()
    for u in (world.commune_1, world.unit_a, world.province):
        r = row(world, u, "S")
        assert (r.value_count, r.value_sum) == (1, Decimal(10))
    assert not IndicatorAggregate.objects.filter(unit__in=[world.unit_b, world.department]).exists()
    # Text answers are not figures.
    assert not IndicatorAggregate.objects.filter(indicator_code="NOTE").exists()

    sub2 = world.submitted(world.commune_2, **C2)
    submission_approve(submission=sub2, acting_user=world.compiler)
    assert_consistent()
    r = row(world, world.unit_a, "MN")
    assert (r.value_count, r.value_sum, r.value_min, r.value_max) == (2, Decimal("2.75"), Decimal("0.5"),
                                                                      Decimal("2.25"))
    assert row(world, world.unit_a, "YN").value_sum == 1


def test_approving_many_at_once(world):
    subs = [world.submitted(u, **values) for u, values in
            ((world.commune_1, C1), (world.commune_2, C2), (world.commune_3, C3), (world.unit_a, UA))]
    assert submissions_approve_many(submissions=subs, acting_user=world.compiler) == 4
    assert_consistent()
    assert row(world, world.province, "S").value_count == 4
    assert row(world, world.province, "S").value_sum == 116


def test_a_refused_approval_leaves_the_aggregates_as_they_were(world):
    approved = world.submitted(world.commune_1, **C1)
    submission_approve(submission=approved, acting_user=world.compiler)
    before = stored_aggregates()
    pending = world.submitted(world.commune_2, **C2)
    with pytest.raises(AppError):  # the approved one cannot be approved again: all or nothing
        submissions_approve_many(submissions=[pending, approved], acting_user=world.compiler)
    assert stored_aggregates() == before
    assert_consistent()


def test_reopening_takes_the_report_out_and_recomputes_min_max_last(world):
    subs = {u: world.submitted(u, **values) for u, values in
            ((world.commune_1, C1), (world.commune_2, C2), (world.commune_3, C3), (world.unit_a, UA))}
    submissions_approve_many(submissions=list(subs.values()), acting_user=world.compiler)
    submission_reopen(submission=subs[world.commune_2], acting_user=world.compiler, reason="Sai số liệu")
    assert_consistent()
    r = row(world, world.unit_a, "MN")
    assert (r.value_count, r.value_min) == (1, Decimal("2.25"))  # C2's 0.5 was the least
    # Reopening the only report of a subtree leaves no row for it.
    submission_reopen(submission=subs[world.commune_3], acting_user=world.compiler, reason="Sai")
    assert not IndicatorAggregate.objects.filter(unit__in=[world.commune_3, world.unit_b]).exists()
    assert_consistent()


def test_resubmitted_and_approved_again_with_other_values(world):
    sub = world.submitted(world.commune_1, **C1)
    submission_approve(submission=sub, acting_user=world.compiler)
    submission_reopen(submission=sub, acting_user=world.compiler, reason="Sửa")
    submission_save_draft(submission=sub, acting_user=world.admin, values={"S": 42, "MN": "", "YN": "có"})
    assert_consistent()
    sub = submission_submit(submission=sub, acting_user=world.admin)
    submission_approve(submission=sub, acting_user=world.compiler)
    assert_consistent()
    assert row(world, world.province, "S").value_sum == 42
    assert not IndicatorAggregate.objects.filter(indicator_code="MN").exists()


def test_bulk_import_writes_drafts_only_so_the_aggregates_stay_consistent(world):
    sub = world.submitted(world.commune_1, **C1)
    submission_approve(submission=sub, acting_user=world.compiler)
    before = stored_aggregates()
    rows = [ValueRow("BC-AN", "2022S1", code, "S", "7") for code in ("C2", "C3")]
    rows += [ValueRow("BC-AN", "2022S1", "C1", "S", "999")]  # approved: refused, nothing written
    summary = bulk_import(rows=rows, acting_user=world.admin)
    assert not summary.written
    summary = bulk_import(rows=rows[:2], acting_user=world.admin)
    assert summary.written
    assert stored_aggregates() == before
    assert_consistent()
    imported = list(Submission.objects.filter(unit__code__in=["C2", "C3"]))
    for s in imported:
        submission_submit(submission=s, acting_user=world.admin)
    submissions_approve_many(submissions=imported, acting_user=world.compiler)
    assert row(world, world.province, "S").value_sum == 24
    assert_consistent()


def test_moving_a_unit_rebuilds_the_periods_it_reported_in(world):
    for period in ("2022S1", "2022"):
        subs = [world.submitted(u, period, **values) for u, values in
                ((world.commune_1, C1), (world.commune_2, C2), (world.commune_3, C3))]
        submissions_approve_many(submissions=subs, acting_user=world.compiler)
    orgunit_move(acting_user=world.admin, unit=world.commune_2, new_parent=world.unit_b)
    assert_consistent()
    assert row(world, world.unit_b, "S").value_count == 2
    assert row(world, world.unit_a, "S").value_sum == 10
    # A reorganisation event moving a unit (under the province itself, now).
    reorg_reparent(acting_user=world.admin, unit=world.commune_1, new_parent=world.province,
                   effective=date(2023, 1, 1))
    assert_consistent()
    assert not IndicatorAggregate.objects.filter(unit=world.unit_a).exists()


def test_check_reports_differences_and_rebuild_repairs_them_audited(world, capsys):
    subs = [world.submitted(u, **values) for u, values in ((world.commune_1, C1), (world.commune_3, C3))]
    submissions_approve_many(submissions=subs, acting_user=world.compiler)
    # Rows written around the services: changed, deleted, invented.
    IndicatorAggregate.objects.filter(unit=world.province, indicator_code="S").update(value_sum=Decimal(1))
    IndicatorAggregate.objects.filter(unit=world.unit_b, indicator_code="MX").delete()
    IndicatorAggregate.objects.create(regime=world.regime, period="2021", unit=world.unit_a, indicator_code="S",
                                      value_count=1, value_sum=1, value_min=1, value_max=1, value_last=1,
                                      last_path=world.unit_a.path)
    assert len(aggregates_differences()) == 3
    with pytest.raises(CommandError) as err:
        call_command("analytics", "check")
    assert err.value.returncode == 1
    out = capsys.readouterr().out
    assert out.count("lệch:") == 3
    # Checked one period only: the invented 2021 row is out of scope.
    with pytest.raises(CommandError):
        call_command("analytics", "check", "--regime", "BC-AN", "--period", "2022S1")
    assert capsys.readouterr().out.count("lệch:") == 2

    call_command("analytics", "rebuild")
    assert "Đã dựng lại" in capsys.readouterr().out
    assert_consistent()
    event = AuditEvent.objects.get(action="analytics.rebuild")
    assert event.new_value == str(IndicatorAggregate.objects.count())


def test_rebuild_of_one_period_keeps_the_others(world):
    for period in ("2022S1", "2022"):
        subs = [world.submitted(u, period, **values) for u, values in ((world.commune_1, C1), (world.commune_3, C3))]
        submissions_approve_many(submissions=subs, acting_user=world.compiler)
    IndicatorAggregate.objects.filter(period="2022").update(value_count=99)
    call_command("analytics", "rebuild", "--regime", "BC-AN", "--period", "2022S1")
    assert set(IndicatorAggregate.objects.filter(period="2022").values_list("value_count", flat=True)) == {99}
    call_command("analytics", "rebuild", "--period", "2022")
    assert_consistent()


def test_unknown_regime_is_refused(world):
    with pytest.raises(CommandError) as err:
        call_command("analytics", "check", "--regime", "KHONG-CO")
    assert err.value.returncode == 2


def test_expected_aggregates_is_not_trivially_empty(world):
    sub = world.submitted(world.commune_3, **C3)
    submission_approve(submission=sub, acting_user=world.compiler)
    assert len(expected_aggregates()) == 6 * 3  # six numeric indicators × commune, district, province
