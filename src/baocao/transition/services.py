"""Carrying reorganisation events through: after units end, what pointed at them goes to their
successors, after a preview that lists every move.

For each predecessor that ended (no link to itself), its *primary successor* is the one that took
the largest share of it (the first such link on a tie). Then:

- units below the predecessor that go on are re-parented under the primary successor (the parent
  they had stays in their history);
- a regime received by the predecessor is received by the primary successor;
- a regime (or unit group) the predecessor reported to gains every successor as a reporting unit
  (the predecessor stays listed for its past periods; it is not expected after its end);
- users of the predecessor move to the primary successor;
- open tasks (owner, lead or cooperating unit) and open cases (owner, assigned unit) move to it;
- targets of the event's year and later move to it (summed when several predecessors had one);
- the document register is not carried: the successor numbers its documents from 01, and the
  predecessor's register stays as it was issued.

Reports of the predecessor that are not approved (draft, submitted, returned) would be orphaned:
the carry is refused, listing them, until they are approved or deleted. Everything happens in
one transaction with one audit row per move and one for the whole, and the events are marked
applied. Everything is read set-based: a fixed number of queries whatever the number of units.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from baocao.accounts.models import User
from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import audit_record
from baocao.cases.choices import CaseStatus
from baocao.cases.models import Case
from baocao.consolidation.models import DocumentNumberRegister, Target
from baocao.core.errors import AppError
from baocao.core.vietnamese import format_number
from baocao.orgunits.events import reorg_reparent
from baocao.orgunits.models import OrgUnit, OrgUnitGroup, ReorgEvent, UnitLink
from baocao.reporting.models import ReportingRegime
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.work.models import Task

OPEN_CASE_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED)
SHOWN_BLOCKERS = 50


@dataclass(frozen=True)
class Move:
    kind: str  # regime_receiver, regime_reporting, group_member, user, task, case, target, register
    label: str  # what moves, in Vietnamese
    source: str  # the ended unit's name
    target: str  # where it goes ("" for notes)
    entity: str = ""
    entity_id: int = 0
    target_id: int = 0  # the successor's id
    field: str = ""  # the entity's field that changes (tasks and cases have several)
    source_id: int = 0  # the ended unit's id


@dataclass
class CarryPlan:
    events: list[ReorgEvent]
    primary: dict[int, OrgUnit]  # ended predecessor id -> primary successor
    successors: dict[int, list[OrgUnit]]
    moves: list[Move] = field(default_factory=list)
    notes: list[Move] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for move in self.moves:
            counts[move.kind] += 1
        return dict(counts)


def _successors(events: list[ReorgEvent]) -> tuple[dict[int, OrgUnit], dict[int, list[OrgUnit]], dict[int, OrgUnit]]:
    links = list(UnitLink.objects.filter(event__in=events).select_related("predecessor", "successor")
                 .order_by("predecessor_id", "-share", "id"))
    continuing = {link.predecessor_id for link in links if link.predecessor_id == link.successor_id}
    primary: dict[int, OrgUnit] = {}
    successors: dict[int, list[OrgUnit]] = defaultdict(list)
    predecessors: dict[int, OrgUnit] = {}
    for link in links:
        if link.predecessor_id in continuing or link.predecessor_id == link.successor_id:
            continue
        predecessors[link.predecessor_id] = link.predecessor
        primary.setdefault(link.predecessor_id, link.successor)
        successors[link.predecessor_id].append(link.successor)
    return primary, dict(successors), predecessors


def carry_preview(events: Iterable[ReorgEvent]) -> CarryPlan:
    """What applying `events` would move (nothing is written)."""
    events = list(events)
    primary, successors, predecessors = _successors(events)
    plan = CarryPlan(events=events, primary=primary, successors=successors)
    ids = list(primary)
    if not ids:
        return plan

    def name(pk: int) -> str:
        return predecessors[pk].name

    for sub in (Submission.objects.filter(unit_id__in=ids).exclude(status=SubmissionStatus.APPROVED)
                .select_related("regime", "unit").order_by("unit__path", "period")):
        plan.blockers.append(f"Báo cáo «{sub.regime.code}» kỳ {sub.period} của «{sub.unit.name}» đang ở trạng thái "
                             f"«{sub.get_status_display()}»: hãy duyệt hoặc xóa trước khi chuyển giao.")
    for regime in ReportingRegime.objects.filter(receiving_unit_id__in=ids).order_by("code"):
        plan.moves.append(Move("regime_receiver", f"Chế độ báo cáo «{regime.code}»: cơ quan nhận báo cáo",
                               name(regime.receiving_unit_id), primary[regime.receiving_unit_id].name,
                               "reportingregime", regime.pk))
    regimes = _membership_moves(
        ReportingRegime.reporting_units.through, "reportingregime_id", ids, successors, name,
        owners=lambda pks: {r.pk: r for r in ReportingRegime.objects.filter(pk__in=pks)}, sort_key=lambda r: r.code,
        move=lambda regime, pk, successor: Move("regime_reporting", f"Chế độ báo cáo «{regime.code}»: đơn vị báo cáo",
                                                name(pk), successor.name, "reportingregime", regime.pk, successor.pk))
    groups = _membership_moves(
        OrgUnitGroup.members.through, "orgunitgroup_id", ids, successors, name,
        owners=lambda pks: {g.pk: g for g in OrgUnitGroup.objects.filter(pk__in=pks)}, sort_key=lambda g: g.code,
        move=lambda group, pk, successor: Move("group_member", f"Nhóm đơn vị «{group.name}»: thành viên", name(pk),
                                               successor.name, "orgunitgroup", group.pk, successor.pk))
    plan.moves += regimes + groups
    for child in (OrgUnit.objects.filter(parent_id__in=ids).exclude(pk__in=ids)
                  .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=min(e.effective for e in events)))
                  .order_by("path")):
        assert child.parent_id is not None
        plan.moves.append(Move("child", f"Đơn vị trực thuộc «{child.name}»: đơn vị cấp trên", name(child.parent_id),
                               primary[child.parent_id].name, "orgunit", child.pk, primary[child.parent_id].pk,
                               "parent", child.parent_id))
    for user in User.objects.filter(unit_id__in=ids).order_by("username"):
        assert user.unit_id is not None
        plan.moves.append(Move("user", f"Tài khoản «{user.username}»", name(user.unit_id),
                               primary[user.unit_id].name, "user", user.pk, primary[user.unit_id].pk, "unit",
                               user.unit_id))
    tasks = (Task.objects.filter(completed_on__isnull=True)
             .filter(Q(owner_id__in=ids) | Q(lead_unit_id__in=ids) | Q(cooperating_units__in=ids)).distinct()
             .prefetch_related("cooperating_units").order_by("deadline", "id"))
    for task in tasks:
        for role, field_name, pk in (("đơn vị giao", "owner", task.owner_id),
                                     ("đơn vị chủ trì", "lead_unit", task.lead_unit_id),
                                     *(("đơn vị phối hợp", "cooperating_units", u.pk)
                                       for u in task.cooperating_units.all())):
            if pk in primary:
                plan.moves.append(Move("task", f"Nhiệm vụ «{task.title[:80]}»: {role}", name(pk), primary[pk].name,
                                       "task", task.pk, primary[pk].pk, field_name, pk))
    for case in (Case.objects.filter(status__in=OPEN_CASE_STATUSES)
                 .filter(Q(owner_id__in=ids) | Q(assigned_unit_id__in=ids)).order_by("id")):
        for role, field_name, case_pk in (("đơn vị quản lý", "owner", case.owner_id),
                                          ("đơn vị được giao", "assigned_unit", case.assigned_unit_id)):
            if case_pk in primary:
                plan.moves.append(Move("case", f"Vụ việc «{case.code or case.pk}»: {role}", name(case_pk),
                                       primary[case_pk].name, "case", case.pk, primary[case_pk].pk, field_name,
                                       case_pk))
    first_year = min(e.effective.year for e in events)
    for target in Target.objects.filter(unit_id__in=ids, year__gte=first_year).order_by("year", "indicator_code"):
        plan.moves.append(Move("target", f"Chỉ tiêu kế hoạch {target.indicator_code} năm {target.year} "
                               f"({format_number(target.value)})", name(target.unit_id),
                               primary[target.unit_id].name, "target", target.pk))
    for unit_id, year, type_code, last in (DocumentNumberRegister.objects.filter(unit_id__in=ids, last_number__gt=0)
                                           .order_by("unit_id", "-year").values_list("unit_id", "year", "type_code",
                                                                                      "last_number")):
        plan.notes.append(Move("register", f"Sổ văn bản đi «{type_code}» năm {year} giữ nguyên (đến số "
                               f"{last:02d}); đơn vị kế thừa đánh số từ 01", name(unit_id), primary[unit_id].name))
    return plan


def _membership_moves(through, owner_field: str, ids: list[int], successors: dict[int, list[OrgUnit]], name,
                      *, owners, sort_key, move) -> list[Move]:
    """Moves that add each ended unit's successors wherever the ended unit is a member (a regime's
    reporting units, a unit group), once each, in the owners' order: two queries."""
    members: dict[int, set[int]] = defaultdict(set)
    for owner_id, unit_id in through.objects.filter(**{f"{owner_field[:-3]}__in": through.objects.filter(
            orgunit_id__in=ids).values(owner_field)}).values_list(owner_field, "orgunit_id"):
        members[owner_id].add(unit_id)
    found = owners(list(members))
    moves: list[Move] = []
    for owner_id in sorted(members, key=lambda pk: sort_key(found[pk])):
        for pk in sorted(members[owner_id] & set(ids), key=name):
            for successor in successors[pk]:
                if successor.pk not in members[owner_id]:
                    members[owner_id].add(successor.pk)
                    moves.append(move(found[owner_id], pk, successor))
    return moves


def carry_apply(*, acting_user, events: Iterable[ReorgEvent]) -> CarryPlan:
    """Carry `events` through (see the module docstring); refused whole while reports would be orphaned."""
    with transaction.atomic():
        events = list(ReorgEvent.objects.select_for_update().filter(pk__in=[e.pk for e in events]).order_by("pk"))
        if not events:
            raise AppError("Không có sự kiện sắp xếp nào để chuyển giao.")
        applied = [e for e in events if e.applied_at is not None]
        if applied:
            raise AppError(f"Sự kiện ngày {applied[0].effective:%d/%m/%Y} đã được chuyển giao trước đây.",
                           {"event": applied[0].pk})
        plan = carry_preview(events)
        if plan.blockers:
            shown = plan.blockers[:SHOWN_BLOCKERS]
            more = len(plan.blockers) - len(shown)
            raise AppError(f"Chưa chuyển giao được: còn {format_number(len(plan.blockers))} báo cáo chưa duyệt của "
                           "đơn vị đã kết thúc.", {"blockers": shown, "more": more})
        primary = plan.primary
        ids = list(primary)
        for regime in ReportingRegime.objects.filter(receiving_unit_id__in=ids):
            ReportingRegime.objects.filter(pk=regime.pk).update(receiving_unit=primary[regime.receiving_unit_id])
        through = ReportingRegime.reporting_units.through
        through.objects.bulk_create([
            through(reportingregime_id=m.entity_id, orgunit_id=m.target_id)
            for m in plan.moves if m.kind == "regime_reporting"], ignore_conflicts=True)
        group_through = OrgUnitGroup.members.through
        group_through.objects.bulk_create([
            group_through(orgunitgroup_id=m.entity_id, orgunit_id=m.target_id)
            for m in plan.moves if m.kind == "group_member"], ignore_conflicts=True)
        # One UPDATE per (entity, field, successor), whatever the number of ended units.
        updates: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        cooperating_moves: list[Move] = []
        for move in plan.moves:
            if move.kind in ("user", "task", "case") and move.field != "cooperating_units":
                updates[(move.kind, move.field, move.target_id)].append(move.entity_id)
            elif move.field == "cooperating_units":
                cooperating_moves.append(move)
        managers = {"user": User.objects, "task": Task.objects, "case": Case.objects}
        for (kind, field_name, target_id), pks in updates.items():
            managers[kind].filter(pk__in=pks).update(**{f"{field_name}_id": target_id})
        cooperating = Task.cooperating_units.through
        for move in cooperating_moves:
            cooperating.objects.filter(orgunit_id=move.source_id, task_id=move.entity_id).delete()
        cooperating.objects.bulk_create([cooperating(task_id=m.entity_id, orgunit_id=m.target_id)
                                         for m in cooperating_moves], ignore_conflicts=True)
        _carry_targets(plan)
        child_moves = [m for m in plan.moves if m.kind == "child"]
        if child_moves:
            effective = {link.predecessor_id: link.effective for link in UnitLink.objects.filter(event__in=events)}
            basis = next((e.legal_basis for e in events if e.legal_basis), "")
            children = {u.pk: u for u in OrgUnit.objects.filter(pk__in=[m.entity_id for m in child_moves])}
            for move in child_moves:
                child = children[move.entity_id]
                reorg_reparent(acting_user=acting_user, unit=child, new_parent=primary[move.source_id],
                               effective=effective[move.source_id], legal_basis=basis)
        AuditEvent.objects.bulk_create([
            AuditEvent(actor=acting_user, action=AuditAction.REORG_CARRY.value, entity=m.entity, entity_id=m.entity_id,
                       field=m.kind, old_value=m.source[:255], new_value=m.target[:255], comment=m.label[:500])
            for m in plan.moves])
        ReorgEvent.objects.filter(pk__in=[e.pk for e in events]).update(applied_at=timezone.now())
        first = events[0]
        audit_record(actor=acting_user, action=AuditAction.REORG_CARRY, entity="reorg_event", entity_id=first.pk,
                     comment=f"Chuyển giao {format_number(len(events))} sự kiện sắp xếp: "
                             f"{format_number(len(plan.moves))} mục chuyển sang đơn vị kế thừa.")
        return plan


def _carry_targets(plan: CarryPlan) -> None:
    ids = [m.entity_id for m in plan.moves if m.kind == "target"]
    if not ids:
        return
    moving = list(Target.objects.filter(pk__in=ids))
    keys = {(plan.primary[t.unit_id].pk, t.year, t.indicator_code) for t in moving}
    existing = {(t.unit_id, t.year, t.indicator_code): t for t in Target.objects.filter(
        unit_id__in={k[0] for k in keys}, year__in={k[1] for k in keys}, indicator_code__in={k[2] for k in keys})}
    totals: dict[tuple[int, int, str], Decimal] = defaultdict(Decimal)
    for target in moving:
        totals[(plan.primary[target.unit_id].pk, target.year, target.indicator_code)] += target.value
    Target.objects.filter(pk__in=ids).delete()
    for (unit_id, year, code), value in totals.items():
        current = existing.get((unit_id, year, code))
        if current is not None and current.pk not in ids:
            Target.objects.filter(pk=current.pk).update(value=current.value + value)
        else:
            Target.objects.create(unit_id=unit_id, year=year, indicator_code=code, value=value,
                                  note="Chuyển từ đơn vị trước sắp xếp")


@dataclass(frozen=True)
class Dangling:
    label: str
    count: int
    examples: list[str]


def dangling_references(*, on=None) -> list[Dangling]:
    """What still points at units that ended before `on` (today when None): accounts, regimes
    received, open tasks and open cases. The admin pages warn about each (a fixed number of queries)."""
    from baocao.core.clock import today_vn

    day = on or today_vn()
    ended = OrgUnit.objects.filter(valid_to__lt=day).values("pk")
    found: list[Dangling] = []

    def add(label: str, qs, describe) -> None:
        count = qs.count()
        if count:
            found.append(Dangling(label, count, [describe(x) for x in qs[:5]]))

    add("Đơn vị đang hoạt động thuộc đơn vị đã kết thúc", OrgUnit.objects.filter(parent__in=ended)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day)).select_related("parent").order_by("path"),
        lambda u: f"{u.name} ({u.parent.name})")
    add("Tài khoản thuộc đơn vị đã kết thúc", User.objects.filter(unit__in=ended, is_active=True)
        .select_related("unit").order_by("username"), lambda u: f"{u.username} ({u.unit.name})")
    add("Chế độ báo cáo do đơn vị đã kết thúc nhận", ReportingRegime.objects.filter(receiving_unit__in=ended)
        .select_related("receiving_unit").order_by("code"), lambda r: f"{r.code} ({r.receiving_unit.name})")
    add("Nhiệm vụ chưa hoàn thành của đơn vị đã kết thúc", Task.objects.filter(completed_on__isnull=True)
        .filter(Q(lead_unit__in=ended) | Q(owner__in=ended)).select_related("lead_unit").order_by("deadline", "id"),
        lambda t: f"{t.title[:60]} ({t.lead_unit.name})")
    add("Vụ việc đang giải quyết của đơn vị đã kết thúc", Case.objects.filter(status__in=OPEN_CASE_STATUSES)
        .filter(Q(owner__in=ended) | Q(assigned_unit__in=ended)).select_related("owner").order_by("id"),
        lambda c: f"{c.code or c.pk} ({c.owner.name})")
    return found
