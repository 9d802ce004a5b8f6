"""Reads of the unit tree, always scoped to the user."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from baocao.core.errors import NotFound
from baocao.core.vietnamese import fold
from baocao.orgunits.lineage import with_parent_on
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import units_for_user

UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền xem."


def orgunit_list(*, user, q: str = "", kind: str = "", parent: int | None = None, active: bool | None = None,
                 valid_on: date | None = None, on: date | None = None) -> QuerySet[OrgUnit]:
    """Units in the user's scope; `q` matches accent-insensitively ("bac kan" finds "Bắc Kạn") the
    code, the name and the former names and codes. `on`: the tree of that day — the units valid
    then, each annotated with `parent_on`, its parent of that day (`parent` filters on it too)."""
    qs = units_for_user(user)
    folded = fold(q or "")
    if folded:
        qs = qs.filter(search_text__contains=folded)
    if kind:
        qs = qs.filter(kind=kind)
    if on is not None:
        qs = with_parent_on(qs.valid_on(on), on)
    if parent is not None:
        qs = qs.filter(parent_on=parent) if on is not None else qs.filter(parent_id=parent)
    if active is True:
        qs = qs.active()
    elif active is False:
        qs = qs.filter(valid_to__isnull=False)
    if valid_on is not None:
        qs = qs.valid_on(valid_on)
    return qs.order_by("path", "id")


def orgunit_get_for_user(*, user, unit_id: int) -> OrgUnit:
    unit = units_for_user(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(UNIT_NOT_FOUND)
    return unit
