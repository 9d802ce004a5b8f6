"""Org scope: which units a user may see and manage, from where the user sits in the unit tree.

Every selector starts from these querysets (as NetBox's `restrict(user)`), so an id outside the
user's scope is simply not found (404), never "forbidden". What the user's role allows is
`accounts.roles`; the subtree rule itself is `orgunits.models` (`subtree_q`, `OrgUnit.contains`,
`OrgUnitQuerySet.within`).
"""

from __future__ import annotations

from django.db.models import Q

from baocao.accounts.choices import RECEIVER_ROLES, Role
from baocao.accounts.roles import is_admin
from baocao.core.errors import AppError, NotFound
from baocao.orgunits.models import OrgUnit, OrgUnitQuerySet, subtree_q


def unit_in_subtree(user, unit: OrgUnit) -> bool:
    """Whether `unit` lies where the user works: admins everywhere; others their own unit and the
    units below it. The position half of every "may this user manage unit X" check."""
    if is_admin(user):
        return True
    return bool(user.is_authenticated and user.unit_id and user.unit.contains(unit))


def units_managed_by(user) -> OrgUnitQuerySet:
    """The units `unit_in_subtree` accepts, as a queryset (choices of owner/organiser fields)."""
    if is_admin(user):
        return OrgUnit.objects.all()
    if not user.is_authenticated or not user.unit_id:
        return OrgUnit.objects.none()
    return OrgUnit.objects.within(user.unit)


def in_user_subtree(user, field: str) -> Q:
    """Rows whose `field` unit lies in the user's own subtree (the user must have a unit)."""
    return subtree_q(user.unit, field)


def units_for_user(user) -> OrgUnitQuerySet:
    """Units the user may see: admins all; a reporter their own unit; receiving roles their own
    subtree plus every unit (or group member) that reports to a regime their unit receives."""
    qs = OrgUnit.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    if user.role == Role.REPORTER:
        return qs.filter(pk=user.unit_id)
    if user.role in RECEIVER_ROLES:
        # Units reporting (directly or as group members) to a regime received in the subtree,
        # through the reverse relations so that scope needs no model above the unit tree.
        direct = OrgUnit.objects.filter(in_user_subtree(user, "reporting_regimes__receiving_unit")).values("pk")
        grouped = OrgUnit.objects.filter(
            in_user_subtree(user, "unit_groups__reporting_regimes__receiving_unit")).values("pk")
        return qs.filter(in_user_subtree(user, "") | Q(pk__in=direct) | Q(pk__in=grouped))
    return qs.none()


def owner_unit_for(acting_user, owner, *, may_manage, missing: str, not_found: str):
    """The unit a new record belongs to: the one given, or the acting user's own; 404 (`not_found`)
    when the user may not manage it, a field error (`missing`) when there is none."""
    owner = owner or acting_user.unit
    if owner is None:
        raise AppError(missing, {"fields": {"owner": "Bắt buộc"}})
    if not may_manage(acting_user, owner):
        raise NotFound(not_found, {"unit": owner.pk})
    return owner
