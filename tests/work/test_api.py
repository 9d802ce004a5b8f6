"""/api/v1 plans and tasks: per role, in and out of scope (404), role not allowed (403), rules
(400) with the error shape, nothing written on refusal, and list queries that do not grow."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from baocao.audit.models import AuditEvent
from baocao.core.clock import today_vn
from baocao.orgunits.choices import UnitKind
from baocao.work.models import Plan, Task, TaskComment, TaskUpdate
from tests.api.conftest import assert_error, query_count
from tests.factories import unit
from tests.work.conftest import make_task

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b", "other_compiler"]
SEES_A = {r: 200 for r in ROLES} | {"reporter_b": 404, "other_compiler": 404}
ASSIGNS = {"admin": 201, "compiler": 201, "leader": 201, "inspector": 403, "viewer": 403, "reporter_a": 403,
           "reporter_b": 403, "other_compiler": 404}
EDITS_A = {"admin": 200, "compiler": 200, "leader": 200, "inspector": 403, "viewer": 403, "reporter_a": 403,
           "reporter_b": 404, "other_compiler": 404}
PROGRESS_A = {"admin": 201, "compiler": 403, "leader": 403, "inspector": 403, "viewer": 403, "reporter_a": 201,
              "reporter_b": 404, "other_compiler": 404}


@pytest.fixture
def task(world):
    return make_task(world, title="Nâng cấp đài truyền thanh xã", deadline=today_vn() + timedelta(days=5),
                     sector=world.it, plan=world.plan, cooperating_units=[world.department])


def new_task(world, **overrides) -> dict:
    body = {"title": "Diễn tập thông tin liên lạc", "lead_unit": world.unit_a.pk, "sector": world.post.pk,
            "plan": world.plan.pk, "cooperating_units": [world.unit_b.pk], "start": "2030-07-01",
            "deadline": "2030-09-30", "expected_output": "Báo cáo", "is_key": True}
    body.update(overrides)
    return body


def test_anonymous_401(world, api, task):
    # The other endpoints are in tests/api/test_auth.py (its client has no PATCH).
    body = assert_error(api().patch(f"/tasks/{task.pk}", {"title": "x"}), 401)
    assert body == {"message": "Cần đăng nhập.", "extra": {}}


@pytest.mark.parametrize("role", ROLES)
def test_reads(world, api, task, role):
    client = api(getattr(world, role))
    r = client.get(f"/tasks/{task.pk}")
    assert r.status_code == SEES_A[role], r.content
    if r.status_code == 404:
        assert_error(r, 404, "Không tìm thấy nhiệm vụ")
    listed = client.get("/tasks").json()
    assert ({t["id"] for t in listed["items"]} == {task.pk}) == (SEES_A[role] == 200)
    assert client.get(f"/plans/{world.plan.pk}").status_code == SEES_A[role]


def test_task_shape(world, api, task):
    task_api = api(world.reporter_a)
    task_api.post(f"/tasks/{task.pk}/progress", {"text": "Đã khảo sát", "progress": 30})
    body = api(world.reporter_a).get(f"/tasks/{task.pk}").json()
    assert body["status"] == "in_progress" and body["status_label"] == "Đang thực hiện"
    assert body["days_left"] == 5 and body["current_deadline"] == body["deadline"]
    assert body["lead_unit"] == {"id": world.unit_a.pk, "code": "UA", "name": world.unit_a.name}
    assert body["cooperating_units"] == [{"id": world.department.pk, "code": "DEPT", "name": world.department.name}]
    assert body["sector"]["name"] == "Công nghệ thông tin" and body["plan"]["number"] == "45/KH-UBND"
    assert [u["text"] for u in body["updates"]] == ["Đã khảo sát"]
    assert body["allowed_actions"] == ["progress", "comment"]
    assert api(world.compiler).get(f"/tasks/{task.pk}").json()["allowed_actions"] == ["update", "comment"]
    assert api(world.viewer).get(f"/tasks/{task.pk}").json()["allowed_actions"] == []


def test_list_filters_and_pagination(world, api, task):
    make_task(world, title="Việc quá hạn", deadline=today_vn() - timedelta(days=1), lead=world.unit_b)
    client = api(world.compiler)
    body = client.get("/tasks").json()
    assert body["count"] == 2 and [t["title"] for t in body["items"]] == ["Việc quá hạn", task.title]
    assert [t["title"] for t in client.get("/tasks", {"view": "overdue"}).json()["items"]] == ["Việc quá hạn"]
    assert [t["title"] for t in client.get("/tasks", {"view": "due7"}).json()["items"]] == [task.title]
    assert client.get("/tasks", {"status": "overdue"}).json()["count"] == 1
    assert client.get("/tasks", {"unit": world.unit_b.pk}).json()["count"] == 1
    assert client.get("/tasks", {"q": "qua han"}).json()["count"] == 1
    assert client.get("/tasks", {"sector": world.it.pk}).json()["count"] == 1
    assert_error(client.get("/tasks", {"view": "later"}), 422)
    assert_error(client.get("/tasks", {"status": "done"}), 422)


@pytest.mark.parametrize("role", ROLES)
def test_create(world, api, role):
    r = api(getattr(world, role)).post("/tasks", new_task(world))
    assert r.status_code == ASSIGNS[role], r.content
    if r.status_code == 201:
        body = r.json()
        assert body["title"] == "Diễn tập thông tin liên lạc" and body["is_key"]
        assert body["owner"]["code"] == "DEPT" and body["status"] == "not_started"
        assert [u["code"] for u in body["cooperating_units"]] == ["UB"]
    else:
        assert_error(r, ASSIGNS[role])
        assert not Task.objects.exists()


@pytest.mark.parametrize("overrides,status,message", [
    ({"deadline": "2030-06-30"}, 400, "không được trước ngày bắt đầu"),
    ({"title": " "}, 400, "Hãy nhập tên nhiệm vụ."),
    ({"recurrence": "monthly"}, 400, "cần ngày đến hạn trong kỳ"),
    ({"recurrence": "monthly", "recurrence_day": 32}, 400, "từ 1 đến 31"),
    ({"lead_unit": 999999}, 404, "Không tìm thấy đơn vị"),
    ({"cooperating_units": [999999]}, 404, "Không tìm thấy đơn vị"),
    ({"sector": 999999}, 404, "Không tìm thấy lĩnh vực"),
    ({"plan": 999999}, 404, "Không tìm thấy kế hoạch"),
    ({"recurrence": "weekly"}, 422, None),
    ({"deadline": "31/12/2030"}, 422, None),
])
def test_create_refused(world, api, overrides, status, message):
    assert_error(api(world.compiler).post("/tasks", new_task(world, **overrides)), status, message)
    assert not Task.objects.exists()


def test_create_for_a_closed_or_foreign_unit(world, api):
    closed = unit(kind=UnitKind.DISTRICT_OFFICE, parent=world.province, name="Phòng cũ", valid_to=date(2025, 6, 30))
    world.regime.reporting_units.add(closed)
    body = assert_error(api(world.compiler).post("/tasks", new_task(world, lead_unit=closed.pk)), 400,
                        "«Phòng cũ» đã ngừng hoạt động")
    assert "lead_unit" in body["extra"]["fields"]
    assert_error(api(world.compiler).post("/tasks", new_task(world, lead_unit=world.other_department.pk)), 404)
    assert not Task.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_patch(world, api, task, role):
    r = api(getattr(world, role)).patch(f"/tasks/{task.pk}", {"deadline": "2030-12-31", "is_key": True})
    assert r.status_code == EDITS_A[role], r.content
    task.refresh_from_db()
    assert (task.deadline == date(2030, 12, 31)) == (EDITS_A[role] == 200)


def test_patch_rules(world, api, task):
    client = api(world.compiler)
    assert_error(client.patch(f"/tasks/{task.pk}", {"start": "2031-01-01", "deadline": "2030-12-31"}), 400,
                 "không được trước ngày bắt đầu")
    assert_error(client.patch(f"/tasks/{task.pk}", {"lead_unit": None}), 400, "đơn vị chủ trì")
    assert_error(client.patch(f"/tasks/{task.pk}", {"title": None}), 400)
    body = client.patch(f"/tasks/{task.pk}", {"plan": None, "sector": None, "cooperating_units": []}).json()
    assert body["plan"] is None and body["sector"] is None and body["cooperating_units"] == []
    assert body["title"] == task.title  # left out: kept


@pytest.mark.parametrize("role", ROLES)
def test_progress(world, api, task, role):
    r = api(getattr(world, role)).post(f"/tasks/{task.pk}/progress", {"text": "Hoàn thành", "progress": 100})
    assert r.status_code == PROGRESS_A[role], r.content
    if r.status_code == 201:
        assert r.json()["status"] == "done_on_time" and r.json()["progress"] == 100
    else:
        assert_error(r, PROGRESS_A[role])
        assert not TaskUpdate.objects.exists()


@pytest.mark.parametrize("progress", [101, -5, 1000])
def test_progress_outside_0_to_100(world, api, task, progress):
    body = assert_error(api(world.reporter_a).post(f"/tasks/{task.pk}/progress", {"text": "x", "progress": progress}),
                        400, "từ 0 đến 100")
    assert body["extra"]["fields"] == {"progress": "Tiến độ phải là số nguyên từ 0 đến 100 (%)."}
    task.refresh_from_db()
    assert task.progress == 0
    assert not TaskUpdate.objects.exists() and not AuditEvent.objects.filter(action="task.progress").exists()


def test_comments(world, api, task):
    r = api(world.reporter_a).post(f"/tasks/{task.pk}/comments", {"text": "Đề nghị hỗ trợ kinh phí"})
    assert r.status_code == 201 and r.json()["comments"][0]["text"] == "Đề nghị hỗ trợ kinh phí"
    assert_error(api(world.viewer).post(f"/tasks/{task.pk}/comments", {"text": "x"}), 403)
    assert_error(api(world.reporter_b).post(f"/tasks/{task.pk}/comments", {"text": "x"}), 404)
    assert_error(api(world.compiler).post(f"/tasks/{task.pk}/comments", {"text": ""}), 400)
    assert TaskComment.objects.count() == 1


def test_plans(world, api, task):
    client = api(world.compiler)
    body = client.get("/plans").json()
    assert body["count"] == 1 and body["items"][0]["number"] == "45/KH-UBND" and body["items"][0]["task_count"] == 1
    r = client.post("/plans", {"kind": "scheme", "number": "12/ĐA-UBND", "issuer": world.province.pk,
                               "title": "Đề án chuyển đổi số", "year_from": 2021, "year_to": 2025})
    assert r.status_code == 201, r.content
    assert r.json()["kind_label"] == "Đề án" and r.json()["owner"]["code"] == "DEPT"
    detail = client.get(f"/plans/{world.plan.pk}").json()
    assert detail["status_counts"]["not_started"] == 1 and sum(detail["status_counts"].values()) == 1
    assert [t["title"] for t in detail["tasks"]] == [task.title]
    assert_error(client.post("/plans", {"issuer": world.province.pk, "title": "X", "year_from": 2025,
                                        "year_to": 2020}), 400, "Năm hết hiệu lực")
    assert_error(api(world.reporter_a).post("/plans", {"issuer": world.province.pk, "title": "X"}), 403)
    assert_error(client.post("/plans", {"issuer": world.other_department.pk, "title": "X"}), 404)
    assert_error(api(world.other_compiler).get(f"/plans/{world.plan.pk}"), 404)
    assert Plan.objects.count() == 2


@pytest.mark.parametrize("role", ["compiler", "reporter_a"])
def test_list_queries_do_not_grow(world, api, role):
    from tests.work.test_selectors import make_many

    client = api(getattr(world, role))
    make_many(world, 3)
    few = [query_count(client, "/tasks"), query_count(client, "/tasks", {"view": "due7"}),
           query_count(client, f"/plans/{world.plan.pk}"), query_count(client, "/plans")]
    make_many(world, 27, start=3)
    assert [query_count(client, "/tasks"), query_count(client, "/tasks", {"view": "due7"}),
            query_count(client, f"/plans/{world.plan.pk}"), query_count(client, "/plans")] == few
