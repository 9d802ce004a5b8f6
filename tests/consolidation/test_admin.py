"""Targets and outlines edited in the admin go through consolidation.services (target_set,
report_outline_update): checked, and audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from baocao.audit.models import AuditEvent
from baocao.consolidation.models import ReportOutline, Target
from tests.admin_helpers import admin_form_data
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def admin_client(world):
    c = Client()
    c.force_login(world.admin)
    return c


def test_a_target_added_and_changed_in_the_admin_is_audited(world, admin_client):
    r = admin_client.post("/admin/consolidation/target/add/", {
        "unit": world.unit_a.pk, "year": 2022, "indicator_code": "A", "value": "12", "note": ""})
    assert r.status_code == 302, r.content.decode()[:3000]
    target = Target.objects.get(unit=world.unit_a, year=2022, indicator_code="A")
    r = admin_client.post(f"/admin/consolidation/target/{target.pk}/change/", {"value": "15", "note": ""})
    assert r.status_code == 302, r.content.decode()[:3000]
    assert Target.objects.get(pk=target.pk).value == Decimal(15)
    rows = list(AuditEvent.objects.filter(action="target.set", unit=world.unit_a).values_list("old_value", "new_value"))
    assert [(o, Decimal(n)) for o, n in rows] == [("", Decimal(12)), (str(Decimal("12.000000")), Decimal(15))]


def test_an_unknown_indicator_is_a_form_error(world, admin_client):
    r = admin_client.post("/admin/consolidation/target/add/", {
        "unit": world.unit_a.pk, "year": 2022, "indicator_code": "ZZZ", "value": "1"})
    assert r.status_code == 200 and "Không có chỉ tiêu mã «ZZZ»" in r.content.decode()
    assert not Target.objects.exists() and not AuditEvent.objects.filter(entity="target").exists()


def test_an_outline_changed_in_the_admin_is_audited(world, admin_client):
    r = admin_client.get("/admin/consolidation/reportoutline/add/")
    assert r.status_code == 200
    data = admin_form_data(r)
    data.update({"regime": world.regime.pk, "issuer_name": "SỞ THỬ NGHIỆM", "issuer_code": "STN",
                 "type_code": "BC", "place": "Bắc Kạn", "signer_name": "Nguyễn Văn A",
                 "parent_body": "UBND TỈNH THỬ NGHIỆM"})
    r = admin_client.post("/admin/consolidation/reportoutline/add/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    outline = ReportOutline.objects.get(regime=world.regime)
    assert outline.signer_name == "Nguyễn Văn A"
    assert AuditEvent.objects.filter(action="outline.update", entity_id=outline.pk, field="signer_name").exists()


def test_an_issuer_profile_in_the_admin_goes_through_the_services(world, admin_client):
    from datetime import date

    from baocao.consolidation.issuers import issuer_profile_create
    from baocao.consolidation.models import IssuerProfile

    issuer_profile_create(acting_user=world.admin, unit=world.department, valid_from=date(2025, 3, 1),
                          agency_name="SỞ KHOA HỌC VÀ CÔNG NGHỆ", agency_code="SKHCN")
    url = "/admin/consolidation/issuerprofile/add/"
    data = admin_form_data(admin_client.get(url))
    data.update({"unit": world.department.pk, "valid_from": "2026-01-01", "agency_name": "SỞ MỚI",
                 "agency_code": "SM", "recipients": "[]", "archive": "VT"})
    events = AuditEvent.objects.count()
    r = admin_client.post(url, data)
    assert r.status_code == 200 and "trùng với thông tin cơ quan ban hành" in r.content.decode()
    assert IssuerProfile.objects.count() == 1 and AuditEvent.objects.count() == events
    data.update({"unit": world.unit_a.pk})
    r = admin_client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:3000]
    profile = IssuerProfile.objects.get(unit=world.unit_a)
    assert AuditEvent.objects.filter(action="issuer_profile.create", entity_id=profile.pk, field="agency_code",
                                     new_value="SM").exists()
