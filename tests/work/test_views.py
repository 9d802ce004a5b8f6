"""The task and plan pages: scope per role (another unit's task is 404, a role that may not act
is 403), HTMX fragments, forms with Vietnamese messages, uploads, and fixed query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.core.clock import today_vn
from baocao.orgunits.choices import UnitKind
from baocao.work.choices import Recurrence
from baocao.work.models import Plan, Task, TaskComment, TaskUpdate
from tests.factories import unit
from tests.work.conftest import logged, make_task

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b", "other_compiler"]
SEES_A = {r: 200 for r in ROLES} | {"reporter_b": 404, "other_compiler": 404}


@pytest.fixture
def task(world):
    return make_task(world, title="Nâng cấp đài truyền thanh xã", deadline=today_vn() + timedelta(days=5),
                     start=today_vn() - timedelta(days=10), sector=world.it, plan=world.plan,
                     cooperating_units=[world.department])


def test_anonymous_goes_to_login(world, task):
    for path in ("/tasks/", f"/tasks/{task.pk}/", "/tasks/new/", "/tasks/plans/"):
        r = Client().get(path)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), path


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, task, role):
    c = logged(getattr(world, role))
    assert c.get("/tasks/").status_code == 200
    assert c.get(f"/tasks/{task.pk}/").status_code == SEES_A[role]
    assert c.get(f"/tasks/plans/{world.plan.pk}/").status_code == SEES_A[role]
    html = c.get("/tasks/").content.decode()
    assert ("Nâng cấp đài truyền thanh xã" in html) == (SEES_A[role] == 200)
    can_create = role in ("admin", "compiler", "leader", "other_compiler")
    assert c.get("/tasks/new/").status_code == (200 if can_create else 403)
    assert ('id="new-task"' in html) == can_create
    edit = c.get(f"/tasks/{task.pk}/edit/").status_code
    assert edit == {"admin": 200, "compiler": 200, "leader": 200, "reporter_b": 404,
                    "other_compiler": 404}.get(role, 403)


def test_nav_has_the_tasks_link(world):
    assert 'href="/tasks/">Nhiệm vụ</a>' in logged(world.reporter_a).get("/").content.decode()


def test_detail_shows_status_deadline_units_and_forms(world, task):
    html = logged(world.reporter_a).get(f"/tasks/{task.pk}/").content.decode()
    assert "Chưa thực hiện" in html and "còn 5 ngày" in html
    assert (today_vn() + timedelta(days=5)).strftime("%d/%m/%Y") in html
    assert world.unit_a.name in html and world.department.name in html
    assert 'id="progress-form"' in html and 'enctype="multipart/form-data"' in html and 'id="comment-form"' in html
    html = logged(world.compiler).get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="progress-form"' not in html and 'id="comment-form"' in html and 'id="edit-task"' in html
    html = logged(world.viewer).get(f"/tasks/{task.pk}/").content.decode()
    assert 'id="progress-form"' not in html and 'id="comment-form"' not in html


def test_list_fragment_filters_and_tabs(world, task):
    overdue = make_task(world, title="Việc quá hạn", deadline=today_vn() - timedelta(days=2))
    c = logged(world.compiler)
    html = c.get("/tasks/", {"view": "overdue"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "Việc quá hạn" in html and "Nâng cấp đài" not in html and "quá hạn 2 ngày" in html
    html = c.get("/tasks/", {"view": "due7"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Việc quá hạn" not in html and "Nâng cấp đài" in html
    html = c.get("/tasks/", {"q": "dai truyen thanh"}).content.decode()
    assert "<html" in html and "Nâng cấp đài" in html and "Việc quá hạn" not in html
    html = c.get("/tasks/", {"status": "overdue", "sector": "", "unit": str(world.unit_a.pk)}).content.decode()
    assert "Việc quá hạn" in html and "Nâng cấp đài" not in html
    assert overdue.pk


def test_progress_with_evidence_then_download_in_scope_only(world, task, media):
    c = logged(world.reporter_a)
    evidence = SimpleUploadedFile("bien-ban-nghiem-thu.pdf", b"%PDF-1.4 nghiem thu", content_type="application/pdf")
    r = c.post(f"/tasks/{task.pk}/progress/", {"text": "Đã lắp đặt 5 cụm loa", "progress": "60", "evidence": evidence})
    assert r.status_code == 302
    update = TaskUpdate.objects.get()
    assert update.progress == 60 and update.evidence
    html = c.get(f"/tasks/{task.pk}/").content.decode()
    assert "Đang thực hiện" in html and "Đã lắp đặt 5 cụm loa" in html and "60%" in html
    url = f"/tasks/{task.pk}/updates/{update.pk}/evidence/"
    r = logged(world.compiler).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 nghiem thu"
    assert logged(world.reporter_b).get(url).status_code == 404
    assert logged(world.other_compiler).get(url).status_code == 404


@pytest.mark.parametrize("progress,message", [("150", "từ 0 đến 100"), ("", "từ 0 đến 100"), ("abc", "từ 0 đến 100")])
def test_progress_refused_with_a_message_and_nothing_written(world, task, progress, message):
    r = logged(world.reporter_a).post(f"/tasks/{task.pk}/progress/", {"text": "Đã làm", "progress": progress})
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html and "Đã làm" in html  # the typed text stays
    assert not TaskUpdate.objects.exists()


@pytest.mark.parametrize("role,status", [("reporter_b", 404), ("other_compiler", 404), ("compiler", 403),
                                         ("viewer", 403)])
def test_progress_by_others(world, task, role, status):
    r = logged(getattr(world, role)).post(f"/tasks/{task.pk}/progress/", {"text": "x", "progress": "10"})
    assert r.status_code == status
    if status == 403:
        assert "Chỉ đơn vị chủ trì" in r.content.decode()
    assert not TaskUpdate.objects.exists()


def test_comments(world, task):
    r = logged(world.leader).post(f"/tasks/{task.pk}/comments/", {"text": "Đề nghị đẩy nhanh tiến độ"})
    assert r.status_code == 302
    assert "Đề nghị đẩy nhanh tiến độ" in logged(world.reporter_a).get(f"/tasks/{task.pk}/").content.decode()
    assert logged(world.viewer).post(f"/tasks/{task.pk}/comments/", {"text": "x"}).status_code == 403
    assert logged(world.reporter_b).post(f"/tasks/{task.pk}/comments/", {"text": "x"}).status_code == 404
    r = logged(world.leader).post(f"/tasks/{task.pk}/comments/", {"text": " "})
    assert r.status_code == 400 and "Hãy nhập nội dung ý kiến" in r.content.decode()
    assert TaskComment.objects.count() == 1


def task_form(world, **overrides):
    data = {"title": "Tổ chức diễn tập thông tin liên lạc", "lead_unit": world.unit_b.pk,
            "cooperating_units": [world.unit_a.pk], "plan": world.plan.pk, "sector": world.post.pk,
            "start": "2030-07-01", "deadline": "2030-09-30", "recurrence": "", "recurrence_day": "",
            "expected_output": "Báo cáo kết quả diễn tập", "is_key": "on"}
    data.update(overrides)
    return data


def test_create_task(world):
    c = logged(world.compiler)
    html = c.get("/tasks/new/").content.decode()
    assert world.unit_a.name in html and world.other_department.name not in html
    r = c.post("/tasks/new/", task_form(world))
    assert r.status_code == 302
    task = Task.objects.get()
    assert r["Location"] == f"/tasks/{task.pk}/"
    assert (task.lead_unit, task.plan, task.sector, task.deadline, task.is_key) == (
        world.unit_b, world.plan, world.post, date(2030, 9, 30), True)
    assert list(task.cooperating_units.all()) == [world.unit_a]


def test_create_task_refused_shows_the_rule(world):
    c = logged(world.compiler)
    r = c.post("/tasks/new/", task_form(world, start="2030-07-10", deadline="2030-07-01"))
    assert r.status_code == 400
    html = r.content.decode()
    assert "Hạn hoàn thành (01/07/2030) không được trước ngày bắt đầu (10/07/2030)." in html
    assert "Tổ chức diễn tập thông tin liên lạc" in html
    r = c.post("/tasks/new/", task_form(world, recurrence=Recurrence.MONTHLY, recurrence_day="40"))
    assert r.status_code == 400 and "Ngày đến hạn trong kỳ phải từ 1 đến 31." in r.content.decode()
    assert not Task.objects.exists()


def test_closed_unit_is_not_offered_and_refused(world):
    closed = unit(kind=UnitKind.DISTRICT_OFFICE, parent=world.province, name="Phòng VH-TT huyện đã nhập",
                  valid_to=date(2025, 6, 30))
    world.regime.reporting_units.add(closed)
    c = logged(world.compiler)
    assert "huyện đã nhập" not in c.get("/tasks/new/").content.decode()
    r = c.post("/tasks/new/", task_form(world, lead_unit=closed.pk))
    assert r.status_code == 400 and 'id="err-lead_unit"' in r.content.decode()
    assert not Task.objects.exists()


def test_edit_task(world, task):
    c = logged(world.leader)
    html = c.get(f"/tasks/{task.pk}/edit/").content.decode()
    assert "Nâng cấp đài truyền thanh xã" in html
    r = c.post(f"/tasks/{task.pk}/edit/", task_form(world, title="Tên mới", lead_unit=world.unit_a.pk,
                                                  cooperating_units=[], start="", deadline="2030-01-31"))
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.title == "Tên mới" and task.deadline == date(2030, 1, 31) and task.start is None
    assert logged(world.reporter_a).post(f"/tasks/{task.pk}/edit/", task_form(world)).status_code == 403


def test_plans(world, task, media):
    c = logged(world.compiler)
    html = c.get("/tasks/plans/").content.decode()
    assert "45/KH-UBND" in html and 'id="plan-form"' in html
    r = c.post("/tasks/plans/", {"kind": "scheme", "number": "12/ĐA-UBND", "issuer": world.province.pk,
                                 "issued_on": "2021-08-01", "title": "Đề án tổng thể chuyển đổi số 2021–2025",
                                 "sector": world.it.pk, "year_from": "2021", "year_to": "2025",
                                 "attachment": SimpleUploadedFile("de-an.pdf", b"%PDF de an")})
    assert r.status_code == 302
    plan = Plan.objects.get(number="12/ĐA-UBND")
    assert plan.attachment and plan.owner == world.department
    r = c.get(f"/tasks/plans/{plan.pk}/attachment/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF de an"
    r = c.post("/tasks/plans/", {"kind": "plan", "issuer": world.province.pk, "title": "X", "year_from": "2025",
                                 "year_to": "2020"})
    assert r.status_code == 400 and "Năm hết hiệu lực không được trước năm bắt đầu hiệu lực." in r.content.decode()
    html = logged(world.reporter_a).get("/tasks/plans/").content.decode()
    assert 'id="plan-form"' not in html and "45/KH-UBND" in html
    assert logged(world.reporter_a).post("/tasks/plans/", {"title": "x"}).status_code == 403
    assert logged(world.reporter_a).get(f"/tasks/plans/{plan.pk}/").status_code == 404


def test_plan_detail_counts_by_status(world, task):
    make_task(world, plan=world.plan, title="Quá hạn", deadline=today_vn() - timedelta(days=1))
    html = logged(world.compiler).get(f"/tasks/plans/{world.plan.pk}/").content.decode()
    assert "Tình hình thực hiện (02 nhiệm vụ)" in html or "Tình hình thực hiện (2 nhiệm vụ)" in html
    assert "Quá hạn" in html and "Nâng cấp đài truyền thanh xã" in html


def page_queries(client, path, **extra) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path, **extra)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["compiler", "reporter_a"])
def test_page_queries_do_not_grow_with_the_number_of_tasks(world, role):
    from tests.work.test_selectors import make_many

    c = logged(getattr(world, role))
    paths = [("/tasks/", {}), ("/tasks/?view=due7", {}), ("/tasks/?view=overdue", {"HTTP_HX_REQUEST": "true"}),
             (f"/tasks/plans/{world.plan.pk}/", {}), ("/tasks/plans/", {})]
    make_many(world, 3)
    few = [page_queries(c, p, **extra) for p, extra in paths]
    make_many(world, 27, start=3)
    assert [page_queries(c, p, **extra) for p, extra in paths] == few
