"""The FormVersion admin edits a draft's indicators through indicator_update and adds its rules
through validation_rule_create (checked against the version's indicators, audited); a published
version, its sections and narrative fields are read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from baocao.audit.models import AuditEvent
from baocao.reporting.models import FormSection, Indicator, ValidationRule
from tests.admin_helpers import admin_form_data
from tests.factories import World, form_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    w.draft = form_version(owner=w.department, published=False)
    return w


@pytest.fixture
def admin_client(world):
    c = Client()
    c.force_login(world.admin)
    return c


def _url(version) -> str:
    return f"/admin/reporting/formversion/{version.pk}/change/"


def test_an_indicator_edited_on_a_draft_is_audited(world, admin_client):
    data = admin_form_data(admin_client.get(_url(world.draft)))
    a = Indicator.objects.get(form_version=world.draft, code="A")
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and str(v) == str(a.pk))
    data[f"indicators-{index}-name"] = "Số đơn đã giải quyết xong"
    r = admin_client.post(_url(world.draft), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    a.refresh_from_db()
    assert a.name == "Số đơn đã giải quyết xong"
    e = AuditEvent.objects.get(action="indicator.update", entity_id=a.pk)
    assert (e.field, e.new_value, e.actor_id) == ("name", "Số đơn đã giải quyết xong", world.admin.pk)


def test_a_rule_added_on_a_draft_goes_through_the_service(world, admin_client):
    data = admin_form_data(admin_client.get(_url(world.draft)))
    total = int(data["rules-TOTAL_FORMS"])
    data.update({"rules-TOTAL_FORMS": total + 1, f"rules-{total}-code": "R2",
                 f"rules-{total}-expression": "PCT <= 100", f"rules-{total}-severity": "warning",
                 f"rules-{total}-message": "Tỷ lệ quá 100%", f"rules-{total}-form_version": world.draft.pk})
    r = admin_client.post(_url(world.draft), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert ValidationRule.objects.filter(form_version=world.draft, code="R2").exists()
    assert AuditEvent.objects.filter(action="rule.create", entity_id=world.draft.pk, field="R2").exists()


def test_a_rule_naming_an_unknown_indicator_is_a_form_error_and_saves_nothing(world, admin_client):
    data = admin_form_data(admin_client.get(_url(world.draft)))
    a = Indicator.objects.get(form_version=world.draft, code="A")
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and str(v) == str(a.pk))
    data[f"indicators-{index}-name"] = "Tên mới"  # saved first, then rolled back with the refusal
    total = int(data["rules-TOTAL_FORMS"])
    data.update({"rules-TOTAL_FORMS": total + 1, f"rules-{total}-code": "R3",
                 f"rules-{total}-expression": "ZZZ <= 1", f"rules-{total}-severity": "error",
                 f"rules-{total}-message": "x", f"rules-{total}-form_version": world.draft.pk})
    r = admin_client.post(_url(world.draft), data)
    assert r.status_code == 200
    assert "không có trong biểu mẫu: ZZZ" in r.content.decode()
    assert not ValidationRule.objects.filter(code="R3").exists()
    assert Indicator.objects.get(pk=a.pk).name != "Tên mới"
    assert not AuditEvent.objects.filter(entity__in=["indicator", "form_version"]).exists()


def test_a_published_version_is_read_only(world, admin_client):
    published = world.form_version
    r = admin_client.get(_url(published))
    assert r.status_code == 200
    assert 'name="indicators-0-name"' not in r.content.decode()
    a = Indicator.objects.get(form_version=published, code="A")
    admin_client.post(_url(published), {"indicators-TOTAL_FORMS": 1, "indicators-INITIAL_FORMS": 1,
                                          "indicators-0-id": a.pk, "indicators-0-name": "Đổi"})
    assert Indicator.objects.get(pk=a.pk).name != "Đổi"
    section = FormSection.objects.get(form_version=published)
    r = admin_client.post(f"/admin/reporting/formsection/{section.pk}/change/", {
        "form_version": published.pk, "code": "I", "title": "Đổi", "order": 1})
    assert r.status_code == 403
    assert FormSection.objects.get(pk=section.pk).title != "Đổi"


def test_a_regime_change_is_audited(world, admin_client):
    url = f"/admin/reporting/reportingregime/{world.regime.pk}/change/"
    data = admin_form_data(admin_client.get(url))
    data["reporting_units"] = [world.unit_a.pk]
    r = admin_client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    e = AuditEvent.objects.get(entity="reportingregime", entity_id=world.regime.pk, field="reporting_units")
    assert world.unit_b.name in e.old_value and world.unit_b.name not in e.new_value
