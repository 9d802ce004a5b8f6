"""Days typed dd/mm/yyyy (vietnamese.parse_date, core.fields.VnDateField): day first whatever the
browser's language, ISO accepted as scripts post it, impossible days refused in Vietnamese."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.fields import VnDateField, VnDateInput
from baocao.core.vietnamese import DATE_INPUT_PATTERN, format_date, parse_date

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31))


@given(days)
def test_a_shown_day_reads_back_as_the_same_day(day):
    assert parse_date(format_date(day)) == day


@given(days)
def test_iso_and_unpadded_forms_are_the_same_day(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f" {day.day}/{day.month}/{day.year} ") == day
    assert parse_date(f"{day.day:02d}.{day.month:02d}.{day.year}") == day


@given(days)
def test_the_browser_pattern_lets_through_what_the_parser_reads(day):
    for text in (format_date(day), day.isoformat(), f"{day.day}/{day.month}/{day.year}"):
        assert re.fullmatch(DATE_INPUT_PATTERN, text)


@given(st.text(max_size=30))
def test_any_text_is_a_day_or_a_vietnamese_message(text):
    try:
        result = parse_date(text)
    except ValueError as exc:
        assert "ngày" in str(exc).lower()
    else:
        assert isinstance(result, date)


def test_the_day_comes_first():
    assert parse_date("02/12/2026") == date(2026, 12, 2)
    assert parse_date("12/02/2026") == date(2026, 2, 12)


@pytest.mark.parametrize("text", ["31/02/2026", "00/01/2026", "15/13/2026", "2026-02-30"])
def test_a_day_that_does_not_exist_is_refused(text):
    with pytest.raises(ValueError, match="Không có ngày"):
        parse_date(text)


@pytest.mark.parametrize("text", ["", "12/2026", "mai", "2026/12/02", "1/1/26"])
def test_other_text_is_refused_with_the_expected_form(text):
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_date(text)


def test_the_form_field_reads_and_shows_dd_mm_yyyy():
    field = VnDateField(label="Ngày", required=False)
    assert field.clean("02/12/2026") == date(2026, 12, 2)
    assert field.clean("2026-12-02") == date(2026, 12, 2)
    assert field.clean("") is None
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="dd/mm/yyyy"):
        field.clean("ngày mai")
    html = VnDateInput().render("d", date(2026, 12, 2))
    assert 'value="02/12/2026"' in html and 'type="text"' in html
    assert 'placeholder="dd/mm/yyyy"' in html and 'inputmode="numeric"' in html and "pattern=" in html
