"""Task status from dates and progress (work/status.py): pure, no database.

The rules: the deadline day itself is not overdue, the day after is; days are Vietnam days
(Asia/Ho_Chi_Minh, UTC+7); recurring tasks are judged against their current occurrence.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.clock import local_date, today_vn
from baocao.work.choices import Recurrence, TaskStatus
from baocao.work.status import (
    days_left,
    occurrence_deadline,
    previous_occurrence,
    recurring_status,
    task_status,
)

DEADLINE = date(2022, 7, 20)


def status(*, deadline=DEADLINE, progress=0, completed_on=None, started_on=None, start=None, today):
    return task_status(deadline=deadline, progress=progress, completed_on=completed_on, started_on=started_on,
                       start=start, today=today)


class TestOneOff:
    def test_not_started(self):
        assert status(today=date(2022, 7, 1)) == TaskStatus.NOT_STARTED

    def test_in_progress_by_progress_or_by_start(self):
        assert status(progress=40, today=date(2022, 7, 1)) == TaskStatus.IN_PROGRESS
        assert status(started_on=date(2022, 6, 30), today=date(2022, 7, 1)) == TaskStatus.IN_PROGRESS

    def test_the_deadline_day_itself_is_not_overdue(self):
        assert status(today=DEADLINE) == TaskStatus.NOT_STARTED
        assert status(progress=50, today=DEADLINE) == TaskStatus.IN_PROGRESS

    def test_the_day_after_the_deadline_is_overdue(self):
        assert status(today=DEADLINE + timedelta(days=1)) == TaskStatus.OVERDUE
        assert status(progress=99, today=DEADLINE + timedelta(days=1)) == TaskStatus.OVERDUE

    def test_done_on_the_deadline_day_is_on_time(self):
        assert status(progress=100, completed_on=DEADLINE, today=date(2022, 12, 31)) == TaskStatus.DONE_ON_TIME

    def test_done_after_the_deadline_is_late(self):
        assert status(progress=100, completed_on=date(2022, 7, 21), today=date(2022, 12, 31)) == TaskStatus.DONE_LATE

    def test_without_deadline_never_overdue_and_done_is_on_time(self):
        assert status(deadline=None, today=date(2030, 1, 1)) == TaskStatus.NOT_STARTED
        assert status(deadline=None, progress=100, completed_on=date(2030, 1, 1),
                      today=date(2030, 1, 1)) == TaskStatus.DONE_ON_TIME

    def test_planned_start_in_the_future_does_not_change_the_status(self):
        assert status(start=date(2022, 7, 10), today=date(2022, 7, 1)) == TaskStatus.NOT_STARTED

    def test_as_of_a_day_before_completion_the_task_was_still_open(self):
        done = {"progress": 100, "completed_on": date(2022, 7, 25), "started_on": date(2022, 7, 1)}
        assert status(**done, today=date(2022, 7, 15)) == TaskStatus.IN_PROGRESS
        assert status(**done, today=date(2022, 7, 22)) == TaskStatus.OVERDUE
        assert status(**done, today=date(2022, 7, 25)) == TaskStatus.DONE_LATE
        assert status(progress=30, started_on=date(2022, 7, 10), today=date(2022, 7, 5)) == TaskStatus.NOT_STARTED

    def test_hundred_percent_without_completion_day_counts_as_done_today(self):
        assert status(progress=100, today=DEADLINE) == TaskStatus.DONE_ON_TIME
        assert status(progress=100, today=DEADLINE + timedelta(days=1)) == TaskStatus.DONE_LATE

    def test_days_left(self):
        assert days_left(deadline=DEADLINE, today=date(2022, 7, 17)) == 3
        assert days_left(deadline=DEADLINE, today=DEADLINE) == 0
        assert days_left(deadline=DEADLINE, today=date(2022, 7, 22)) == -2
        assert days_left(deadline=None, today=DEADLINE) is None


class TestTimeZone:
    """Asia/Ho_Chi_Minh is UTC+7: the deadline day ends at 17:00 UTC."""

    def test_update_at_2330_vietnam_time_on_the_deadline_day_is_on_time(self):
        at = datetime(2022, 7, 20, 16, 30, tzinfo=UTC)  # 23:30 in Hà Nội
        assert local_date(at) == DEADLINE
        assert status(progress=100, completed_on=local_date(at), today=date(2022, 8, 1)) == TaskStatus.DONE_ON_TIME

    def test_update_at_0030_the_next_day_is_late_though_still_the_deadline_day_in_utc(self):
        at = datetime(2022, 7, 20, 17, 30, tzinfo=UTC)  # 00:30 on 21/7 in Hà Nội
        assert at.date() == DEADLINE
        assert local_date(at) == date(2022, 7, 21)
        assert status(progress=100, completed_on=local_date(at), today=date(2022, 8, 1)) == TaskStatus.DONE_LATE

    def test_recurring_updates_given_as_moments_are_read_in_vietnam_time(self):
        common = {"recurrence": Recurrence.MONTHLY, "recurrence_day": 20, "start": date(2022, 1, 1),
                  "end": date(2022, 7, 20), "today": date(2022, 8, 1)}
        on_time = [(datetime(2022, 7, 20, 16, 30, tzinfo=UTC), 100)]
        late = [(datetime(2022, 7, 20, 17, 30, tzinfo=UTC), 100)]
        assert recurring_status(updates=on_time, **common) == TaskStatus.DONE_ON_TIME
        assert recurring_status(updates=late, **common) == TaskStatus.DONE_LATE

    def test_today_vn_is_the_date_in_vietnam(self):
        now = datetime.now(UTC)
        assert today_vn() in {local_date(now), local_date(now + timedelta(seconds=5))}


class TestOccurrences:
    def occurrence(self, today, *, recurrence=Recurrence.MONTHLY, day=15, start=None, end=None):
        return occurrence_deadline(recurrence=recurrence, recurrence_day=day, start=start, end=end, today=today)

    def test_one_off_task_is_due_on_its_deadline(self):
        assert occurrence_deadline(recurrence="", recurrence_day=None, start=None, end=DEADLINE,
                                   today=date(2022, 1, 1)) == DEADLINE

    def test_monthly_first_due_date_on_or_after_today(self):
        assert self.occurrence(date(2022, 7, 10)) == date(2022, 7, 15)
        assert self.occurrence(date(2022, 7, 15)) == date(2022, 7, 15)
        assert self.occurrence(date(2022, 7, 16)) == date(2022, 8, 15)
        assert self.occurrence(date(2022, 12, 16)) == date(2023, 1, 15)

    def test_day_31_is_the_last_day_of_short_months(self):
        assert self.occurrence(date(2022, 2, 1), day=31) == date(2022, 2, 28)
        assert self.occurrence(date(2022, 4, 1), day=31) == date(2022, 4, 30)
        assert self.occurrence(date(2022, 3, 1), day=31) == date(2022, 3, 31)

    def test_leap_years(self):
        assert self.occurrence(date(2024, 2, 1), day=31) == date(2024, 2, 29)
        assert self.occurrence(date(2024, 2, 1), day=30) == date(2024, 2, 29)
        assert self.occurrence(date(2024, 2, 29), day=29) == date(2024, 2, 29)
        assert self.occurrence(date(2023, 2, 1), day=29) == date(2023, 2, 28)
        assert self.occurrence(date(2100, 2, 1), day=29) == date(2100, 2, 28)  # not a leap year
        assert self.occurrence(date(2000, 2, 1), day=29) == date(2000, 2, 29)  # a leap year
        assert self.occurrence(date(2024, 1, 1), recurrence=Recurrence.QUARTERLY, day=31) == date(2024, 3, 31)

    def test_quarterly_is_due_in_the_last_month_of_the_quarter(self):
        q = Recurrence.QUARTERLY
        assert self.occurrence(date(2022, 1, 5), recurrence=q, day=6) == date(2022, 3, 6)
        assert self.occurrence(date(2022, 3, 6), recurrence=q, day=6) == date(2022, 3, 6)
        assert self.occurrence(date(2022, 3, 7), recurrence=q, day=6) == date(2022, 6, 6)
        assert self.occurrence(date(2022, 11, 1), recurrence=q, day=31) == date(2022, 12, 31)
        assert self.occurrence(date(2022, 12, 7), recurrence=q, day=6) == date(2023, 3, 6)
        assert self.occurrence(date(2022, 8, 1), recurrence=q, day=31) == date(2022, 9, 30)

    def test_series_starts_at_start(self):
        assert self.occurrence(date(2022, 1, 1), start=date(2022, 7, 20)) == date(2022, 8, 15)

    def test_after_the_series_end_the_last_occurrence_stays_current(self):
        assert self.occurrence(date(2022, 9, 1), end=date(2022, 7, 31)) == date(2022, 7, 15)
        assert self.occurrence(date(2022, 7, 20), end=date(2022, 8, 10)) == date(2022, 7, 15)
        assert self.occurrence(date(2023, 1, 1), recurrence=Recurrence.QUARTERLY, day=6,
                               end=date(2022, 12, 31)) == date(2022, 12, 6)

    def test_series_without_any_due_date(self):
        assert self.occurrence(date(2022, 7, 1), start=date(2022, 7, 16), end=date(2022, 8, 10)) is None

    def test_previous_occurrence(self):
        assert previous_occurrence(recurrence=Recurrence.MONTHLY, recurrence_day=31, start=None,
                                   due=date(2022, 3, 31)) == date(2022, 2, 28)
        assert previous_occurrence(recurrence=Recurrence.QUARTERLY, recurrence_day=6, start=None,
                                   due=date(2022, 3, 6)) == date(2021, 12, 6)
        assert previous_occurrence(recurrence=Recurrence.MONTHLY, recurrence_day=15, start=date(2022, 7, 1),
                                   due=date(2022, 7, 15)) is None


class TestRecurringStatus:
    MONTHLY = {"recurrence": Recurrence.MONTHLY, "recurrence_day": 15, "start": date(2022, 1, 1),
               "end": date(2022, 12, 31)}

    def test_no_update_in_this_cycle_is_not_started(self):
        updates = [(date(2022, 6, 10), 100)]  # the June occurrence
        assert recurring_status(updates=updates, today=date(2022, 7, 1), **self.MONTHLY) == TaskStatus.NOT_STARTED

    def test_update_on_the_previous_due_day_belongs_to_the_previous_occurrence(self):
        updates = [(date(2022, 6, 15), 100)]
        assert recurring_status(updates=updates, today=date(2022, 6, 15), **self.MONTHLY) == TaskStatus.DONE_ON_TIME
        assert recurring_status(updates=updates, today=date(2022, 6, 16), **self.MONTHLY) == TaskStatus.NOT_STARTED

    def test_progress_since_the_previous_due_date(self):
        updates = [(date(2022, 6, 14), 100), (date(2022, 6, 16), 30)]
        assert recurring_status(updates=updates, today=date(2022, 7, 1), **self.MONTHLY) == TaskStatus.IN_PROGRESS

    def test_done_in_this_cycle(self):
        updates = [(date(2022, 7, 2), 50), (date(2022, 7, 10), 100)]
        assert recurring_status(updates=updates, today=date(2022, 7, 12), **self.MONTHLY) == TaskStatus.DONE_ON_TIME

    def test_back_below_100_reopens(self):
        updates = [(date(2022, 7, 2), 100), (date(2022, 7, 10), 80)]
        assert recurring_status(updates=updates, today=date(2022, 7, 12), **self.MONTHLY) == TaskStatus.IN_PROGRESS

    def test_updates_after_today_are_ignored(self):
        updates = [(date(2022, 7, 2), 40), (date(2022, 7, 14), 100)]
        assert recurring_status(updates=updates, today=date(2022, 7, 10), **self.MONTHLY) == TaskStatus.IN_PROGRESS

    def test_last_occurrence_overdue_after_the_series_end(self):
        series = dict(self.MONTHLY, end=date(2022, 7, 31))
        assert recurring_status(updates=[], today=date(2022, 8, 1), **series) == TaskStatus.OVERDUE
        late = [(date(2022, 7, 20), 100)]
        assert recurring_status(updates=late, today=date(2022, 8, 1), **series) == TaskStatus.DONE_LATE

    def test_quarterly(self):
        quarterly = {"recurrence": Recurrence.QUARTERLY, "recurrence_day": 6, "start": None, "end": None}
        updates = [(date(2022, 3, 5), 100), (date(2022, 4, 1), 20)]
        assert recurring_status(updates=updates, today=date(2022, 3, 6), **quarterly) == TaskStatus.DONE_ON_TIME
        assert recurring_status(updates=updates, today=date(2022, 5, 1), **quarterly) == TaskStatus.IN_PROGRESS
        assert recurring_status(updates=updates[:1], today=date(2022, 5, 1), **quarterly) == TaskStatus.NOT_STARTED

    def test_leap_day_due_date(self):
        series = {"recurrence": Recurrence.MONTHLY, "recurrence_day": 31, "start": None, "end": date(2024, 2, 29)}
        assert recurring_status(updates=[(date(2024, 2, 29), 100)], today=date(2024, 3, 1),
                                **series) == TaskStatus.DONE_ON_TIME
        assert recurring_status(updates=[(date(2024, 3, 1), 100)], today=date(2024, 3, 1),
                                **series) == TaskStatus.DONE_LATE

    def test_without_valid_recurrence_falls_back_to_the_deadline(self):
        bad = {"recurrence": Recurrence.MONTHLY, "recurrence_day": None, "start": None, "end": DEADLINE}
        assert recurring_status(updates=[], today=date(2022, 7, 21), **bad) == TaskStatus.OVERDUE
        assert recurring_status(updates=[(date(2022, 7, 1), 100)], today=date(2022, 7, 21),
                                **bad) == TaskStatus.DONE_ON_TIME


DATES = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
OPTIONAL_DATES = st.none() | DATES
PROGRESS = st.integers(min_value=0, max_value=100)
RECURRENCE = st.sampled_from(Recurrence.values)
DAYS = st.none() | st.integers(min_value=1, max_value=31)


@given(deadline=OPTIONAL_DATES, progress=PROGRESS, completed_on=OPTIONAL_DATES, started_on=OPTIONAL_DATES,
       start=OPTIONAL_DATES, today=DATES)
def test_task_status_is_total(deadline, progress, completed_on, started_on, start, today):
    result = task_status(deadline=deadline, progress=progress, completed_on=completed_on, started_on=started_on,
                         start=start, today=today)
    assert result in TaskStatus.values
    if progress < 100 and deadline is not None and today > deadline:
        assert result == TaskStatus.OVERDUE
    if deadline is not None and today <= deadline and progress < 100:
        assert result != TaskStatus.OVERDUE


@given(recurrence=RECURRENCE, day=DAYS, start=OPTIONAL_DATES, end=OPTIONAL_DATES, today=DATES,
       updates=st.lists(st.tuples(DATES, PROGRESS), max_size=6))
def test_recurring_status_and_occurrence_are_total(recurrence, day, start, end, today, updates):
    due = occurrence_deadline(recurrence=recurrence, recurrence_day=day, start=start, end=end, today=today)
    assert due is None or isinstance(due, date)
    if recurrence and day and due is not None:
        assert start is None or due >= start
        assert end is None or due <= end
        if due < today:
            # Only the series' last occurrence stays current once its day has passed.
            following = occurrence_deadline(recurrence=recurrence, recurrence_day=day, start=start, end=None,
                                            today=due + timedelta(days=1)) if due < date(9999, 1, 1) else None
            assert end is not None and (following is None or following > end)
    result = recurring_status(recurrence=recurrence, recurrence_day=day, start=start, end=end, updates=updates,
                              today=today)
    assert result in TaskStatus.values


@pytest.mark.parametrize("day", [1, 15, 28, 29, 30, 31])
@given(today=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_monthly_occurrence_is_within_a_month_of_today(day, today):
    due = occurrence_deadline(recurrence=Recurrence.MONTHLY, recurrence_day=day, start=None, end=None, today=today)
    assert today <= due <= today + timedelta(days=31)
    assert due.day == min(day, calendar.monthrange(due.year, due.month)[1])
