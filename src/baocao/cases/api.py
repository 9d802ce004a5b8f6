"""The case register: list with deadlines, record, accept, extend, resolve, refuse, forward, history.

Reads go through cases.selectors (another unit's case is 404; unit reporters get 404 on every
endpoint, the register does not exist for them); every change is a service in cases.services,
which lets only the inspectorate (of the owner's subtree) and admins write (403 for the roles
that read) and refuses bad input with 400, writing nothing. A denunciator's name and contact are
null for everyone but the inspectorate role. The CSV export is on the page (/cases/?format=csv),
not here: API clients read JSON.
"""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from ninja import Query, Router, Status
from ninja.pagination import paginate

from baocao.accounts.http import ApiRequest
from baocao.accounts.models import User
from baocao.cases.choices import CaseKind
from baocao.cases.schemas import (
    AcceptIn,
    CaseCreateIn,
    CaseFilters,
    CaseHistoryOut,
    CaseListOut,
    CaseOut,
    ExtendIn,
    ForwardIn,
    RefuseIn,
    ResolveIn,
)
from baocao.cases.selectors import (
    CaseRow,
    attachments_visible,
    can_see_cases,
    case_detail_row,
    case_get_for_user,
    case_history,
    case_identity_visible,
    case_list,
)
from baocao.cases.services import (
    CASE_ACTIONS,
    case_accept,
    case_actions,
    case_create,
    case_extend,
    case_forward,
    case_refuse,
    case_resolve,
    require_case_writer,
)
from baocao.core.api_types import BoundedPageNumberPagination, Id
from baocao.core.errors import NotFound
from baocao.orgunits.models import OrgUnit
from baocao.reporting.schemas import unit_ref
from baocao.work.api import _sector

router = Router(tags=["cases"])

REGISTER_NOT_FOUND = "Không tìm thấy sổ vụ việc hoặc bạn không có quyền xem."
UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền ghi sổ vụ việc của đơn vị này."


def _require_register(user) -> None:
    if not can_see_cases(user):
        raise NotFound(REGISTER_NOT_FOUND)


def _case(user, case_id: int):
    _require_register(user)
    return case_get_for_user(user=user, case_id=case_id)


def case_list_out(user, row: CaseRow) -> dict:
    case = row.case
    visible = case_identity_visible(user, case)
    return {
        "id": case.pk, "kind": case.kind, "kind_label": case.get_kind_display(),
        "complaint_round": case.complaint_round, "code": case.code, "received_on": case.received_on,
        "channel": case.channel,
        "submitter_name": case.submitter_name if visible else None,
        "submitter_contact": case.submitter_contact if visible else None,
        "identity_hidden": not visible, "subject_org": case.subject_org,
        "sector": {"id": case.sector.pk, "code": case.sector.code, "name": case.sector.name} if case.sector else None,
        "summary": case.summary, "owner": unit_ref(case.owner),
        "assigned_unit": unit_ref(case.assigned_unit) if case.assigned_unit else None,
        "officer": {"id": case.officer.pk, "name": case.officer.display_name} if case.officer else None,
        "is_complex": case.is_complex, "is_remote": case.is_remote, "accepted_on": case.accepted_on,
        "status": case.status, "status_label": case.get_status_display(),
        "deadlines": [{k: v for k, v in step.items() if k != "badge_class"} for step in row.steps()],
        "current_deadline": row.current_deadline, "resolved_on": case.resolved_on, "note": case.note,
    }


def allowed_actions(user, case) -> list[str]:
    actions = case_actions(user=user, case=case)
    return [a for a in CASE_ACTIONS if a in actions]


def case_out(user, case_id: int) -> dict:
    case = _case(user, case_id)
    row = case_detail_row(case)
    data = case_list_out(user, row)
    data.update({
        "conclusion": case.conclusion,
        "sanction_decisions": case.sanction_decisions, "sanction_amount": int(case.sanction_amount),
        "corrective_measures": case.corrective_measures,
        "extensions": [{"id": e.pk, "decision_number": e.decision_number, "decided_on": e.decided_on,
                        "days": e.days, "reason": e.reason} for e in case.extensions.all()],
        "attachments": [{"id": a.pk, "title": str(a), "uploaded_at": a.uploaded_at}
                        for a in case.attachments.all()] if attachments_visible(user, case) else None,
        "created_by": case.created_by.display_name, "created_at": case.created_at,
        "allowed_actions": allowed_actions(user, case),
    })
    return data


def _owner(user, owner_id: int | None) -> OrgUnit | None:
    if owner_id is None:
        return None
    owner = OrgUnit.objects.filter(pk=owner_id).first()
    if owner is None:
        raise NotFound(UNIT_NOT_FOUND, {"owner": owner_id})
    return owner  # case_create answers 404 for a unit outside the user's subtree


def _assigned(owner_id: int | None) -> OrgUnit | None:
    if owner_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=owner_id).first()
    if unit is None:
        raise NotFound(UNIT_NOT_FOUND, {"assigned_unit": owner_id})
    return unit  # case_create answers 404 for a unit the user may not see


def _officer(officer_id: int | None) -> User | None:
    if officer_id is None:
        return None
    officer = User.objects.select_related("unit").filter(pk=officer_id).first()
    if officer is None:
        raise NotFound("Không tìm thấy cán bộ thụ lý.", {"officer": officer_id})
    return officer


@router.get("/cases", response=list[CaseListOut], summary="Sổ vụ việc: thanh tra, kiểm tra, khiếu nại, tố cáo, "
                                                          "kiến nghị, thông tin sai sự thật")
@paginate(BoundedPageNumberPagination)
def case_list_view(request: ApiRequest, filters: Query[CaseFilters]):
    """Cases in the user's scope, newest first (the due3/overdue views soonest deadline first),
    each with its acceptance and resolution deadlines and where they stand."""
    user = request.auth
    _require_register(user)
    rows = case_list(user=user, kind=filters.kind, status=filters.status, sector_id=filters.sector,
                     officer_id=filters.officer, view=filters.view, q=filters.q or "")
    return [case_list_out(user, r) for r in rows]


@router.post("/cases", response={201: CaseOut}, summary="Ghi sổ vụ việc")
def case_create_view(request: ApiRequest, payload: CaseCreateIn):
    """The inspectorate (for a unit of its subtree, by default its own) and admins."""
    user = request.auth
    _require_register(user)
    require_case_writer(user)
    case = case_create(
        acting_user=user, kind=payload.kind, complaint_round=payload.complaint_round if payload.kind == CaseKind.COMPLAINT
        else 1, received_on=payload.received_on, channel=payload.channel, owner=_owner(user, payload.owner),
        code=payload.code, submitter_name=payload.submitter_name, submitter_contact=payload.submitter_contact,
        subject_org=payload.subject_org, sector=_sector(payload.sector), summary=payload.summary,
        assigned_unit=_assigned(payload.assigned_unit), officer=_officer(payload.officer),
        is_complex=payload.is_complex, is_remote=payload.is_remote, note=payload.note,
    )
    return Status(201, case_out(user, case.pk))


@router.get("/cases/{int:case_id}", response=CaseOut, summary="Một vụ việc, thời hạn và kết quả")
def case_detail(request: ApiRequest, case_id: Id):
    return case_out(request.auth, case_id)


@router.post("/cases/{int:case_id}/accept", response=CaseOut, summary="Thụ lý / bắt đầu thực hiện")
def case_accept_view(request: ApiRequest, case_id: Id, payload: AcceptIn):
    user = request.auth
    case_accept(case=_case(user, case_id), accepted_on=payload.accepted_on, acting_user=user)
    return case_out(user, case_id)


@router.post("/cases/{int:case_id}/extend", response=CaseOut, summary="Gia hạn giải quyết (có quyết định)")
def case_extend_view(request: ApiRequest, case_id: Id, payload: ExtendIn):
    """Refused (400) without a decision number, beyond the number or length of extensions the
    rule allows, or for a kind that is never extended."""
    user = request.auth
    case_extend(case=_case(user, case_id), decision_number=payload.decision_number, decided_on=payload.decided_on,
                days=payload.days, reason=payload.reason, acting_user=user)
    return case_out(user, case_id)


@router.post("/cases/{int:case_id}/resolve", response=CaseOut, summary="Ghi nhận kết quả giải quyết, kết luận")
def case_resolve_view(request: ApiRequest, case_id: Id, payload: ResolveIn):
    """Refused (400) before acceptance, with a date before it, a negative amount, or an amount
    without a sanction decision."""
    user = request.auth
    case_resolve(case=_case(user, case_id), resolved_on=payload.resolved_on, conclusion=payload.conclusion,
                 sanction_decisions=payload.sanction_decisions, sanction_amount=payload.sanction_amount,
                 corrective_measures=payload.corrective_measures, acting_user=user)
    return case_out(user, case_id)


@router.post("/cases/{int:case_id}/refuse", response=CaseOut, summary="Không thụ lý")
def case_refuse_view(request: ApiRequest, case_id: Id, payload: RefuseIn):
    user = request.auth
    case_refuse(case=_case(user, case_id), decided_on=payload.decided_on, reason=payload.reason, acting_user=user)
    return case_out(user, case_id)


@router.post("/cases/{int:case_id}/forward", response=CaseOut, summary="Chuyển đơn đến cơ quan có thẩm quyền")
def case_forward_view(request: ApiRequest, case_id: Id, payload: ForwardIn):
    user = request.auth
    case_forward(case=_case(user, case_id), decided_on=payload.decided_on, to_agency=payload.to_agency,
                 acting_user=user)
    return case_out(user, case_id)


@router.get("/cases/{int:case_id}/history", response=list[CaseHistoryOut], summary="Nhật ký vụ việc")
def case_history_view(request: ApiRequest, case_id: Id):
    """Every change to the case, oldest first: `old`/`new` as stored, `text` the change in words as
    the case's page shows it. The denunciator's identity is never in it."""
    user = request.auth
    case = _case(user, case_id)
    return [
        {"id": h.id, "at": h.at, "actor": h.event.actor.display_name if h.event.actor else None,
         "action": h.action, "action_label": h.action_label, "field": h.field, "field_label": h.field_label,
         "old": h.old_value, "new": h.new_value, "comment": h.comment, "text": h.text}
        for h in case_history(user=user, case=case)
    ]
