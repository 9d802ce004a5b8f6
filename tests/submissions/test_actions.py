"""`submission_actions` is the one answer to "what may this user do with this report now": the
page's buttons, the API's `allowed_actions` and the API's answers agree for every role."""

from __future__ import annotations

import pytest

from baocao.submissions.services import submission_save_draft
from tests.agreement import ROLES, accepted, api_client, page_client
from tests.api.conftest import make_draft, make_submitted
from tests.factories import World

pytestmark = pytest.mark.django_db


def filled_draft(world):
    sub = make_draft(world)
    submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 2, "B": 3, "PCT": 50},
                          narratives={"RESULTS": "Hoàn thành kế hoạch."})
    sub.refresh_from_db()
    return sub


@pytest.mark.parametrize("state", ["draft", "submitted", "approved"])
@pytest.mark.parametrize("role", ROLES)
def test_page_buttons_and_api_agree(state, role):
    world = World()
    sub = filled_draft(world) if state == "draft" else make_submitted(world)
    if state == "approved":
        from baocao.submissions.services import submission_approve

        sub = submission_approve(submission=sub, acting_user=world.compiler)
    user = getattr(world, role)
    page = page_client(user).get(f"/submissions/{sub.pk}/")
    api = api_client(user)
    detail = api.get(f"/submissions/{sub.pk}")
    assert page.status_code == detail.status_code
    if page.status_code == 404:
        return
    buttons = ({"save", "submit"} if page.context["editable"] else set()) | (
        {"return", "approve"} if page.context["can_review"] else set()) | (
        {"reopen"} if page.context["can_reopen"] else set())
    assert set(detail.json()["allowed_actions"]) == buttons
    path = f"/submissions/{sub.pk}"
    answers = {
        "save": accepted(lambda: api.put(f"{path}/draft", {"version": sub.version, "values": {"A": 1}})),
        "submit": accepted(lambda: api.post(f"{path}/submit")),
        "return": accepted(lambda: api.post(f"{path}/return", {"comment": "Bổ sung số liệu."})),
        "approve": accepted(lambda: api.post(f"{path}/approve", {"comment": ""})),
        "reopen": accepted(lambda: api.post(f"{path}/reopen", {"reason": "Sửa số liệu."})),
    }
    assert {action for action, ok in answers.items() if ok} == buttons
