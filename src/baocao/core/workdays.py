"""Vietnam's calendar of working days for public bodies, and how legal time limits count on it.

Pure Python (no Django), so deadlines are cheap to test exhaustively.

A working day is Monday-Friday and not a day off, or a Saturday/Sunday the Government declared a
working day in exchange for a day off ("ngày làm bù").

Days off come from the ``holidays`` package (``holidays.country_holidays("VN")``): the holidays of
the Labour Code 2019 Art. 112 (New Year, Tết Nguyên Đán, Hùng Kings' day, 30/4, 1/5, 2/9 and one
adjacent day since 2021), the compensatory days when a holiday falls on a weekend (Art. 111(3):
"nghỉ bù"), the extra Tết day-offs of the public sector, and the working-day swaps the
Government decided for civil servants, with the swapped Saturday in the package's
``weekend_workdays``. Checked against the package (holidays 0.108) for 2022-2025:

* 2022: 03/01 (for 01/01, a Saturday); Tết 31/01-04/02; 11/04 (Hùng Kings' day 10/04, a Sunday);
  02/05 and 03/05 (for 30/4 and 1/5, a weekend); 01/09-02/09. No swapped Saturday.
* 2023: 02/01 (for 01/01, a Sunday: a compensatory day, not a swap); Tết 20/01-26/01; 01/05;
  02/05 and 03/05 (for Hùng Kings' day 29/04, a Saturday, and 30/04, a Sunday); 01/09, and 04/09
  for 02/09, a Saturday. No swapped Saturday.
* 2024: 01/01; Tết 08/02-14/02; 18/04; 29/04 off in exchange for Saturday 04/05 worked (Công văn
  2450/VPCP-KGVX of 2024); 30/04, 01/05; 02/09-03/09.
* 2025: 01/01; Tết 27/01-31/01 (Thông báo 6150/TB-BLĐTBXH of 2024); 07/04; 30/04, 01/05; 02/05 off
  in exchange for Saturday 26/04 worked; 01/09-02/09.

So nothing is missing for those years and the two tables below are empty. When the Government
announces a day off or a swap the package does not know yet, add it here with the notice that
decided it, e.g. ``date(2027, 1, 4): "Thông báo số .../TB-BNV ..."``; both tables win over the
package. ``MAKEUP_WORKING_DAYS`` holds weekend days declared working days; ``EXTRA_DAYS_OFF`` holds
weekdays declared days off.

Counting (Civil Code 2015): a period in days starts the day after the event, which is not counted
(Art. 147(2)); when its last day is a weekly day off or a holiday, the period ends at the end of the
next working day (Art. 148(5)).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

# Weekdays declared days off for the public sector that the holidays package lacks: date -> notice.
EXTRA_DAYS_OFF: Mapping[date, str] = MappingProxyType({})

# Saturdays/Sundays declared working days ("làm bù") that the package lacks: date -> notice.
MAKEUP_WORKING_DAYS: Mapping[date, str] = MappingProxyType({})

_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=64)
def _package_days(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend working days) of ``year`` according to the holidays package."""
    # Imported lazily: the package is large and most requests never count days.
    import holidays as holidays_package

    # A swap may cross the year end (31/12/2018 off for Saturday 05/01/2019 worked): the package
    # files the worked Saturday under the year of the day off, so ask for the neighbours too.
    calendar = holidays_package.country_holidays("VN", years=range(year - 1, year + 2))
    days_off = frozenset(day for day in calendar if day.year == year)
    makeup = frozenset(day for day in calendar.weekend_workdays if day.year == year and day.weekday() >= 5)
    return days_off, makeup


def is_public_holiday(day: date) -> bool:
    """A public holiday or declared day off (Tết, 30/4, 1/5, 2/9, compensatory or swapped days)."""
    if day in EXTRA_DAYS_OFF:
        return True
    return day in _package_days(day.year)[0]


def is_working_day(day: date) -> bool:
    """Monday-Friday and not a day off, or a weekend day declared a working day."""
    if day.weekday() >= 5:
        return day in MAKEUP_WORKING_DAYS or day in _package_days(day.year)[1]
    return not is_public_holiday(day)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``; ``start`` itself is not counted (Civil Code Art. 147(2)).

    ``n == 0`` returns ``start`` unchanged.
    """
    if n < 0:
        raise ValueError("Số ngày làm việc phải không âm.")
    day = start
    while n:
        day += _ONE_DAY
        if is_working_day(day):
            n -= 1
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days d with ``a < d <= b``; negative (the same count) when ``b`` is before ``a``."""
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a + _ONE_DAY
    while day <= b:
        if is_working_day(day):
            count += 1
        day += _ONE_DAY
    return count


def add_calendar_days(start: date, n: int) -> date:
    """The last day of a period of ``n`` calendar days starting after ``start`` (Civil Code Art. 147(2)).

    Not moved off days off: see :func:`calendar_deadline` for the end of a legal time limit.
    """
    if n < 0:
        raise ValueError("Số ngày phải không âm.")
    return start + timedelta(days=n)


def next_working_day_on_or_after(day: date) -> date:
    """``day`` if it is a working day, else the next one.

    Civil Code 2015 Art. 148(5): when the last day of a period is a weekly day off or a holiday,
    the period ends at the end of the next working day.
    """
    while not is_working_day(day):
        day += _ONE_DAY
    return day


def calendar_deadline(start: date, n: int) -> date:
    """The end of a time limit of ``n`` calendar days from ``start`` (Civil Code Art. 147(2), 148(5))."""
    return next_working_day_on_or_after(add_calendar_days(start, n))
