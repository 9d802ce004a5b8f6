"""Org units and unit groups, read-only, within the user's scope (orgunits.scope.units_for_user)."""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from django.db.models import Prefetch, Q
from ninja import Query, Router
from ninja.pagination import paginate

from baocao.accounts.http import ApiRequest
from baocao.accounts.roles import is_admin
from baocao.core.api_types import BoundedPageNumberPagination, Id
from baocao.orgunits.lineage import unit_history
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.orgunits.schemas import LineageOut, UnitFilters, UnitGroupOut, UnitOut
from baocao.orgunits.scope import units_for_user
from baocao.orgunits.selectors import orgunit_get_for_user, orgunit_list

router = Router(tags=["units"])

UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền xem."


def _unit_for_user(user, unit_id: int) -> OrgUnit:
    return orgunit_get_for_user(user=user, unit_id=unit_id)


@router.get("/units", response=list[UnitOut], summary="Danh sách đơn vị")
@paginate(BoundedPageNumberPagination)
def unit_list(request: ApiRequest, filters: Query[UnitFilters]):
    """Units the user may see, in tree order. `q` matches code and name without diacritics:
    "bac kan" finds "Bắc Kạn"."""
    return orgunit_list(user=request.auth, q=filters.q or "", kind=filters.kind or "", parent=filters.parent,
                        active=filters.active, valid_on=filters.valid_on, on=filters.on)


@router.get("/units/{int:unit_id}", response=UnitOut, summary="Một đơn vị")
def unit_detail(request: ApiRequest, unit_id: Id):
    return _unit_for_user(request.auth, unit_id)


@router.get("/units/{int:unit_id}/children", response=list[UnitOut], summary="Đơn vị trực thuộc")
def unit_children(request: ApiRequest, unit_id: Id):
    unit = _unit_for_user(request.auth, unit_id)
    return units_for_user(request.auth).filter(parent=unit).order_by("path", "id")


@router.get("/units/{int:unit_id}/lineage", response=LineageOut, summary="Lịch sử sắp xếp của một đơn vị")
def unit_lineage(request: ApiRequest, unit_id: Id):
    """Predecessors and successors with share, method, date and legal basis; former names and codes.
    The units on the other side are listed whether or not the user may open them: a unit's history
    is part of the unit."""
    return unit_history(_unit_for_user(request.auth, unit_id)).as_json()


@router.get("/unit-groups", response=list[UnitGroupOut], summary="Nhóm đơn vị")
def unit_group_list(request: ApiRequest):
    """Groups with at least one member the user may see (admins: all groups), listing only
    those members."""
    user = request.auth
    visible = units_for_user(user)
    groups = OrgUnitGroup.objects.all()
    if not is_admin(user):
        groups = groups.filter(Q(members__in=visible.values("pk"))).distinct()
    groups = groups.prefetch_related(
        Prefetch("members", queryset=visible.only("pk").order_by("path"), to_attr="visible_members")
    ).order_by("name", "code")
    return [
        {"id": g.pk, "code": g.code, "name": g.name, "member_ids": [m.pk for m in g.visible_members]}
        for g in groups
    ]
