"""API authentication: bearer tokens for machines, the session (with CSRF) for browsers, axes
throttling, and the error shape of every failure."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django.utils.crypto import get_random_string

from baocao.accounts.models import ApiToken, hash_token
from baocao.accounts.services import api_token_authenticate, api_token_create
from baocao.audit.models import AuditEvent
from baocao.config.api import api as ninja_api
from tests.api.conftest import assert_error, make_draft, make_submitted
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def issue_token(api, username: str, password: str = PASSWORD):
    return api().post("/auth/token", {"username": username, "password": password})


class TestTokenCreate:
    def test_returns_token_stores_only_its_hash_and_audits(self, world, api, settings):
        response = issue_token(api, "an")
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"token", "expires_at"}
        token = ApiToken.objects.get(user=world.reporter_a)
        assert token.key_hash == hash_token(body["token"])
        assert body["token"] not in token.key_hash
        expected = timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)
        assert abs(token.expires_at - expected) < timedelta(minutes=1)
        event = AuditEvent.objects.get(action="api_token.create")
        assert (event.actor, event.entity, event.entity_id) == (world.reporter_a, "api_token", token.pk)

    def test_records_the_login(self, world, api):
        issue_token(api, "an")
        world.reporter_a.refresh_from_db()
        assert world.reporter_a.last_login is not None

    @pytest.mark.parametrize("username,password", [("an", "sai-mat-khau"), ("khong-co-ai", PASSWORD)])
    def test_wrong_credentials_401(self, world, api, username, password):
        body = assert_error(issue_token(api, username, password), 401)
        assert body == {"message": "Sai tên đăng nhập hoặc mật khẩu.", "extra": {}}
        assert not ApiToken.objects.exists()

    def test_inactive_user_cannot_get_a_token(self, world, api):
        world.reporter_a.is_active = False
        world.reporter_a.save()
        assert_error(issue_token(api, "an"), 401, "Sai tên đăng nhập")

    def test_missing_field_422(self, world, api):
        body = assert_error(api().post("/auth/token", {"username": "an"}), 422, "không hợp lệ")
        assert body["extra"]["errors"][0]["loc"] == ["body", "payload", "password"]


class TestThrottle:
    """django-axes: AXES_FAILURE_LIMIT (5) failures for one username and address lock it out."""

    def test_locked_out_after_five_failures_even_with_the_right_password(self, world, api):
        for _ in range(4):
            assert_error(issue_token(api, "an", "sai-mat-khau"), 401)
        body = assert_error(issue_token(api, "an", "sai-mat-khau"), 429)
        assert body == {"message": "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.", "extra": {}}
        assert_error(issue_token(api, "an"), 429, "quá nhiều lần")
        assert not ApiToken.objects.exists()

    def test_other_usernames_are_not_locked(self, world, api):
        for _ in range(5):
            issue_token(api, "an", "sai-mat-khau")
        assert issue_token(api, "binh").status_code == 200

    def test_success_resets_the_count(self, world, api):
        for _ in range(4):
            assert_error(issue_token(api, "an", "sai-mat-khau"), 401)
        assert issue_token(api, "an").status_code == 200
        for _ in range(4):
            assert_error(issue_token(api, "an", "sai-mat-khau"), 401)


class TestBearer:
    def test_token_authenticates_requests(self, world, api):
        token = issue_token(api, "an").json()["token"]
        response = api(token=token).get("/auth/me")
        assert response.status_code == 200
        assert response.json()["username"] == "an"
        assert response.json()["unit_id"] == world.unit_a.pk

    def test_revoke_deletes_the_token_used(self, world, api):
        token = issue_token(api, "an").json()["token"]
        other = issue_token(api, "an").json()["token"]
        response = api(token=token).delete("/auth/token")
        assert response.status_code == 204
        assert_error(api(token=token).get("/auth/me"), 401, "Cần đăng nhập")
        assert api(token=other).get("/auth/me").status_code == 200
        assert AuditEvent.objects.filter(action="api_token.revoke", actor=world.reporter_a).count() == 1

    def test_revoke_needs_a_token_not_a_session(self, world, api):
        assert_error(api(world.reporter_a).delete("/auth/token"), 401)

    def test_expired_token_401(self, world, api):
        token = issue_token(api, "an").json()["token"]
        ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        body = assert_error(api(token=token).get("/units"), 401)
        assert body == {"message": "Cần đăng nhập.", "extra": {}}

    def test_token_of_deactivated_user_401(self, world, api):
        token = issue_token(api, "an").json()["token"]
        world.reporter_a.is_active = False
        world.reporter_a.save()
        assert_error(api(token=token).get("/units"), 401)

    @pytest.mark.parametrize("header", ["Bearer nonsense", "Token abc", "Bearer ", "Basic YW46eA=="])
    def test_bad_authorization_header_401(self, world, api, header):
        assert_error(api().get("/units", HTTP_AUTHORIZATION=header), 401, "Cần đăng nhập")

    def test_last_used_at_is_written_at_most_once_a_minute(self, world):
        raw = api_token_create(user=world.reporter_a)
        assert api_token_authenticate(raw) == world.reporter_a
        first = ApiToken.objects.get().last_used_at
        assert first is not None
        assert api_token_authenticate(raw) == world.reporter_a
        assert ApiToken.objects.get().last_used_at == first
        ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
        api_token_authenticate(raw)
        assert ApiToken.objects.get().last_used_at > first - timedelta(minutes=2)

    def test_bearer_requests_need_no_csrf_token(self, world, api):
        token = api_token_create(user=world.reporter_a)
        client = api(token=token, enforce_csrf_checks=True)
        response = client.post("/submissions", {"regime": "BC-TEST", "period": "2022S2"})
        assert response.status_code == 201, response.content


class TestSessionCsrf:
    """The browser's session is accepted with CSRF protection on unsafe methods."""

    def test_session_get_needs_no_csrf(self, world, api):
        assert api(world.reporter_a, enforce_csrf_checks=True).get("/units").status_code == 200

    def test_session_post_without_csrf_token_403(self, world, api):
        client = api(world.reporter_a, enforce_csrf_checks=True)
        body = assert_error(client.post("/submissions", {"regime": "BC-TEST", "period": "2022S2"}), 403, "CSRF")
        assert body["extra"] == {}
        assert not world.regime.submissions.exists()

    def test_session_post_with_csrf_token_works(self, world, api):
        client = api(world.reporter_a, enforce_csrf_checks=True)
        secret = get_random_string(32)
        client.client.cookies["csrftoken"] = secret
        response = client.post("/submissions", {"regime": "BC-TEST", "period": "2022S2"}, HTTP_X_CSRFTOKEN=secret)
        assert response.status_code == 201, response.content

    def test_anonymous_post_is_401_not_csrf_403(self, world, api):
        client = api(enforce_csrf_checks=True)
        assert_error(client.post("/submissions", {"regime": "BC-TEST", "period": "2022S2"}), 401, "Cần đăng nhập")


def anonymous_requests(world, submission_id: int):
    unit, regime = world.unit_a.pk, world.regime.pk
    fv = world.form_version
    gets = [
        "/auth/me", "/units", f"/units/{unit}", f"/units/{unit}/children", "/unit-groups", "/regimes",
        f"/regimes/{regime}", f"/regimes/{regime}/periods/2022S1", f"/regimes/{regime}/monitor?period=2022S1",
        "/periods/2022S1", f"/forms/{fv.form_id}/versions/1", f"/form-versions/{fv.pk}", "/submissions",
        f"/submissions/{submission_id}", f"/submissions/{submission_id}/history",
        "/reports", "/reports/1", "/reports/1/versions/1", "/reports/1/versions/1/document?format=json",
        f"/targets?unit={unit}&year=2022", f"/regimes/{regime}/outline", f"/units/{unit}/issuer-profiles", f"/units/{unit}/lineage",
        "/plans", "/plans/1", "/tasks", "/tasks/1",
        "/meetings", "/meetings/1", "/meetings/1/article", "/meetings/1/documents/minutes?format=docx",
        "/cases", "/cases/1", "/cases/1/history", f"/submissions/{submission_id}/template",
        "/exchange/export?regime=BC-TEST&period=2022S1&format=csv",
        "/exchange/dataValueSets?dataSet=BC-TEST&period=2022S1",
        "/notifications", "/notifications?unread=true",
    ]
    writes = [
        ("post", "/submissions", {"regime": "BC-TEST", "period": "2022S2"}),
        ("put", f"/submissions/{submission_id}/draft", {"version": 0, "values": {"A": 1}}),
        ("post", f"/submissions/{submission_id}/submit", None),
        ("post", f"/submissions/{submission_id}/return", {"comment": "Sửa lại"}),
        ("post", f"/submissions/{submission_id}/approve", {}),
        ("post", "/submissions/approve", {"ids": [submission_id]}),
        ("post", f"/submissions/{submission_id}/reopen", {"reason": "Sửa lại"}),
        ("post", f"/regimes/{regime}/reminders", {"period": "2022S1", "unit": unit}),
        ("post", "/reports/1/versions/1/send", None),
        ("post", "/reports/1/versions/1/return", {"comment": "Sửa lại"}),
        ("post", "/notifications/1/read", None),
        ("post", "/notifications/read-all", None),
        ("post", "/reports/build", {"regime": "BC-TEST", "period": "2022S1", "unit": "DEPT"}),
        ("put", "/reports/1/draft", {"base_version": 1, "edits": {}}),
        ("post", "/reports/1/recompute", {}),
        ("post", "/reports/1/regroup", {"base_version": 1, "part": "section:I", "split": 0}),
        ("post", "/reports/1/versions/1/approve", {}),
        ("put", "/targets", {"unit": unit, "year": 2022, "indicator_code": "A", "value": 1}),
        ("put", f"/regimes/{regime}/outline", {"place": "X"}),
        ("post", f"/units/{unit}/issuer-profiles", {"valid_from": "2025-03-01", "agency_name": "X", "agency_code": "X"}),
        ("put", "/issuer-profiles/1", {"place_name": "X"}),
        ("delete", "/issuer-profiles/1", None),
        ("post", "/plans", {"issuer": unit, "title": "Kế hoạch"}),
        ("post", "/tasks", {"title": "Nhiệm vụ", "lead_unit": unit}),
        ("post", "/tasks/1/progress", {"text": "Xong", "progress": 100}),
        ("post", "/tasks/1/comments", {"text": "Ý kiến"}),
        ("post", "/meetings", {"title": "Hội nghị", "organiser": "DEPT", "date": "2022-07-07"}),
        ("post", "/meetings/1/attendees", {"unit": unit}),
        ("post", "/meetings/1/agenda", {"title": "Báo cáo"}),
        ("post", "/meetings/1/opinions", {"summary": "Ý kiến"}),
        ("post", "/meetings/1/conclusions", {"text": "Kết luận"}),
        ("post", "/conclusions/1/tasks", {"tasks": [{"lead_unit": unit, "deadline": "2022-12-31"}]}),
        ("put", "/meetings/1/article", {"parts": {"lead": "Mở đầu"}}),
        ("post", "/cases", {"kind": "petition", "received_on": "2022-03-01", "summary": "Kiến nghị"}),
        ("post", "/cases/1/accept", {"accepted_on": "2022-03-02"}),
        ("post", "/cases/1/extend", {"decision_number": "1/QĐ", "decided_on": "2022-03-10", "days": 30}),
        ("post", "/cases/1/resolve", {"resolved_on": "2022-03-20", "conclusion": "Xong"}),
        ("post", "/cases/1/refuse", {"decided_on": "2022-03-02", "reason": "Nặc danh"}),
        ("post", "/cases/1/forward", {"decided_on": "2022-03-02", "to_agency": "UBND huyện"}),
        ("post", f"/submissions/{submission_id}/template", None),
        ("post", "/exchange/dataValueSets?dryRun=true", {"dataValues": []}),
        ("post", "/exchange/import", {"format": "csv"}),
        ("delete", "/auth/token", None),
    ]
    return [("get", path, None) for path in gets] + writes


# Listed here so that a new endpoint without a line above makes test_every_route_is_covered fail.
ROUTES = {
    ("GET", "/api/v1/auth/me"), ("POST", "/api/v1/auth/token"), ("DELETE", "/api/v1/auth/token"),
    ("GET", "/api/v1/units"), ("GET", "/api/v1/units/{unit_id}"), ("GET", "/api/v1/units/{unit_id}/children"),
    ("GET", "/api/v1/unit-groups"), ("GET", "/api/v1/regimes"), ("GET", "/api/v1/regimes/{regime_id}"),
    ("GET", "/api/v1/regimes/{regime_id}/periods/{code}"), ("GET", "/api/v1/regimes/{regime_id}/monitor"),
    ("GET", "/api/v1/periods/{code}"), ("GET", "/api/v1/forms/{form_id}/versions/{number}"),
    ("GET", "/api/v1/form-versions/{version_id}"), ("GET", "/api/v1/submissions"),
    ("POST", "/api/v1/submissions"), ("GET", "/api/v1/submissions/{submission_id}"),
    ("PUT", "/api/v1/submissions/{submission_id}/draft"), ("POST", "/api/v1/submissions/{submission_id}/submit"),
    ("POST", "/api/v1/submissions/{submission_id}/return"), ("POST", "/api/v1/submissions/{submission_id}/approve"),
    ("POST", "/api/v1/submissions/approve"), ("GET", "/api/v1/submissions/{submission_id}/history"),
    ("POST", "/api/v1/submissions/{submission_id}/reopen"), ("POST", "/api/v1/regimes/{regime_id}/reminders"),
    ("POST", "/api/v1/reports/{report_id}/versions/{number}/send"),
    ("POST", "/api/v1/reports/{report_id}/versions/{number}/return"),
    ("GET", "/api/v1/notifications"), ("POST", "/api/v1/notifications/{notification_id}/read"),
    ("POST", "/api/v1/notifications/read-all"),
    ("GET", "/api/v1/reports"), ("POST", "/api/v1/reports/build"), ("GET", "/api/v1/reports/{report_id}"),
    ("GET", "/api/v1/reports/{report_id}/versions/{number}"), ("PUT", "/api/v1/reports/{report_id}/draft"),
    ("POST", "/api/v1/reports/{report_id}/recompute"), ("POST", "/api/v1/reports/{report_id}/regroup"),
    ("POST", "/api/v1/reports/{report_id}/versions/{number}/approve"),
    ("GET", "/api/v1/reports/{report_id}/versions/{number}/document"), ("GET", "/api/v1/targets"),
    ("PUT", "/api/v1/targets"), ("GET", "/api/v1/regimes/{regime_id}/outline"),
    ("PUT", "/api/v1/regimes/{regime_id}/outline"),
    ("GET", "/api/v1/units/{unit_id}/issuer-profiles"), ("POST", "/api/v1/units/{unit_id}/issuer-profiles"),
    ("GET", "/api/v1/units/{unit_id}/lineage"),
    ("PUT", "/api/v1/issuer-profiles/{profile_id}"), ("DELETE", "/api/v1/issuer-profiles/{profile_id}"),
    ("GET", "/api/v1/plans"), ("POST", "/api/v1/plans"), ("GET", "/api/v1/plans/{plan_id}"),
    ("GET", "/api/v1/tasks"), ("POST", "/api/v1/tasks"), ("GET", "/api/v1/tasks/{task_id}"),
    ("PATCH", "/api/v1/tasks/{task_id}"), ("POST", "/api/v1/tasks/{task_id}/progress"),
    ("POST", "/api/v1/tasks/{task_id}/comments"),
    ("GET", "/api/v1/meetings"), ("POST", "/api/v1/meetings"), ("GET", "/api/v1/meetings/{meeting_id}"),
    ("POST", "/api/v1/meetings/{meeting_id}/attendees"), ("POST", "/api/v1/meetings/{meeting_id}/agenda"),
    ("POST", "/api/v1/meetings/{meeting_id}/opinions"), ("POST", "/api/v1/meetings/{meeting_id}/conclusions"),
    ("POST", "/api/v1/conclusions/{conclusion_id}/tasks"), ("GET", "/api/v1/meetings/{meeting_id}/article"),
    ("PUT", "/api/v1/meetings/{meeting_id}/article"), ("GET", "/api/v1/meetings/{meeting_id}/documents/{kind}"),
    ("GET", "/api/v1/cases"), ("POST", "/api/v1/cases"), ("GET", "/api/v1/cases/{case_id}"),
    ("POST", "/api/v1/cases/{case_id}/accept"), ("POST", "/api/v1/cases/{case_id}/extend"),
    ("POST", "/api/v1/cases/{case_id}/resolve"), ("POST", "/api/v1/cases/{case_id}/refuse"),
    ("POST", "/api/v1/cases/{case_id}/forward"), ("GET", "/api/v1/cases/{case_id}/history"),
    ("POST", "/api/v1/exchange/import"), ("GET", "/api/v1/exchange/export"),
    ("POST", "/api/v1/exchange/dataValueSets"), ("GET", "/api/v1/exchange/dataValueSets"),
    ("GET", "/api/v1/submissions/{submission_id}/template"), ("POST", "/api/v1/submissions/{submission_id}/template"),
}


class TestAnonymous:
    def test_every_endpoint_but_token_create_answers_401(self, world, api):
        submission = make_submitted(world)
        client = api()
        for method, path, data in anonymous_requests(world, submission.pk):
            response = client.get(path) if method == "get" else getattr(client, method)(path, data)
            body = assert_error(response, 401)
            assert body == {"message": "Cần đăng nhập.", "extra": {}}, (method, path)
        submission.refresh_from_db()
        assert submission.status == "submitted"

    def test_every_route_is_covered(self):
        paths = ninja_api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
        found = {(method.upper(), path) for path, operations in paths.items() for method in operations}
        assert found == ROUTES

    @pytest.mark.parametrize("path", ["/docs", "/openapi.json"])
    def test_docs_and_schema_are_public(self, world, api, path):
        assert api().get(path).status_code == 200


class TestErrorShape:
    def test_malformed_json_400(self, world, api):
        submission = make_draft(world)
        response = api(world.reporter_a).put(f"/submissions/{submission.pk}/draft", '{"version": 0, "values": {')
        assert_error(response, 400, "JSON")

    def test_body_of_wrong_type_422(self, world, api):
        response = api(world.reporter_a).post("/submissions", ["BC-TEST"])
        body = assert_error(response, 422, "Dữ liệu gửi lên không hợp lệ.")
        assert body["extra"]["errors"]
        assert set(body["extra"]["errors"][0]) >= {"loc", "msg"}

    def test_query_of_wrong_type_422(self, world, api):
        body = assert_error(api(world.compiler).get("/units", {"parent": "abc"}), 422)
        assert body["extra"]["errors"][0]["loc"] == ["query", "parent"]

    @pytest.mark.parametrize("path", ["/nowhere", "/units/abc", "/submissions/1/nothing"])
    def test_unknown_path_404(self, world, api, path):
        assert_error(api(world.compiler).get(path), 404, "Không tìm thấy")

    def test_wrong_method_405(self, world, api):
        response = api(world.compiler).delete("/units")
        assert_error(response, 405)
        assert response["Allow"] == "GET"

    def test_unexpected_exception_is_500_without_traceback(self, world):
        request = RequestFactory().get("/api/v1/units")
        response = ninja_api.on_exception(request, RuntimeError("secret detail"))
        assert response.status_code == 500
        assert json.loads(response.content) == {"message": "Lỗi hệ thống.", "extra": {}}
        assert b"secret detail" not in response.content
