"""A broken rule raised under any page becomes one UI answer (web/errors.py): the page with the
Vietnamese message, back to the posting page with the message on top, an htmx fragment in the
page's message area with the error's status, or the 404 page; the API keeps its JSON."""

from __future__ import annotations

import pytest
from django.test import Client

from baocao.consolidation.models import ConsolidatedReport
from baocao.consolidation.services import consolidated_report_build
from tests.consolidation.test_api import approved
from tests.factories import World

pytestmark = pytest.mark.django_db

LEADER_ONLY = "Chỉ lãnh đạo được phê duyệt báo cáo tổng hợp."


@pytest.fixture
def report(db):
    world = World()
    approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
    version = consolidated_report_build(regime=world.regime, period="2022S1", unit=world.department,
                                        acting_user=world.compiler)
    report = ConsolidatedReport.objects.get(pk=version.report_id)
    report.world = world
    return report


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_refused_form_goes_back_to_its_page_with_the_message(report):
    page = f"http://testserver/reports/{report.pk}/"
    r = client(report.world.viewer).post(f"/reports/{report.pk}/versions/1/approve/", HTTP_REFERER=page)
    assert r.status_code == 302 and r["Location"] == page
    html = client(report.world.viewer).get(page).content.decode()
    assert "msg-error" not in html  # the message belongs to the session that posted
    followed = client(report.world.viewer)
    followed.post(f"/reports/{report.pk}/versions/1/approve/", HTTP_REFERER=page)
    assert LEADER_ONLY in followed.get(page).content.decode()
    assert not report.versions.filter(status="approved").exists()


def test_a_foreign_referer_is_not_followed(report):
    r = client(report.world.viewer).post(f"/reports/{report.pk}/versions/1/approve/",
                                         HTTP_REFERER="https://evil.example/")
    assert r.status_code == 403
    assert LEADER_ONLY in r.content.decode()


def test_htmx_gets_the_message_as_a_fragment_with_the_status(report):
    r = client(report.world.viewer).post(f"/reports/{report.pk}/versions/1/approve/", HTTP_HX_REQUEST="true")
    assert r.status_code == 403
    assert r["HX-Retarget"] == "#messages"
    body = r.content.decode()
    assert LEADER_ONLY in body and "<html" not in body


def test_a_page_that_breaks_a_rule_shows_the_message(report):
    r = client(report.world.compiler).get(f"/reports/{report.pk}/versions/1/odt/")
    assert r.status_code == 400
    html = r.content.decode()
    assert 'class="msg msg-error"' in html and "<html" in html


def test_not_found_is_the_404_page_and_the_api_keeps_json(report):
    assert client(report.world.compiler).get(f"/reports/{report.pk}/versions/9/docx/").status_code == 404
    assert client(report.world.other_compiler).get(f"/reports/{report.pk}/").status_code == 404
    r = client(report.world.viewer).post(f"/api/v1/reports/{report.pk}/versions/1/approve", "{}",
                                         content_type="application/json")
    assert r.status_code == 403 and set(r.json()) == {"message", "extra"}


def test_every_page_has_the_message_area(report):
    html = client(report.world.compiler).get("/").content.decode()
    assert 'id="messages"' in html and "htmx-config" in html


def test_htmx_gets_djangos_own_404_and_403_as_the_same_fragment(report):
    from baocao.meetings.services import attendee_add
    from tests.meetings.conftest import make_meeting

    world = report.world
    meeting = make_meeting(world)
    attendee = attendee_add(meeting=meeting, acting_user=world.compiler, unit=world.unit_a)
    missing = client(world.compiler).post(f"/meetings/{meeting.pk}/attendees/999999/remove/", HTTP_HX_REQUEST="true")
    assert missing.status_code == 404 and missing["HX-Retarget"] == "#messages"
    assert "Không tìm thấy" in missing.content.decode() and "<html" not in missing.content.decode()
    refused = client(world.viewer).post(f"/meetings/{meeting.pk}/attendees/{attendee.pk}/remove/",
                                        HTTP_HX_REQUEST="true")
    assert refused.status_code == 403 and refused["HX-Retarget"] == "#messages"
    assert "Chỉ chuyên viên tổng hợp" in refused.content.decode()
    assert meeting.attendees.count() == 1
    # without htmx, the usual pages
    assert client(world.compiler).post(f"/meetings/{meeting.pk}/attendees/999999/remove/").status_code == 404
