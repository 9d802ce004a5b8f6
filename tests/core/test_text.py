"""core.text: what is stored, what XML writers get, what spreadsheets see."""

from __future__ import annotations

import io

import openpyxl
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.text import (
    clean_data,
    clean_text,
    spreadsheet_cell,
    spreadsheet_text,
    spreadsheet_unescape,
    xml_text,
)

ILLEGAL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff", "\ud800"]


def test_clean_text_drops_controls_and_normalises_newlines():
    assert clean_text("a\u001bb\x00c\r\nd\re\tf\ufffe\uffff") == "abc\nd\ne\tf"
    assert clean_text("Hoàn thành kế hoạch.") == "Hoàn thành kế hoạch."


@given(st.text())
def test_clean_text_output_is_storable_and_idempotent(text):
    cleaned = clean_text(text)
    assert not any(ch in cleaned for ch in ILLEGAL) and "\r" not in cleaned
    assert clean_text(cleaned) == cleaned
    assert xml_text(cleaned) == cleaned


@given(st.text())
def test_xml_text_is_accepted_by_openpyxl(text):
    sheet = openpyxl.Workbook().active
    assert sheet is not None
    sheet["A1"] = spreadsheet_text(text)  # raises IllegalCharacterError on what XML refuses
    assert sheet["A1"].data_type != "f"


def test_clean_data_walks_json():
    assert clean_data({"a\x01": ["x\x1b", 1, None, {"b": "c\r\n"}]}) == {"a": ["x", 1, None, {"b": "c\n"}]}


def test_formula_prefixes_get_an_apostrophe():
    for text in ('=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                 "- Tổ chức 02 lớp tập huấn"):
        assert spreadsheet_text(text) == "'" + text
    assert spreadsheet_text("'=1") == "''=1"


def test_numbers_and_plain_text_are_unchanged():
    for text in ("-5", "-1.234,5", "+84", "12,5%", "Hoàn thành", "'abc", "", "a=b"):
        assert spreadsheet_text(text) == text
    assert spreadsheet_cell(-5) == -5
    assert spreadsheet_cell(None) is None


@given(st.text())
def test_unescape_inverts_escape(text):
    text = xml_text(text)
    assert spreadsheet_unescape(spreadsheet_text(text)) == text


@given(st.text())
def test_escaped_text_never_starts_with_a_formula_character(text):
    out = spreadsheet_text(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r")) or out.lstrip("+-").replace(",", "").replace(
        ".", "").rstrip("%").isdigit()


def test_openpyxl_reads_an_escaped_cell_back_as_text():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = spreadsheet_text("=1+1")
    out = io.BytesIO()
    workbook.save(out)
    cell = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["Sheet"]["A1"]
    assert (cell.value, cell.data_type) == ("'=1+1", "s")
