"""The units page's edit and close forms (admins only) go through orgunit_update / orgunit_close:
anonymous → login, no permission → 403, out of scope → 404, refusals as Vietnamese messages next
to the field with nothing changed, an audit row for each change."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from baocao.audit.models import AuditEvent
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from tests.factories import World, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def logged(u) -> Client:
    c = Client()
    c.force_login(u)
    return c


def _edit(u: OrgUnit, **changes) -> dict:
    data = {"code": u.code, "name": u.name, "short_name": u.short_name, "kind": u.kind, "valid_from": "",
            "note": u.note}
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login(world):
    c = Client()
    for r in (c.get(f"/units/{world.unit_a.pk}/"), c.post(f"/units/{world.unit_a.pk}/close/", {})):
        assert r.status_code == 302 and "/login" in r["Location"]


def test_non_admins_may_not_edit(world):
    c = logged(world.compiler)
    assert c.get(f"/units/{world.department.pk}/").status_code == 403
    assert c.post(f"/units/{world.department.pk}/", _edit(world.department, name="X")).status_code == 403
    assert c.post(f"/units/{world.department.pk}/close/", {"valid_to": "2024-01-01"}).status_code == 403
    assert OrgUnit.objects.get(pk=world.department.pk).name != "X"
    # Out of the compiler's scope: not found, not forbidden.
    assert c.get(f"/units/{world.other_department.pk}/").status_code == 404
    assert c.post(f"/units/{world.other_department.pk}/close/", {"valid_to": "2024-01-01"}).status_code == 404
    assert logged(world.reporter_a).get(f"/units/{world.unit_b.pk}/").status_code == 404
    assert logged(world.admin).get("/units/999999/").status_code == 404
    assert OrgUnit.objects.get(pk=world.other_department.pk).valid_to is None


def test_the_list_links_to_the_form_for_admins_only(world):
    assert f'href="/units/{world.unit_a.pk}/"' in logged(world.admin).get("/units/").content.decode()
    listed = logged(world.compiler).get("/units/").content.decode()
    assert f'href="/units/{world.department.pk}/"' not in listed
    assert f'href="/units/{world.department.pk}/history/"' in listed  # the history is for whoever sees the unit


def test_an_admin_edits_a_unit_with_htmx(world):
    c = logged(world.admin)
    page = c.get(f"/units/{world.unit_a.pk}/")
    assert page.status_code == 200 and "Sửa thông tin đơn vị" in page.content.decode()
    r = c.post(f"/units/{world.unit_a.pk}/", _edit(world.unit_a, name="Phòng VHTT huyện An", kind=UnitKind.COMMUNE),
               HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Đã lưu đơn vị «Phòng VHTT huyện An»" in r.content.decode()
    assert "<html" not in r.content.decode()
    u = OrgUnit.objects.get(pk=world.unit_a.pk)
    assert (u.name, u.kind, u.path) == ("Phòng VHTT huyện An", UnitKind.COMMUNE, world.unit_a.path)
    fields = set(AuditEvent.objects.filter(action="orgunit.update", entity_id=u.pk).values_list("field", flat=True))
    assert fields == {"name", "kind"}


def test_a_taken_code_is_refused_next_to_the_field(world):
    c = logged(world.admin)
    r = c.post(f"/units/{world.unit_a.pk}/", _edit(world.unit_a, code="UB", name="Đổi tên"))
    assert r.status_code == 400
    text = r.content.decode()
    assert 'id="err-code"' in text and "đã được dùng" in text
    assert OrgUnit.objects.get(pk=world.unit_a.pk).name != "Đổi tên"
    assert not AuditEvent.objects.filter(entity="orgunit").exists()


def test_closing_checks_the_children_then_closes(world):
    c = logged(world.admin)
    child = unit(code="XA", name="Xã Một", parent=world.unit_a)
    r = c.post(f"/units/{world.unit_a.pk}/close/", {"valid_to": "2024-06-30"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 400 and "còn 1 đơn vị cấp dưới" in r.content.decode()
    assert OrgUnit.objects.get(pk=world.unit_a.pk).valid_to is None
    assert c.post(f"/units/{child.pk}/close/", {"valid_to": "2024-06-30"}).status_code == 302
    r = c.post(f"/units/{world.unit_a.pk}/close/", {"valid_to": "2024-06-30"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "hết hiệu lực từ ngày 30/06/2024" in r.content.decode()
    assert OrgUnit.objects.get(pk=world.unit_a.pk).valid_to == date(2024, 6, 30)
    assert AuditEvent.objects.filter(action="orgunit.close", entity_id=world.unit_a.pk).count() == 1


def test_a_bad_date_is_a_message_not_a_crash(world):
    r = logged(world.admin).post(f"/units/{world.unit_a.pk}/close/", {"valid_to": "31/02/2024"})
    assert r.status_code == 400 and 'id="err-valid_to"' in r.content.decode()
