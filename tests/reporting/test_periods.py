"""Reporting periods, Decree 09/2019/NĐ-CP Art. 12 cut-off windows and deadlines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.reporting.periods import (
    DEADLINE_PRESETS,
    DECREE09_CUTOFF,
    FREQUENCY_LABELS,
    PERIODIC_FREQUENCIES,
    TT02_2023_DEADLINES,
    CutoffRule,
    DeadlineRule,
    Frequency,
    Period,
    PeriodError,
    cutoff_window,
    deadline_for,
    deadline_gap_problem,
    deadline_rules_from_json,
    deadline_rules_to_json,
    latest_period,
    parse_period,
    period_containing,
    periods_in_year,
    working_days_between,
)

TILING_FREQUENCIES = [f for f in PERIODIC_FREQUENCIES if f is not Frequency.NINE_MONTH]
CALENDAR = CutoffRule(end_day=0)


@st.composite
def periods(draw: st.DrawFn, frequencies: list[Frequency] | None = None) -> Period:
    frequency = draw(st.sampled_from(frequencies or list(PERIODIC_FREQUENCIES)))
    year = draw(st.integers(1900, 2999))
    return draw(st.sampled_from(periods_in_year(year, frequency)))


rules = st.sampled_from([DECREE09_CUTOFF, CALENDAR, CutoffRule(start_day=1, end_day=0), CutoffRule(21, 20)])
days = st.dates(date(1900, 1, 1), date(2999, 11, 30))


# --- codes and labels -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "period", "label"),
    [
        ("2022M06", Period(2022, Frequency.MONTHLY, 6), "Tháng 6 năm 2022"),
        ("2022M12", Period(2022, Frequency.MONTHLY, 12), "Tháng 12 năm 2022"),
        ("2022Q2", Period(2022, Frequency.QUARTERLY, 2), "Quý II năm 2022"),
        ("2022Q4", Period(2022, Frequency.QUARTERLY, 4), "Quý IV năm 2022"),
        ("2022S1", Period(2022, Frequency.SIX_MONTH, 1), "6 tháng đầu năm 2022"),
        ("2022S2", Period(2022, Frequency.SIX_MONTH, 2), "6 tháng cuối năm 2022"),
        ("2022N9", Period(2022, Frequency.NINE_MONTH, 9), "9 tháng năm 2022"),
        ("2022", Period(2022, Frequency.ANNUAL, 0), "Năm 2022"),
    ],
)
def test_codes_and_labels(code: str, period: Period, label: str) -> None:
    assert parse_period(code) == period
    assert period.code == code
    assert str(period) == code
    assert period.label == label


def test_parse_forgives_whitespace_and_case() -> None:
    assert parse_period("  2022m06\n") == Period(2022, Frequency.MONTHLY, 6)
    assert parse_period("2022s1") == Period(2022, Frequency.SIX_MONTH, 1)
    assert parse_period("2022n9").code == "2022N9"


@pytest.mark.parametrize(
    "code",
    [
        "",
        "2022X1",
        "2022M6",
        "2022M13",
        "2022M00",
        "2022Q0",
        "2022Q5",
        "2022S3",
        "2022S0",
        "2022N8",
        "22M06",
        "1899",
        "3000",
        "2022 M06",
        "2022-06",
        "2022ſ1",
        "２０２２",
        "2022M06 extra",
        "M06",
    ],
)
def test_bad_codes_raise_period_error_in_vietnamese(code: str) -> None:
    with pytest.raises(PeriodError, match="Mã kỳ báo cáo không hợp lệ") as info:
        parse_period(code)
    assert "2022M06, 2022Q2, 2022S1, 2022S2, 2022N9, 2022" in str(info.value)


def test_bad_code_message_quotes_the_input() -> None:
    with pytest.raises(PeriodError) as info:
        parse_period("2022X1")
    assert str(info.value) == (
        "Mã kỳ báo cáo không hợp lệ: «2022X1». Dạng đúng: 2022M06, 2022Q2, 2022S1, 2022S2, 2022N9, 2022."
    )


@pytest.mark.parametrize(
    ("year", "frequency", "number"),
    [
        (2022, Frequency.MONTHLY, 0),
        (2022, Frequency.QUARTERLY, 5),
        (2022, Frequency.ANNUAL, 1),
        (2022, Frequency.NINE_MONTH, 1),
        (1899, Frequency.ANNUAL, 0),
        (2022, Frequency.AD_HOC, 0),
    ],
)
def test_invalid_periods_cannot_be_built(year: int, frequency: Frequency, number: int) -> None:
    with pytest.raises(PeriodError):
        Period(year, frequency, number)


def test_frequency_labels_are_vietnamese() -> None:
    assert FREQUENCY_LABELS == {
        Frequency.MONTHLY: "Hằng tháng",
        Frequency.QUARTERLY: "Hằng quý",
        Frequency.SIX_MONTH: "6 tháng",
        Frequency.NINE_MONTH: "9 tháng",
        Frequency.ANNUAL: "Hằng năm",
        Frequency.AD_HOC: "Đột xuất",
    }


def test_plain_string_frequency_is_normalised() -> None:
    assert Period(2022, "quarterly", 2) == Period(2022, Frequency.QUARTERLY, 2)  # type: ignore[arg-type]


@settings(max_examples=200)
@given(periods())
def test_code_round_trip(period: Period) -> None:
    assert parse_period(period.code) == period
    assert parse_period(period.code.lower()) == period


@settings(max_examples=200)
@given(st.text())
def test_arbitrary_text_only_raises_period_error(text: str) -> None:
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert period.code == text.strip().upper()


@settings(max_examples=200)
@given(st.from_regex(r"\s*[0-9]{4}([MQSNmqsn][0-9]{1,2})?\s*", fullmatch=True))
def test_near_valid_codes_parse_or_raise_period_error(text: str) -> None:
    try:
        parse_period(text)
    except PeriodError:
        pass


# --- months covered, previous, same period last year ------------------------------------


@pytest.mark.parametrize(
    ("code", "first", "last"),
    [
        ("2022M06", 6, 6),
        ("2022Q2", 4, 6),
        ("2022Q4", 10, 12),
        ("2022S1", 1, 6),
        ("2022S2", 7, 12),
        ("2022N9", 1, 9),
        ("2022", 1, 12),
    ],
)
def test_months_covered(code: str, first: int, last: int) -> None:
    period = parse_period(code)
    assert (period.first_month, period.last_month) == (first, last)


@pytest.mark.parametrize(
    ("code", "previous", "last_year"),
    [
        ("2022S1", "2021S2", "2021S1"),
        ("2022S2", "2022S1", "2021S2"),
        ("2022M01", "2021M12", "2021M01"),
        ("2022M07", "2022M06", "2021M07"),
        ("2022Q1", "2021Q4", "2021Q1"),
        ("2022", "2021", "2021"),
        ("2022N9", "2021N9", "2021N9"),
    ],
)
def test_previous_and_same_period_last_year(code: str, previous: str, last_year: str) -> None:
    period = parse_period(code)
    assert period.previous().code == previous
    assert period.same_period_last_year().code == last_year
    assert period.previous().next() == period


def test_no_period_before_1900() -> None:
    with pytest.raises(PeriodError):
        parse_period("1900M01").previous()


def test_periods_in_year() -> None:
    assert [p.code for p in periods_in_year(2022, Frequency.QUARTERLY)] == [
        "2022Q1",
        "2022Q2",
        "2022Q3",
        "2022Q4",
    ]
    assert [p.code for p in periods_in_year(2022, Frequency.SIX_MONTH)] == ["2022S1", "2022S2"]
    assert len(periods_in_year(2022, Frequency.MONTHLY)) == 12
    assert periods_in_year(2022, Frequency.ANNUAL) == [parse_period("2022")]
    assert periods_in_year(2022, Frequency.NINE_MONTH) == [parse_period("2022N9")]
    with pytest.raises(PeriodError, match="đột xuất"):
        periods_in_year(2022, Frequency.AD_HOC)


# --- Decree 09 Art. 12 cut-off windows ----------------------------------------------------


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        # Art. 12(1) monthly: 15th of the previous month to the 14th of the month.
        ("2022M06", date(2022, 5, 15), date(2022, 6, 14)),
        ("2022M01", date(2021, 12, 15), date(2022, 1, 14)),
        ("2022M03", date(2022, 2, 15), date(2022, 3, 14)),
        # Art. 12(2) quarterly: 15th of the month before the quarter to the 14th of its last month.
        ("2022Q1", date(2021, 12, 15), date(2022, 3, 14)),
        ("2022Q2", date(2022, 3, 15), date(2022, 6, 14)),
        ("2022Q4", date(2022, 9, 15), date(2022, 12, 14)),
        # Art. 12(3) six-month: 15/12 of the previous year to 14/6; 15/6 to 14/12.
        ("2022S1", date(2021, 12, 15), date(2022, 6, 14)),
        ("2022S2", date(2022, 6, 15), date(2022, 12, 14)),
        # Art. 12(4) annual: 15/12 of the previous year to 14/12.
        ("2022", date(2021, 12, 15), date(2022, 12, 14)),
        # Art. 12(5) nine-month: set by the issuing body; default 15/12 of the previous year to 14/9.
        ("2022N9", date(2021, 12, 15), date(2022, 9, 14)),
    ],
)
def test_decree09_art12_windows(code: str, start: date, end: date) -> None:
    assert cutoff_window(parse_period(code)) == (start, end)
    assert cutoff_window(parse_period(code), DECREE09_CUTOFF) == (start, end)


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2024M02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023M02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2000M02", date(2000, 2, 1), date(2000, 2, 29)),
        ("1900M02", date(1900, 2, 1), date(1900, 2, 28)),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024S2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024N9", date(2024, 1, 1), date(2024, 9, 30)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_calendar_windows_and_leap_years(code: str, start: date, end: date) -> None:
    assert cutoff_window(parse_period(code), CALENDAR) == (start, end)


def test_decree09_window_across_leap_february() -> None:
    """Art. 12(1): 2024M03 runs 15/02 to 14/03 whatever February's length."""
    assert cutoff_window(parse_period("2024M03")) == (date(2024, 2, 15), date(2024, 3, 14))


def test_custom_contiguous_rule() -> None:
    assert cutoff_window(parse_period("2022M01"), CutoffRule(21, 20)) == (
        date(2021, 12, 21),
        date(2022, 1, 20),
    )


@pytest.mark.parametrize(
    ("start_day", "end_day"),
    [(0, 14), (29, 28), (15, 29), (15, -1), (20, 14), (15, 15)],
)
def test_cutoff_rule_validation(start_day: int, end_day: int) -> None:
    with pytest.raises(PeriodError, match="chốt số liệu"):
        CutoffRule(start_day, end_day)


@settings(max_examples=200)
@given(periods(TILING_FREQUENCIES), rules)
def test_consecutive_windows_tile_without_gap_or_overlap(period: Period, rule: CutoffRule) -> None:
    """Art. 12(1)-(4): each window starts the day after the previous one ends."""
    start, end = cutoff_window(period, rule)
    assert start <= end
    if period.year < 2999 or period.number < max(p.number for p in periods_in_year(2022, period.frequency)):
        next_start, _ = cutoff_window(period.next(), rule)
        assert next_start == end + timedelta(days=1)


@settings(max_examples=200)
@given(periods([Frequency.NINE_MONTH]), rules)
def test_nine_month_windows_never_overlap(period: Period, rule: CutoffRule) -> None:
    """Art. 12(5) default nine-month windows: one per year, disjoint."""
    _, end = cutoff_window(period, rule)
    if period.year < 2999:
        next_start, _ = cutoff_window(period.next(), rule)
        assert end < next_start


@settings(max_examples=200)
@given(days, st.sampled_from(TILING_FREQUENCIES), rules)
def test_every_day_lies_in_exactly_one_window(day: date, frequency: Frequency, rule: CutoffRule) -> None:
    """Art. 12(1)-(4): period_containing finds the one window holding the day."""
    period = period_containing(day, frequency, rule)
    start, end = cutoff_window(period, rule)
    assert start <= day <= end
    for neighbour in (period.previous(), period.next()) if 1900 < period.year < 2999 else ():
        other_start, other_end = cutoff_window(neighbour, rule)
        assert not other_start <= day <= other_end


@settings(max_examples=200)
@given(days, rules)
def test_nine_month_containing_or_gap(day: date, rule: CutoffRule) -> None:
    latest = latest_period(day, Frequency.NINE_MONTH, rule)
    start, end = cutoff_window(latest, rule)
    assert start <= day
    if day <= end:
        assert period_containing(day, Frequency.NINE_MONTH, rule) == latest
    else:
        with pytest.raises(PeriodError, match="9 tháng"):
            period_containing(day, Frequency.NINE_MONTH, rule)


@pytest.mark.parametrize(
    ("frequency", "code"),
    [
        (Frequency.ANNUAL, "2022"),
        (Frequency.SIX_MONTH, "2022S1"),
        (Frequency.QUARTERLY, "2022Q1"),
        (Frequency.MONTHLY, "2022M01"),
        (Frequency.NINE_MONTH, "2022N9"),
    ],
)
def test_windows_are_shifted_into_the_next_year(frequency: Frequency, code: str) -> None:
    """Art. 12: 20/12/2021 already belongs to 2022's windows."""
    assert period_containing(date(2021, 12, 20), frequency).code == code


def test_period_containing_edges() -> None:
    assert period_containing(date(2022, 6, 14), Frequency.SIX_MONTH).code == "2022S1"
    assert period_containing(date(2022, 6, 15), Frequency.SIX_MONTH).code == "2022S2"
    assert period_containing(date(2022, 12, 14), Frequency.ANNUAL).code == "2022"
    assert period_containing(date(2022, 12, 15), Frequency.ANNUAL).code == "2023"
    assert period_containing(date(2022, 12, 20), Frequency.MONTHLY, CALENDAR).code == "2022M12"
    assert latest_period(date(2022, 10, 1), Frequency.NINE_MONTH).code == "2022N9"
    assert latest_period(date(2022, 10, 1), Frequency.QUARTERLY).code == "2022Q4"
    with pytest.raises(PeriodError):
        period_containing(date(2022, 1, 1), Frequency.AD_HOC)
    with pytest.raises(PeriodError):
        period_containing(date(2999, 12, 20), Frequency.ANNUAL)


# --- deadlines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "deadline"),
    [
        # Circular 02/2023/TT-BTTTT: monthly by the 15th, quarterly by the 6th of the last month,
        # six-month by 6/6 and 6/12, annual by 25/11.
        ("2023M07", date(2023, 7, 15)),
        ("2023M01", date(2023, 1, 15)),
        ("2023Q3", date(2023, 9, 6)),
        ("2023Q1", date(2023, 3, 6)),
        ("2023S1", date(2023, 6, 6)),
        ("2023S2", date(2023, 12, 6)),
        ("2023", date(2023, 11, 25)),
    ],
)
def test_tt02_2023_deadlines(code: str, deadline: date) -> None:
    assert deadline_for(parse_period(code), TT02_2023_DEADLINES) == deadline
    assert DEADLINE_PRESETS["tt02-2023"] is TT02_2023_DEADLINES


def test_missing_deadline_rule_raises_in_vietnamese() -> None:
    with pytest.raises(PeriodError, match="chưa quy định thời hạn gửi"):
        deadline_for(parse_period("2023N9"), TT02_2023_DEADLINES)


def test_deadline_day_31_means_last_day_of_month() -> None:
    rules = {Frequency.MONTHLY: DeadlineRule(1, 31), Frequency.ANNUAL: DeadlineRule(2, 31)}
    assert deadline_for(parse_period("2024M01"), rules) == date(2024, 2, 29)
    assert deadline_for(parse_period("2023M01"), rules) == date(2023, 2, 28)
    assert deadline_for(parse_period("2023M03"), rules) == date(2023, 4, 30)
    assert deadline_for(parse_period("2023"), rules) == date(2024, 2, 29)


def test_deadline_offsets_cross_years() -> None:
    rules = {Frequency.QUARTERLY: DeadlineRule(1, 10), Frequency.MONTHLY: DeadlineRule(-1, 20)}
    assert deadline_for(parse_period("2022Q4"), rules) == date(2023, 1, 10)
    assert deadline_for(parse_period("2022M01"), rules) == date(2021, 12, 20)


@pytest.mark.parametrize(("offset", "day"), [(0, 0), (0, 29), (0, 30), (0, 32), (13, 5), (-13, 5)])
def test_deadline_rule_validation(offset: int, day: int) -> None:
    with pytest.raises(PeriodError):
        DeadlineRule(offset, day)


def test_deadline_rules_json_round_trip() -> None:
    data = deadline_rules_to_json(TT02_2023_DEADLINES)
    assert data == {
        "monthly": {"month_offset": 0, "day": 15},
        "quarterly": {"month_offset": 0, "day": 6},
        "six_month": {"month_offset": 0, "day": 6},
        "annual": {"month_offset": -1, "day": 25},
    }
    assert deadline_rules_from_json(data) == TT02_2023_DEADLINES
    assert deadline_rules_from_json({"six_month": {"month_offset": 0, "day": 20}}) == {
        Frequency.SIX_MONTH: DeadlineRule(0, 20)
    }
    assert deadline_rules_from_json({}) == {}


@pytest.mark.parametrize(
    "data",
    [
        {"weekly": {"month_offset": 0, "day": 1}},
        {"ad_hoc": {"month_offset": 0, "day": 1}},
        {"monthly": {"month_offset": 0}},
        {"monthly": {"month_offset": 0, "day": 1, "extra": 2}},
        {"monthly": {"month_offset": "0", "day": 1}},
        {"monthly": {"month_offset": 0, "day": True}},
        {"monthly": {"month_offset": 0, "day": 30}},
        {"monthly": [0, 1]},
        ["monthly"],
    ],
)
def test_deadline_rules_from_bad_json(data: object) -> None:
    with pytest.raises(PeriodError) as info:
        deadline_rules_from_json(data)  # type: ignore[arg-type]
    assert any(word in str(info.value) for word in ("Thời hạn", "thời hạn", "Tần suất", "tần suất"))


# --- working days and the Art. 12 gap rule ------------------------------------------------


def test_working_days_between() -> None:
    friday, monday = date(2024, 3, 1), date(2024, 3, 4)
    assert working_days_between(friday, monday) == 1
    assert working_days_between(friday, friday) == 0
    assert working_days_between(monday, friday) == 0
    assert working_days_between(date(2024, 3, 3), date(2024, 3, 10)) == 5
    assert working_days_between(friday, monday, lambda d: d == monday) == 0


@settings(max_examples=200)
@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(0, 60))
def test_working_days_count_five_per_week(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    count = working_days_between(start, end)
    assert length // 7 * 5 <= count <= length // 7 * 5 + 5
    assert working_days_between(start, end, lambda d: True) == 0


def test_gap_rule_accepts_a_working_day_after_cutoff() -> None:
    """Decree 09 Art. 12: deadline at least one working day after the cut-off."""
    # 2023M06 window ends Wed 14/06/2023; the TT02 deadline Thu 15/06 is a working day.
    window_end = cutoff_window(parse_period("2023M06"))[1]
    assert (
        deadline_gap_problem(window_end, deadline_for(parse_period("2023M06"), TT02_2023_DEADLINES)) is None
    )
    assert deadline_gap_problem(date(2023, 7, 14), date(2023, 7, 17)) is None


def test_gap_rule_rejects_weekend_and_earlier_deadlines() -> None:
    """Decree 09 Art. 12: a deadline on the weekend right after a Friday cut-off breaks the rule."""
    message = deadline_gap_problem(date(2023, 7, 14), date(2023, 7, 15))
    assert message == (
        "Thời hạn gửi báo cáo (15/07/2023) phải sau ngày kết thúc chốt số liệu "
        "(14/07/2023) ít nhất 01 ngày làm việc."
    )
    assert deadline_gap_problem(date(2023, 7, 14), date(2023, 7, 14)) is not None
    assert deadline_gap_problem(date(2023, 7, 14), date(2023, 7, 1)) is not None


def test_gap_rule_skips_vietnamese_public_holidays() -> None:
    """Decree 09 Art. 12 counts working days: 30/4 and 1/5 are public holidays in Vietnam."""
    # Mon 29/04/2024 cut-off; Tue 30/04 and Wed 01/05 are holidays.
    assert deadline_gap_problem(date(2024, 4, 29), date(2024, 5, 1)) is not None
    assert deadline_gap_problem(date(2024, 4, 29), date(2024, 5, 2)) is None
    # National Day 02/09/2024 (Monday) and 03/09.
    assert deadline_gap_problem(date(2024, 8, 30), date(2024, 9, 3)) is not None
