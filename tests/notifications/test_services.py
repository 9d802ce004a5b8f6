"""Notifications written by the services that make the changes: who gets them, their e-mail
through the task queue after commit, preferences, and nothing left behind by a failed change."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from baocao.audit.models import AuditEvent
from baocao.notifications.choices import NotificationKind
from baocao.notifications.models import Notification
from baocao.notifications.services import notification_preferences_set, notifications_create
from baocao.submissions.services import submission_approve, submission_return, submission_submit
from tests.api.conftest import make_submitted
from tests.notifications.conftest import run_worker

pytestmark = pytest.mark.django_db


def recipients(kind) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


class TestSubmissionReturned:
    def test_reporters_of_the_unit_get_it_in_the_inbox_and_by_mail_after_the_worker(
            self, world, django_capture_on_commit_callbacks):
        sub = make_submitted(world)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            submission_return(submission=sub, acting_user=world.compiler, comment="Bổ sung số đơn tiếp nhận.")
        assert recipients(NotificationKind.SUBMISSION_RETURNED) == {"an"}
        note = Notification.objects.get(kind=NotificationKind.SUBMISSION_RETURNED)
        assert "bị trả lại" in note.title and "Bổ sung số đơn tiếp nhận." in note.body
        assert note.url == f"/submissions/{sub.pk}/" and note.read_at is None
        # Queued, not sent: the request never waits for the mail server.
        assert mail.outbox == [] and DBTaskResult.objects.count() == 1
        assert run_worker() == 1
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["an@example.vn"]
        assert message.subject.startswith("[baocao] ") and "bị trả lại" in message.subject
        assert "Bổ sung số đơn tiếp nhận." in message.body and f"/submissions/{sub.pk}/" in message.body
        note.refresh_from_db()
        assert note.emailed_at is not None
        # The worker again: nothing is sent twice.
        run_worker()
        assert len(mail.outbox) == 1

    def test_a_reporter_who_turned_mail_off_gets_the_inbox_only(self, world, django_capture_on_commit_callbacks):
        notification_preferences_set(user=world.reporter_a, email_kinds={NotificationKind.SUBMISSION_APPROVED})
        sub = make_submitted(world)
        with django_capture_on_commit_callbacks(execute=True):
            submission_return(submission=sub, acting_user=world.compiler, comment="Sửa lại.")
        assert recipients(NotificationKind.SUBMISSION_RETURNED) == {"an"}
        assert DBTaskResult.objects.count() == 0
        run_worker()
        assert mail.outbox == []

    def test_inactive_users_and_users_without_address(self, world, django_capture_on_commit_callbacks):
        world.reporter_a.email = ""
        world.reporter_a.save()
        from tests.factories import user

        user(username="an2", role="reporter", unit=world.unit_a, is_active=False, email="an2@example.vn")
        sub = make_submitted(world)
        with django_capture_on_commit_callbacks(execute=True):
            submission_return(submission=sub, acting_user=world.compiler, comment="Sửa lại.")
        assert recipients(NotificationKind.SUBMISSION_RETURNED) == {"an"}
        run_worker()
        assert mail.outbox == []

    def test_a_failed_change_leaves_no_notification_and_no_mail(self, world, django_capture_on_commit_callbacks):
        sub = make_submitted(world)
        queued = DBTaskResult.objects.count()
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            with transaction.atomic():
                submission_return(submission=sub, acting_user=world.compiler, comment="Sửa lại.")
                raise RuntimeError("the request fails after the service")
        assert not Notification.objects.filter(kind=NotificationKind.SUBMISSION_RETURNED).exists()
        assert DBTaskResult.objects.count() == queued
        sub.refresh_from_db()
        assert sub.status == "submitted"


class TestRecipients:
    def test_submitted_goes_to_the_receiving_units_reviewers(self, world):
        make_submitted(world)
        assert recipients(NotificationKind.SUBMISSION_SUBMITTED) == {"admin", "tonghop", "lanhdao"}
        note = Notification.objects.filter(kind=NotificationKind.SUBMISSION_SUBMITTED).first()
        assert world.unit_a.name in note.title

    def test_resubmitted_after_a_return(self, world):
        sub = make_submitted(world)
        submission_return(submission=sub, acting_user=world.compiler, comment="Sửa lại.")
        submission_submit(submission=sub, acting_user=world.reporter_a)
        assert recipients(NotificationKind.SUBMISSION_RESUBMITTED) == {"admin", "tonghop", "lanhdao"}
        assert "gửi lại" in Notification.objects.filter(kind=NotificationKind.SUBMISSION_RESUBMITTED).first().title

    def test_approved_goes_to_the_units_reporters_not_the_other_units(self, world):
        sub = make_submitted(world)
        make_submitted(world, world.unit_b)
        submission_approve(submission=sub, acting_user=world.leader)
        assert recipients(NotificationKind.SUBMISSION_APPROVED) == {"an"}

    def test_the_acting_user_is_not_notified(self, world):
        sub = make_submitted(world)
        submission_return(submission=sub, acting_user=world.compiler, comment="Sửa lại.")
        # The admin (a reviewer of the department) resubmits for the unit: the other reviewers hear of it.
        submission_submit(submission=sub, acting_user=world.admin)
        assert recipients(NotificationKind.SUBMISSION_RESUBMITTED) == {"tonghop", "lanhdao"}

    def test_reviewers_who_turned_mail_off_for_arrivals_get_the_inbox_only(
            self, world, django_capture_on_commit_callbacks):
        # Refusals are read with the reviewers (unit_users(email_kind=)), of that kind only.
        notification_preferences_set(user=world.compiler, email_kinds=set())
        notification_preferences_set(user=world.leader, email_kinds={NotificationKind.SUBMISSION_SUBMITTED})
        for who in (world.admin, world.compiler, world.leader):
            who.email = f"{who.username}@example.vn"
            who.save()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            make_submitted(world)
        assert recipients(NotificationKind.SUBMISSION_SUBMITTED) == {"admin", "tonghop", "lanhdao"}
        run_worker()
        assert sorted(m.to[0] for m in mail.outbox) == ["admin@example.vn", "lanhdao@example.vn"]


class TestCreate:
    def test_refuses_links_outside_the_site(self, world):
        for url in ("https://example.com/", "//example.com/", "javascript:alert(1)"):
            with pytest.raises(ValueError):
                notifications_create(recipients=[world.reporter_a], kind=NotificationKind.SUBMISSION_APPROVED,
                                     title="x", url=url)

    @pytest.mark.django_db(transaction=True)
    def test_refuses_to_run_outside_a_transaction(self, world):
        with pytest.raises(RuntimeError):
            notifications_create(recipients=[world.reporter_a], kind=NotificationKind.SUBMISSION_APPROVED, title="x")


class TestPreferences:
    def test_set_and_audited(self, world):
        prefs = notification_preferences_set(user=world.reporter_a, email_kinds={NotificationKind.SUBMISSION_RETURNED})
        assert prefs[NotificationKind.SUBMISSION_RETURNED] is True
        assert prefs[NotificationKind.SUBMISSION_APPROVED] is False
        events = AuditEvent.objects.filter(action="notification.preference", entity_id=world.reporter_a.pk)
        assert {e.field for e in events} == {NotificationKind.SUBMISSION_APPROVED, NotificationKind.SUBMISSION_REOPENED,
                                              NotificationKind.SUBMISSION_REMINDER}
