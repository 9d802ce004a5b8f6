"""Reads of plans and tasks, scoped to the user; task lists with their computed status; and the
task part of the consolidated report.

Scope (as `orgunits.scope`): admins see every task; a unit reporter sees the tasks their unit
leads or cooperates on; receiving roles (compiler, leader, inspectorate, viewer) see the tasks
assigned by a unit of their subtree or led by a unit they may see (`units_for_user`). An id out
of scope is "not found".

Statuses are computed in Python (work/status.py) from each row's fields, so a list is one query
for the tasks (with lead unit, sector and plan joined) plus one for the progress updates of its
recurring tasks, whatever the number of tasks. Filters by status therefore run in
Python after that query; the "overdue" and "due within 7 days" views narrow the rows by deadline
in SQL first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from baocao.accounts.choices import RECEIVER_ROLES, Role
from baocao.accounts.roles import is_admin
from baocao.core.clock import today_vn
from baocao.core.errors import NotFound
from baocao.core.vietnamese import VIETNAM_TZ, collation_key, fold
from baocao.orgunits.models import subtree_q
from baocao.orgunits.scope import in_user_subtree, units_for_user
from baocao.work.choices import TaskStatus
from baocao.work.models import Plan, Task, TaskComment, TaskUpdate
from baocao.work.status import (
    DONE_STATUSES,
    days_left,
    occurrence_deadline,
    recurring_status,
    task_status,
)

TASK_NOT_FOUND = "Không tìm thấy nhiệm vụ hoặc bạn không có quyền xem."
PLAN_NOT_FOUND = "Không tìm thấy kế hoạch hoặc bạn không có quyền xem."
OTHER_SECTOR = "Khác"
VIEW_OVERDUE = "overdue"
VIEW_DUE7 = "due7"
VIEWS = (VIEW_OVERDUE, VIEW_DUE7)
DUE_SOON_DAYS = 7
# The badge colours of app.css that read right for each status.
STATUS_BADGE = {
    TaskStatus.NOT_STARTED: "st-draft",
    TaskStatus.IN_PROGRESS: "st-submitted",
    TaskStatus.DONE_ON_TIME: "st-approved",
    TaskStatus.DONE_LATE: "t-late",
    TaskStatus.OVERDUE: "st-returned",
}


# ---------------------------------------------------------------------------
# Scope


def tasks_for_user(user) -> QuerySet[Task]:
    qs = Task.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    if user.role == Role.REPORTER:
        return qs.filter(Q(lead_unit_id=user.unit_id) | Q(pk__in=_cooperating(user.unit_id)))
    if user.role in RECEIVER_ROLES:
        return qs.filter(
            in_user_subtree(user, "owner") | Q(lead_unit__in=units_for_user(user).values("pk"))
        )
    return qs.none()


def _cooperating(unit_id: int) -> QuerySet:
    return Task.cooperating_units.through.objects.filter(orgunit_id=unit_id).values("task_id")


def plans_for_user(user) -> QuerySet[Plan]:
    """Admins every plan; receiving roles the plans their subtree tracks; everyone the plans of the
    tasks they see."""
    qs = Plan.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    with_my_tasks = Q(pk__in=tasks_for_user(user).filter(plan__isnull=False).values("plan_id"))
    if user.role in RECEIVER_ROLES:
        return qs.filter(in_user_subtree(user, "owner") | with_my_tasks)
    return qs.filter(with_my_tasks)


# ---------------------------------------------------------------------------
# Status of stored tasks


@dataclass
class TaskRow:
    """A task as lists show it: its current deadline (the current occurrence for a recurring
    task) and its status on `today`."""

    task: Task
    status: TaskStatus
    deadline: date | None
    days_left: int | None

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    @property
    def badge_class(self) -> str:
        return STATUS_BADGE[self.status]


def task_current(task: Task, *, updates: list[tuple[datetime, int]] | None, today: date) -> TaskRow:
    """The task's current deadline and status. `updates` ((moment, progress) in order) are needed
    for recurring tasks only."""
    deadline = occurrence_deadline(recurrence=task.recurrence, recurrence_day=task.recurrence_day,
                                   start=task.start, end=task.deadline, today=today)
    if task.recurrence:
        status = recurring_status(recurrence=task.recurrence, recurrence_day=task.recurrence_day, start=task.start,
                                  end=task.deadline, updates=updates or [], today=today)
    else:
        status = task_status(deadline=task.deadline, progress=task.progress, completed_on=task.completed_on,
                             started_on=task.started_on, start=task.start, today=today)
    return TaskRow(task=task, status=status, deadline=deadline, days_left=days_left(deadline=deadline, today=today))


def _updates_by_task(tasks: QuerySet[Task]) -> dict[int, list[tuple[datetime, int]]]:
    """Progress updates of the recurring tasks among `tasks`, in one query."""
    rows = (
        TaskUpdate.objects.filter(task__in=tasks.exclude(recurrence="").values("pk"))
        .order_by("at", "id")
        .values_list("task_id", "at", "progress")
    )
    by_task: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for task_id, at, progress in rows:
        by_task[task_id].append((at, progress))
    return by_task


def task_rows(tasks: QuerySet[Task], *, today: date) -> list[TaskRow]:
    """Rows of every task in `tasks` with its status: two queries (the tasks, then the progress
    updates of the recurring ones), whatever the number and the mix of tasks."""
    items = list(tasks)
    updates = _updates_by_task(tasks) if items else {}
    return [task_current(t, updates=updates.get(t.pk), today=today) for t in items]


def _sort_key(row: TaskRow):
    return (row.deadline is None, row.deadline or date.min, collation_key(row.task.title), row.task.pk)


# ---------------------------------------------------------------------------
# Lists and single reads


def task_list(*, user, unit_id: int | None = None, sector_id: int | None = None, plan_id: int | None = None,
              status: str | None = None, view: str | None = None, q: str = "",
              today: date | None = None) -> list[TaskRow]:
    """The user's tasks, soonest deadline first, with lead unit, sector and plan.

    `unit_id`: tasks that unit leads or cooperates on. `view`: "overdue" (open tasks past their
    deadline) or "due7" (open tasks due within 7 days, today included). `q` matches the title or
    the lead unit's name without accents ("chuyen doi so" finds "chuyển đổi số").
    """
    today = today or today_vn()
    qs = tasks_for_user(user).select_related("lead_unit", "sector", "plan")
    if unit_id:
        qs = qs.filter(Q(lead_unit_id=unit_id) | Q(pk__in=_cooperating(unit_id)))
    if sector_id:
        qs = qs.filter(sector_id=sector_id)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if view == VIEW_OVERDUE:
        # Only a deadline (or the end of a recurring series) in the past can be overdue.
        qs = qs.filter(deadline__lt=today).exclude(recurrence="", progress__gte=100, completed_on__isnull=False)
    elif view == VIEW_DUE7:
        soon = today + timedelta(days=DUE_SOON_DAYS)
        qs = qs.filter(
            Q(recurrence="", deadline__gte=today, deadline__lte=soon)
            | (~Q(recurrence="") & (Q(deadline__isnull=True) | Q(deadline__gte=today)))
        )
    rows = task_rows(qs, today=today)
    if view == VIEW_OVERDUE:
        rows = [r for r in rows if r.status == TaskStatus.OVERDUE]
    elif view == VIEW_DUE7:
        rows = [r for r in rows if not r.is_done and r.days_left is not None and 0 <= r.days_left <= DUE_SOON_DAYS]
    if status:
        rows = [r for r in rows if r.status == status]
    folded = fold(q or "").strip()
    if folded:
        rows = [r for r in rows if folded in fold(r.task.title) or folded in r.task.lead_unit.search_text]
    rows.sort(key=_sort_key)
    return rows


def task_get_for_user(*, user, task_id: int) -> Task:
    task = (
        tasks_for_user(user)
        .select_related("lead_unit", "owner", "sector", "plan", "created_by", "conclusion__meeting")
        .prefetch_related(
            "cooperating_units",
            Prefetch("updates", queryset=TaskUpdate.objects.select_related("author").order_by("at", "id")),
            Prefetch("comments", queryset=TaskComment.objects.select_related("author").order_by("at", "id")),
        )
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound(TASK_NOT_FOUND)
    return task


def task_detail_row(task: Task, *, today: date | None = None) -> TaskRow:
    """The status of a task read by task_get_for_user (its updates are prefetched)."""
    today = today or today_vn()
    updates = [(u.at, u.progress) for u in task.updates.all()] if task.recurrence else None
    return task_current(task, updates=updates, today=today)


def plan_list(*, user, q: str = "", sector_id: int | None = None, kind: str | None = None) -> QuerySet[Plan]:
    """Plans in scope with the number of their tasks the user sees, newest first."""
    visible = tasks_for_user(user).values("pk")
    qs = (
        plans_for_user(user)
        .select_related("issuer", "sector", "owner")
        .annotate(task_count=Count("tasks", filter=Q(tasks__in=visible)))
    )
    if sector_id:
        qs = qs.filter(sector_id=sector_id)
    if kind:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(number__icontains=q))
    return qs.order_by("-issued_on", "-id")


def plan_get_for_user(*, user, plan_id: int) -> Plan:
    plan = plans_for_user(user).select_related("issuer", "sector", "owner").filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(PLAN_NOT_FOUND)
    return plan


def status_counts(rows: list[TaskRow]) -> dict[str, int]:
    """{status: number of rows} with every status present."""
    counts = dict.fromkeys(TaskStatus.values, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


# ---------------------------------------------------------------------------
# The task part of the consolidated report


def _start_of_day_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=VIETNAM_TZ)


def _began(task: Task) -> date:
    """When a task was set going: its planned start, else the day it was recorded (or its
    deadline, if earlier: tasks recorded after the fact, as when a past plan is typed in)."""
    if task.start is not None:
        return task.start
    recorded = task.created_at.astimezone(VIETNAM_TZ).date()
    return min(recorded, task.deadline) if task.deadline else recorded


def _task_ref(task: Task, deadline: date | None) -> dict:
    return {"title": task.title, "lead_unit": task.lead_unit.name,
            "deadline": deadline.isoformat() if deadline else None}


def task_report_summary(*, owner, window_start: date, window_end: date, next_start: date, next_end: date,
                        today: date) -> dict:
    """Tasks assigned by `owner` (or a unit below it) for the consolidated report, in three queries
    whatever the number of tasks.

    The caller passes `today` = min(real today, window_end), so a finished period is judged as it
    stood at its end and a running one as it stands now; statuses are computed as of that day
    (never later than window_end).

    - "by_sector": one row per sector (sector order, "Khác" last) counting, by status, the tasks of
      the period: those whose deadline (a recurring task's current occurrence) falls in
      [window_start, window_end], those completed in the window, and those still open that began
      (planned start, else the day recorded or the deadline if earlier) on or before window_end;
    - "overdue_key": the key tasks (is_key) among them that are overdue;
    - "next_period": the tasks set for the next period: a deadline (first occurrence) in
      [next_start, next_end], or set by a conference conclusion held from window_start to
      next_end with no deadline or one from next_start on; each with its "plan" and "conclusion"
      (None, or where it came from: see `_next_task_ref`).
    Deadlines are ISO dates (the report is stored as JSON); units are named in full.
    """
    as_of = min(today, window_end)
    owned = Task.objects.filter(subtree_q(owner, "owner"))
    in_window = Q(deadline__gte=window_start, deadline__lte=window_end)
    candidates = (
        owned.filter(
            Q(deadline__lte=window_end)
            | ~Q(recurrence="")
            | Q(start__lte=window_end)
            | Q(start__isnull=True, created_at__lt=_start_of_day_after(window_end))
        )
        # Finished before the period began: not the period's work.
        .exclude(Q(recurrence="", progress__gte=100, completed_on__lt=window_start) & ~in_window)
        .select_related("lead_unit", "sector")
    )
    in_period: list[TaskRow] = []
    for row in task_rows(candidates, today=as_of):
        task = row.task
        due_in_window = row.deadline is not None and window_start <= row.deadline <= window_end
        done_in_window = row.is_done and task.completed_on is not None and window_start <= task.completed_on
        open_and_begun = not row.is_done and _began(task) <= window_end
        if due_in_window or done_in_window or open_and_begun:
            in_period.append(row)

    sectors: dict[int | None, dict] = {}
    for row in in_period:
        sector = row.task.sector
        key = sector.pk if sector else None
        entry = sectors.get(key)
        if entry is None:
            entry = sectors[key] = {
                "sort": (1, 0, "") if sector is None else (0, sector.order, sector.code),
                "sector": sector.name if sector else OTHER_SECTOR,
                "counts": dict.fromkeys(TaskStatus.values, 0),
                "total": 0,
            }
        entry["counts"][row.status] += 1
        entry["total"] += 1
    by_sector = [{k: v for k, v in e.items() if k != "sort"}
                 for e in sorted(sectors.values(), key=lambda e: e["sort"])]

    overdue_key = [_task_ref(r.task, r.deadline) for r in sorted(in_period, key=_sort_key)
                   if r.task.is_key and r.status == TaskStatus.OVERDUE]

    from_conclusion = Q(conclusion__isnull=False, conclusion__meeting__date__gte=window_start,
                        conclusion__meeting__date__lte=next_end) & (Q(deadline__isnull=True)
                                                                     | Q(deadline__gte=next_start))
    next_tasks = owned.filter(Q(deadline__gte=next_start) | Q(deadline__isnull=True)).filter(
        Q(deadline__lte=next_end) | ~Q(recurrence="") | from_conclusion
    ).annotate(set_by_conclusion=ExpressionWrapper(from_conclusion, output_field=BooleanField())
               ).select_related("lead_unit", "plan", "conclusion__meeting")
    next_period = []
    for task in next_tasks:
        # A recurring task's first occurrence in the next period stands for its deadline.
        deadline = occurrence_deadline(recurrence=task.recurrence, recurrence_day=task.recurrence_day,
                                       start=task.start, end=task.deadline, today=next_start)
        if (deadline is not None and next_start <= deadline <= next_end) or task.set_by_conclusion:
            next_period.append((deadline, task))
    next_period.sort(key=lambda d_t: (d_t[0] is None, d_t[0] or date.min, collation_key(d_t[1].title), d_t[1].pk))
    return {"by_sector": by_sector, "overdue_key": overdue_key,
            "next_period": [_next_task_ref(t, d) for d, t in next_period]}


def _next_task_ref(task: Task, deadline: date | None) -> dict:
    """A task of the next period with where it comes from: its plan (title, number, day of issue)
    and the conference whose conclusion set it (title, day)."""
    ref = _task_ref(task, deadline)
    plan, conclusion = task.plan, task.conclusion
    ref["plan"] = None if plan is None else {
        "title": plan.title, "number": plan.number,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None}
    ref["conclusion"] = None if conclusion is None else {
        "meeting": conclusion.meeting.title, "date": conclusion.meeting.date.isoformat()}
    return ref
