"""Conference services: who may write (compilers, leaders, admins of the organiser's subtree: 403
for other roles, 404 outside the subtree), the rules (a Vietnamese AppError and nothing
written), audit rows, conclusions turned into tasks all-or-nothing, and the edited article."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.audit.models import AuditEvent
from baocao.consolidation.models import ConsolidatedReport, ReportVersion
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.meetings.article import compose_article
from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Meeting, Opinion
from baocao.meetings.services import (
    agenda_item_add,
    attendee_add,
    attendee_remove,
    conclusion_add,
    conclusion_remove,
    conclusion_to_tasks,
    meeting_article_save,
    meeting_create,
    meeting_update,
    opinion_add,
)
from baocao.orgunits.choices import UnitKind
from baocao.reporting.models import Sector
from baocao.work.models import Task
from tests.factories import group, regime, unit
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


def report_version(world, receiving_unit=None, compiler=None) -> ReportVersion:
    receiving_unit = receiving_unit or world.department
    r = world.regime if receiving_unit == world.department else regime(
        receiving_unit=receiving_unit, form_version=world.form_version)
    report = ConsolidatedReport.objects.create(regime=r, period="2022S1", unit=receiving_unit)
    composed = {"parts": [], "meta": {"period_label": "6 tháng đầu năm 2022"}}
    return ReportVersion.objects.create(report=report, number=1, composed=composed,
                                        created_by=compiler or world.compiler)


class TestMeetingCreate:
    def test_compiler_creates_with_audit(self, world):
        meeting = make_meeting(world, place="Hội trường Sở", period="2022s1")
        assert meeting.created_by == world.compiler and meeting.organiser == world.department
        assert meeting.period == "2022S1"
        event = AuditEvent.objects.get(action="meeting.create")
        assert (event.actor, event.entity, event.entity_id, event.unit) == (
            world.compiler, "meeting", meeting.pk, world.department)

    @pytest.mark.parametrize("role", ["leader", "admin"])
    def test_leader_and_admin_create(self, world, role):
        meeting = meeting_create(acting_user=getattr(world, role), organiser=world.department, title="Hội nghị",
                                 date=date(2022, 7, 7))
        assert meeting.pk

    @pytest.mark.parametrize("fields,message", [
        ({"title": "  "}, "Tên hội nghị không được để trống."),
        ({"date": None}, "Chưa có ngày tổ chức hội nghị."),
        ({"kind": "party"}, "Loại hội nghị không hợp lệ"),
        ({"period": "2022X9"}, ""),
        ({"title": "x" * 501}, "Tên hội nghị dài quá 500 ký tự."),
    ])
    def test_bad_input_writes_nothing(self, world, fields, message):
        with pytest.raises(AppError) as excinfo:
            make_meeting(world, **fields)
        assert message in excinfo.value.message and excinfo.value.status == 400
        assert not Meeting.objects.exists() and not AuditEvent.objects.filter(entity="meeting").exists()

    def test_period_must_belong_to_the_regime(self, world):
        with pytest.raises(AppError, match="không thuộc chế độ báo cáo"):
            make_meeting(world, regime=world.regime, period="2022M03")

    @pytest.mark.parametrize("role", ["inspector", "viewer", "reporter_a"])
    def test_other_roles_403(self, world, role):
        with pytest.raises(PermissionDeniedError):
            meeting_create(acting_user=getattr(world, role), organiser=world.department, title="Hội nghị",
                           date=date(2022, 7, 7))
        assert not Meeting.objects.exists()

    def test_organiser_outside_the_subtree_404(self, world):
        with pytest.raises(NotFound):
            meeting_create(acting_user=world.other_compiler, organiser=world.department, title="Hội nghị",
                           date=date(2022, 7, 7))

    def test_closed_organiser_refused(self, world):
        closed = unit(name="Phòng đã giải thể", parent=world.department, valid_to=date(2021, 12, 31))
        with pytest.raises(AppError, match="không còn hoạt động"):
            make_meeting(world, organiser=closed)


class TestMeetingUpdate:
    def test_changes_and_audits_each_field(self, world):
        meeting = make_meeting(world)
        meeting_update(acting_user=world.leader, meeting=meeting, place="Hội trường tầng 3", title="Hội nghị mới")
        meeting.refresh_from_db()
        assert (meeting.place, meeting.title) == ("Hội trường tầng 3", "Hội nghị mới")
        fields = set(AuditEvent.objects.filter(action="meeting.update").values_list("field", flat=True))
        assert fields == {"place", "title"}

    def test_the_secretary(self, world):
        meeting = make_meeting(world, secretary_name="Bế Thị Thanh Hoài", secretary_title="Chuyên viên")
        assert (meeting.secretary_name, meeting.secretary_title) == ("Bế Thị Thanh Hoài", "Chuyên viên")
        meeting_update(acting_user=world.leader, meeting=meeting, secretary_name="Nông Thị Hà")
        meeting.refresh_from_db()
        assert meeting.secretary_name == "Nông Thị Hà"
        assert AuditEvent.objects.get(action="meeting.update").field == "secretary_name"
        with pytest.raises(AppError, match="Thư ký dài quá 150 ký tự"):
            meeting_update(acting_user=world.leader, meeting=meeting, secretary_name="x" * 151)

    def test_unknown_field_and_empty_title(self, world):
        meeting = make_meeting(world)
        with pytest.raises(AppError, match="Không sửa được trường: created_by"):
            meeting_update(acting_user=world.compiler, meeting=meeting, created_by=world.leader)
        with pytest.raises(AppError, match="không được để trống"):
            meeting_update(acting_user=world.compiler, meeting=meeting, title="")
        meeting.refresh_from_db()
        assert meeting.title.startswith("Hội nghị sơ kết")

    def test_viewer_403_other_department_404(self, world):
        meeting = make_meeting(world)
        with pytest.raises(PermissionDeniedError):
            meeting_update(acting_user=world.viewer, meeting=meeting, place="X")
        with pytest.raises(NotFound):
            meeting_update(acting_user=world.other_compiler, meeting=meeting, place="X")


class TestAttendees:
    def test_unit_group_and_person(self, world):
        meeting = make_meeting(world)
        g = group(members=[world.unit_a, world.unit_b])
        attendee_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a)
        attendee_add(acting_user=world.compiler, meeting=meeting, group=g)
        attendee_add(acting_user=world.compiler, meeting=meeting, person_name="Nguyễn Văn Bình",
                     person_title="Phó Chủ tịch UBND tỉnh")
        assert [a.order for a in meeting.attendees.all()] == [1, 2, 3]
        assert AuditEvent.objects.filter(action="meeting.attendee_add").count() == 3

    @pytest.mark.parametrize("kwargs,message", [
        ({}, "Chọn đơn vị, nhóm đơn vị hoặc nhập họ tên"),
        ({"unit": "a", "group": True}, "không chọn cả hai"),
    ])
    def test_rules(self, world, kwargs, message):
        meeting = make_meeting(world)
        if kwargs.get("unit") == "a":
            kwargs = {"unit": world.unit_a, "group": group(members=[world.unit_b])}
        with pytest.raises(AppError, match=message):
            attendee_add(acting_user=world.compiler, meeting=meeting, **kwargs)
        assert not Attendee.objects.exists()

    def test_duplicate_and_closed_unit(self, world):
        meeting = make_meeting(world)
        attendee_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a)
        with pytest.raises(AppError, match="đã có trong thành phần tham dự"):
            attendee_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a)
        closed = unit(name="Đơn vị cũ", parent=world.department, valid_to=date(2021, 1, 1))
        with pytest.raises(AppError, match="không còn hoạt động"):
            attendee_add(acting_user=world.compiler, meeting=meeting, unit=closed)
        assert meeting.attendees.count() == 1

    def test_remove_and_roles(self, world):
        meeting = make_meeting(world)
        attendee = attendee_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a)
        with pytest.raises(PermissionDeniedError):
            attendee_remove(acting_user=world.inspector, attendee=attendee)
        with pytest.raises(NotFound):
            attendee_remove(acting_user=world.other_compiler, attendee=attendee)
        attendee_remove(acting_user=world.compiler, attendee=attendee)
        assert not meeting.attendees.exists()
        assert AuditEvent.objects.filter(action="meeting.attendee_remove", old_value=world.unit_a.name).exists()


class TestAgendaOpinionsConclusions:
    def test_agenda_presents_a_report_version_titled_from_the_report(self, world):
        meeting = make_meeting(world)
        version = report_version(world)
        item = agenda_item_add(acting_user=world.compiler, meeting=meeting, report_version=version,
                               presenter_name="Lô Quang Tuyến", presenter_title="Phó Giám đốc Sở")
        assert item.report_version == version
        assert item.title.startswith("Dự thảo Báo cáo kết quả thực hiện") and "6 tháng đầu năm 2022" in item.title

    def test_agenda_report_of_another_department_404(self, world):
        meeting = make_meeting(world)
        theirs = report_version(world, receiving_unit=world.other_department, compiler=world.other_compiler)
        with pytest.raises(NotFound):
            agenda_item_add(acting_user=world.compiler, meeting=meeting, report_version=theirs, title="Báo cáo")
        assert not AgendaItem.objects.exists()

    def test_agenda_needs_a_title_or_a_report(self, world):
        meeting = make_meeting(world)
        with pytest.raises(AppError, match="không được để trống"):
            agenda_item_add(acting_user=world.compiler, meeting=meeting, presenter_name="A")

    def test_opinion_rules(self, world):
        meeting = make_meeting(world)
        with pytest.raises(AppError, match="Tóm tắt ý kiến không được để trống"):
            opinion_add(acting_user=world.compiler, meeting=meeting, summary=" ", speaker_name="Hoàng Văn A")
        with pytest.raises(AppError, match="Ghi người phát biểu hoặc đơn vị"):
            opinion_add(acting_user=world.compiler, meeting=meeting, summary="Đề nghị hỗ trợ kinh phí.")
        assert not Opinion.objects.exists()
        opinion = opinion_add(acting_user=world.compiler, meeting=meeting, summary="Đề nghị hỗ trợ kinh phí.",
                              unit=world.unit_a, speaker_name="Hoàng Văn A", speaker_title="Trưởng phòng",
                              topic="đài truyền thanh")
        assert (opinion.order, opinion.unit) == (1, world.unit_a)
        with pytest.raises(NotFound):  # a meeting their unit does not attend
            opinion_add(acting_user=world.reporter_a, meeting=meeting, summary="x", unit=world.unit_a)
        attendee_add(acting_user=world.compiler, meeting=meeting, unit=world.unit_a)
        with pytest.raises(PermissionDeniedError):  # attending: they read it, they do not write it
            opinion_add(acting_user=world.reporter_a, meeting=meeting, summary="x", unit=world.unit_a)

    def test_conclusion_rules_and_removal(self, world):
        meeting = make_meeting(world)
        with pytest.raises(AppError, match="Nội dung kết luận không được để trống"):
            conclusion_add(acting_user=world.compiler, meeting=meeting, text="")
        sector = Sector.objects.first()
        conclusion = conclusion_add(acting_user=world.compiler, meeting=meeting, text="Tập trung chuyển đổi số.",
                                    sector=sector)
        assert conclusion.sector == sector
        conclusion_remove(acting_user=world.compiler, conclusion=conclusion)
        assert not Conclusion.objects.exists()


class TestConclusionToTasks:
    @pytest.fixture
    def conclusion(self, world) -> Conclusion:
        meeting = make_meeting(world)
        return conclusion_add(acting_user=world.compiler, meeting=meeting, sector=Sector.objects.first(),
                              text="Đẩy mạnh nâng cấp hệ thống đài truyền thanh cấp xã trong 6 tháng cuối năm.")

    def test_one_task_per_item_linked_back(self, world, conclusion):
        tasks = conclusion_to_tasks(acting_user=world.compiler, conclusion=conclusion, tasks=[
            {"lead_unit": world.unit_a, "deadline": date(2022, 12, 15), "is_key": True,
             "cooperating_units": [world.unit_b]},
            {"lead_unit": world.unit_b, "deadline": date(2022, 11, 30), "title": "Nâng cấp đài huyện Bình"},
        ])
        assert [t.lead_unit for t in tasks] == [world.unit_a, world.unit_b]
        first, second = (Task.objects.get(pk=t.pk) for t in tasks)
        assert first.title == conclusion.text and second.title == "Nâng cấp đài huyện Bình"
        assert {first.conclusion, second.conclusion} == {conclusion}
        assert {first.owner, second.owner} == {world.department}
        assert first.sector == conclusion.sector and first.is_key and not second.is_key
        assert first.start == date(2022, 7, 7)
        assert list(first.cooperating_units.all()) == [world.unit_b]
        event = AuditEvent.objects.get(action="meeting.conclusion_tasks")
        assert event.new_value == f"{first.pk}, {second.pk}"
        assert list(conclusion.tasks.order_by("id")) == [first, second]

    def test_a_closed_lead_unit_fails_everything(self, world, conclusion):
        closed = unit(name="Phòng đã sáp nhập", kind=UnitKind.DIVISION, parent=world.department,
                      valid_to=date(2022, 1, 1))
        with pytest.raises(AppError) as excinfo:
            conclusion_to_tasks(acting_user=world.compiler, conclusion=conclusion, tasks=[
                {"lead_unit": world.unit_a, "deadline": date(2022, 12, 15)},
                {"lead_unit": closed, "deadline": date(2022, 12, 15)},
            ])
        assert "Phòng đã sáp nhập" in excinfo.value.message and "ngừng hoạt động" in excinfo.value.message
        assert excinfo.value.extra["task_index"] == 1
        assert not Task.objects.exists()
        assert not AuditEvent.objects.filter(action__in=["task.create", "meeting.conclusion_tasks"]).exists()

    def test_a_deadline_before_the_meeting_fails_everything(self, world, conclusion):
        with pytest.raises(AppError, match="không được trước ngày bắt đầu") as excinfo:
            conclusion_to_tasks(acting_user=world.compiler, conclusion=conclusion, tasks=[
                {"lead_unit": world.unit_a, "deadline": date(2022, 12, 15)},
                {"lead_unit": world.unit_b, "deadline": date(2022, 6, 30)},
            ])
        assert excinfo.value.extra["task_index"] == 1
        assert not Task.objects.exists()

    @pytest.mark.parametrize("tasks,message", [
        ([], "Cần ít nhất một nhiệm vụ"),
        ([{"deadline": date(2022, 12, 1)}], "chưa chọn đơn vị chủ trì"),
        ([{"lead_unit": "a"}], "chưa có thời hạn"),
        ([{"lead_unit": "a", "deadline": date(2022, 12, 1), "owner": 1}], "không có trường owner"),
    ])
    def test_incomplete_items(self, world, conclusion, tasks, message):
        tasks = [{**t, "lead_unit": world.unit_a} if t.get("lead_unit") == "a" else t for t in tasks]
        with pytest.raises(AppError, match=message):
            conclusion_to_tasks(acting_user=world.compiler, conclusion=conclusion, tasks=tasks)
        assert not Task.objects.exists()

    def test_roles(self, world, conclusion):
        spec = [{"lead_unit": world.unit_a, "deadline": date(2022, 12, 15)}]
        with pytest.raises(PermissionDeniedError):
            conclusion_to_tasks(acting_user=world.viewer, conclusion=conclusion, tasks=spec)
        with pytest.raises(NotFound):
            conclusion_to_tasks(acting_user=world.other_compiler, conclusion=conclusion, tasks=spec)
        assert conclusion_to_tasks(acting_user=world.leader, conclusion=conclusion, tasks=spec)

    def test_a_conclusion_with_tasks_is_not_removed(self, world, conclusion):
        conclusion_to_tasks(acting_user=world.compiler, conclusion=conclusion,
                            tasks=[{"lead_unit": world.unit_a, "deadline": date(2022, 12, 15)}])
        with pytest.raises(AppError, match="đã được giao thành nhiệm vụ"):
            conclusion_remove(acting_user=world.compiler, conclusion=conclusion)


class TestArticleSave:
    def test_edit_replaces_the_part_and_follows_the_record_otherwise(self, world):
        meeting = make_meeting(world)
        composed = compose_article(meeting, on=date(2022, 7, 12))
        edits = meeting_article_save(acting_user=world.compiler, meeting=meeting,
                                     parts={"lead": "Đoạn mở đầu đã biên tập.", "title": composed["title"]})
        assert edits == {"lead": "Đoạn mở đầu đã biên tập."}
        meeting.refresh_from_db()
        article = compose_article(meeting, on=date(2022, 7, 12))
        assert article["lead"] == "Đoạn mở đầu đã biên tập." and article["title"] == composed["title"]
        event = AuditEvent.objects.get(action="meeting.article_edit")
        assert (event.field, event.new_value) == ("lead", "Đoạn mở đầu đã biên tập.")
        # A conclusion recorded later still reaches the parts nobody edited.
        conclusion_add(acting_user=world.compiler, meeting=meeting, text="Tập trung chuyển đổi số")
        assert "tập trung chuyển đổi số" in compose_article(meeting)["conclusion"]

    def test_none_returns_to_the_composed_text_empty_leaves_out(self, world):
        meeting = make_meeting(world)
        meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"lead": "A", "photos": ""})
        meeting.refresh_from_db()
        assert meeting.article == {"lead": "A", "photos": ""}
        assert compose_article(meeting)["photos"] == ""
        meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"lead": None})
        meeting.refresh_from_db()
        assert meeting.article == {"photos": ""}

    def test_the_author_is_a_field_of_the_meeting(self, world):
        """The author signs the article: "author" sets Meeting.article_author (audited); None or an
        empty text signs it with the name of whoever recorded the meeting again."""
        meeting = make_meeting(world)
        assert compose_article(meeting)["author"] == world.compiler.display_name
        edits = meeting_article_save(acting_user=world.compiler, meeting=meeting,
                                     parts={"author": "  Bế Thị  Thanh Hoài ", "lead": "A"})
        assert edits == {"lead": "A"}
        meeting.refresh_from_db()
        assert meeting.article_author == "Bế Thị Thanh Hoài" and meeting.article == {"lead": "A"}
        assert compose_article(meeting)["author"] == "Bế Thị Thanh Hoài"
        event = AuditEvent.objects.get(action="meeting.article_edit", field="author")
        assert (event.old_value, event.new_value) == ("", "Bế Thị Thanh Hoài")
        meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"author": None})
        meeting.refresh_from_db()
        assert meeting.article_author == "" and compose_article(meeting)["author"] == world.compiler.display_name

    def test_an_author_stored_as_an_edit_moves_to_the_field(self, world):
        meeting = make_meeting(world)
        Meeting.objects.filter(pk=meeting.pk).update(article={"author": "Tác giả cũ", "lead": "A"})
        meeting.refresh_from_db()
        assert compose_article(meeting)["author"] == "Tác giả cũ"
        meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"author": "Bế Thị Thanh Hoài"})
        meeting.refresh_from_db()
        assert meeting.article == {"lead": "A"} and meeting.article_author == "Bế Thị Thanh Hoài"

    def test_rules(self, world):
        meeting = make_meeting(world)
        with pytest.raises(AppError, match="dài quá 150 ký tự"):
            meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"author": "x" * 151})
        with pytest.raises(AppError, match="Bài viết không có phần: body"):
            meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"body": "x"})
        with pytest.raises(AppError, match="tối đa 100.000 ký tự"):
            meeting_article_save(acting_user=world.compiler, meeting=meeting, parts={"lead": "x" * 100_001})
        with pytest.raises(PermissionDeniedError):
            meeting_article_save(acting_user=world.viewer, meeting=meeting, parts={"lead": "x"})
        meeting.refresh_from_db()
        assert meeting.article == {}
