"""The admin's unit forms go through orgunits.services: a unit added there sits under its parent
(path and depth), a change of parent moves the subtree, a closing date closes the unit with the
service's checks, and each of them writes its audit row. A refusal is a form error; nothing saved."""

from __future__ import annotations

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


@pytest.fixture
def admin_client(world):
    c = Client()
    c.force_login(world.admin)
    return c


def _form(u: OrgUnit, **changes) -> dict:
    data = {"code": u.code, "name": u.name, "short_name": u.short_name, "kind": u.kind,
            "parent": u.parent_id or "", "valid_from": "", "valid_to": "", "note": u.note}
    data.update(changes)
    return data


def test_a_unit_added_in_the_admin_sits_under_its_parent(world, admin_client):
    r = admin_client.post("/admin/orgunits/orgunit/add/", {
        "code": "XA1", "name": "Xã Một", "short_name": "", "kind": UnitKind.COMMUNE, "parent": world.unit_a.pk,
        "valid_from": "", "valid_to": "", "note": "ghi chú"})
    assert r.status_code == 302, r.content.decode()[:2000]
    u = OrgUnit.objects.get(code="XA1")
    assert u.path == f"{world.unit_a.path}{u.pk}/" and u.depth == world.unit_a.depth + 1
    assert u.note == "ghi chú"
    assert AuditEvent.objects.filter(action="orgunit.create", entity="orgunit", entity_id=u.pk,
                                     actor=world.admin).exists()
    # A compiler of the department sees it under unit A, not everything.
    assert u in world.province.descendants()


def test_a_change_of_parent_in_the_admin_moves_the_subtree(world, admin_client):
    child = unit(code="XA2", name="Xã Hai", parent=world.unit_a)
    r = admin_client.post(f"/admin/orgunits/orgunit/{world.unit_a.pk}/change/",
                          _form(world.unit_a, parent=world.department.pk, name="Phòng VHTT An"))
    assert r.status_code == 302, r.content.decode()[:2000]
    world.unit_a.refresh_from_db()
    child.refresh_from_db()
    assert world.unit_a.path == f"{world.department.path}{world.unit_a.pk}/"
    assert child.path == f"{world.unit_a.path}{child.pk}/" and child.depth == world.department.depth + 2
    assert world.unit_a.name == "Phòng VHTT An"
    actions = set(AuditEvent.objects.filter(entity="orgunit", entity_id=world.unit_a.pk)
                  .values_list("action", flat=True))
    assert {"orgunit.move", "orgunit.update"} <= actions


def test_a_move_under_its_own_child_is_a_form_error_and_changes_nothing(world, admin_client):
    child = unit(code="XA3", name="Xã Ba", parent=world.unit_a)
    before = OrgUnit.objects.get(pk=world.unit_a.pk)
    r = admin_client.post(f"/admin/orgunits/orgunit/{world.unit_a.pk}/change/",
                          _form(world.unit_a, parent=child.pk, name="Tên mới"))
    assert r.status_code == 200
    assert "đơn vị cấp dưới của nó" in r.content.decode()
    after = OrgUnit.objects.get(pk=world.unit_a.pk)
    assert (after.name, after.path, after.parent_id) == (before.name, before.path, before.parent_id)
    assert not AuditEvent.objects.filter(entity="orgunit", entity_id=world.unit_a.pk).exists()


def test_closing_in_the_admin_uses_the_close_rules(world, admin_client):
    unit(code="XA4", name="Xã Bốn", parent=world.unit_a)
    r = admin_client.post(f"/admin/orgunits/orgunit/{world.unit_a.pk}/change/",
                          _form(world.unit_a, valid_to="2024-01-01"))
    assert r.status_code == 200 and "còn 1 đơn vị cấp dưới" in r.content.decode()
    assert OrgUnit.objects.get(pk=world.unit_a.pk).valid_to is None
    r = admin_client.post(f"/admin/orgunits/orgunit/{world.unit_b.pk}/change/",
                          _form(world.unit_b, valid_to="2024-01-01"))
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="orgunit.close", entity_id=world.unit_b.pk).exists()


def test_a_duplicate_code_is_a_form_error(world, admin_client):
    r = admin_client.post("/admin/orgunits/orgunit/add/", {
        "code": "UA", "name": "Trùng", "kind": UnitKind.COMMUNE, "parent": world.unit_a.pk})
    assert r.status_code == 200
    assert OrgUnit.objects.filter(code="UA").count() == 1


def test_groups_changed_in_the_admin_are_audited(world, admin_client):
    r = admin_client.post("/admin/orgunits/orgunitgroup/add/", {
        "code": "VT", "name": "Doanh nghiệp viễn thông", "members": [world.unit_a.pk, world.unit_b.pk]})
    assert r.status_code == 302, r.content.decode()[:2000]
    group = world.unit_a.unit_groups.get(code="VT")
    events = AuditEvent.objects.filter(entity="orgunitgroup", entity_id=group.pk)
    assert events.filter(action="orgunitgroup.create").exists()
    assert events.filter(field="members").exists()
