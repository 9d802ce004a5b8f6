"""core.text: what is stored, what XML writers get, what spreadsheets see."""

from __future__ import annotations

import io
import unicodedata

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from baocao.core.text import (
    FILENAME_MAX_BYTES,
    FILENAME_MAX_CHARS,
    clean_data,
    clean_filename,
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


class TestCleanFilename:
    @pytest.mark.parametrize("name,expected", [
        ("Biên bản họp.pdf", "Biên bản họp.pdf"),
        # macOS sends decomposed names: the marks are kept, composed.
        (unicodedata.normalize("NFD", "Biên bản họp quý 2.docx"), "Biên bản họp quý 2.docx"),
        # RTL override: "hoa-don‮fdp.exe" would read "hoa-donexe.pdf".
        ("hoa-don\u202efdp.exe", "hoa-donfdp.exe"),
        ("a\x1bb\x00c\x07\x7f\x9b.pdf", "abc.pdf"),
        ("a\u200bb\ufeffc\u2066d\ufffe.pdf", "abcd.pdf"),
        ("C:\\Users\\an\\Desktop\\bao cao.docx", "bao cao.docx"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        (".htaccess", "htaccess"),
        ("báo cáo.pdf.", "báo cáo.pdf"),
        ('Kế hoạch: "quý 1" <bản>|?*.pdf', "Kế hoạch quý 1 bản.pdf"),
        ("dòng\nmới\tvà  cách\r\n.pdf", "dòng mới và cách.pdf"),
        ("Đề án (sửa đổi) – lần 2, 50%.xlsx", "Đề án (sửa đổi) – lần 2, 50%.xlsx"),
        ("", "tệp"), ("..", "tệp"), ("   ", "tệp"), ("\u202e\x00", "tệp"), (".pdf", "pdf"), ("/", "tệp"),
    ])
    def test_examples(self, name, expected):
        assert clean_filename(name) == expected

    def test_a_long_name_keeps_its_extension_and_fits_any_file_system(self):
        name = clean_filename("Báo cáo tổng hợp kết quả thực hiện nhiệm vụ " * 20 + ".docx")
        assert name.endswith(".docx") and len(name) <= FILENAME_MAX_CHARS
        assert name.startswith("Báo cáo tổng hợp") and not name.endswith(" .docx")
        many_bytes = clean_filename("ữ" * 150 + ".pdf")
        assert many_bytes.endswith(".pdf") and len(many_bytes.encode()) <= FILENAME_MAX_BYTES
        assert len(clean_filename("a" * 500)) == FILENAME_MAX_CHARS

    def test_an_overlong_extension_is_part_of_the_name(self):
        assert clean_filename("x." + "b" * 300) == ("x." + "b" * 300)[:FILENAME_MAX_CHARS]


SAFE_NAME_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


@given(st.text())
def test_clean_filename_is_always_a_plain_name(name):
    cleaned = clean_filename(name)
    assert cleaned and cleaned == clean_filename(cleaned)
    assert not set(cleaned) & set('/\\<>:"|?*') and cleaned[0] not in ". " and cleaned[-1] not in ". "
    assert not [c for c in cleaned if unicodedata.category(c) in SAFE_NAME_CATEGORIES or (c.isspace() and c != " ")]
    assert len(cleaned) <= FILENAME_MAX_CHARS and len(cleaned.encode()) <= FILENAME_MAX_BYTES
    assert unicodedata.is_normalized("NFC", cleaned)
