"""Carrying a reorganisation through: a preview that lists every move, then one transaction that
moves regimes, users, open tasks and targets to the successors, refused while reports of an ended
unit are not approved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.audit.models import AuditEvent
from baocao.consolidation.models import DocumentNumberRegister, Target
from baocao.core.errors import AppError
from baocao.orgunits.choices import ReorgKind, ShareMethod, UnitKind
from baocao.orgunits.events import LinkSpec, reorg_event_record
from baocao.orgunits.models import ReorgEvent
from baocao.submissions.services import submission_get_or_create
from baocao.transition.services import carry_apply, carry_preview
from baocao.work.models import Task
from baocao.work.services import task_create
from tests.factories import World, unit

pytestmark = pytest.mark.django_db

DAY = date(2025, 7, 1)


@pytest.fixture
def world():
    """UA ends on 30 June 2025: UC takes 70% of it, UD 30% (by area). DEPT merges into DEPT2025."""
    world = World()
    world.uc = unit(code="UC", name="Xã Chợ Mới", kind=UnitKind.COMMUNE, parent=world.province, valid_from=DAY)
    world.ud = unit(code="UD", name="Xã Đồng Tâm", kind=UnitKind.COMMUNE, parent=world.province, valid_from=DAY)
    world.new_department = unit(code="DEPT2025", name="Sở Khoa học và Công nghệ", kind=UnitKind.DEPARTMENT,
                                parent=world.province, valid_from=DAY)
    world.open_task = task_create(acting_user=world.compiler, title="Triển khai nền tảng số", lead_unit=world.unit_a,
                                  cooperating_units=[world.unit_b], deadline=date(2025, 12, 31))
    world.helped_task = task_create(acting_user=world.compiler, title="Số hóa hồ sơ", lead_unit=world.unit_b,
                                    cooperating_units=[world.unit_a], deadline=date(2025, 12, 31))
    done = task_create(acting_user=world.compiler, title="Báo cáo năm 2024", lead_unit=world.unit_a,
                       deadline=date(2025, 1, 31))
    Task.objects.filter(pk=done.pk).update(completed_on=date(2025, 1, 20))
    world.done_task = done
    Target.objects.create(unit=world.department, year=2025, indicator_code="A", value=Decimal(10))
    Target.objects.create(unit=world.department, year=2024, indicator_code="A", value=Decimal(8))
    DocumentNumberRegister.objects.create(unit=world.department, year=2025, type_code="BC", last_number=7)
    reorg_event_record(acting_user=world.admin, kind=ReorgKind.SPLIT, effective=DAY, legal_basis="NQ 1/2025", links=[
        LinkSpec(world.unit_a, world.uc, Decimal("0.7"), ShareMethod.AREA),
        LinkSpec(world.unit_a, world.ud, Decimal("0.3"), ShareMethod.AREA)])
    reorg_event_record(acting_user=world.admin, kind=ReorgKind.MERGE, effective=DAY, legal_basis="NQ 2/2025",
                       links=[LinkSpec(world.department, world.new_department)])
    world.events = list(ReorgEvent.objects.all())
    return world


def test_the_preview_lists_every_move_and_writes_nothing(world):
    before = AuditEvent.objects.count()
    plan = carry_preview(world.events)
    assert plan.counts == {"regime_receiver": 1, "regime_reporting": 2, "user": 6, "task": 4, "target": 1}
    labels = [(m.label, m.source, m.target) for m in plan.moves]
    assert ("Chế độ báo cáo «BC-TEST»: cơ quan nhận báo cáo", "Sở Thông tin và Truyền thông",
            "Sở Khoa học và Công nghệ") in labels
    assert ("Chế độ báo cáo «BC-TEST»: đơn vị báo cáo", world.unit_a.name, "Xã Đồng Tâm") in labels
    assert ("Tài khoản «an»", world.unit_a.name, "Xã Chợ Mới") in labels  # the larger share
    assert ("Chỉ tiêu kế hoạch A năm 2025 (10)", "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ") in labels
    assert [n.label for n in plan.notes] == ["Sổ văn bản đi «BC» năm 2025 giữ nguyên (đến số 07); "
                                             "đơn vị kế thừa đánh số từ 01"]
    assert not plan.blockers
    assert AuditEvent.objects.count() == before


def test_applying_moves_everything_in_one_transaction(world):
    carry_apply(acting_user=world.admin, events=world.events)
    world.regime.refresh_from_db()
    assert world.regime.receiving_unit == world.new_department
    assert set(world.regime.reporting_units.values_list("code", flat=True)) == {"UA", "UB", "UC", "UD"}
    world.reporter_a.refresh_from_db()
    world.compiler.refresh_from_db()
    assert (world.reporter_a.unit, world.compiler.unit) == (world.uc, world.new_department)
    task = Task.objects.get(pk=world.open_task.pk)
    assert (task.lead_unit, task.owner) == (world.uc, world.new_department)
    helped = Task.objects.get(pk=world.helped_task.pk)
    assert set(helped.cooperating_units.values_list("code", flat=True)) == {"UC"}
    assert Task.objects.get(pk=world.done_task.pk).lead_unit == world.unit_a  # history stays
    assert list(Target.objects.filter(indicator_code="A").order_by("year").values_list("unit__code", "year")) == [
        ("DEPT", 2024), ("DEPT2025", 2025)]
    assert AuditEvent.objects.filter(action="reorg.carry").count() == 14 + 1
    assert ReorgEvent.objects.filter(applied_at__isnull=True).count() == 0
    with pytest.raises(AppError, match="đã được chuyển giao"):
        carry_apply(acting_user=world.admin, events=world.events)


def test_reports_left_open_block_the_carry_and_nothing_moves(world):
    submission_get_or_create(regime=world.regime, period="2025S1", unit=world.unit_a, acting_user=world.reporter_a)
    before = AuditEvent.objects.count()
    plan = carry_preview(world.events)
    assert plan.blockers == [f"Báo cáo «BC-TEST» kỳ 2025S1 của «{world.unit_a.name}» đang ở trạng thái «Đang soạn»: "
                             "hãy duyệt hoặc xóa trước khi chuyển giao."]
    with pytest.raises(AppError, match="còn 1 báo cáo chưa duyệt") as raised:
        carry_apply(acting_user=world.admin, events=world.events)
    assert raised.value.extra["blockers"] == plan.blockers
    world.reporter_a.refresh_from_db()
    assert world.reporter_a.unit == world.unit_a
    assert AuditEvent.objects.count() == before
    assert ReorgEvent.objects.filter(applied_at__isnull=False).count() == 0


def test_the_carry_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        carry_preview(world.events)


def test_what_still_points_at_ended_units_is_listed_until_carried(world, client):
    from baocao.transition.services import dangling_references

    found = {d.label: d.count for d in dangling_references(on=date(2025, 8, 1))}
    assert found == {"Tài khoản thuộc đơn vị đã kết thúc": 6, "Chế độ báo cáo do đơn vị đã kết thúc nhận": 1,
                     "Nhiệm vụ chưa hoàn thành của đơn vị đã kết thúc": 2}
    client.force_login(world.admin)
    assert "Còn trỏ tới đơn vị đã kết thúc" in client.get("/reorganisations/").content.decode()
    carry_apply(acting_user=world.admin, events=world.events)
    assert dangling_references(on=date(2025, 8, 1)) == []


def test_units_below_an_ended_unit_go_under_its_successor_keeping_their_history(world):
    from baocao.orgunits.lineage import parents_on
    from baocao.orgunits.models import OrgUnit

    division = unit(code="DEPT-VP", name="Văn phòng Sở", kind=UnitKind.DIVISION, parent=world.department)
    plan = carry_preview(world.events)
    assert ("Đơn vị trực thuộc «Văn phòng Sở»: đơn vị cấp trên", "Sở Thông tin và Truyền thông",
            "Sở Khoa học và Công nghệ") in [(m.label, m.source, m.target) for m in plan.moves]
    carry_apply(acting_user=world.admin, events=world.events)
    division = OrgUnit.objects.get(pk=division.pk)
    assert division.parent == world.new_department and division.path.startswith(world.new_department.path)
    assert parents_on([division], date(2025, 6, 30)) == {division.pk: world.department.pk}


def test_the_command_carries_every_pending_event(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("reorganisation", "carry", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Chạy thử (không ghi gì): sẽ chuyển 14 mục của 2 sự kiện sắp xếp: ")
    assert ReorgEvent.objects.filter(applied_at__isnull=True).count() == 2
    submission_get_or_create(regime=world.regime, period="2025S1", unit=world.unit_a, acting_user=world.reporter_a)
    with pytest.raises(CommandError, match="còn 1 báo cáo chưa duyệt") as raised:
        call_command("reorganisation", "carry", "--effective", "2025-07-01")
    assert raised.value.returncode == 2
    from baocao.submissions.models import Submission

    Submission.objects.filter(unit=world.unit_a).delete()
    out = StringIO()
    call_command("reorganisation", "carry", "--effective", "2025-07-01", stdout=out)
    assert out.getvalue().startswith("Đã chuyển 14 mục của 2 sự kiện sắp xếp")
    assert ReorgEvent.objects.filter(applied_at__isnull=True).count() == 0
    out = StringIO()
    call_command("reorganisation", "carry", stdout=out)
    assert out.getvalue() == "Không có sự kiện sắp xếp nào chưa chuyển giao.\n"
