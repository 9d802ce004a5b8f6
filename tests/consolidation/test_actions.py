"""`report_actions` answers "what may this user do with this version of the consolidated report":
the page's edit form and approve button and the API's answers agree for every role."""

from __future__ import annotations

import pytest

from baocao.consolidation.models import ConsolidatedReport
from baocao.consolidation.services import consolidated_report_build
from tests.agreement import ROLES, accepted, api_client, page_client
from tests.consolidation.test_api import approved
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "pending"])
@pytest.mark.parametrize("role", ROLES)
def test_page_buttons_and_api_agree(role, state):
    world = World()
    approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
    version = consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                        acting_user=world.compiler)
    if state == "pending":
        from baocao.consolidation.services import consolidated_report_send

        consolidated_report_send(version=version, acting_user=world.compiler)
    report = ConsolidatedReport.objects.get(pk=version.report_id)
    user = getattr(world, role)
    page = page_client(user).get(f"/reports/{report.pk}/")
    api = api_client(user)
    assert page.status_code == api.get(f"/reports/{report.pk}").status_code
    if page.status_code == 404:
        return
    buttons = ({"edit"} if page.context["editable"] else set()) | (
        {"approve"} if page.context["can_approve"] else set()) | (
        {"send"} if page.context["can_send"] else set()) | ({"return"} if page.context["can_return"] else set())
    answers = {
        "edit": accepted(lambda: api.put(f"/reports/{report.pk}/draft",
                                         {"base_version": 1, "edits": {"intro": "Mở đầu đã sửa."}})),
        "approve": accepted(lambda: api.post(f"/reports/{report.pk}/versions/1/approve", {})),
        "send": accepted(lambda: api.post(f"/reports/{report.pk}/versions/1/send")),
        "return": accepted(lambda: api.post(f"/reports/{report.pk}/versions/1/return", {"comment": "Sửa."})),
    }
    assert {action for action, ok in answers.items() if ok} == buttons
