"""The data-entry page's check endpoint and submit confirmation: they read the values typed, save
nothing, and answer 404 for another unit's report."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.services import submission_get_or_create
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    w.sub = submission_get_or_create(regime=w.regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    return w


def logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_check_evaluates_typed_values_by_name_without_saving(world):
    r = logged(world.reporter_a).post(reverse("submissions:check", args=[world.sub.pk]),
                                      {"v__A": "9", "v__B": "2", "v__PCT": "abc"})
    assert r.status_code == 200
    data = r.json()
    assert [i["names"] for i in data["issues"]] == [["Số đơn đã giải quyết", "Số đơn tiếp nhận"]]
    assert data["issues"][0]["indicators"] == ["A", "B"]
    assert "PCT" in data["invalid"] and "RESULTS" in data["missing"]
    world.sub.refresh_from_db()
    assert world.sub.values.count() == 0 and world.sub.version == 0


def test_confirmation_lists_missing_and_rule_problems(world):
    c = logged(world.reporter_a)
    r = c.post(reverse("submissions:submit_confirm", args=[world.sub.pk]), {"v__A": "9", "v__B": "2"},
               HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html
    assert "Còn 1 mục bắt buộc chưa nhập" in html and "Kết quả thực hiện" in html
    assert "Số đơn đã giải quyết không được lớn hơn" in html and 'id="confirm-submit"' not in html
    world.sub.refresh_from_db()
    assert world.sub.values.count() == 0
    r = c.post(reverse("submissions:submit_confirm", args=[world.sub.pk]),
               {"v__A": "1", "v__B": "2", "v__RESULTS": "Xong"}, HTTP_HX_REQUEST="true")
    assert 'id="confirm-submit"' in r.content.decode()


def test_without_javascript_submit_goes_through_the_confirmation_page(world):
    c = logged(world.reporter_a)
    r = c.post(reverse("submissions:save", args=[world.sub.pk]),
               {"v__A": "1", "v__B": "2", "v__RESULTS": "Xong", "then": "confirm"})
    assert r.status_code == 302 and r["Location"] == reverse("submissions:submit_confirm", args=[world.sub.pk])
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.DRAFT and world.sub.values.count() == 2
    page = c.get(r["Location"]).content.decode()
    assert "<html" in page and 'id="confirm-submit"' in page and "Quay lại sửa" in page
    c.post(reverse("submissions:submit", args=[world.sub.pk]))
    world.sub.refresh_from_db()
    assert world.sub.status == SubmissionStatus.SUBMITTED
    r = c.get(reverse("submissions:submit_confirm", args=[world.sub.pk]))
    assert r.status_code == 302  # nothing left to confirm


def test_field_save_says_what_became_of_the_edit(world):
    c = logged(world.reporter_a)
    url = reverse("submissions:save_field", args=[world.sub.pk])
    assert c.post(url, {"field": "A", "v__A": "3", "base__A": "0"})["X-Save-Outcome"] == "saved"
    assert c.post(url, {"field": "A", "v__A": "3", "base__A": "1"})["X-Save-Outcome"] == "unchanged"
    assert c.post(url, {"field": "A", "v__A": "x"})["X-Save-Outcome"] == "invalid"


@pytest.mark.parametrize("name", ["check", "submit_confirm"])
def test_another_units_report_is_404(world, name):
    url = reverse(f"submissions:{name}", args=[world.sub.pk])
    assert logged(world.reporter_b).post(url, {"v__A": "1"}).status_code == 404
    assert Client().post(url).status_code == 302
