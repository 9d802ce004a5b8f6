"""Pages of plans and tasks: the task list (a page, or its table for HTMX requests), a task with its
progress and comments, the create and edit forms, plans with their tasks, and downloads of the
attached files.

Reads go through work.selectors (another unit's task or plan is 404); changes go through
work.services, whose refusals come back as Vietnamese messages next to the fields (400) or at
the top (403 for a role that may not do it).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baocao.core.clock import today_vn
from baocao.core.downloads import stored_file_response
from baocao.core.errors import AppError, NotFound
from baocao.core.listing import PAGE_SIZE, SortColumn, int_param, read_filters, render_list, sort_param
from baocao.core.vietnamese import collation_key
from baocao.orgunits.scope import units_for_user
from baocao.orgunits.widgets import picker_units
from baocao.reporting.models import Sector
from baocao.work.choices import PlanKind, TaskStatus
from baocao.work.forms import PlanForm, ProgressForm, TaskForm
from baocao.work.selectors import (
    VIEW_DUE7,
    VIEW_OVERDUE,
    plan_get_for_user,
    plan_list,
    plans_for_user,
    status_counts,
    task_detail_row,
    task_get_for_user,
    task_list,
)
from baocao.work.services import (
    can_manage_owner,
    can_manage_tasks,
    plan_actions,
    plan_create,
    plan_update,
    task_actions,
    task_comment_add,
    task_create,
    task_progress_add,
    task_update,
)

TABS = (("", "Tất cả"), (VIEW_OVERDUE, "Quá hạn"), (VIEW_DUE7, "Đến hạn trong 7 ngày"))
FILTER_KEYS = ("unit", "sector", "plan", "status", "view", "q")
_STATUS_ORDER = {value: i for i, value in enumerate(TaskStatus.values)}
SORT_COLUMNS = {
    "title": SortColumn("Nhiệm vụ", key=lambda r: collation_key(r.task.title)),
    "unit": SortColumn("Đơn vị chủ trì", key=lambda r: collation_key(r.task.lead_unit.name)),
    "deadline": SortColumn("Hạn", key=lambda r: r.deadline),
    "progress": SortColumn("Tiến độ", key=lambda r: r.task.progress, descending_first=True),
    "status": SortColumn("Trạng thái", key=lambda r: _STATUS_ORDER.get(r.status, len(_STATUS_ORDER))),
}


def _task(user, task_id: int):
    try:
        return task_get_for_user(user=user, task_id=task_id)
    except NotFound:
        raise Http404 from None


def _plan(user, plan_id: int):
    try:
        return plan_get_for_user(user=user, plan_id=plan_id)
    except NotFound:
        raise Http404 from None


# ---------------------------------------------------------------------------
# Task list


@login_required
def task_list_view(request):
    """Tasks in scope with filters and the "overdue" / "due within 7 days" tabs."""
    user = request.user
    filters = read_filters(request.GET, FILTER_KEYS, {"status": TaskStatus.values, "view": (VIEW_OVERDUE, VIEW_DUE7)})
    today = today_vn()
    rows = task_list(user=user, unit_id=int_param(filters["unit"]), sector_id=int_param(filters["sector"]),
                     plan_id=int_param(filters["plan"]), status=filters["status"] or None,
                     view=filters["view"] or None, q=filters["q"], today=today)
    sort = sort_param(request.GET, SORT_COLUMNS, default="deadline", target="#task-table", form="task-filters")
    return render_list(request, rows, filters=filters, today=today, tabs=TABS, sort=sort,
                       table_template="work/partials/_task_table.html", page_template="work/task_list.html",
                       page_context=lambda: {
                           "units": picker_units(units_for_user(user)),
                           "sectors": Sector.objects.all(),
                           "plans": plans_for_user(user).only("id", "number", "title").order_by("-issued_on", "title"),
                           "statuses": TaskStatus.choices,
                           "can_create": can_manage_tasks(user)})


# ---------------------------------------------------------------------------
# One task


def _detail_context(request, task, *, progress_form=None, comment_text: str = "", comment_error: str = ""):
    row = task_detail_row(task)
    actions = task_actions(user=request.user, task=task)
    return {
        "task": task, "row": row, "updates": list(task.updates.all()), "comments": list(task.comments.all()),
        "cooperating": list(task.cooperating_units.all()),
        "can_edit": "update" in actions,
        "can_progress": "progress" in actions,
        "can_comment": "comment" in actions,
        "progress_form": progress_form or ProgressForm(initial={"progress": task.progress}),
        "comment_text": comment_text, "comment_error": comment_error,
    }


@login_required
def task_detail(request, task_id: int):
    task = _task(request.user, task_id)
    return render(request, "work/task_detail.html", _detail_context(request, task))


@login_required
@require_POST
def task_progress(request, task_id: int):
    """The lead unit posts progress: text, percentage, an evidence file (multipart)."""
    task = _task(request.user, task_id)
    form = ProgressForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data
    raw = (data.get("progress") or "").strip().rstrip("%").strip()
    progress = int(raw) if raw.lstrip("-").isdigit() else raw
    try:
        task_progress_add(acting_user=request.user, task=task, text=data.get("text", ""), progress=progress,
                          evidence=data.get("evidence"))
    except AppError as exc:
        for name, message in (exc.extra.get("fields") or {}).items():
            if name in form.fields:
                form.add_error(name, message)
        messages.error(request, exc.message)
        ctx = _detail_context(request, _task(request.user, task_id), progress_form=form)
        return render(request, "work/task_detail.html", ctx, status=exc.status)
    messages.success(request, f"Đã cập nhật tiến độ: {progress}%.")
    return redirect("work:detail", task.pk)


@login_required
@require_POST
def task_comment(request, task_id: int):
    task = _task(request.user, task_id)
    text = request.POST.get("text", "")
    try:
        task_comment_add(acting_user=request.user, task=task, text=text)
    except AppError as exc:
        messages.error(request, exc.message)
        ctx = _detail_context(request, task, comment_text=text, comment_error=exc.message)
        return render(request, "work/task_detail.html", ctx, status=exc.status)
    messages.success(request, "Đã gửi ý kiến.")
    return redirect("work:detail", task.pk)


@login_required
def task_evidence(request, task_id: int, update_id: int):
    """An evidence file, to those who see the task."""
    task = _task(request.user, task_id)
    update = next((u for u in task.updates.all() if u.pk == update_id), None)
    if update is None:
        raise Http404
    return stored_file_response(update.evidence)


# ---------------------------------------------------------------------------
# Create and edit


def _task_service_args(data: dict) -> dict:
    return {
        "title": data["title"], "lead_unit": data["lead_unit"], "plan": data.get("plan"),
        "sector": data.get("sector"), "cooperating_units": list(data.get("cooperating_units") or []),
        "start": data.get("start"), "deadline": data.get("deadline"), "recurrence": data.get("recurrence") or "",
        "recurrence_day": data.get("recurrence_day"), "expected_output": data.get("expected_output", ""),
        "is_key": bool(data.get("is_key")),
    }


@login_required
def task_new(request):
    if not can_manage_tasks(request.user):
        raise PermissionDenied
    initial = {}
    plan_id = int_param(request.GET.get("plan"))
    if plan_id:
        initial["plan"] = plan_id
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                task = task_create(acting_user=request.user, **_task_service_args(form.cleaned_data))
            except AppError as exc:
                form.add_service_errors(exc)
                status = exc.status
            else:
                messages.success(request, "Đã giao nhiệm vụ.")
                return redirect("work:detail", task.pk)
        else:
            status = 400
    return render(request, "work/task_form.html", {"form": form, "task": None}, status=status)


@login_required
def task_edit(request, task_id: int):
    task = _task(request.user, task_id)
    if not can_manage_owner(request.user, task.owner):
        raise PermissionDenied
    initial = {
        "title": task.title, "lead_unit": task.lead_unit_id, "plan": task.plan_id, "sector": task.sector_id,
        "cooperating_units": [u.pk for u in task.cooperating_units.all()], "start": task.start,
        "deadline": task.deadline, "recurrence": task.recurrence, "recurrence_day": task.recurrence_day,
        "expected_output": task.expected_output, "is_key": task.is_key,
    }
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                task_update(acting_user=request.user, task=task, **_task_service_args(form.cleaned_data))
            except AppError as exc:
                form.add_service_errors(exc)
                status = exc.status
            else:
                messages.success(request, "Đã lưu nhiệm vụ.")
                return redirect("work:detail", task.pk)
        else:
            status = 400
    return render(request, "work/task_form.html", {"form": form, "task": task}, status=status)


# ---------------------------------------------------------------------------
# Plans


@login_required
def plan_list_view(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in PlanKind.values:
        kind = ""
    can_create = can_manage_tasks(request.user)
    form = None
    status = 200
    if can_create:
        form = PlanForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    plan = plan_create(
                        acting_user=request.user, title=data["title"], issuer=data["issuer"], kind=data["kind"],
                        number=data.get("number", ""), issued_on=data.get("issued_on"), sector=data.get("sector"),
                        year_from=data.get("year_from"), year_to=data.get("year_to"),
                        attachment=data.get("attachment"),
                    )
                except AppError as exc:
                    form.add_service_errors(exc)
                    status = exc.status
                else:
                    messages.success(request, "Đã ghi nhận kế hoạch.")
                    return redirect("work:plan_detail", plan.pk)
            else:
                status = 400
    elif request.method == "POST":
        raise PermissionDenied
    plans = plan_list(user=request.user, q=q, kind=kind or None)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("q", q), ("kind", kind)) if v})
    return render(request, "work/plan_list.html", {
        "page": page, "q": q, "kind": kind, "kinds": PlanKind.choices, "form": form, "query": query,
    }, status=status)


@login_required
def plan_detail(request, plan_id: int):
    plan = _plan(request.user, plan_id)
    today = today_vn()
    rows = task_list(user=request.user, plan_id=plan.pk, today=today)
    counts = status_counts(rows)
    sort = sort_param(request.GET, SORT_COLUMNS, default="deadline").with_links(request.path, {})
    page = Paginator(sort.apply(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    actions = plan_actions(user=request.user, plan=plan)
    return render(request, "work/plan_detail.html", {
        "plan": plan, "page": page, "today": today, "total": len(rows),
        "counts": [(value, label, counts[value]) for value, label in TaskStatus.choices],
        "can_create": "add_task" in actions, "can_edit": "update" in actions, "query": urlencode(sort.query()),
        "sort": sort,
    })


@login_required
def plan_edit(request, plan_id: int):
    """The plan's edit form, for whoever may manage the unit that tracks it (work.services)."""
    plan = _plan(request.user, plan_id)
    if "update" not in plan_actions(user=request.user, plan=plan):
        raise PermissionDenied
    initial = {"kind": plan.kind, "number": plan.number, "issuer": plan.issuer_id, "issued_on": plan.issued_on,
               "title": plan.title, "sector": plan.sector_id, "year_from": plan.year_from, "year_to": plan.year_to}
    form = PlanForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                plan_update(acting_user=request.user, plan=plan, title=data["title"], issuer=data["issuer"],
                            kind=data["kind"], number=data.get("number", ""), issued_on=data.get("issued_on"),
                            sector=data.get("sector"), year_from=data.get("year_from"), year_to=data.get("year_to"),
                            attachment=data.get("attachment"))
            except AppError as exc:
                form.add_service_errors(exc)
                status = exc.status
            else:
                messages.success(request, "Đã lưu kế hoạch.")
                return redirect("work:plan_detail", plan.pk)
        else:
            status = 400
    return render(request, "work/plan_form.html", {"form": form, "plan": plan}, status=status)


@login_required
def plan_attachment(request, plan_id: int):
    plan = _plan(request.user, plan_id)
    return stored_file_response(plan.attachment)
