"""A task's status, computed from its dates and progress, never typed (pure: no database).

Dates are calendar days in Vietnam (Asia/Ho_Chi_Minh): `today` is passed in (`core.clock.today_vn()` gives
the real one) and moments such as the time of a progress update become days through
`core.clock.local_date`, so an update at 23:30 Vietnam time on the deadline day
(16:30 UTC) is on time and one at 00:30 the next morning (17:30 UTC, still the deadline day in
UTC) is late.

One-off task (`task_status`):
  - done: progress 100 with a completion day: on time when completed on or before the deadline
    (or there is no deadline), late otherwise;
  - otherwise overdue once `today` is after the deadline (the deadline day itself is not overdue);
  - otherwise in progress when some progress was reported or work has started;
  - otherwise not started.
  Status is "as of `today`": a completion or start dated after `today` is not known yet on
  `today` (the consolidated report asks how things stood at the end of a past period).

Recurring task (monthly or quarterly, `recurrence_day` of the month, between `start` and the
task's deadline as the end of the series): the *current occurrence* is the first due date on or
after `today` (and on or after `start`); after the series has ended it is the last one. Days past
the month's length are clamped (day 31 is 28 February, or 29 in a leap year); quarterly tasks are
due in the last month of each quarter (March, June, September, December).

`recurring_status(..., updates=[(day, progress), ...], today)` judges the current occurrence with
the one-off rule above, counting only the updates made *after* the previous occurrence's due day
(an update on a due day belongs to that occurrence): progress is the last such update's, the
occurrence started with the first of them and was completed on the day its progress last
reached 100. A missed occurrence is therefore not carried into the next one: the day after a due
date the task starts its next cycle "not started" (only the last occurrence of the series can be
overdue). Updates dated after `today` are ignored.

Every function here is total: any dates, any progress, a missing or impossible recurrence day
give a status (or None for "no occurrence"), never an exception.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime
from typing import TypeGuard

from baocao.core.clock import local_date
from baocao.work.choices import Recurrence, TaskStatus

DONE_STATUSES = frozenset({TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE})
OPEN_STATUSES = frozenset({TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE})
# Keyed by str: a task's recurrence comes from the database as a plain string.
MONTHS_PER_STEP: dict[str, int] = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}


def task_status(*, deadline: date | None, progress: int | None, completed_on: date | None,
                started_on: date | None, start: date | None, today: date) -> TaskStatus:
    """The status of a one-off task on `today` (see the module docstring).

    `start` (the planned start) does not change the status: a task nobody has begun is "not
    started" whether or not its start date has come. It is taken so that callers pass a task's
    dates the same way for one-off and recurring tasks.
    """
    progress = progress or 0
    if completed_on is not None and completed_on > today:
        # Completed later than the day asked about: on `today` it was still being worked on.
        completed_on = None
        progress = min(progress, 99)
    if started_on is not None and started_on > today:
        started_on = None
        progress = 0
    if progress >= 100:
        # A task at 100% without a completion day (data typed in by hand) is taken as done at
        # the latest on `today`.
        done_on = completed_on or today
        if deadline is None or done_on <= deadline:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE
    if deadline is not None and today > deadline:
        return TaskStatus.OVERDUE
    if progress > 0 or started_on is not None:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


# ---------------------------------------------------------------------------
# Recurring tasks


def _step(recurrence: str) -> int | None:
    return MONTHS_PER_STEP.get(recurrence)


def _valid_day(recurrence_day: int | None) -> TypeGuard[int]:
    return isinstance(recurrence_day, int) and not isinstance(recurrence_day, bool) and 1 <= recurrence_day <= 31


def _due(year: int, month: int, day: int) -> date | None:
    """The due date in a month, the day clamped to the month's length; None outside the calendar."""
    if not 1 <= year <= 9999:
        return None
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _period_month(day: date, step: int) -> tuple[int, int]:
    """The month holding the occurrence of `day`'s period: the month itself, or the quarter's last."""
    if step == 1:
        return day.year, day.month
    return day.year, ((day.month - 1) // 3) * 3 + 3


def _first_due_on_or_after(day: date, step: int, recurrence_day: int) -> date | None:
    year, month = _period_month(day, step)
    due = _due(year, month, recurrence_day)
    if due is not None and due >= day:
        return due
    year, month = _add_months(year, month, step)
    return _due(year, month, recurrence_day)


def _last_due_on_or_before(day: date, step: int, recurrence_day: int) -> date | None:
    year, month = _period_month(day, step)
    due = _due(year, month, recurrence_day)
    if due is not None and due <= day:
        return due
    year, month = _add_months(year, month, -step)
    return _due(year, month, recurrence_day)


def occurrence_deadline(*, recurrence: str, recurrence_day: int | None, start: date | None,
                        end: date | None, today: date) -> date | None:
    """The due date of the occurrence current on `today`.

    For a one-off task (no recurrence, or no valid recurrence day) this is simply `end`, the
    task's deadline. For a recurring one: the first due date on or after both `today` and
    `start`; once the series is over (that date is after `end`), its last due date; None when
    the series has no due date at all (e.g. `end` before the first one).
    """
    step = _step(recurrence)
    if step is None or not _valid_day(recurrence_day):
        return end
    anchor = max(today, start) if start is not None else today
    due = _first_due_on_or_after(anchor, step, recurrence_day)
    if due is not None and (end is None or due <= end):
        return due
    if end is None:
        return None
    last = _last_due_on_or_before(end, step, recurrence_day)
    if last is None or (start is not None and last < start):
        return None
    return last


def previous_occurrence(*, recurrence: str, recurrence_day: int | None, start: date | None,
                        due: date) -> date | None:
    """The due date of the occurrence before the one due on `due`; None for the first one."""
    step = _step(recurrence)
    if step is None or not _valid_day(recurrence_day):
        return None
    year, month = _add_months(due.year, due.month, -step)
    prev = _due(year, month, recurrence_day)
    if prev is None or (start is not None and prev < start):
        return None
    return prev


def _day(moment: date | datetime) -> date:
    return local_date(moment) if isinstance(moment, datetime) else moment


def recurring_status(*, recurrence: str, recurrence_day: int | None, start: date | None, end: date | None,
                     updates: Iterable[tuple[date | datetime, int]], today: date) -> TaskStatus:
    """The status of a recurring task's current occurrence, from its progress updates.

    `updates` are (day or moment, progress) pairs in the order they were made; moments are
    turned into Vietnam days. A task without a valid recurrence is judged once, against `end`,
    from the same updates.
    """
    due = occurrence_deadline(recurrence=recurrence, recurrence_day=recurrence_day, start=start, end=end,
                              today=today)
    since = None
    if due is not None:
        since = previous_occurrence(recurrence=recurrence, recurrence_day=recurrence_day, start=start, due=due)
    progress = 0
    started_on = completed_on = None
    for moment, value in updates:
        day = _day(moment)
        if day > today or (since is not None and day <= since):
            continue
        progress = value or 0
        if started_on is None:
            started_on = day
        if progress >= 100:
            completed_on = completed_on or day
        else:
            completed_on = None
    return task_status(deadline=due if due is not None else end, progress=progress, completed_on=completed_on,
                       started_on=started_on, start=start, today=today)


def days_left(*, deadline: date | None, today: date) -> int | None:
    """Days from `today` to the deadline (0 on the day, negative once past)."""
    return None if deadline is None else (deadline - today).days
