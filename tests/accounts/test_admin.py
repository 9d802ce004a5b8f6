"""The admin's user pages go through accounts.services: a change of role or unit, of the staff and
superuser flags, of groups, and a password change each write an audit row (the password never);
a refusal is a form error and changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.accounts.services import user_create, user_set_password, user_update
from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError
from tests.factories import World, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


@pytest.fixture
def admin_client(world):
    c = Client()
    c.force_login(world.admin)
    return c


def _change_data(u: User, **changes) -> dict:
    data = {"username": u.username, "first_name": u.first_name, "last_name": u.last_name, "email": u.email,
            "is_active": "on" if u.is_active else "", "full_name": u.full_name, "role": u.role,
            "unit": u.unit_id or ""}
    if u.is_staff:
        data["is_staff"] = "on"
    if u.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""} | {k: v for k, v in changes.items() if v == ""}


def test_a_role_and_unit_change_in_the_admin_is_audited(world, admin_client):
    r = admin_client.post(f"/admin/accounts/user/{world.viewer.pk}/change/",
                          _change_data(world.viewer, role=Role.COMPILER, unit=world.other_department.pk))
    assert r.status_code == 302, r.content.decode()[:3000]
    world.viewer.refresh_from_db()
    assert (world.viewer.role, world.viewer.unit_id) == (Role.COMPILER, world.other_department.pk)
    rows = {e.field: (e.old_value, e.new_value) for e in AuditEvent.objects.filter(
        action="user.update", entity="user", entity_id=world.viewer.pk, actor=world.admin)}
    assert rows["role"] == ("Người xem", "Chuyên viên tổng hợp")
    assert rows["unit"] == (world.department.name, world.other_department.name)


def test_a_user_added_in_the_admin_is_audited(world, admin_client):
    r = admin_client.post("/admin/accounts/user/add/", {
        "username": "moi", "usable_password": "true", "password1": "Mat-khau-dai-9281", "password2": "Mat-khau-dai-9281",
        "full_name": "Người Mới", "role": Role.REPORTER, "unit": world.unit_a.pk})
    assert r.status_code == 302, r.content.decode()[:3000]
    u = User.objects.get(username="moi")
    assert (u.role, u.unit_id, u.full_name) == (Role.REPORTER, world.unit_a.pk, "Người Mới")
    assert u.check_password("Mat-khau-dai-9281")
    e = AuditEvent.objects.get(action="user.create", entity_id=u.pk)
    assert "Mat-khau" not in f"{e.old_value} {e.new_value} {e.comment}"


def test_a_password_change_in_the_admin_is_audited_without_the_password(world, admin_client):
    r = admin_client.post(f"/admin/accounts/user/{world.viewer.pk}/password/", {
        "password1": "Mot-mat-khau-moi-7731", "password2": "Mot-mat-khau-moi-7731", "usable_password": "true"})
    assert r.status_code == 302, r.content.decode()[:3000]
    world.viewer.refresh_from_db()
    assert world.viewer.check_password("Mot-mat-khau-moi-7731")
    e = AuditEvent.objects.get(action="user.password", entity_id=world.viewer.pk)
    assert e.actor == world.admin and "7731" not in f"{e.old_value} {e.new_value} {e.comment}"
    assert "7731" not in world.viewer.password


def test_a_staff_member_without_superuser_cannot_make_a_superuser(world):
    staff = user(username="nhanvien", role=Role.ADMIN, unit=world.department, is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    c = Client()
    c.force_login(staff)
    r = c.post(f"/admin/accounts/user/{world.viewer.pk}/change/",
               _change_data(world.viewer, is_superuser="on", is_staff="on"))
    assert r.status_code == 200 and "superuser" in r.content.decode()
    world.viewer.refresh_from_db()
    assert not world.viewer.is_superuser and not world.viewer.is_staff
    assert not AuditEvent.objects.filter(entity="user", entity_id=world.viewer.pk).exists()


def test_services_refuse_non_admins_and_bad_values(world):
    with pytest.raises(AppError):
        user_update(acting_user=world.compiler, user=world.viewer, role=Role.ADMIN)
    with pytest.raises(AppError):
        user_update(acting_user=world.admin, user=world.viewer, role="boss")
    with pytest.raises(AppError):
        user_create(acting_user=world.admin, username="xem", password=None)
    with pytest.raises(AppError):
        user_set_password(acting_user=world.admin, user=world.viewer, password="123")
    world.viewer.refresh_from_db()
    assert world.viewer.role == Role.VIEWER
    assert not AuditEvent.objects.filter(entity="user").exists()


def test_groups_are_audited(world):
    from django.contrib.auth.models import Group

    g = Group.objects.create(name="Biên tập")
    user_update(acting_user=world.admin, user=world.viewer, groups=[g])
    e = AuditEvent.objects.get(entity="user", entity_id=world.viewer.pk, field="groups")
    assert (e.old_value, e.new_value) == ("", "Biên tập")


def test_a_group_permission_change_in_the_admin_is_audited(world, admin_client):
    from django.contrib.auth.models import Group, Permission

    perm = Permission.objects.get(codename="view_case")
    r = admin_client.post("/admin/auth/group/add/", {"name": "Tra cứu", "permissions": [perm.pk]})
    assert r.status_code == 302, r.content.decode()[:3000]
    g = Group.objects.get(name="Tra cứu")
    e = AuditEvent.objects.get(entity="group", entity_id=g.pk, field="permissions")
    assert e.old_value == "" and "case" in e.new_value.lower() and e.actor == world.admin
