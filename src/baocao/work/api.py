"""Plans and tasks: lists with computed statuses, create, edit, progress updates, comments.

Reads go through work.selectors (scoped: another unit's task or plan is 404); every state change
is a service in work.services, which checks roles (403) and rules (400: deadline before start,
closed unit, progress outside 0–100, ...), writing nothing when it refuses.
"""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from typing import TYPE_CHECKING, TypedDict, cast, overload

from ninja import Query, Router, Status
from ninja.pagination import paginate

from baocao.accounts.http import ApiRequest
from baocao.core.api_types import BoundedPageNumberPagination, Id
from baocao.core.errors import AppError, NotFound
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import units_for_user
from baocao.reporting.models import Sector
from baocao.reporting.schemas import unit_ref
from baocao.work.schemas import (
    PlanDetailOut,
    PlanFilters,
    PlanIn,
    PlanOut,
    ProgressIn,
    TaskCommentIn,
    TaskCreateIn,
    TaskFilters,
    TaskListOut,
    TaskOut,
    TaskPatchIn,
)
from baocao.work.selectors import (
    TaskRow,
    plan_get_for_user,
    plan_list,
    plans_for_user,
    status_counts,
    task_detail_row,
    task_get_for_user,
    task_list,
)
from baocao.work.services import (
    TASK_ACTIONS,
    plan_create,
    require_task_manager,
    task_actions,
    task_comment_add,
    task_create,
    task_progress_add,
    task_update,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

    from baocao.work.models import Plan

router = Router(tags=["tasks"])

UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền xem."


def _sector_ref(sector) -> dict | None:
    return {"id": sector.pk, "code": sector.code, "name": sector.name} if sector else None


def _plan_ref(plan) -> dict | None:
    return {"id": plan.pk, "number": plan.number, "title": plan.title} if plan else None


def _user_name(user) -> str:
    return user.display_name if user else ""


def task_list_out(row: TaskRow) -> dict:
    task = row.task
    return {
        "id": task.pk, "title": task.title, "plan": _plan_ref(task.plan), "sector": _sector_ref(task.sector),
        "lead_unit": unit_ref(task.lead_unit), "start": task.start, "deadline": task.deadline,
        "current_deadline": row.deadline, "days_left": row.days_left, "recurrence": task.recurrence,
        "recurrence_day": task.recurrence_day, "is_key": task.is_key, "progress": task.progress,
        "status": row.status, "status_label": row.status_label,
    }


def allowed_actions(user, task) -> list[str]:
    actions = task_actions(user=user, task=task)
    return [a for a in TASK_ACTIONS if a in actions]


def task_out(user, task_id: int) -> dict:
    """Everything about one task, in a fixed number of queries."""
    task = task_get_for_user(user=user, task_id=task_id)
    data = task_list_out(task_detail_row(task))
    data.update({
        "owner": unit_ref(task.owner),
        "cooperating_units": [unit_ref(u) for u in task.cooperating_units.all()],
        "expected_output": task.expected_output,
        "started_on": task.started_on,
        "completed_on": task.completed_on,
        "conclusion_id": task.conclusion_id,
        "created_by": _user_name(task.created_by),
        "created_at": task.created_at,
        "updates": [{"id": u.pk, "at": u.at, "author": _user_name(u.author), "text": u.text,
                     "progress": u.progress, "evidence": u.evidence.name.rsplit("/", 1)[-1] if u.evidence.name else None}
                    for u in task.updates.all()],
        "comments": [{"id": c.pk, "at": c.at, "author": _user_name(c.author), "text": c.text}
                     for c in task.comments.all()],
        "allowed_actions": allowed_actions(user, task),
    })
    return data


def plan_out(plan, task_count: int) -> dict:
    return {
        "id": plan.pk, "kind": plan.kind, "kind_label": plan.get_kind_display(), "number": plan.number,
        "title": plan.title, "issuer": unit_ref(plan.issuer), "issued_on": plan.issued_on,
        "sector": _sector_ref(plan.sector), "year_from": plan.year_from, "year_to": plan.year_to,
        "owner": unit_ref(plan.owner), "has_attachment": bool(plan.attachment), "task_count": task_count,
        "created_at": plan.created_at,
    }


@overload
def _unit(user, unit_id: int) -> OrgUnit: ...


@overload
def _unit(user, unit_id: None) -> None: ...


@overload
def _unit(user, unit_id: int | None) -> OrgUnit | None: ...


def _unit(user, unit_id: int | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = units_for_user(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(UNIT_NOT_FOUND, {"unit": unit_id})
    return unit


def _units(user, ids: list[int]) -> list[OrgUnit]:
    wanted = list(dict.fromkeys(ids))
    found = {u.pk: u for u in units_for_user(user).filter(pk__in=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(UNIT_NOT_FOUND, {"units": missing})
    return [found[i] for i in wanted]


def _sector(sector_id: int | None):
    if sector_id is None:
        return None
    sector = Sector.objects.filter(pk=sector_id).first()
    if sector is None:
        raise NotFound("Không tìm thấy lĩnh vực.", {"sector": sector_id})
    return sector


def _plan(user, plan_id: int | None):
    if plan_id is None:
        return None
    plan = plans_for_user(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch hoặc bạn không có quyền xem.", {"plan": plan_id})
    return plan


# ---------------------------------------------------------------------------
# Plans


class _PlanTaskCount(TypedDict):
    task_count: int


@router.get("/plans", response=list[PlanOut], summary="Danh sách kế hoạch, đề án")
@paginate(BoundedPageNumberPagination)
def plan_list_view(request: ApiRequest, filters: Query[PlanFilters]):
    # plan_list annotates each plan with task_count.
    plans = cast(
        "QuerySet[WithAnnotations[Plan, _PlanTaskCount]]",
        plan_list(user=request.auth, q=filters.q or "", sector_id=filters.sector, kind=filters.kind),
    )
    return [plan_out(p, p.task_count) for p in plans]


@router.post("/plans", response={201: PlanOut}, summary="Ghi nhận kế hoạch, đề án")
def plan_create_view(request: ApiRequest, payload: PlanIn):
    """Compilers, leaders (for their own subtree) and admins. The issuer may be a unit above the
    user's own (e.g. the provincial People's Committee). Attachments are uploaded in the web UI."""
    user = request.auth
    require_task_manager(user)
    issuer = OrgUnit.objects.filter(pk=payload.issuer).first()
    if issuer is None:
        raise NotFound("Không tìm thấy cơ quan ban hành.", {"issuer": payload.issuer})
    plan = plan_create(
        acting_user=user, title=payload.title, issuer=issuer, kind=payload.kind, number=payload.number,
        issued_on=payload.issued_on, sector=_sector(payload.sector), year_from=payload.year_from,
        year_to=payload.year_to, owner=_unit(user, payload.owner),
    )
    plan = plan_get_for_user(user=user, plan_id=plan.pk)
    return Status(201, plan_out(plan, 0))


@router.get("/plans/{int:plan_id}", response=PlanDetailOut, summary="Một kế hoạch và các nhiệm vụ của nó")
def plan_detail(request: ApiRequest, plan_id: Id):
    user = request.auth
    plan = plan_get_for_user(user=user, plan_id=plan_id)
    rows = task_list(user=user, plan_id=plan.pk)
    data = plan_out(plan, len(rows))
    data.update({"status_counts": status_counts(rows), "tasks": [task_list_out(r) for r in rows]})
    return data


# ---------------------------------------------------------------------------
# Tasks


@router.get("/tasks", response=list[TaskListOut], summary="Danh sách nhiệm vụ")
@paginate(BoundedPageNumberPagination)
def task_list_view(request: ApiRequest, filters: Query[TaskFilters]):
    """Tasks in the user's scope, soonest deadline first, each with its computed status."""
    rows = task_list(user=request.auth, unit_id=filters.unit, sector_id=filters.sector, plan_id=filters.plan,
                     status=filters.status, view=filters.view, q=filters.q or "")
    return [task_list_out(r) for r in rows]


@router.post("/tasks", response={201: TaskOut}, summary="Giao nhiệm vụ")
def task_create_view(request: ApiRequest, payload: TaskCreateIn):
    """Compilers, leaders (for their own subtree) and admins. Refused with 400 when the deadline is
    before the start, a unit is closed, a recurring task has no day 1–31, ..."""
    user = request.auth
    require_task_manager(user)
    task = task_create(
        acting_user=user, title=payload.title, lead_unit=_unit(user, payload.lead_unit),
        owner=_unit(user, payload.owner), plan=_plan(user, payload.plan), sector=_sector(payload.sector),
        cooperating_units=_units(user, payload.cooperating_units), start=payload.start, deadline=payload.deadline,
        recurrence=payload.recurrence, recurrence_day=payload.recurrence_day,
        expected_output=payload.expected_output, is_key=payload.is_key,
    )
    return Status(201, task_out(user, task.pk))


@router.get("/tasks/{int:task_id}", response=TaskOut, summary="Một nhiệm vụ, tiến độ và ý kiến")
def task_detail(request: ApiRequest, task_id: Id):
    return task_out(request.auth, task_id)


@router.patch("/tasks/{int:task_id}", response=TaskOut, summary="Sửa nhiệm vụ")
def task_patch(request: ApiRequest, task_id: Id, payload: TaskPatchIn):
    """Fields left out keep their value. Who may assign the task may edit it (403 otherwise)."""
    user = request.auth
    task = task_get_for_user(user=user, task_id=task_id)
    given = payload.dict(exclude_unset=True)
    fields: dict = {}
    for key, value in given.items():
        if key == "lead_unit":
            if value is None:
                raise AppError("Nhiệm vụ phải có đơn vị chủ trì.", {"fields": {"lead_unit": "Bắt buộc"}})
            fields[key] = _unit(user, value)
        elif key == "cooperating_units":
            fields[key] = _units(user, value or [])
        elif key == "plan":
            fields[key] = _plan(user, value)
        elif key == "sector":
            fields[key] = _sector(value)
        elif key in ("title", "expected_output", "is_key", "recurrence") and value is None:
            raise AppError("Trường này không được để trống.", {"fields": {key: "Bắt buộc"}})
        else:
            fields[key] = value
    task_update(acting_user=user, task=task, **fields)
    return task_out(user, task_id)


@router.post("/tasks/{int:task_id}/progress", response={201: TaskOut}, summary="Cập nhật tiến độ")
def task_progress(request: ApiRequest, task_id: Id, payload: ProgressIn):
    """The lead unit's users (and admins) only: others get 403. Evidence files are uploaded in the
    web UI. Answers with the task as it is now."""
    user = request.auth
    task = task_get_for_user(user=user, task_id=task_id)
    task_progress_add(acting_user=user, task=task, text=payload.text, progress=payload.progress)
    return Status(201, task_out(user, task_id))


@router.post("/tasks/{int:task_id}/comments", response={201: TaskOut}, summary="Góp ý về nhiệm vụ")
def task_comment(request: ApiRequest, task_id: Id, payload: TaskCommentIn):
    user = request.auth
    task = task_get_for_user(user=user, task_id=task_id)
    task_comment_add(acting_user=user, task=task, text=payload.text)
    return Status(201, task_out(user, task_id))
