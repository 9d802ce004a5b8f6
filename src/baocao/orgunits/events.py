"""Writes of the units' history: one reorganisation event at a time, checked whole before anything
is written (shares, dates, cycles), in one transaction with its audit rows.

A merge, split or transfer links predecessors to successors with the share of each predecessor
that went across; the predecessors that do not go on end the day before the event; a
re-parenting moves the unit and remembers the parent it had; a rename or re-code keeps the former
name and code (UnitName), by which the unit is still found.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum

from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.core.errors import AppError
from baocao.orgunits.choices import ReorgKind, ShareMethod
from baocao.orgunits.models import OrgUnit, ReorgEvent, UnitLink, UnitName
from baocao.orgunits.services import ENTITY, orgunit_move, orgunit_update

ONE = Decimal(1)
SHARE_TOLERANCE = Decimal("0.000001")
CONTINUING_KINDS = (ReorgKind.TRANSFER, ReorgKind.REPARENT, ReorgKind.RENAME, ReorgKind.RECODE)


@dataclass(frozen=True)
class LinkSpec:
    predecessor: OrgUnit
    successor: OrgUnit
    share: Decimal = ONE
    method: str = ShareMethod.WHOLE


def _share(value: object, where: str) -> Decimal:
    try:
        share = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise AppError(f"{where}: tỷ lệ «{value}» không phải là số.", {"fields": {"share": "Không hợp lệ"}}) from None
    if not share.is_finite() or share <= 0 or share > 1:
        raise AppError(f"{where}: tỷ lệ phải lớn hơn 0 và không quá 1 (đang là {value}).",
                       {"fields": {"share": "Không hợp lệ"}})
    return share.quantize(Decimal("1e-8"))


def _lineage_ancestors(unit_ids: set[int]) -> set[int]:
    """Every unit the given units descend from, through links of any date (one query per generation)."""
    seen: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        parents = set(UnitLink.objects.filter(successor_id__in=frontier).exclude(predecessor_id__in=frontier)
                      .values_list("predecessor_id", flat=True)) - seen
        seen |= parents
        frontier = parents
    return seen


def _check(kind: str, effective: date, links: Sequence[LinkSpec], ends: Sequence[OrgUnit]) -> list[LinkSpec]:
    if kind not in ReorgKind.values:
        raise AppError(f"Loại sự kiện «{kind}» không hợp lệ.", {"fields": {"kind": "Không hợp lệ"}})
    if not links and not (kind == ReorgKind.DISSOLVE and ends):
        raise AppError("Sự kiện sắp xếp cần ít nhất một đơn vị trước và một đơn vị sau.", {"fields": {"links": "Bắt buộc"}})
    checked: list[LinkSpec] = []
    seen: set[tuple[int, int]] = set()
    for number, link in enumerate(links, start=1):
        where = f"Liên kết {number} ({link.predecessor.code} → {link.successor.code})"
        if link.method not in ShareMethod.values:
            raise AppError(f"{where}: cách xác định tỷ lệ «{link.method}» không hợp lệ.",
                           {"fields": {"method": "Không hợp lệ"}, "link": number})
        share = _share(link.share, where)
        if link.method == ShareMethod.WHOLE and share != ONE:
            raise AppError(f"{where}: tỷ lệ nhỏ hơn 1 phải nói cách xác định (dân số, diện tích hoặc nhập tay).",
                           {"fields": {"method": "Không hợp lệ"}, "link": number})
        if (link.predecessor.pk, link.successor.pk) in seen:
            raise AppError(f"{where}: liên kết bị lặp.", {"link": number})
        seen.add((link.predecessor.pk, link.successor.pk))
        if link.predecessor.pk == link.successor.pk and kind not in CONTINUING_KINDS:
            raise AppError(f"{where}: một đơn vị không thể kế thừa chính nó trong sự kiện «{ReorgKind(kind).label}».",
                           {"link": number})
        day_before = effective - timedelta(days=1)
        pred = link.predecessor
        if (pred.valid_from and pred.valid_from > day_before) or (pred.valid_to and pred.valid_to < day_before):
            raise AppError(f"{where}: «{pred.name}» không còn hiệu lực ngày {day_before:%d/%m/%Y}, "
                           f"ngày trước khi sự kiện có hiệu lực.", {"link": number, "unit": pred.pk})
        succ = link.successor
        if (succ.valid_from and succ.valid_from > effective) or (succ.valid_to and succ.valid_to < effective):
            raise AppError(f"{where}: «{succ.name}» không có hiệu lực ngày {effective:%d/%m/%Y}.",
                           {"link": number, "unit": succ.pk})
        checked.append(LinkSpec(pred, succ, share, link.method))
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for link in checked:
        totals[link.predecessor.pk] += link.share
    recorded = dict(UnitLink.objects.filter(predecessor_id__in=list(totals), effective=effective)
                    .values("predecessor_id").annotate(total=Sum("share")).values_list("predecessor_id", "total"))
    names = {link.predecessor.pk: link.predecessor for link in checked}
    for pk, total in totals.items():
        total += Decimal(recorded.get(pk) or 0)
        if abs(total - ONE) > SHARE_TOLERANCE:
            raise AppError(f"Tổng tỷ lệ của «{names[pk].name}» ngày {effective:%d/%m/%Y} là {total.normalize()}, "
                           "phải bằng 1 (đơn vị còn tiếp tục thì ghi phần còn lại cho chính nó).",
                           {"unit": pk, "total": str(total)})
    # A successor may not be something its predecessor came from: that would be a cycle.
    for link in checked:
        if link.predecessor.pk != link.successor.pk and link.successor.pk in _lineage_ancestors({link.predecessor.pk}):
            raise AppError(f"«{link.successor.name}» là đơn vị tiền thân của «{link.predecessor.name}»: "
                           "liên kết này tạo thành vòng lặp.", {"unit": link.successor.pk})
    return checked


def reorg_event_record(*, acting_user, kind: str, effective: date, links: Sequence[LinkSpec] = (),
                       ends: Sequence[OrgUnit] = (), legal_basis: str = "", note: str = "") -> ReorgEvent:
    """Record a merge, split, transfer or dissolution and end the units that do not go on.

    `links`: each predecessor's shares add up to 1 on that day (a unit that goes on after giving a
    part away links to itself with the rest). Predecessors without a link to themselves end the day
    before `effective`, and so do the units in `ends` (a dissolved unit with no successor).
    """
    with transaction.atomic():
        ids = {u.pk for link in links for u in (link.predecessor, link.successor)} | {u.pk for u in ends}
        fresh = {u.pk: u for u in OrgUnit.objects.select_for_update().filter(pk__in=ids)}
        links = [LinkSpec(fresh[x.predecessor.pk], fresh[x.successor.pk], x.share, x.method) for x in links]
        checked = _check(kind, effective, links, [fresh[u.pk] for u in ends])
        event = ReorgEvent.objects.create(kind=kind, effective=effective, legal_basis=(legal_basis or "").strip()[:255],
                                          note=(note or "").strip(), created_by=acting_user)
        UnitLink.objects.bulk_create([
            UnitLink(event=event, predecessor=x.predecessor, successor=x.successor, share=x.share, method=x.method,
                     effective=effective) for x in checked])
        going_on = {x.predecessor.pk for x in checked if x.predecessor.pk == x.successor.pk}
        ending = {x.predecessor.pk for x in checked} - going_on | {u.pk for u in ends}
        day_before = effective - timedelta(days=1)
        for pk in sorted(ending):
            unit = fresh[pk]
            if unit.valid_to is None or unit.valid_to > day_before:
                unit.valid_to = day_before
                unit.save(update_fields=["valid_to", "search_text"])
                audit_record(actor=acting_user, action=AuditAction.ORGUNIT_CLOSE, entity=ENTITY, entity_id=pk,
                             unit=unit, field="valid_to", new=day_before.isoformat(),
                             comment=f"{ReorgKind(kind).label} theo {event.legal_basis or 'sự kiện sắp xếp'}")
        summary = "; ".join(f"{x.predecessor.code} → {x.successor.code} ({x.share.normalize()})" for x in checked)
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_REORGANISE, entity="reorg_event", entity_id=event.pk,
                     new=summary[:1000], comment=f"{ReorgKind(kind).label} ngày {effective:%d/%m/%Y}")
        return event


def reorg_rename(*, acting_user, unit: OrgUnit, effective: date, name: str | None = None, code: str | None = None,
                 legal_basis: str = "") -> ReorgEvent:
    """Rename or re-code `unit` from `effective`; the former name and code stay findable."""
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        changes = {k: v for k, v in (("name", name), ("code", code)) if v is not None and v.strip() != getattr(unit, k)}
        if not changes:
            raise AppError("Tên và mã mới trùng với tên và mã hiện tại.", {"fields": {"name": "Không đổi"}})
        kind = ReorgKind.RECODE if "code" in changes else ReorgKind.RENAME
        event = ReorgEvent.objects.create(kind=kind, effective=effective, legal_basis=(legal_basis or "").strip()[:255],
                                          created_by=acting_user)
        UnitLink.objects.create(event=event, predecessor=unit, successor=unit, share=ONE, effective=effective)
        UnitName.objects.create(unit=unit, code=unit.code, name=unit.name, valid_from=unit.valid_from,
                                valid_to=effective - timedelta(days=1), event=event)
        orgunit_update(acting_user=acting_user, unit=unit, **changes)
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_REORGANISE, entity="reorg_event", entity_id=event.pk,
                     new=f"{unit.code} – {unit.name}", comment=f"{ReorgKind(kind).label} ngày {effective:%d/%m/%Y}")
        return event


def reorg_reparent(*, acting_user, unit: OrgUnit, new_parent: OrgUnit, effective: date,
                   legal_basis: str = "") -> ReorgEvent:
    """Move `unit` under `new_parent` from `effective`, remembering the parent it had before."""
    with transaction.atomic():
        unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
        before = unit.parent
        event = ReorgEvent.objects.create(kind=ReorgKind.REPARENT, effective=effective,
                                          legal_basis=(legal_basis or "").strip()[:255], created_by=acting_user)
        UnitLink.objects.create(event=event, predecessor=unit, successor=unit, share=ONE, effective=effective,
                                parent_before=before, parent_after=new_parent)
        orgunit_move(acting_user=acting_user, unit=unit, new_parent=new_parent)
        audit_record(actor=acting_user, action=AuditAction.ORGUNIT_REORGANISE, entity="reorg_event", entity_id=event.pk,
                     field="parent", old=before.name if before else "", new=new_parent.name,
                     comment=f"{ReorgKind.REPARENT.label} ngày {effective:%d/%m/%Y}")
        return event
