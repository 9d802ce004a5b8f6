"""State changes of plans and tasks: every rule, every role, audit rows, nothing written on refusal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.audit.models import AuditEvent
from baocao.core.clock import local_date, today_vn
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.meetings.models import Conclusion, Meeting
from baocao.orgunits.choices import UnitKind
from baocao.work.choices import PlanKind, Recurrence
from baocao.work.models import Plan, Task, TaskComment, TaskUpdate
from baocao.work.services import (
    plan_create,
    plan_update,
    task_comment_add,
    task_progress_add,
    task_update,
)
from tests.factories import unit, user
from tests.work.conftest import make_task

pytestmark = pytest.mark.django_db


def reporting_unit(world, **fields):
    """Another district office reporting to the department (so in the compiler's scope)."""
    u = unit(kind=UnitKind.DISTRICT_OFFICE, parent=world.province, **fields)
    world.regime.reporting_units.add(u)
    return u


def nothing_written(before_tasks: int = 0) -> None:
    assert Task.objects.count() == before_tasks
    assert not AuditEvent.objects.filter(action__startswith="task.").exists()


class TestTaskCreate:
    def test_compiler_assigns_a_task_from_their_unit(self, world):
        task = make_task(world, plan=world.plan, sector=world.it, cooperating_units=[world.unit_b, world.unit_a],
                         start=date(2022, 7, 1), deadline=date(2022, 12, 15), expected_output="Báo cáo kết quả",
                         is_key=True)
        assert task.owner == world.department and task.lead_unit == world.unit_a
        assert task.created_by == world.compiler and task.is_key and task.progress == 0
        # The lead unit is not also a cooperating unit.
        assert list(task.cooperating_units.all()) == [world.unit_b]
        event = AuditEvent.objects.get(action="task.create")
        assert (event.actor, event.entity, event.entity_id, event.unit) == (world.compiler, "task", task.pk,
                                                                            world.unit_a)
        assert "15/12/2022" in event.comment

    @pytest.mark.parametrize("role", ["admin", "leader"])
    def test_admin_and_leader_may_assign(self, world, role):
        assert make_task(world, by=getattr(world, role)).owner == world.department

    @pytest.mark.parametrize("role", ["inspector", "viewer", "reporter_a"])
    def test_other_roles_may_not(self, world, role):
        with pytest.raises(PermissionDeniedError):
            make_task(world, by=getattr(world, role))
        nothing_written()

    def test_lead_unit_out_of_scope_is_not_found(self, world):
        with pytest.raises(NotFound):
            make_task(world, by=world.other_compiler)
        with pytest.raises(NotFound):
            make_task(world, lead=world.other_department)
        with pytest.raises(NotFound):
            make_task(world, cooperating_units=[world.other_department])
        nothing_written()

    def test_owner_outside_the_users_subtree_is_not_found(self, world):
        with pytest.raises(NotFound):
            make_task(world, owner=world.other_department)
        nothing_written()

    def test_deadline_before_start(self, world):
        with pytest.raises(AppError) as exc:
            make_task(world, start=date(2022, 7, 10), deadline=date(2022, 7, 9))
        assert exc.value.status == 400
        assert exc.value.message == "Hạn hoàn thành (09/07/2022) không được trước ngày bắt đầu (10/07/2022)."
        assert set(exc.value.extra["fields"]) == {"deadline"}
        nothing_written()

    def test_deadline_on_the_start_day_is_fine(self, world):
        assert make_task(world, start=date(2022, 7, 10), deadline=date(2022, 7, 10)).pk

    @pytest.mark.parametrize("days_ago", [0, 1, 400])
    def test_closed_lead_unit(self, world, days_ago):
        closed = reporting_unit(world, name="Phòng Văn hóa và Thông tin huyện Cũ",
                                valid_to=today_vn() - timedelta(days=days_ago))
        with pytest.raises(AppError) as exc:
            make_task(world, lead=closed)
        assert "«Phòng Văn hóa và Thông tin huyện Cũ» đã ngừng hoạt động" in exc.value.message
        assert set(exc.value.extra["fields"]) == {"lead_unit"}
        nothing_written()

    def test_unit_closing_later_may_still_lead(self, world):
        closing = reporting_unit(world, valid_to=today_vn() + timedelta(days=1))
        assert make_task(world, lead=closing).lead_unit == closing

    def test_unit_not_yet_valid(self, world):
        future = reporting_unit(world, name="Phòng mới", valid_from=today_vn() + timedelta(days=3))
        with pytest.raises(AppError, match="«Phòng mới» chưa có hiệu lực"):
            make_task(world, lead=future)
        nothing_written()

    def test_closed_cooperating_unit(self, world):
        closed = reporting_unit(world, valid_to=date(2025, 6, 30))
        with pytest.raises(AppError) as exc:
            make_task(world, cooperating_units=[world.unit_b, closed])
        assert set(exc.value.extra["fields"]) == {"cooperating_units"}
        nothing_written()

    @pytest.mark.parametrize("title,message", [("", "Hãy nhập tên nhiệm vụ."), ("   ", "Hãy nhập tên nhiệm vụ."),
                                               ("x" * 501, "Tên nhiệm vụ dài quá 500 ký tự.")])
    def test_title(self, world, title, message):
        with pytest.raises(AppError) as exc:
            make_task(world, title=title)
        assert exc.value.extra["fields"]["title"] == message
        nothing_written()

    def test_title_is_trimmed_and_500_characters_fit(self, world):
        assert make_task(world, title="  Tổ chức hội nghị  ").title == "Tổ chức hội nghị"
        assert len(make_task(world, title="x" * 500).title) == 500

    @pytest.mark.parametrize("day", [None, 0, 32, -1])
    def test_recurrence_needs_a_day_from_1_to_31(self, world, day):
        with pytest.raises(AppError) as exc:
            make_task(world, recurrence=Recurrence.MONTHLY, recurrence_day=day)
        assert set(exc.value.extra["fields"]) == {"recurrence_day"}
        nothing_written()

    def test_unknown_recurrence(self, world):
        with pytest.raises(AppError, match="Kiểu lặp lại không hợp lệ"):
            make_task(world, recurrence="weekly", recurrence_day=1)
        nothing_written()

    def test_recurring_task(self, world):
        task = make_task(world, recurrence=Recurrence.QUARTERLY, recurrence_day=6, start=date(2022, 1, 1),
                         deadline=date(2022, 12, 31))
        assert (task.recurrence, task.recurrence_day) == ("quarterly", 6)
        assert make_task(world, recurrence_day=15).recurrence_day is None  # not recurring: no day

    def test_a_task_of_an_earlier_year_may_go_to_a_unit_of_that_year(self, world):
        ended = reporting_unit(world, valid_to=date(2025, 6, 30))
        assert make_task(world, lead=ended, deadline=date(2022, 11, 30)).lead_unit == ended
        with pytest.raises(AppError, match="đã ngừng hoạt động"):
            make_task(world, lead=ended, deadline=date(2099, 12, 31))
        with pytest.raises(AppError, match="đã ngừng hoạt động"):
            make_task(world, lead=ended)

    def test_every_problem_at_once(self, world):
        closed = reporting_unit(world, valid_to=date(2022, 6, 1))
        with pytest.raises(AppError) as exc:
            make_task(world, title="", lead=closed, start=date(2022, 7, 10), deadline=date(2022, 7, 1))
        assert set(exc.value.extra["fields"]) == {"title", "deadline", "lead_unit"}
        nothing_written()

    def test_plan_out_of_scope_is_not_found(self, world):
        other_plan = plan_create(acting_user=world.other_compiler, title="Kế hoạch y tế",
                                 issuer=world.other_department)
        with pytest.raises(NotFound):
            make_task(world, plan=other_plan)
        nothing_written()

    def test_task_from_a_conference_conclusion(self, world):
        meeting = Meeting.objects.create(title="Hội nghị sơ kết", organiser=world.department, date=date(2022, 7, 7),
                                         created_by=world.compiler)
        conclusion = Conclusion.objects.create(meeting=meeting, text="Đẩy mạnh chuyển đổi số")
        task = make_task(world, conclusion=conclusion, deadline=date(2022, 12, 15))
        assert list(conclusion.tasks.all()) == [task]


class TestTaskUpdate:
    def test_changes_are_audited_field_by_field(self, world):
        task = make_task(world, deadline=date(2022, 12, 15))
        task_update(acting_user=world.leader, task=task, deadline=date(2022, 12, 31), title=task.title,
                    cooperating_units=[world.unit_b], is_key=True)
        task.refresh_from_db()
        assert task.deadline == date(2022, 12, 31) and task.is_key
        changes = {e.field: (e.old_value, e.new_value) for e in AuditEvent.objects.filter(action="task.update")}
        assert changes == {"deadline": ("15/12/2022", "31/12/2022"), "is_key": ("không", "có"),
                           "cooperating_units": ("", world.unit_b.name)}

    def test_nothing_changed_writes_nothing(self, world):
        task = make_task(world)
        task_update(acting_user=world.compiler, task=task, title=task.title)
        assert not AuditEvent.objects.filter(action="task.update").exists()

    @pytest.mark.parametrize("role", ["reporter_a", "viewer", "inspector", "other_compiler"])
    def test_only_who_assigns_may_edit(self, world, role):
        task = make_task(world)
        with pytest.raises(PermissionDeniedError):
            task_update(acting_user=getattr(world, role), task=task, title="Khác")
        task.refresh_from_db()
        assert task.title == "Nâng cấp hệ thống truyền thanh cấp xã"

    def test_deadline_before_start(self, world):
        task = make_task(world, start=date(2022, 7, 1), deadline=date(2022, 7, 31))
        with pytest.raises(AppError, match="không được trước ngày bắt đầu"):
            task_update(acting_user=world.compiler, task=task, deadline=date(2022, 6, 30))
        task.refresh_from_db()
        assert task.deadline == date(2022, 7, 31)
        assert not AuditEvent.objects.filter(action="task.update").exists()

    def test_new_lead_unit_must_be_open_but_an_old_one_closing_does_not_block_edits(self, world):
        task = make_task(world)
        closed = reporting_unit(world, valid_to=date(2025, 1, 1))
        with pytest.raises(AppError, match="đã ngừng hoạt động"):
            task_update(acting_user=world.compiler, task=task, lead_unit=closed)
        world.unit_a.valid_to = date(2025, 1, 1)
        world.unit_a.save()
        task_update(acting_user=world.compiler, task=task, title="Tên mới")
        task.refresh_from_db()
        assert task.title == "Tên mới" and task.lead_unit == world.unit_a

    def test_unknown_field(self, world):
        task = make_task(world)
        with pytest.raises(AppError, match="progress"):
            task_update(acting_user=world.compiler, task=task, progress=100)

    def test_recurrence_rules_apply(self, world):
        task = make_task(world)
        with pytest.raises(AppError):
            task_update(acting_user=world.compiler, task=task, recurrence=Recurrence.MONTHLY)
        task_update(acting_user=world.compiler, task=task, recurrence=Recurrence.MONTHLY, recurrence_day=31)
        task.refresh_from_db()
        assert task.recurrence_day == 31


class TestProgress:
    def test_lead_unit_reports_progress(self, world):
        task = make_task(world)
        update = task_progress_add(acting_user=world.reporter_a, task=task, text="Đã khảo sát 10 xã", progress=40)
        task.refresh_from_db()
        today = local_date(timezone.now())
        assert (task.progress, task.started_on, task.completed_on) == (40, today, None)
        assert (update.author, update.progress, update.text) == (world.reporter_a, 40, "Đã khảo sát 10 xã")
        event = AuditEvent.objects.get(action="task.progress")
        assert (event.old_value, event.new_value, event.comment, event.unit) == ("0%", "40%", "Đã khảo sát 10 xã",
                                                                                world.unit_a)

    def test_reaching_100_completes_and_going_back_reopens(self, world):
        task = make_task(world)
        today = local_date(timezone.now())
        task_progress_add(acting_user=world.reporter_a, task=task, text="Xong", progress=100)
        task.refresh_from_db()
        assert task.completed_on == today and task.started_on == today
        task.completed_on = date(2022, 1, 1)  # completed earlier: posting 100 again keeps that day
        task.save()
        task_progress_add(acting_user=world.reporter_a, task=task, text="Bổ sung minh chứng", progress=100)
        task.refresh_from_db()
        assert task.completed_on == date(2022, 1, 1)
        task_progress_add(acting_user=world.reporter_a, task=task, text="Phát sinh việc cần làm lại", progress=80)
        task.refresh_from_db()
        assert task.progress == 80 and task.completed_on is None and task.started_on == today

    @pytest.mark.parametrize("progress", [101, -1, 150, True, "50", None, 50.5])
    def test_progress_outside_0_to_100(self, world, progress):
        task = make_task(world)
        with pytest.raises(AppError) as exc:
            task_progress_add(acting_user=world.reporter_a, task=task, text="x", progress=progress)
        assert exc.value.message == "Tiến độ phải là số nguyên từ 0 đến 100 (%)."
        task.refresh_from_db()
        assert task.progress == 0 and task.started_on is None
        assert not TaskUpdate.objects.exists() and not AuditEvent.objects.filter(action="task.progress").exists()

    @pytest.mark.parametrize("progress", [0, 100])
    def test_bounds_are_allowed(self, world, progress):
        task = make_task(world)
        task_progress_add(acting_user=world.reporter_a, task=task, text="x", progress=progress)

    def test_text_required(self, world):
        task = make_task(world)
        with pytest.raises(AppError, match="Hãy nhập nội dung"):
            task_progress_add(acting_user=world.reporter_a, task=task, text="  ", progress=10)
        assert not TaskUpdate.objects.exists()

    @pytest.mark.parametrize("role", ["reporter_b", "compiler", "leader", "inspector", "viewer"])
    def test_only_the_lead_unit_posts_progress(self, world, role):
        task = make_task(world, cooperating_units=[world.unit_b])
        with pytest.raises(PermissionDeniedError, match="Chỉ đơn vị chủ trì"):
            task_progress_add(acting_user=getattr(world, role), task=task, text="x", progress=10)
        assert not TaskUpdate.objects.exists()

    def test_viewer_of_the_lead_unit_only_reads(self, world):
        task = make_task(world)
        viewer_a = user(role=Role.VIEWER, unit=world.unit_a)
        with pytest.raises(PermissionDeniedError):
            task_progress_add(acting_user=viewer_a, task=task, text="x", progress=10)

    def test_lead_units_compiler_and_admin_may_post(self, world):
        division = unit(kind=UnitKind.DIVISION, parent=world.department, name="Phòng Công nghệ thông tin")
        task = make_task(world, lead=division)
        division_staff = user(role=Role.COMPILER, unit=division)
        task_progress_add(acting_user=division_staff, task=task, text="x", progress=10)
        task_progress_add(acting_user=world.admin, task=task, text="y", progress=20)
        assert TaskUpdate.objects.count() == 2

    def test_evidence_file(self, world, media):
        task = make_task(world)
        evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf")
        update = task_progress_add(acting_user=world.reporter_a, task=task, text="x", progress=30,
                                   evidence=evidence)
        update.refresh_from_db()
        assert update.evidence.name.endswith(".pdf")
        assert update.evidence.read() == b"%PDF-1.4 minh chung"

    def test_evidence_too_big(self, world, media):
        task = make_task(world)
        evidence = SimpleUploadedFile("lon.zip", b"x")
        evidence.size = 21 * 1024 * 1024
        with pytest.raises(AppError, match="20 MB"):
            task_progress_add(acting_user=world.reporter_a, task=task, text="x", progress=30, evidence=evidence)
        assert not TaskUpdate.objects.exists()


class TestComments:
    @pytest.mark.parametrize("role", ["reporter_a", "reporter_b", "compiler", "leader", "inspector", "admin"])
    def test_who_sees_the_task_may_comment(self, world, role):
        task = make_task(world, cooperating_units=[world.unit_b])
        comment = task_comment_add(acting_user=getattr(world, role), task=task, text="  Đề nghị bổ sung  ")
        assert comment.text == "Đề nghị bổ sung"
        assert AuditEvent.objects.filter(action="task.comment", entity_id=task.pk).count() == 1

    def test_viewer_may_not(self, world):
        task = make_task(world)
        with pytest.raises(PermissionDeniedError):
            task_comment_add(acting_user=world.viewer, task=task, text="x")
        assert not TaskComment.objects.exists()

    def test_text_required(self, world):
        task = make_task(world)
        with pytest.raises(AppError, match="Hãy nhập nội dung ý kiến"):
            task_comment_add(acting_user=world.compiler, task=task, text="")


class TestPlans:
    def test_create_with_an_issuer_above_the_department(self, world):
        plan = world.plan
        assert (plan.owner, plan.issuer, plan.kind, str(plan)) == (
            world.department, world.province, PlanKind.PLAN, "45/KH-UBND Kế hoạch chuyển đổi số năm 2022")
        assert AuditEvent.objects.filter(action="plan.create", entity_id=plan.pk, unit=world.department).exists()

    def test_issuer_out_of_scope(self, world):
        with pytest.raises(NotFound):
            plan_create(acting_user=world.compiler, title="X", issuer=world.other_department)

    @pytest.mark.parametrize("role", ["reporter_a", "viewer", "inspector"])
    def test_roles(self, world, role):
        with pytest.raises(PermissionDeniedError):
            plan_create(acting_user=getattr(world, role), title="X", issuer=world.province)
        assert Plan.objects.count() == 1

    def test_rules(self, world):
        with pytest.raises(AppError) as exc:
            plan_create(acting_user=world.compiler, title="", issuer=world.province, year_from=2025, year_to=2021,
                        kind="other", number="x" * 61)
        assert set(exc.value.extra["fields"]) == {"title", "year_to", "kind", "number"}
        assert Plan.objects.count() == 1

    def test_update(self, world, media):
        plan_update(acting_user=world.leader, plan=world.plan, title="Kế hoạch CĐS 2022", year_from=2022,
                    attachment=SimpleUploadedFile("kh.pdf", b"%PDF"))
        world.plan.refresh_from_db()
        assert world.plan.title == "Kế hoạch CĐS 2022" and world.plan.attachment.name.endswith(".pdf")
        fields = set(AuditEvent.objects.filter(action="plan.update").values_list("field", flat=True))
        assert fields == {"title", "year_from", "attachment"}
        with pytest.raises(PermissionDeniedError):
            plan_update(acting_user=world.reporter_a, plan=world.plan, title="X")
        with pytest.raises(AppError):
            plan_update(acting_user=world.compiler, plan=world.plan, year_to=2000)
