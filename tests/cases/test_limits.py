"""Legal time limits of cases (baocao.cases.limits), BRIEF §4; each test cites the rule it checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from baocao.cases.choices import CaseKind, DayType, LimitStep
from baocao.cases.limits import (
    DEADLINE_KEYS,
    DEFAULT_RULES,
    KINDS,
    STEPS,
    LimitError,
    LimitRule,
    case_deadlines,
    deadline_status,
)
from baocao.core.workdays import is_working_day


def deadlines(kind: str, received: date, **kwargs):
    return case_deadlines(kind=kind, received_on=received, **kwargs)


# --- complaints: Law on Complaints 2011 ------------------------------------------------------


def test_complaint_acceptance_art27_ten_working_days_across_tet_2023() -> None:
    """Law on Complaints 2011 Art. 27 + Decree 124/2020 (working days), across Tết Quý Mão.

    Received Monday 16/01/2023. Working days after it: Tue 17 (1), Wed 18 (2), Thu 19 (3); Fri 20
    to Thu 26/01 are Tết days off (29 Tết to mùng 5, weekend included); Fri 27 (4), Mon 30 (5),
    Tue 31 (6), Wed 01/02 (7), Thu 02 (8), Fri 03 (9), Mon 06/02 (10).
    """
    assert deadlines("complaint", date(2023, 1, 16))["acceptance"] == date(2023, 2, 6)


def test_second_complaint_acceptance_art36_also_ten_working_days() -> None:
    assert deadlines("complaint", date(2023, 1, 16), round=2)["acceptance"] == date(2023, 2, 6)


@pytest.mark.parametrize(
    ("is_complex", "is_remote", "expected"),
    [
        (False, False, date(2023, 3, 31)),  # 30 days
        (True, False, date(2023, 4, 17)),  # 45 days: Sat 15/04 -> Mon 17/04 (Civil Code Art. 148(5))
        (False, True, date(2023, 4, 17)),  # 45 days
        (True, True, date(2023, 5, 4)),  # 60 days: Sun 30/04, then 01-03/05 off -> Thu 04/05
    ],
)
def test_first_complaint_resolution_art28(is_complex, is_remote, expected) -> None:
    """Law on Complaints 2011 Art. 28: 30 days from acceptance; complex 45; remote 45; both 60."""
    result = deadlines("complaint", date(2023, 2, 20), accepted_on=date(2023, 3, 1),
                       is_complex=is_complex, is_remote=is_remote)
    assert result["resolution"] == expected


@pytest.mark.parametrize(
    ("is_complex", "is_remote", "days"),
    [(False, False, 45), (True, False, 60), (False, True, 60), (True, True, 70)],
)
def test_second_complaint_resolution_art37_days(is_complex, is_remote, days) -> None:
    """Law on Complaints 2011 Art. 37: 45 days from acceptance; complex 60; remote 60; both 70."""
    rule = next(r for r in DEFAULT_RULES if (r.kind, r.step, r.round) == ("complaint", "resolution", 2))
    assert rule.days_for(is_complex=is_complex, is_remote=is_remote) == days


def test_second_complaint_complex_and_remote_art37_seventy_days() -> None:
    """Law on Complaints 2011 Art. 37: remote and complex, 70 days: 01/03/2023 + 70 = Wed 10/05/2023."""
    result = deadlines("complaint", date(2023, 2, 20), round=2, accepted_on=date(2023, 3, 1),
                       is_complex=True, is_remote=True)
    assert result["resolution"] == date(2023, 5, 10)


def test_calendar_deadline_on_a_sunday_moves_to_monday_civil_code_art148() -> None:
    """Civil Code 2015 Art. 148(5): accepted Fri 10/03/2023 + 30 days = Sun 09/04 -> Mon 10/04."""
    result = deadlines("complaint", date(2023, 3, 6), accepted_on=date(2023, 3, 10))
    assert result["resolution"] == date(2023, 4, 10)


def test_calendar_deadline_on_a_substituted_day_off_moves_past_it_civil_code_art148() -> None:
    """Civil Code 2015 Art. 148(5) with Labour Code Art. 111(3): accepted 02/04/2023 + 30 days =
    Tue 02/05/2023, the day off for Hùng Kings' day (a Saturday), and 03/05 for 30/04 (a Sunday):
    the limit ends Thursday 04/05/2023."""
    result = deadlines("complaint", date(2023, 4, 2), accepted_on=date(2023, 4, 2))
    assert result["resolution"] == date(2023, 5, 4)


def test_complaint_lodging_limit_art9_ninety_days() -> None:
    """Law on Complaints 2011 Art. 9: 90 days; 16/01/2023 + 90 = Sun 16/04 -> Mon 17/04 (Art. 148(5))."""
    assert deadlines("complaint", date(2023, 1, 16))["lodging"] == date(2023, 4, 17)


def test_second_complaint_lodging_limit_art33_thirty_days_remote_45() -> None:
    """Law on Complaints 2011 Art. 33: a second complaint within 30 days (remote areas 45)."""
    assert deadlines("complaint", date(2023, 3, 1), round=2)["lodging"] == date(2023, 3, 31)
    assert deadlines("complaint", date(2023, 3, 1), round=2, is_remote=True)["lodging"] == date(2023, 4, 17)


def test_resolution_waits_for_acceptance() -> None:
    result = deadlines("complaint", date(2023, 1, 16))
    assert result["resolution"] is None
    assert list(result) == list(DEADLINE_KEYS)


# --- denunciations: Law on Denunciations 2018 -------------------------------------------------


def test_denunciation_classification_art24_seven_working_days_across_a_substituted_day() -> None:
    """Law on Denunciations 2018 Art. 24: 7 working days. Received Thu 31/08/2023; Fri 01/09 and
    Sat 02/09 are National Day and Mon 04/09 the day off in lieu of the Saturday (Labour Code 2019
    Art. 111(3)): Tue 05 (1) ... Fri 08 (4), Mon 11 (5), Tue 12 (6), Wed 13/09 (7)."""
    assert deadlines("denunciation", date(2023, 8, 31))["acceptance"] == date(2023, 9, 13)


def test_denunciation_classification_art24_ten_working_days_when_verification_needed() -> None:
    """Law on Denunciations 2018 Art. 24: 10 working days when verification is needed (``is_complex``)."""
    assert deadlines("denunciation", date(2023, 8, 31), is_complex=True)["acceptance"] == date(2023, 9, 18)


@pytest.mark.parametrize(
    ("extensions", "expected"),
    [
        ((), date(2023, 3, 31)),  # 30 days
        ((30,), date(2023, 5, 4)),  # 60 days: Sun 30/04, 01-03/05 off -> Thu 04/05 (Art. 148(5))
        ((30, 30), date(2023, 5, 30)),  # 90 days
        ((15, 10), date(2023, 4, 25)),  # 55 days
    ],
)
def test_denunciation_resolution_art30_with_zero_one_or_two_extensions(extensions, expected) -> None:
    """Law on Denunciations 2018 Art. 30: 30 days from acceptance, extended once (complex) or twice
    (especially complex) by at most 30 days each."""
    result = deadlines("denunciation", date(2023, 2, 20), accepted_on=date(2023, 3, 1), is_complex=True,
                       extensions=extensions)
    assert result["resolution"] == expected


def test_denunciation_art30_a_third_extension_is_refused() -> None:
    with pytest.raises(LimitError, match="tối đa 2 lần, đã nhập 3 lần"):
        deadlines("denunciation", date(2023, 2, 20), accepted_on=date(2023, 3, 1), is_complex=True,
                  extensions=(30, 30, 30))


def test_denunciation_art30_an_extension_over_thirty_days_is_refused() -> None:
    with pytest.raises(LimitError, match="không quá 30 ngày, đã nhập 31 ngày"):
        deadlines("denunciation", date(2023, 2, 20), accepted_on=date(2023, 3, 1), extensions=(31,))


def test_extensions_count_before_acceptance_is_known() -> None:
    """Extensions are checked even while the resolution deadline is not yet known."""
    with pytest.raises(LimitError):
        deadlines("denunciation", date(2023, 2, 20), extensions=(30, 30, 30))
    assert deadlines("denunciation", date(2023, 2, 20), extensions=(30,))["resolution"] is None


@pytest.mark.parametrize("kind", ["complaint", "petition", "inspection", "check", "misinformation"])
def test_only_denunciations_are_extended(kind) -> None:
    with pytest.raises(LimitError, match="không được gia hạn"):
        deadlines(kind, date(2023, 2, 20), accepted_on=date(2023, 3, 1), extensions=(10,))


@pytest.mark.parametrize("bad", [0, -5, True, 1.5, "30"])
def test_an_extension_must_be_a_positive_number_of_days(bad) -> None:
    with pytest.raises(LimitError, match="số nguyên dương"):
        deadlines("denunciation", date(2023, 2, 20), accepted_on=date(2023, 3, 1), extensions=(bad,))


# --- petitions, inspections, others ---------------------------------------------------------


def test_petition_answer_citizen_reception_law_art28_ten_working_days() -> None:
    """Law on Citizen Reception 2013 Art. 28: 10 working days. Received Thu 25/04/2024, across the
    2024 swap (Công văn 2450/VPCP-KGVX): Fri 26 (1); Mon 29/04 off (swapped), 30/04 and 01/05
    holidays; Thu 02/05 (2), Fri 03 (3), Sat 04/05 worked in exchange (4), Mon 06 (5) ... Fri 10 (9),
    Mon 13/05/2024 (10)."""
    result = deadlines("petition", date(2024, 4, 25))
    assert result == {"acceptance": date(2024, 5, 13), "resolution": None, "lodging": None}


def test_petition_received_on_a_friday_before_an_ordinary_week() -> None:
    """Law on Citizen Reception 2013 Art. 28: Fri 03/03/2023 + 10 working days = Fri 17/03/2023."""
    assert deadlines("petition", date(2023, 3, 3))["acceptance"] == date(2023, 3, 17)


def test_inspection_lasts_at_most_30_days_from_the_decision_45_in_remote_areas() -> None:
    """Law on Inspection 2010 Art. 45(1): a department inspectorate's inspection, 30 days (remote 45)."""
    assert deadlines("inspection", date(2022, 3, 1), accepted_on=date(2022, 3, 15))["resolution"] == date(2022, 4, 14)
    remote = deadlines("inspection", date(2022, 3, 1), accepted_on=date(2022, 3, 15), is_remote=True)
    assert remote["resolution"] == date(2022, 4, 29)
    assert deadlines("inspection", date(2022, 3, 1))["resolution"] is None


@pytest.mark.parametrize("kind", ["check", "misinformation"])
def test_kinds_without_a_statutory_limit_have_no_deadline(kind) -> None:
    assert deadlines(kind, date(2023, 3, 1), accepted_on=date(2023, 3, 2)) == dict.fromkeys(DEADLINE_KEYS)


def test_leap_year_counts_29_february() -> None:
    """Civil Code 2015 Art. 147(2): 30 days from 20/02/2024 end Thu 21/03/2024, one day earlier
    than from 20/02/2023 (Wed 22/03/2023)."""
    assert deadlines("complaint", date(2024, 2, 20), accepted_on=date(2024, 2, 20))["resolution"] == date(2024, 3, 21)
    assert deadlines("complaint", date(2023, 2, 20), accepted_on=date(2023, 2, 20))["resolution"] == date(2023, 3, 22)


@pytest.mark.parametrize("received", [date(2022, 1, 1) + timedelta(days=i * 37) for i in range(40)])
def test_every_deadline_is_a_working_day(received: date) -> None:
    """Working-day limits end on working days; calendar ones are moved there (Civil Code Art. 148(5))."""
    for kind in ("complaint", "denunciation", "petition", "inspection"):
        for round_ in (1, 2) if kind == "complaint" else (1,):
            result = deadlines(kind, received, round=round_, accepted_on=received, is_complex=True)
            assert all(is_working_day(value) for value in result.values() if value is not None)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "complain"}, "Loại vụ việc không hợp lệ: «complain»"),
        ({"kind": "complaint", "round": 3}, "Lần giải quyết phải là 1 hoặc 2"),
        ({"kind": "complaint", "round": 0}, "Lần giải quyết phải là 1 hoặc 2"),
        ({"kind": "denunciation", "round": 2}, "Chỉ khiếu nại mới có giải quyết lần hai"),
        ({"kind": "complaint", "accepted_on": date(2023, 1, 15)},
         "Ngày thụ lý (15/01/2023) không được trước ngày nhận (16/01/2023)"),
        ({"kind": "complaint", "received_on": "2023-01-16"}, "Ngày nhận phải là một ngày"),
        ({"kind": "complaint", "received_on": datetime(2023, 1, 16, 8)}, "Ngày nhận phải là một ngày"),
        ({"kind": "complaint", "accepted_on": "2023-01-20"}, "Ngày thụ lý phải là một ngày"),
        ({"kind": "complaint", "received_on": date(1, 1, 1)}, "Ngày nhận phải trong các năm 1900-2999"),
        ({"kind": "denunciation", "extensions": "30"}, "danh sách"),
    ],
)
def test_bad_input_raises_a_vietnamese_limit_error(kwargs, message) -> None:
    kwargs = {"received_on": date(2023, 1, 16), **kwargs}
    with pytest.raises(LimitError) as info:
        case_deadlines(**kwargs)
    assert message in str(info.value)


def test_limit_error_is_a_value_error() -> None:
    assert issubclass(LimitError, ValueError)


# --- deadline status --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "done_on", "status"),
    [
        (date(2023, 3, 1), None, "ok"),
        (date(2023, 3, 9), None, "ok"),  # Thu: 4 working days to Wed 15/03
        (date(2023, 3, 10), None, "due_soon"),  # Fri: Mon, Tue, Wed = 3 working days
        (date(2023, 3, 15), None, "due_soon"),  # the deadline day itself
        (date(2023, 3, 16), None, "overdue"),
        (date(2023, 3, 20), date(2023, 3, 15), "done_on_time"),
        (date(2023, 3, 20), date(2023, 3, 16), "done_late"),
        (date(2023, 3, 1), date(2023, 3, 2), "done_on_time"),
    ],
)
def test_deadline_status(today, done_on, status) -> None:
    """Due soon: within 3 working days (weekends do not count); overdue the day after the deadline."""
    assert deadline_status(date(2023, 3, 15), today, done_on) == status


def test_due_soon_counts_working_days_across_tet() -> None:
    """Deadline Fri 27/01/2023: on Thu 19/01 only Fri 27 remains as a working day (Tết in between)."""
    assert deadline_status(date(2023, 1, 27), date(2023, 1, 19)) == "due_soon"
    assert deadline_status(date(2023, 2, 1), date(2023, 1, 18)) == "ok"  # 19, 27, 30, 31, 01: 5


def test_no_deadline_is_never_late() -> None:
    assert deadline_status(None, date(2023, 3, 1)) == "ok"
    assert deadline_status(None, date(2023, 3, 1), date(2023, 3, 1)) == "done_on_time"


# --- rules as data ----------------------------------------------------------------------------


def test_rule_vocabulary_matches_the_model_choices() -> None:
    assert set(KINDS) == set(CaseKind.values)
    assert set(STEPS) == set(LimitStep.values)
    assert {"calendar", "working"} == set(DayType.values)


def test_default_rules_are_unique_per_kind_step_round() -> None:
    """The model's time_limit_unique constraint holds for the defaults."""
    keys = [(r.kind, r.step, r.round) for r in DEFAULT_RULES]
    assert len(keys) == len(set(keys))
    assert all(r.legal_basis and len(r.legal_basis) <= 300 for r in DEFAULT_RULES)


def test_from_model_reads_every_field() -> None:
    rule = DEFAULT_RULES[1]
    assert LimitRule.from_model(SimpleNamespace(**rule.__dict__)) == rule


def test_edited_rules_are_used() -> None:
    """Limits are data: an admin's 15 working days replace the default 10."""
    rules = [replace(r, days=15) if (r.kind, r.step) == ("complaint", "acceptance") else r for r in DEFAULT_RULES]
    result = case_deadlines(kind="complaint", received_on=date(2023, 3, 1), rules=rules)
    assert result["acceptance"] == date(2023, 3, 22)


def test_a_rule_for_the_round_wins_over_one_for_any_round() -> None:
    any_round = replace(DEFAULT_RULES[0], days=5)
    second = replace(DEFAULT_RULES[0], round=2, days=20)
    rules = [any_round, second]
    assert case_deadlines(kind="complaint", received_on=date(2023, 3, 1), rules=rules)["acceptance"] == date(2023, 3, 8)
    assert case_deadlines(kind="complaint", round=2, received_on=date(2023, 3, 1), rules=rules)["acceptance"] == \
        date(2023, 3, 29)


def test_allowances_fall_back_to_the_ordinary_limit() -> None:
    rule = replace(DEFAULT_RULES[0], days=10, complex_days=None, remote_days=12, remote_complex_days=None)
    assert rule.days_for(is_complex=True) == 10
    assert rule.days_for(is_remote=True) == 12
    assert rule.days_for(is_complex=True, is_remote=True) == 12


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day_type": "weeks"}, "cách tính"),
        ({"counted_from": "decision"}, "tính từ"),
        ({"kind": "appeal"}, "loại vụ việc không hợp lệ"),
        ({"step": "appeal"}, "bước không hợp lệ"),
        ({"round": 3}, "lần giải quyết"),
        ({"days": -1}, "số nguyên không âm"),
        ({"complex_days": 1.5}, "số nguyên không âm"),
    ],
)
def test_a_bad_rule_is_refused(change, message) -> None:
    with pytest.raises(LimitError, match=message):
        replace(DEFAULT_RULES[0], **change)
