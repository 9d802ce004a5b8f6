"""`case_actions` is the one answer to "what may this user do with this case now": the page's
action forms, the API's `allowed_actions` and the API's answers agree for every role."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.cases.choices import CaseKind
from tests.agreement import ROLES, accepted, api_client, page_client
from tests.cases.case_fixtures import case_world, make_case, make_denunciation

pytestmark = pytest.mark.django_db

# Actions the API has endpoints for; "update" and "attach" are page forms only.
API_CALLS = {
    "accept": {"accepted_on": "2022-03-05"},
    "refuse": {"decided_on": "2022-03-05", "reason": "Đơn không đủ điều kiện thụ lý."},
    "forward": {"decided_on": "2022-03-05", "to_agency": "UBND huyện An"},
    "extend": {"decision_number": "12/QĐ-TTr", "decided_on": "2022-04-01", "days": 30,
               "reason": "Vụ việc phức tạp."},
    "resolve": {"resolved_on": "2022-04-25", "conclusion": "Tố cáo đúng một phần."},
}


@pytest.mark.parametrize("state", ["received", "accepted"])
@pytest.mark.parametrize("role", (*ROLES, "other_inspector"))
def test_page_actions_and_api_agree(state, role):
    world = case_world()
    if state == "received":
        case = make_case(world, kind=CaseKind.PETITION)
    else:
        case = make_denunciation(world, accepted_on=date(2022, 3, 10))
    user = getattr(world, role)
    page = page_client(user).get(f"/cases/{case.pk}/")
    api = api_client(user)
    detail = api.get(f"/cases/{case.pk}")
    assert page.status_code == detail.status_code
    if page.status_code == 404:
        return
    buttons = set(page.context["actions"]) | ({"update"} if page.context["can_manage"] else set())
    assert set(detail.json()["allowed_actions"]) == buttons
    answers = {action for action, body in API_CALLS.items()
               if accepted(lambda action=action, body=body: api.post(f"/cases/{case.pk}/{action}", body))}
    assert answers == buttons & set(API_CALLS)
