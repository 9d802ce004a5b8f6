"""The inbox's pages and API (own notifications only, another user's id is 404), the menu's count
(one query, none for anonymous visitors), the reopen, reminder and consolidated endpoints."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.services import consolidated_report_build, consolidated_report_send
from baocao.notifications.choices import NotificationKind
from baocao.notifications.context_processors import unread_notifications
from baocao.notifications.models import Notification
from baocao.notifications.services import notifications_create
from baocao.submissions.models import SubmissionReminder
from tests.api.conftest import JsonClient, assert_error, make_draft
from tests.consolidation.test_api import approved

pytestmark = pytest.mark.django_db


def give(user, n: int = 1, *, url: str = "/submissions/"):
    with transaction.atomic():
        for i in range(n):
            notifications_create(recipients=[user], kind=NotificationKind.SUBMISSION_APPROVED,
                                 title=f"Thông báo {i}", body="Nội dung", url=url)
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def page(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


class TestPages:
    def test_inbox_lists_own_newest_first_and_the_menu_counts_unread(self, world):
        mine = give(world.reporter_a, 3)
        give(world.reporter_b, 1)
        html = page(world.reporter_a).get("/notifications/").content.decode()
        assert html.index("Thông báo 2") < html.index("Thông báo 0")
        assert 'id="unread-count"' in html and ">3</span>" in html
        assert f"/notifications/{mine[0].pk}/open/" in html
        other = Notification.objects.get(recipient=world.reporter_b)
        assert f"/notifications/{other.pk}/open/" not in html

    def test_open_marks_read_and_redirects(self, world):
        note = give(world.reporter_a, url="/submissions/7/")[0]
        r = page(world.reporter_a).get(f"/notifications/{note.pk}/open/")
        assert r.status_code == 302 and r["Location"] == "/submissions/7/"
        note.refresh_from_db()
        assert note.read_at is not None

    def test_another_users_notification_is_404(self, world):
        note = give(world.reporter_b)[0]
        assert page(world.reporter_a).get(f"/notifications/{note.pk}/open/").status_code == 404
        note.refresh_from_db()
        assert note.read_at is None

    def test_mark_all_read(self, world):
        give(world.reporter_a, 2)
        give(world.reporter_b, 1)
        r = page(world.reporter_a).post("/notifications/read-all/", follow=True)
        assert "Đã đánh dấu 2 thông báo" in r.content.decode()
        assert Notification.objects.filter(read_at__isnull=True).count() == 1

    def test_preferences_page(self, world):
        c = page(world.reporter_a)
        html = c.get("/notifications/preferences/").content.decode()
        assert "Báo cáo của đơn vị bị trả lại" in html and "Báo cáo tổng hợp" not in html
        c.post("/notifications/preferences/", {"email": [NotificationKind.SUBMISSION_RETURNED]})
        html = c.get("/notifications/preferences/").content.decode()
        assert html.count("checked") == 1

    def test_anonymous_is_sent_to_login(self, world):
        assert Client().get("/notifications/").status_code == 302

    def test_inbox_query_count_does_not_grow(self, world):
        give(world.reporter_a, 3)
        c = page(world.reporter_a)
        with CaptureQueriesContext(connection) as few:
            assert c.get("/notifications/").status_code == 200
        give(world.reporter_a, 25)
        with CaptureQueriesContext(connection) as many:
            assert c.get("/notifications/").status_code == 200
        assert len(many) == len(few)


class TestMenuCount:
    def test_one_query_when_read(self, world, django_assert_num_queries):
        give(world.reporter_a, 2)
        request = RequestFactory().get("/")
        request.user = world.reporter_a
        with django_assert_num_queries(1):
            context = unread_notifications(request)
            assert int(str(context["unread_notifications"])) == 2
            assert context["unread_notifications"]

    def test_no_query_for_anonymous(self, world, django_assert_num_queries):
        from django.contrib.auth.models import AnonymousUser

        request = RequestFactory().get("/")
        request.user = AnonymousUser()
        with django_assert_num_queries(0):
            assert unread_notifications(request) == {}


class TestApi:
    def test_list_own_with_unread_filter(self, world):
        notes = give(world.reporter_a, 3)
        give(world.reporter_b, 2)
        api = JsonClient(user=world.reporter_a)
        body = api.get("/notifications").json()
        assert body["count"] == 3 and [i["id"] for i in body["items"]] == [n.pk for n in reversed(notes)]
        assert body["items"][0]["kind"] == "submission_approved" and body["items"][0]["read_at"] is None
        r = api.post(f"/notifications/{notes[0].pk}/read")
        assert r.status_code == 200 and r.json()["read_at"]
        assert api.get("/notifications", {"unread": "true"}).json()["count"] == 2
        assert api.post("/notifications/read-all").json() == {"marked": 2}
        assert api.get("/notifications", {"unread": "true"}).json()["count"] == 0
        assert Notification.objects.filter(recipient=world.reporter_b, read_at__isnull=True).count() == 2

    def test_another_users_id_is_404(self, world):
        other = give(world.reporter_b)[0]
        assert_error(JsonClient(user=world.reporter_a).post(f"/notifications/{other.pk}/read"), 404)
        assert_error(JsonClient(user=world.reporter_a).post("/notifications/999999/read"), 404)

    def test_reopen(self, world):
        sub = approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        assert_error(JsonClient(user=world.compiler).post(f"/submissions/{sub.pk}/reopen", {"reason": ""}), 400,
                     "lý do")
        assert_error(JsonClient(user=world.reporter_a).post(f"/submissions/{sub.pk}/reopen", {"reason": "X"}), 403)
        assert_error(JsonClient(user=world.other_compiler).post(f"/submissions/{sub.pk}/reopen", {"reason": "X"}), 404)
        r = JsonClient(user=world.compiler).post(f"/submissions/{sub.pk}/reopen", {"reason": "Sửa PCT."})
        assert r.status_code == 200 and r.json()["status"] == "returned"

    def test_reminders(self, world):
        make_draft(world, world.unit_b, "2022S1")
        path = f"/regimes/{world.regime.pk}/reminders"
        r = JsonClient(user=world.compiler).post(path, {"period": "2022S1", "unit": world.unit_b.pk})
        assert r.status_code == 201, r.content
        assert r.json()["unit"] == world.unit_b.pk
        assert_error(JsonClient(user=world.leader).post(path, {"period": "2022S1", "unit": world.unit_b.pk}), 400,
                     "Hôm nay đã nhắc")
        assert_error(JsonClient(user=world.compiler).post(path, {"period": "2022S1", "unit": 999999}), 404)
        assert_error(JsonClient(user=world.reporter_b).post(path, {"period": "2022S1", "unit": world.unit_b.pk}), 403)
        assert_error(JsonClient(user=world.other_compiler).post(path, {"period": "2022S1", "unit": world.unit_b.pk}), 404)

    def test_report_send_and_return(self, world):
        approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        v = consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                      acting_user=world.compiler)
        base = f"/reports/{v.report_id}/versions/1"
        assert_error(JsonClient(user=world.leader).post(f"{base}/send"), 403)
        r = JsonClient(user=world.compiler).post(f"{base}/send")
        assert r.status_code == 200 and r.json()["status"] == "pending" and r.json()["sent_by"]
        assert_error(JsonClient(user=world.leader).post(f"{base}/return", {"comment": ""}), 400, "ý kiến")
        r = JsonClient(user=world.leader).post(f"{base}/return", {"comment": "Bổ sung."})
        assert r.status_code == 200 and r.json()["status"] == "returned" and r.json()["return_comment"] == "Bổ sung."
        assert_error(JsonClient(user=world.other_compiler).post(f"{base}/send"), 404)


class TestPageActions:
    def test_reopen_form_for_reviewers_only(self, world):
        sub = approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        assert 'id="reopen-btn"' in page(world.compiler).get(f"/submissions/{sub.pk}/").content.decode()
        assert 'id="reopen-btn"' not in page(world.reporter_a).get(f"/submissions/{sub.pk}/").content.decode()
        r = page(world.compiler).post(f"/submissions/{sub.pk}/reopen/", {"reason": "Sửa PCT."}, follow=True)
        assert "Đã mở lại báo cáo" in r.content.decode()
        sub.refresh_from_db()
        assert sub.status == "returned"

    def test_monitor_remind_button_then_already_reminded(self, world):
        monitor = f"/regimes/{world.regime.pk}/monitor/?period=2022S1"
        c = page(world.compiler)
        html = c.get(monitor).content.decode()
        assert html.count('class="remind-btn"') == 2
        r = c.post("/notifications/remind/", {"regime": world.regime.pk, "period": "2022S1",
                                              "unit": world.unit_a.pk, "next": monitor}, follow=True)
        html = r.content.decode()
        assert f"Đã nhắc {world.unit_a.name}" in html and "Đã nhắc hôm nay" in html
        assert html.count('class="remind-btn"') == 1
        r = c.post("/notifications/remind/", {"regime": world.regime.pk, "period": "2022S1",
                                              "unit": world.unit_a.pk, "next": monitor}, follow=True)
        assert "mỗi ngày chỉ nhắc một lần" in r.content.decode()
        assert SubmissionReminder.objects.count() == 1

    def test_remind_next_must_be_on_this_site(self, world):
        r = page(world.compiler).post("/notifications/remind/", {"regime": world.regime.pk, "period": "2022S1",
                                                                 "unit": world.unit_a.pk,
                                                                 "next": "https://example.com/"})
        assert r.status_code == 302 and r["Location"] == "/"

    def test_remind_another_departments_regime_is_404(self, world):
        r = page(world.other_compiler).post("/notifications/remind/", {
            "regime": world.regime.pk, "period": "2022S1", "unit": world.unit_a.pk, "next": "/"})
        assert r.status_code == 404

    def test_report_page_send_return_and_confirmed_approval(self, world):
        approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
        v = consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                      acting_user=world.compiler)
        detail = f"/reports/{v.report_id}/"
        assert 'id="send-btn"' in page(world.compiler).get(detail).content.decode()
        consolidated_report_send(version=v, acting_user=world.compiler)
        html = page(world.leader).get(detail).content.decode()
        assert 'id="report-return-btn"' in html and 'id="approve-btn"' in html and "Chờ phê duyệt" in html
        assert 'id="edit-form"' not in page(world.compiler).get(detail).content.decode()
        r = page(world.leader).post(f"/reports/{v.report_id}/versions/1/return/", {"comment": "Bổ sung."},
                                    follow=True)
        html = r.content.decode()
        assert 'id="report-return-comment"' in html and "Bổ sung." in html
        v.refresh_from_db()
        assert v.status == VersionStatus.RETURNED
