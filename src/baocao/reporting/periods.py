"""Reporting periods, Decree 09/2019/NĐ-CP cut-off windows and sending deadlines.

Pure Python on purpose: the models, the API and the tests all lean on these rules, and
keeping them free of Django makes them cheap to test exhaustively.

Period codes are stable identifiers stored in the database and used in URLs:
``2022M06`` (month), ``2022Q2`` (quarter), ``2022S1``/``2022S2`` (six months),
``2022N9`` (nine months) and ``2022`` (year).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from baocao.core import workdays

MIN_YEAR = 1900
MAX_YEAR = 2999


class Frequency(StrEnum):
    """How often a report is due (Decree 09 Art. 7: "tần suất thực hiện báo cáo")."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SIX_MONTH = "six_month"
    NINE_MONTH = "nine_month"
    ANNUAL = "annual"
    AD_HOC = "ad_hoc"


FREQUENCY_LABELS: dict[Frequency, str] = {
    Frequency.MONTHLY: "Hằng tháng",
    Frequency.QUARTERLY: "Hằng quý",
    Frequency.SIX_MONTH: "6 tháng",
    Frequency.NINE_MONTH: "9 tháng",
    Frequency.ANNUAL: "Hằng năm",
    Frequency.AD_HOC: "Đột xuất",
}

# Frequencies that have numbered periods; ad hoc reports are requested one by one.
PERIODIC_FREQUENCIES: tuple[Frequency, ...] = (
    Frequency.MONTHLY,
    Frequency.QUARTERLY,
    Frequency.SIX_MONTH,
    Frequency.NINE_MONTH,
    Frequency.ANNUAL,
)

_CODE_FORMAT_HINT = "Dạng đúng: 2022M06, 2022Q2, 2022S1, 2022S2, 2022N9, 2022."
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Only ASCII letters are upper-cased: str.upper() would turn e.g. "ſ" into "S" and let
# look-alike characters through a parser that is meant to be strict.
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CODE_RE = re.compile(r"([0-9]{4})(?:M([0-9]{2})|Q([0-9])|S([0-9])|(N9))?")


class PeriodError(ValueError):
    """A period code, period or period rule is invalid; the message is Vietnamese."""


def _first_month(frequency: Frequency, number: int) -> int:
    if frequency is Frequency.MONTHLY:
        return number
    if frequency is Frequency.QUARTERLY:
        return 3 * number - 2
    if frequency is Frequency.SIX_MONTH:
        return 1 if number == 1 else 7
    return 1


def _last_month(frequency: Frequency, number: int) -> int:
    if frequency is Frequency.MONTHLY:
        return number
    if frequency is Frequency.QUARTERLY:
        return 3 * number
    if frequency is Frequency.SIX_MONTH:
        return 6 * number
    if frequency is Frequency.NINE_MONTH:
        return 9
    return 12


def _valid_numbers(frequency: Frequency) -> range:
    if frequency is Frequency.MONTHLY:
        return range(1, 13)
    if frequency is Frequency.QUARTERLY:
        return range(1, 5)
    if frequency is Frequency.SIX_MONTH:
        return range(1, 3)
    if frequency is Frequency.NINE_MONTH:
        return range(9, 10)
    return range(1)


def _require_periodic(frequency: Frequency | str) -> Frequency:
    try:
        periodic = Frequency(frequency)
    except ValueError:
        raise PeriodError(f"Tần suất báo cáo không hợp lệ: «{frequency}».") from None
    if periodic is Frequency.AD_HOC:
        raise PeriodError("Báo cáo đột xuất không có kỳ báo cáo định kỳ.")
    return periodic


def _check_year(year: object) -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"Năm báo cáo phải từ {MIN_YEAR} đến {MAX_YEAR}, nhận được «{year}».")
    return year


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: a year, a frequency and the number of the period in that year.

    ``number`` is the month (1-12), quarter (1-4), half (1-2), 9 for nine months, 0 for a year.
    """

    year: int
    frequency: Frequency
    number: int

    def __post_init__(self) -> None:
        _check_year(self.year)
        # Normalise plain strings ("monthly") so equality and hashing match parsed periods.
        object.__setattr__(self, "frequency", _require_periodic(self.frequency))
        if (
            not isinstance(self.number, int)
            or isinstance(self.number, bool)
            or self.number not in _valid_numbers(self.frequency)
        ):
            raise PeriodError(
                f"Số thứ tự kỳ «{self.number}» không hợp lệ với tần suất "
                f"«{FREQUENCY_LABELS[self.frequency].lower()}»."
            )

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """The stable code, e.g. ``2022M06``, ``2022Q2``, ``2022S1``, ``2022N9``, ``2022``."""
        if self.frequency is Frequency.MONTHLY:
            return f"{self.year}M{self.number:02d}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.year}Q{self.number}"
        if self.frequency is Frequency.SIX_MONTH:
            return f"{self.year}S{self.number}"
        if self.frequency is Frequency.NINE_MONTH:
            return f"{self.year}N9"
        return str(self.year)

    @property
    def label(self) -> str:
        """The Vietnamese name used in report titles, e.g. "Quý II năm 2022"."""
        if self.frequency is Frequency.MONTHLY:
            return f"Tháng {self.number} năm {self.year}"
        if self.frequency is Frequency.QUARTERLY:
            return f"Quý {_ROMAN[self.number]} năm {self.year}"
        if self.frequency is Frequency.SIX_MONTH:
            half = "đầu" if self.number == 1 else "cuối"
            return f"6 tháng {half} năm {self.year}"
        if self.frequency is Frequency.NINE_MONTH:
            return f"9 tháng năm {self.year}"
        return f"Năm {self.year}"

    @property
    def first_month(self) -> int:
        """First calendar month the period covers."""
        return _first_month(self.frequency, self.number)

    @property
    def last_month(self) -> int:
        """Last calendar month the period covers."""
        return _last_month(self.frequency, self.number)

    def previous(self) -> Period:
        """The period just before this one, of the same frequency."""
        numbers = _valid_numbers(self.frequency)
        if self.number > numbers.start:
            return Period(self.year, self.frequency, self.number - 1)
        return Period(self.year - 1, self.frequency, numbers[-1])

    def next(self) -> Period:
        """The period just after this one, of the same frequency."""
        numbers = _valid_numbers(self.frequency)
        if self.number < numbers[-1]:
            return Period(self.year, self.frequency, self.number + 1)
        return Period(self.year + 1, self.frequency, numbers.start)

    def same_period_last_year(self) -> Period:
        """The same period one year earlier (the usual comparison base in reports)."""
        return Period(self.year - 1, self.frequency, self.number)


def parse_period(code: str) -> Period:
    """Parse a period code strictly; surrounding whitespace and letter case are forgiven."""
    if not isinstance(code, str):
        raise PeriodError(f"Mã kỳ báo cáo không hợp lệ: «{code}». {_CODE_FORMAT_HINT}")
    text = code.strip().translate(_ASCII_UPPER)
    match = _CODE_RE.fullmatch(text)
    if match is None:
        raise PeriodError(f"Mã kỳ báo cáo không hợp lệ: «{code}». {_CODE_FORMAT_HINT}")
    year_text, month, quarter, half, nine = match.groups()
    year = int(year_text)
    if month is not None:
        frequency, number = Frequency.MONTHLY, int(month)
    elif quarter is not None:
        frequency, number = Frequency.QUARTERLY, int(quarter)
    elif half is not None:
        frequency, number = Frequency.SIX_MONTH, int(half)
    elif nine is not None:
        frequency, number = Frequency.NINE_MONTH, 9
    else:
        frequency, number = Frequency.ANNUAL, 0
    if not MIN_YEAR <= year <= MAX_YEAR or number not in _valid_numbers(frequency):
        raise PeriodError(f"Mã kỳ báo cáo không hợp lệ: «{code}». {_CODE_FORMAT_HINT}")
    return Period(year, frequency, number)


def periods_in_year(year: int, frequency: Frequency) -> list[Period]:
    """All periods of one frequency in a calendar year, in order."""
    _check_year(year)
    frequency = _require_periodic(frequency)
    return [Period(year, frequency, n) for n in _valid_numbers(frequency)]


# ---------------------------------------------------------------------------
# Cut-off windows (Decree 09/2019/NĐ-CP Art. 12)


@dataclass(frozen=True)
class CutoffRule:
    """When a period's data is cut off ("thời gian chốt số liệu").

    The default is Decree 09 Art. 12: from the ``start_day`` of the month before the
    period's first month to the ``end_day`` of its last month. ``end_day=0`` means calendar
    months instead (1st of the first month to the last day of the last month); ``start_day``
    is then unused.
    """

    start_day: int = 15
    end_day: int = 14

    def __post_init__(self) -> None:
        for value in (self.start_day, self.end_day):
            if not isinstance(value, int) or isinstance(value, bool):
                raise PeriodError("Ngày chốt số liệu phải là số nguyên.")
        if not 1 <= self.start_day <= 28:
            raise PeriodError("Ngày bắt đầu chốt số liệu phải từ 1 đến 28.")
        if not 0 <= self.end_day <= 28:
            raise PeriodError("Ngày kết thúc chốt số liệu phải từ 1 đến 28, hoặc 0 (hết tháng dương lịch).")
        # Windows of consecutive periods must tile the calendar: otherwise some days' data
        # would belong to no report, or to two reports of the same frequency.
        if self.end_day != 0 and self.start_day != self.end_day + 1:
            raise PeriodError(
                "Ngày bắt đầu chốt số liệu phải liền sau ngày kết thúc của kỳ trước "
                f"(ngày kết thúc {self.end_day} thì ngày bắt đầu là {self.end_day + 1})."
            )

    @property
    def is_calendar(self) -> bool:
        """True when windows follow calendar months (``end_day == 0``)."""
        return self.end_day == 0


DECREE09_CUTOFF = CutoffRule()


def _month_before(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def cutoff_window(period: Period, rule: CutoffRule = DECREE09_CUTOFF) -> tuple[date, date]:
    """First and last day (both inclusive) of the period's data cut-off window.

    Decree 09 Art. 12: monthly 15th of the previous month to the 14th; quarterly 15th of the
    month before the quarter to the 14th of its last month; six-month 15/12 of the previous
    year to 14/6 and 15/6 to 14/12; annual 15/12 of the previous year to 14/12. Nine-month
    windows are set by the issuing body; the default extends the pattern to 15/12-14/9.
    """
    first, last = period.first_month, period.last_month
    if rule.is_calendar:
        return date(period.year, first, 1), date(period.year, last, _last_day(period.year, last))
    start_year, start_month = _month_before(period.year, first)
    return date(start_year, start_month, rule.start_day), date(period.year, last, rule.end_day)


def _period_for_month(year: int, month: int, frequency: Frequency) -> Period | None:
    """The period of ``frequency`` whose window ends in (year, month)'s window, if any."""
    if frequency is Frequency.MONTHLY:
        return Period(year, frequency, month)
    if frequency is Frequency.QUARTERLY:
        return Period(year, frequency, (month - 1) // 3 + 1)
    if frequency is Frequency.SIX_MONTH:
        return Period(year, frequency, 1 if month <= 6 else 2)
    if frequency is Frequency.NINE_MONTH:
        return Period(year, frequency, 9) if month <= 9 else None
    return Period(year, frequency, 0)


def _effective_month(day: date, rule: CutoffRule) -> tuple[int, int]:
    """The month whose monthly window contains ``day`` (shifted by the cut-off)."""
    if rule.is_calendar or day.day <= rule.end_day:
        return day.year, day.month
    return _add_months(day.year, day.month, 1)


def period_containing(day: date, frequency: Frequency, rule: CutoffRule = DECREE09_CUTOFF) -> Period:
    """The period whose cut-off window contains ``day``.

    Windows are shifted by the cut-off: 2021-12-20 lies in the windows of 2022M01, 2022Q1,
    2022S1 and 2022. Nine-month windows leave 15/9-14/12 uncovered; a day there raises
    PeriodError (see :func:`latest_period` for a total alternative).
    """
    frequency = _require_periodic(frequency)
    year, month = _effective_month(day, rule)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi năm báo cáo {MIN_YEAR}-{MAX_YEAR}.")
    period = _period_for_month(year, month, frequency)
    if period is None:
        raise PeriodError(
            f"Ngày {day:%d/%m/%Y} không thuộc thời gian chốt số liệu của kỳ báo cáo 9 tháng nào."
        )
    return period


def latest_period(day: date, frequency: Frequency, rule: CutoffRule = DECREE09_CUTOFF) -> Period:
    """The period containing ``day``, or else the latest one whose window ended before it.

    Equal to :func:`period_containing` for every frequency except nine-month reports, where
    a day between the N9 window's end and the next year's window start maps to that year's N9.
    """
    frequency = _require_periodic(frequency)
    if frequency is not Frequency.NINE_MONTH:
        return period_containing(day, frequency, rule)
    year, _ = _effective_month(day, rule)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(f"Ngày {day:%d/%m/%Y} nằm ngoài phạm vi năm báo cáo {MIN_YEAR}-{MAX_YEAR}.")
    return Period(year, frequency, 9)


# ---------------------------------------------------------------------------
# Sending deadlines


@dataclass(frozen=True)
class DeadlineRule:
    """Deadline = ``day`` of (the period's last month + ``month_offset``).

    ``day`` is 1-28, or 31 meaning the last day of that month.
    """

    month_offset: int
    day: int

    def __post_init__(self) -> None:
        for value in (self.month_offset, self.day):
            if not isinstance(value, int) or isinstance(value, bool):
                raise PeriodError("Thời hạn gửi báo cáo phải ghi bằng số nguyên.")
        if not -12 <= self.month_offset <= 12:
            raise PeriodError("Số tháng lệch của thời hạn gửi báo cáo phải từ -12 đến 12.")
        if not (1 <= self.day <= 28 or self.day == 31):
            raise PeriodError("Ngày của thời hạn gửi báo cáo phải từ 1 đến 28, hoặc 31 (ngày cuối tháng).")


DeadlineRules = Mapping[Frequency, DeadlineRule]

# Circular 02/2023/TT-BTTTT (in force from 2023-06-01), units sending to the receiving body:
# monthly by the 15th of the month, quarterly by the 6th of the quarter's last month,
# six-month by 6 June / 6 December, annual by 25 November. It sets no nine-month deadline.
TT02_2023_DEADLINES: dict[Frequency, DeadlineRule] = {
    Frequency.MONTHLY: DeadlineRule(0, 15),
    Frequency.QUARTERLY: DeadlineRule(0, 6),
    Frequency.SIX_MONTH: DeadlineRule(0, 6),
    Frequency.ANNUAL: DeadlineRule(-1, 25),
}

DEADLINE_PRESETS: dict[str, dict[Frequency, DeadlineRule]] = {"tt02-2023": TT02_2023_DEADLINES}


def deadline_for(period: Period, rules: Mapping[Frequency, DeadlineRule]) -> date:
    """The sending deadline of ``period`` under a regime's deadline rules."""
    rule = rules.get(period.frequency)
    if rule is None:
        raise PeriodError(
            "Chế độ báo cáo chưa quy định thời hạn gửi cho báo cáo "
            f"«{FREQUENCY_LABELS[period.frequency].lower()}»."
        )
    year, month = _add_months(period.year, period.last_month, rule.month_offset)
    return date(year, month, min(rule.day, _last_day(year, month)))


_RULE_KEYS = frozenset({"month_offset", "day"})


def deadline_rules_from_json(data: Mapping[str, Mapping[str, int]]) -> dict[Frequency, DeadlineRule]:
    """Read deadline rules stored as JSON, e.g. ``{"six_month": {"month_offset": 0, "day": 20}}``."""
    if not isinstance(data, Mapping):
        raise PeriodError("Thời hạn gửi báo cáo phải là một bảng theo tần suất.")
    rules: dict[Frequency, DeadlineRule] = {}
    for key, value in data.items():
        try:
            frequency = _require_periodic(key)
        except PeriodError:
            raise PeriodError(f"Tần suất không hợp lệ trong thời hạn gửi báo cáo: «{key}».") from None
        if not isinstance(value, Mapping) or set(value) != _RULE_KEYS:
            raise PeriodError(f"Thời hạn gửi báo cáo «{key}» phải có đúng hai mục «month_offset» và «day».")
        rules[frequency] = DeadlineRule(value["month_offset"], value["day"])
    return rules


def deadline_rules_to_json(rules: Mapping[Frequency, DeadlineRule]) -> dict[str, dict[str, int]]:
    """Inverse of :func:`deadline_rules_from_json`, in a stable frequency order."""
    return {
        str(frequency): {"month_offset": rules[frequency].month_offset, "day": rules[frequency].day}
        for frequency in PERIODIC_FREQUENCIES
        if frequency in rules
    }


# ---------------------------------------------------------------------------
# Working days


def working_days_between(start: date, end: date, holidays: Callable[[date], bool] | None = None) -> int:
    """Working days d with ``start < d <= end``: Monday-Friday and not ``holidays(d)``."""
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and not (holidays is not None and holidays(day)):
            count += 1
        day += timedelta(days=1)
    return count


def is_vietnam_holiday(day: date) -> bool:
    """Public holiday in Vietnam per the ``holidays`` package (Tết, 30/4, 1/5, 2/9, ...).

    The calendar, and the days off the package does not know yet, live in
    :mod:`baocao.core.workdays`.
    """
    return workdays.is_public_holiday(day)


def deadline_gap_problem(window_end: date, deadline: date) -> str | None:
    """Decree 09 Art. 12: at least one working day between the cut-off and the deadline.

    Returns a Vietnamese message when the deadline is not at least one working day
    (Monday-Friday, not a Vietnamese public holiday) after ``window_end``; otherwise None.
    """
    if working_days_between(window_end, deadline, is_vietnam_holiday) >= 1:
        return None
    return (
        f"Thời hạn gửi báo cáo ({deadline:%d/%m/%Y}) phải sau ngày kết thúc chốt số liệu "
        f"({window_end:%d/%m/%Y}) ít nhất 01 ngày làm việc."
    )


def period_order(period: Period) -> tuple[int, int, int]:
    """Periods in time order: by the month they end, then the one that starts later first, so a
    year's halves come before its annual report (2021S1 < 2021S2 < 2021) and a quarter before the
    nine months ending with it."""
    return (period.year, period.last_month, -period.first_month)
