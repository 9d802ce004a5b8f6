"""`meeting_actions` answers "may this user edit this conference": the page's editing controls,
the API's `can_edit` and the API's answers agree for every role (reporters of an attending unit
see the conference and may not edit it)."""

from __future__ import annotations

import pytest

from baocao.meetings.services import attendee_add
from tests.agreement import ROLES, accepted, api_client, page_client
from tests.factories import World
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_page_controls_and_api_agree(role):
    world = World()
    meeting = make_meeting(world)
    attendee_add(meeting=meeting, acting_user=world.compiler, unit=world.unit_a)
    user = getattr(world, role)
    page = page_client(user).get(f"/meetings/{meeting.pk}/")
    api = api_client(user)
    detail = api.get(f"/meetings/{meeting.pk}")
    assert page.status_code == detail.status_code
    if page.status_code == 404:
        return
    assert detail.json()["can_edit"] == page.context["editable"]
    adds = accepted(lambda: api.post(f"/meetings/{meeting.pk}/opinions", {"summary": "Đề nghị bổ sung kinh phí.",
                                                                        "speaker_name": "Nguyễn Văn An"}))
    assert adds == page.context["editable"]
