"""Vietnam's working-day calendar (baocao.core.workdays): Labour Code 2019 Art. 111-112 holidays,
the Government's swaps of working days, and Civil Code 2015 Art. 147(2) / 148(5) counting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.core import workdays
from baocao.core.workdays import (
    add_calendar_days,
    add_working_days,
    calendar_deadline,
    is_public_holiday,
    is_working_day,
    next_working_day_on_or_after,
    working_days_between,
)
from baocao.reporting.periods import is_vietnam_holiday

# Weekdays off for the public sector, as the holidays package has them and as the module docstring
# lists them (checked against the Government's notices); weekend holidays are left out.
WEEKDAYS_OFF = {
    2022: ["01-03", "01-31", "02-01", "02-02", "02-03", "02-04", "04-11", "05-02", "05-03", "09-01", "09-02"],
    2023: ["01-02", "01-20", "01-23", "01-24", "01-25", "01-26", "05-01", "05-02", "05-03", "09-01", "09-04"],
    2024: ["01-01", "02-08", "02-09", "02-12", "02-13", "02-14", "04-18", "04-29", "04-30", "05-01",
           "09-02", "09-03"],
    2025: ["01-01", "01-27", "01-28", "01-29", "01-30", "01-31", "04-07", "04-30", "05-01", "05-02",
           "09-01", "09-02"],
}
# Saturdays worked in exchange for a day off.
SWAPPED_SATURDAYS = {2022: [], 2023: [], 2024: ["05-04"], 2025: ["04-26"]}


@pytest.mark.parametrize("year", sorted(WEEKDAYS_OFF))
def test_weekdays_off_2022_to_2025_are_the_verified_ones(year: int) -> None:
    """Labour Code 2019 Art. 112 holidays, Art. 111(3) compensatory days, and the swaps decided for
    civil servants (Công văn 2450/VPCP-KGVX 2024; Thông báo 6150/TB-BLĐTBXH 2024 for Tết 2025)."""
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(366 if year % 4 == 0 else 365)]
    off = [f"{d:%m-%d}" for d in days if d.weekday() < 5 and not is_working_day(d)]
    worked_weekend = [f"{d:%m-%d}" for d in days if d.weekday() >= 5 and is_working_day(d)]
    assert off == WEEKDAYS_OFF[year]
    assert worked_weekend == SWAPPED_SATURDAYS[year]


def test_tet_2023_is_seven_days_off() -> None:
    """Tết Quý Mão: 20/01/2023 (29 Tết) to 26/01/2023 (mùng 5), weekend included; 27/01 is worked."""
    for day in range(20, 27):
        assert not is_working_day(date(2023, 1, day))
    assert is_working_day(date(2023, 1, 19))
    assert is_working_day(date(2023, 1, 27))


def test_2024_swap_29_april_off_4_may_worked() -> None:
    """Công văn 2450/VPCP-KGVX (2024): Monday 29/04/2024 off, Saturday 04/05/2024 worked instead."""
    assert not is_working_day(date(2024, 4, 29))
    assert is_public_holiday(date(2024, 4, 29))
    assert is_working_day(date(2024, 5, 4))
    assert not is_working_day(date(2024, 5, 5))  # the Sunday stays off


def test_2025_swap_2_may_off_26_april_worked() -> None:
    assert not is_working_day(date(2025, 5, 2))
    assert is_working_day(date(2025, 4, 26))


def test_a_swap_across_the_year_end() -> None:
    """Công văn 6519/VPCP-KGVX (2018): Monday 31/12/2018 off, Saturday 05/01/2019 worked."""
    assert not is_working_day(date(2018, 12, 31))
    assert is_working_day(date(2019, 1, 5))


def test_national_day_on_a_saturday_gives_monday_off() -> None:
    """Labour Code 2019 Art. 111(3): 02/09/2023 was a Saturday, so Monday 04/09/2023 was off."""
    assert not is_working_day(date(2023, 9, 4))
    assert is_working_day(date(2023, 9, 5))


def test_weekends_are_off_and_ordinary_weekdays_worked() -> None:
    assert not is_working_day(date(2023, 3, 11))  # Saturday
    assert not is_working_day(date(2023, 3, 12))  # Sunday
    assert is_working_day(date(2023, 3, 13))


def test_extra_days_off_and_makeup_days_win_over_the_package(monkeypatch) -> None:
    """The committed tables hold decisions the package does not know yet, each with its notice."""
    monday, saturday = date(2030, 3, 4), date(2030, 3, 9)
    assert is_working_day(monday) and not is_working_day(saturday)
    monkeypatch.setattr(workdays, "EXTRA_DAYS_OFF", {monday: "Thông báo (thử)"})
    monkeypatch.setattr(workdays, "MAKEUP_WORKING_DAYS", {saturday: "Thông báo (thử)"})
    assert not is_working_day(monday)
    assert is_public_holiday(monday)
    assert is_vietnam_holiday(monday)  # the reporting deadline check shares the calendar
    assert is_working_day(saturday)
    assert add_working_days(date(2030, 3, 1), 1) == date(2030, 3, 5)


def test_periods_holiday_check_uses_the_same_calendar() -> None:
    assert is_vietnam_holiday(date(2023, 1, 23))
    assert is_vietnam_holiday(date(2024, 4, 29))
    assert not is_vietnam_holiday(date(2023, 1, 27))


def test_add_working_days_does_not_count_the_start() -> None:
    """Civil Code 2015 Art. 147(2): the first day of a period is the day after the event."""
    friday = date(2023, 3, 10)
    assert add_working_days(friday, 1) == date(2023, 3, 13)
    assert add_working_days(friday, 5) == date(2023, 3, 17)
    assert add_working_days(friday, 0) == friday
    with pytest.raises(ValueError):
        add_working_days(friday, -1)


def test_working_days_between_is_antisymmetric() -> None:
    a, b = date(2023, 1, 16), date(2023, 2, 6)
    assert working_days_between(a, b) == 10  # Tết 2023 in between
    assert working_days_between(b, a) == -10
    assert working_days_between(a, a) == 0


def test_a_calendar_limit_ending_on_sunday_ends_on_monday() -> None:
    """Civil Code 2015 Art. 148(5): a last day on a weekly day off moves to the next working day."""
    assert add_calendar_days(date(2023, 3, 10), 30) == date(2023, 4, 9)  # a Sunday
    assert calendar_deadline(date(2023, 3, 10), 30) == date(2023, 4, 10)
    assert next_working_day_on_or_after(date(2023, 4, 9)) == date(2023, 4, 10)
    assert next_working_day_on_or_after(date(2023, 4, 10)) == date(2023, 4, 10)


def test_a_calendar_limit_ending_on_a_holiday_run_ends_after_it() -> None:
    """Civil Code 2015 Art. 148(5): 02/05/2023 is a compensatory day off and 03/05 too: Thursday 04/05."""
    assert calendar_deadline(date(2023, 4, 2), 30) == date(2023, 5, 4)
    assert next_working_day_on_or_after(date(2023, 4, 29)) == date(2023, 5, 4)


def test_leap_day_is_a_day_and_a_working_day() -> None:
    assert add_calendar_days(date(2024, 2, 28), 1) == date(2024, 2, 29)
    assert add_calendar_days(date(2023, 2, 28), 1) == date(2023, 3, 1)
    assert add_working_days(date(2024, 2, 28), 1) == date(2024, 2, 29)  # a Thursday
    assert working_days_between(date(2024, 2, 26), date(2024, 3, 1)) == 4


def test_add_calendar_days_refuses_negative() -> None:
    with pytest.raises(ValueError):
        add_calendar_days(date(2023, 1, 1), -1)


_dates = st.dates(date(2015, 1, 1), date(2035, 12, 31))


@settings(max_examples=200, deadline=None)
@given(_dates, st.integers(1, 120))
def test_add_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    assert is_working_day(add_working_days(start, n))


@settings(max_examples=200, deadline=None)
@given(_dates, st.integers(0, 120))
def test_add_working_days_is_strictly_increasing(start: date, n: int) -> None:
    assert add_working_days(start, n) < add_working_days(start, n + 1)


@settings(max_examples=200, deadline=None)
@given(_dates, st.integers(0, 120))
def test_working_days_between_inverts_add_working_days(start: date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(_dates, st.integers(0, 120))
def test_calendar_deadline_is_the_first_working_day_from_the_plain_end(start: date, n: int) -> None:
    end = add_calendar_days(start, n)
    deadline = calendar_deadline(start, n)
    assert is_working_day(deadline)
    assert deadline >= end
    assert all(not is_working_day(end + timedelta(days=i)) for i in range((deadline - end).days))
