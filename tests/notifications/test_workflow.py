"""Reopening an approved report, reminders from the monitoring page, and the consolidated
report's send / return / approve cycle: rules, audit rows and notifications."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baocao.audit.models import AuditEvent
from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.models import ReportVersion
from baocao.consolidation.services import (
    consolidated_report_approve,
    consolidated_report_build,
    consolidated_report_recompute,
    consolidated_report_return,
    consolidated_report_save,
    consolidated_report_send,
)
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from baocao.notifications.choices import NotificationKind
from baocao.notifications.models import Notification
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import SubmissionReminder
from baocao.submissions.services import reminder_send, submission_reopen
from tests.api.conftest import make_draft, make_submitted
from tests.consolidation.test_api import approved

pytestmark = pytest.mark.django_db


def recipients(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


class TestReopen:
    def test_reviewer_reopens_with_a_reason_audited_and_the_unit_is_told(self, world):
        sub = approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        sub = submission_reopen(submission=sub, acting_user=world.leader, reason="Số liệu PCT chưa đúng.")
        assert sub.status == SubmissionStatus.RETURNED and sub.return_comment == "Số liệu PCT chưa đúng."
        event = AuditEvent.objects.get(action="submission.reopen")
        assert (event.actor, event.entity_id, event.old_value, event.new_value, event.comment) == (
            world.leader, sub.pk, "approved", "returned", "Số liệu PCT chưa đúng.")
        assert recipients(NotificationKind.SUBMISSION_REOPENED) == {"an"}
        assert "Số liệu PCT chưa đúng." in Notification.objects.get(kind=NotificationKind.SUBMISSION_REOPENED).body

    def test_rules(self, world):
        sub = make_submitted(world)
        with pytest.raises(AppError, match="Chỉ mở lại được báo cáo đã duyệt"):
            submission_reopen(submission=sub, acting_user=world.compiler, reason="X")
        sub = approved(world, world.unit_b, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        with pytest.raises(AppError, match="Hãy ghi lý do"):
            submission_reopen(submission=sub, acting_user=world.compiler, reason="   ")
        with pytest.raises(PermissionDeniedError):
            submission_reopen(submission=sub, acting_user=world.reporter_b, reason="X")
        with pytest.raises(PermissionDeniedError):
            submission_reopen(submission=sub, acting_user=world.inspector, reason="X")
        with pytest.raises(NotFound):
            submission_reopen(submission=sub, acting_user=world.other_compiler, reason="X")
        sub.refresh_from_db()
        assert sub.status == SubmissionStatus.APPROVED
        assert not AuditEvent.objects.filter(action="submission.reopen").exists()
        assert not Notification.objects.filter(kind=NotificationKind.SUBMISSION_REOPENED).exists()

    def test_consolidated_versions_that_counted_it_are_marked_out_of_date(self, world):
        sub_a = approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        v1 = consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                       acting_user=world.compiler)
        sub_b = approved(world, world.unit_b, "2022S1", {"A": 1, "B": 3, "PCT": 50})
        # Version 1 was built before B's report was approved: reopening B leaves it alone.
        submission_reopen(submission=sub_b, acting_user=world.compiler, reason="Sai số B.")
        v1.refresh_from_db()
        assert v1.outdated_at is None
        submission_reopen(submission=sub_a, acting_user=world.compiler, reason="Sai số A.")
        v1.refresh_from_db()
        assert v1.outdated_at is not None and "Sai số A." in v1.outdated_reason
        assert world.unit_a.name in v1.outdated_reason
        event = AuditEvent.objects.get(action="report.outdate")
        assert event.entity_id == v1.report_id and event.actor == world.compiler
        # Recomputing gives a version that matches the data again.
        v2 = consolidated_report_recompute(report=v1.report, acting_user=world.compiler)
        assert v2.outdated_at is None


class TestReminder:
    def test_once_a_day_audited_and_the_units_reporters_told(self, world):
        make_draft(world, world.unit_b, "2022S1")
        reminder_send(regime=world.regime, period="2022S1", unit=world.unit_b, acting_user=world.compiler)
        assert recipients(NotificationKind.SUBMISSION_REMINDER) == {"binh"}
        note = Notification.objects.get(kind=NotificationKind.SUBMISSION_REMINDER)
        assert note.url.startswith("/submissions/")
        event = AuditEvent.objects.get(action="reminder.send")
        assert (event.actor, event.unit, event.field) == (world.compiler, world.unit_b, "2022S1")
        with pytest.raises(AppError, match="Hôm nay đã nhắc"):
            reminder_send(regime=world.regime, period="2022S1", unit=world.unit_b, acting_user=world.leader)
        assert SubmissionReminder.objects.count() == 1 and AuditEvent.objects.filter(action="reminder.send").count() == 1

    def test_yesterdays_reminder_does_not_block_today(self, world):
        SubmissionReminder.objects.create(regime=world.regime, period="2022S1", unit=world.unit_a,
                                          day=today_vn() - timedelta(days=1), sent_by=world.compiler)
        reminder_send(regime=world.regime, period="2022S1", unit=world.unit_a, acting_user=world.compiler)
        assert SubmissionReminder.objects.filter(day=today_vn()).count() == 1
        assert Notification.objects.get(kind=NotificationKind.SUBMISSION_REMINDER).url == "/"

    def test_refused_for_sent_reports_before_the_deadline_and_for_other_roles(self, world):
        make_submitted(world, world.unit_a, "2022S1")
        with pytest.raises(AppError, match="đã gửi báo cáo"):
            reminder_send(regime=world.regime, period="2022S1", unit=world.unit_a, acting_user=world.compiler)
        next_year = f"{today_vn().year + 1}S1"
        with pytest.raises(AppError, match="chưa quá hạn"):
            reminder_send(regime=world.regime, period=next_year, unit=world.unit_b, acting_user=world.compiler)
        with pytest.raises(PermissionDeniedError):
            reminder_send(regime=world.regime, period="2022S1", unit=world.unit_b, acting_user=world.reporter_a)
        with pytest.raises(NotFound):
            reminder_send(regime=world.regime, period="2022S1", unit=world.unit_b, acting_user=world.other_compiler)
        with pytest.raises(NotFound):
            reminder_send(regime=world.regime, period="2022S1", unit=world.department, acting_user=world.compiler)
        assert not SubmissionReminder.objects.exists() and not Notification.objects.filter(
            kind=NotificationKind.SUBMISSION_REMINDER).exists()


@pytest.fixture
def version(world) -> ReportVersion:
    approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
    return consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                     acting_user=world.compiler)


class TestConsolidatedCycle:
    def test_send_return_edit_send_approve(self, world, version):
        from tests.factories import user

        user(username="tonghop3", role="compiler", unit=world.department)
        version = consolidated_report_send(version=version, acting_user=world.compiler)
        assert version.status == VersionStatus.PENDING and version.sent_by == world.compiler
        assert recipients(NotificationKind.REPORT_SENT) == {"lanhdao"}
        assert AuditEvent.objects.filter(action="report.send", actor=world.compiler).count() == 1
        # Waiting for the leader: no edits.
        with pytest.raises(AppError, match="đang chờ lãnh đạo"):
            consolidated_report_save(report=version.report, acting_user=world.compiler, base_version=1,
                                     edits={"intro": "Mở đầu mới."})
        with pytest.raises(AppError, match="Hãy ghi ý kiến"):
            consolidated_report_return(version=version, acting_user=world.leader, comment=" ")
        with pytest.raises(PermissionDeniedError):
            consolidated_report_return(version=version, acting_user=world.compiler, comment="Sửa.")
        version = consolidated_report_return(version=version, acting_user=world.leader,
                                             comment="Bổ sung phần khó khăn, vướng mắc.")
        assert version.status == VersionStatus.RETURNED and version.return_comment.startswith("Bổ sung")
        assert recipients(NotificationKind.REPORT_RETURNED) == {"tonghop", "tonghop3"}
        assert AuditEvent.objects.get(action="report.return").comment == "Bổ sung phần khó khăn, vướng mắc."
        with pytest.raises(AppError, match="đã bị trả lại"):
            consolidated_report_approve(version=version, acting_user=world.leader)
        v2 = consolidated_report_save(report=version.report, acting_user=world.compiler, base_version=1,
                                      edits={"intro": "Mở đầu đã bổ sung."})
        assert v2.status == VersionStatus.DRAFT
        v2 = consolidated_report_send(version=v2, acting_user=world.compiler)
        v2 = consolidated_report_approve(version=v2, acting_user=world.leader)
        assert v2.status == VersionStatus.APPROVED
        assert AuditEvent.objects.get(action="report.approve").old_value == VersionStatus.PENDING
        assert recipients(NotificationKind.REPORT_APPROVED) == {"tonghop", "tonghop3"}

    def test_send_rules(self, world, version):
        with pytest.raises(PermissionDeniedError):
            consolidated_report_send(version=version, acting_user=world.leader)
        with pytest.raises(NotFound):
            consolidated_report_send(version=version, acting_user=world.other_compiler)
        with pytest.raises(AppError, match="Chỉ trả lại được phiên bản đang chờ"):
            consolidated_report_return(version=version, acting_user=world.leader, comment="Sửa.")
        v2 = consolidated_report_save(report=version.report, acting_user=world.compiler, base_version=1,
                                      edits={"intro": "Mở đầu mới."})
        with pytest.raises(AppError, match="mới nhất"):
            consolidated_report_send(version=version, acting_user=world.compiler)
        consolidated_report_send(version=v2, acting_user=world.compiler)
        with pytest.raises(AppError, match="không trình được"):
            consolidated_report_send(version=v2, acting_user=world.compiler)
        assert AuditEvent.objects.filter(action="report.send").count() == 1

    def test_approving_a_draft_still_works_and_tells_the_compilers(self, world, version):
        consolidated_report_approve(version=version, acting_user=world.leader)
        assert recipients(NotificationKind.REPORT_APPROVED) == {"tonghop"}
