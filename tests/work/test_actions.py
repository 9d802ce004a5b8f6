"""`task_actions` and `plan_actions` answer "what may this user do with this task / plan": the
page's buttons, the API's `allowed_actions` and the API's answers agree for every role."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.reporting.models import Sector
from baocao.work.services import plan_create
from tests.agreement import ROLES, accepted, api_client, page_client
from tests.factories import World
from tests.work.conftest import TaskApiClient, make_task

pytestmark = pytest.mark.django_db


def work_world() -> World:
    w = World()
    w.it = Sector.objects.create(code="CNTT", name="Công nghệ thông tin", order=3)
    w.plan = plan_create(acting_user=w.compiler, title="Kế hoạch chuyển đổi số năm 2022", issuer=w.province,
                         number="45/KH-UBND", issued_on=date(2022, 2, 10), sector=w.it)
    return w


@pytest.mark.parametrize("role", ROLES)
def test_task_page_buttons_and_api_agree(role):
    world = work_world()
    task = make_task(world, plan=world.plan, deadline=date(2022, 12, 31))
    user = getattr(world, role)
    page = page_client(user).get(f"/tasks/{task.pk}/")
    api = TaskApiClient(user=user)
    detail = api.get(f"/tasks/{task.pk}")
    assert page.status_code == detail.status_code
    if page.status_code == 404:
        return
    ctx = page.context
    buttons = {action for action, key in (("update", "can_edit"), ("progress", "can_progress"),
                                          ("comment", "can_comment")) if ctx[key]}
    assert set(detail.json()["allowed_actions"]) == buttons
    calls = {
        "update": lambda: api.patch(f"/tasks/{task.pk}", {"title": "Nâng cấp hệ thống truyền thanh"}),
        "progress": lambda: api.post(f"/tasks/{task.pk}/progress", {"text": "Đã khảo sát.", "progress": 20}),
        "comment": lambda: api.post(f"/tasks/{task.pk}/comments", {"text": "Đề nghị đẩy nhanh."}),
    }
    assert {action for action, call in calls.items() if accepted(call)} == buttons


@pytest.mark.parametrize("role", ROLES)
def test_plan_page_button_and_api_agree(role):
    world = work_world()
    make_task(world, plan=world.plan, lead=world.unit_a)
    user = getattr(world, role)
    page = page_client(user).get(f"/tasks/plans/{world.plan.pk}/")
    api = api_client(user)
    assert page.status_code == api.get(f"/plans/{world.plan.pk}").status_code
    if page.status_code == 404:
        return
    adds = accepted(lambda: api.post("/tasks", {"title": "Tập huấn chuyển đổi số", "lead_unit": world.unit_b.pk,
                                                "owner": world.plan.owner_id, "plan": world.plan.pk}))
    assert page.context["can_create"] == adds
