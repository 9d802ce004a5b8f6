"""Every role against every page, in and out of scope: out-of-scope ids are 404, not 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests.factories import World

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b", "other_compiler"]


@pytest.fixture
def world():
    w = World()
    w.sub_a = submission_get_or_create(regime=w.regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    submission_save_draft(submission=w.sub_a, acting_user=w.reporter_a, values={"A": 1, "B": 2},
                          narratives={"RESULTS": "Đã làm"})
    return w


def client_for(world, role: str) -> Client:
    c = Client()
    c.force_login(getattr(world, role))
    return c


def test_anonymous_is_sent_to_login(world):
    c = Client()
    for url in ["/", "/units/", "/regimes/", f"/regimes/{world.regime.pk}/",
                f"/regimes/{world.regime.pk}/monitor/", "/submissions/", f"/submissions/{world.sub_a.pk}/"]:
        r = c.get(url)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), url
    r = c.post(f"/submissions/{world.sub_a.pk}/submit/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_units_and_lists_render_for_every_role(world, role):
    c = client_for(world, role)
    for url in ["/", "/units/", "/regimes/", "/submissions/"]:
        assert c.get(url).status_code == 200, url


EXPECTED_REGIME = {"admin": 200, "compiler": 200, "leader": 200, "inspector": 200, "viewer": 200,
                   "reporter_a": 200, "reporter_b": 200, "other_compiler": 404}
EXPECTED_MONITOR = {**EXPECTED_REGIME, "reporter_a": 404, "reporter_b": 404}
EXPECTED_SUBMISSION = {**EXPECTED_REGIME, "reporter_b": 404}


@pytest.mark.parametrize("role", ROLES)
def test_regime_pages(world, role):
    c = client_for(world, role)
    assert c.get(f"/regimes/{world.regime.pk}/").status_code == EXPECTED_REGIME[role]
    assert c.get(f"/regimes/{world.regime.pk}/monitor/?period=2022S2").status_code == EXPECTED_MONITOR[role]


@pytest.mark.parametrize("role", ROLES)
def test_submission_page(world, role):
    c = client_for(world, role)
    r = c.get(f"/submissions/{world.sub_a.pk}/")
    assert r.status_code == EXPECTED_SUBMISSION[role]
    if r.status_code == 200:
        editable = b'name="v__A"' in r.content
        assert editable == (role in ("admin", "reporter_a"))


@pytest.mark.parametrize("role", ROLES)
def test_only_own_reporter_or_admin_may_write(world, role):
    c = client_for(world, role)
    url = reverse("submissions:save_field", args=[world.sub_a.pk])
    r = c.post(url, {"field": "A", "v__A": "7"})
    expected = {"admin": 200, "reporter_a": 200, "reporter_b": 404, "other_compiler": 404}.get(role, 403)
    assert r.status_code == expected
    world.sub_a.refresh_from_db()
    value = world.sub_a.values.get(indicator__code="A").number
    assert value == (7 if expected == 200 else 1)


@pytest.mark.parametrize("role", ROLES)
def test_review_actions_by_role(world, role):
    submission_submit(submission=world.sub_a, acting_user=world.reporter_a)
    c = client_for(world, role)
    r = c.post(reverse("submissions:approve", args=[world.sub_a.pk]))
    world.sub_a.refresh_from_db()
    if role in ("admin", "compiler", "leader"):
        assert world.sub_a.status == SubmissionStatus.APPROVED
    else:
        assert world.sub_a.status == SubmissionStatus.SUBMITTED
        assert r.status_code in (302, 404)


def test_unit_list_is_scoped(world):
    r = client_for(world, "reporter_a").get("/units/")
    assert "huyện An" in r.content.decode() and "huyện Bình" not in r.content.decode()
    r = client_for(world, "compiler").get("/units/?q=binh")
    assert "huyện Bình" in r.content.decode()
    r = client_for(world, "other_compiler").get("/units/")
    assert "huyện Bình" not in r.content.decode()


def test_unit_search_is_accent_insensitive(world):
    r = client_for(world, "admin").get("/units/?q=thong tin va truyen")
    assert "Sở Thông tin và Truyền thông" in r.content.decode()


def test_htmx_unit_list_returns_fragment(world):
    r = client_for(world, "admin").get("/units/?q=an", HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and b"<html" not in r.content
