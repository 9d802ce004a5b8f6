"""Decree 30/2020/NĐ-CP, Appendix I (thể thức và kỹ thuật trình bày văn bản hành chính): the rules as data."""

from __future__ import annotations

from datetime import date

import pytest

from baocao.documents import decree30 as d30
from baocao.documents.model import Header, Paragraph, Run, Table

# --- Số, ký hiệu của văn bản ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "type_code", "issuer_code", "expected"),
    [
        (5, "BC", "STTTT", "Số: 05/BC-STTTT"),
        (1, "KH", "STTTT", "Số: 01/KH-STTTT"),
        (9, "QĐ", "UBND", "Số: 09/QĐ-UBND"),
        (10, "TB", "STTTT", "Số: 10/TB-STTTT"),
        (125, "TTr", "STTTT", "Số: 125/TTr-STTTT"),
        (1234, "GM", "VP", "Số: 1234/GM-VP"),
    ],
)
def test_document_number_pads_numbers_below_ten(number, type_code, issuer_code, expected):
    """Appendix I, số và ký hiệu: "Số: 05/BC-STTTT", a number below 10 takes a leading 0."""
    assert d30.document_number(number, type_code, issuer_code) == expected


def test_document_number_of_a_draft_leaves_a_blank():
    """Appendix I, số và ký hiệu: the number is given at registration; a draft leaves room for it."""
    assert d30.document_number(None, "BC", "STTTT") == "Số:      /BC-STTTT"


def test_document_number_rejects_zero():
    with pytest.raises(ValueError):
        d30.document_number(0, "BC", "STTTT")


# --- Địa danh và thời gian ban hành văn bản ---------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2022, 7, 5), "Bắc Kạn, ngày 05 tháng 7 năm 2022"),
        (date(2022, 1, 7), "Bắc Kạn, ngày 07 tháng 01 năm 2022"),
        (date(2022, 2, 15), "Bắc Kạn, ngày 15 tháng 02 năm 2022"),
        (date(2022, 11, 25), "Bắc Kạn, ngày 25 tháng 11 năm 2022"),
        (date(2021, 12, 31), "Bắc Kạn, ngày 31 tháng 12 năm 2021"),
    ],
)
def test_place_date(day, expected):
    """Appendix I, địa danh và thời gian: day below 10 and months 1–2 take a leading 0."""
    assert d30.place_date("Bắc Kạn", day) == expected


def test_place_date_of_a_draft_leaves_day_and_month_blank():
    """Appendix I, địa danh và thời gian: a draft prints the year and leaves day and month to fill in."""
    assert d30.place_date("Bắc Kạn", None, 2022) == "Bắc Kạn, ngày      tháng      năm 2022"
    assert d30.place_date("Bắc Kạn", None) == "Bắc Kạn, ngày      tháng      năm"


# --- Nơi nhận --------------------------------------------------------------------------------


def test_recipient_lines():
    """Appendix I, nơi nhận: "- …;" per recipient, the last line "- Lưu: VT, <unit>."."""
    lines = d30.recipient_lines(
        ["Bộ Thông tin và Truyền thông", "UBND tỉnh (b/c);", "  - Lãnh đạo Sở "], "VT, VP"
    )
    assert lines == (
        "- Bộ Thông tin và Truyền thông;",
        "- UBND tỉnh (b/c);",
        "- Lãnh đạo Sở;",
        "- Lưu: VT, VP.",
    )


def test_recipient_lines_accept_an_archive_already_prefixed():
    assert d30.recipient_lines([], "Lưu: VT, VP.") == ("- Lưu: VT, VP.",)


# --- Khổ giấy, định lề trang, phông chữ -----------------------------------------------------------


def test_page_is_a4_portrait():
    """Appendix I, khổ giấy và kiểu trình bày: A4 (210 × 297 mm), portrait."""
    assert (d30.PAGE_WIDTH_MM, d30.PAGE_HEIGHT_MM) == (210, 297)
    assert d30.ORIENTATION == "portrait"


def test_margins_are_within_the_decree_ranges():
    """Appendix I, định lề trang: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm."""
    assert d30.MARGIN_RANGES_MM == {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
    d30.check_margins(d30.MARGINS)
    assert d30.MARGINS == d30.Margins(top=20, bottom=20, left=30, right=15)
    assert d30.TEXT_WIDTH_MM == 165


@pytest.mark.parametrize(
    ("margins", "side"),
    [
        (d30.Margins(top=19, bottom=20, left=30, right=15), "top"),
        (d30.Margins(top=20, bottom=26, left=30, right=15), "bottom"),
        (d30.Margins(top=20, bottom=20, left=25, right=15), "left"),
        (d30.Margins(top=20, bottom=20, left=30, right=21), "right"),
    ],
)
def test_check_margins_names_the_margin_out_of_range(margins, side):
    """Appendix I, định lề trang."""
    with pytest.raises(ValueError, match=side):
        d30.check_margins(margins)


def test_font_is_times_new_roman_black():
    """Appendix I, phông chữ: Times New Roman (Unicode), black."""
    assert d30.FONT_NAME == "Times New Roman"
    assert d30.COLOR == "000000"


# --- Cỡ chữ và kiểu chữ -----------------------------------------------------------------------


def test_header_sizes_and_emphasis():
    """Appendix I, cỡ chữ và kiểu chữ of the header elements (each within the decree's range)."""
    assert (d30.PARENT_BODY.size_pt, d30.PARENT_BODY.bold, d30.PARENT_BODY.upper) == (13, False, True)
    assert (d30.ISSUER.size_pt, d30.ISSUER.bold, d30.ISSUER.upper) == (13, True, True)
    assert d30.NUMBER.size_pt == 13
    assert (d30.NATIONAL_TITLE.size_pt, d30.NATIONAL_TITLE.bold, d30.NATIONAL_TITLE.upper) == (12, True, True)
    assert (d30.MOTTO.size_pt, d30.MOTTO.bold, d30.MOTTO.upper) == (13, True, False)
    assert (d30.PLACE_DATE.size_pt, d30.PLACE_DATE.italic) == (14, True)
    assert (d30.KIND_TITLE.size_pt, d30.KIND_TITLE.bold, d30.KIND_TITLE.upper, d30.KIND_TITLE.align) == (
        14,
        True,
        True,
        "center",
    )
    assert (d30.SUMMARY.size_pt, d30.SUMMARY.bold, d30.SUMMARY.align) == (14, True, "center")


def test_body_layout():
    """Appendix I, nội dung: 13–14 pt, justified, first-line indent 1–1.27 cm, ≥ 6 pt after, 1–1.5 lines."""
    body = d30.BODY
    assert 13 <= body.size_pt <= 14
    assert body.align == "justify"
    assert 1.0 <= body.first_line_indent_cm <= 1.27
    assert body.space_after_pt >= 6
    assert 1.0 <= body.line_spacing <= 1.5
    assert d30.HEADING1.bold and d30.HEADING1.upper
    assert d30.HEADING1.apply_case("I. Công tác chỉ đạo") == "I. CÔNG TÁC CHỈ ĐẠO"


def test_signature_and_recipients_styles():
    """Appendix I, chức vụ và họ tên người ký; nơi nhận."""
    assert (d30.SIGNATURE_AUTHORITY.bold, d30.SIGNATURE_AUTHORITY.upper) == (True, True)
    assert (d30.SIGNATURE_TITLE.bold, d30.SIGNATURE_TITLE.upper) == (True, True)
    assert d30.SIGNATURE_NAME.bold and not d30.SIGNATURE_NAME.upper
    assert 13 <= d30.SIGNATURE_TITLE.size_pt <= 14
    assert (d30.RECIPIENTS_LABEL.size_pt, d30.RECIPIENTS_LABEL.bold, d30.RECIPIENTS_LABEL.italic) == (
        12,
        True,
        True,
    )
    assert d30.RECIPIENT.size_pt == 11


def test_page_numbers():
    """Appendix I, số trang: centred in the top margin, 13–14 pt, not on the first page."""
    assert 13 <= d30.PAGE_NUMBER.size_pt <= 14
    assert d30.PAGE_NUMBER.align == "center"
    assert d30.PAGE_NUMBER_ON_FIRST_PAGE is False
    assert d30.HEADER_DISTANCE_MM < d30.MARGINS.top


# --- Rules under the agency, the motto and the summary ---------------------------------------


def _header() -> Header:
    return Header(
        "UBND tỉnh Bắc Kạn", "Sở Thông tin và Truyền thông", 5, "BC", "STTTT", "Bắc Kạn", date(2022, 7, 5)
    )


def test_text_width_uses_times_new_roman_metrics():
    # "Độc lập - Tự do - Hạnh phúc", 13 pt bold, is 159.1 pt wide in Times New Roman.
    assert d30.text_width_pt("Độc lập - Tự do - Hạnh phúc", 13, bold=True) == pytest.approx(159.1, abs=0.2)
    assert d30.text_width_pt("UBND TỈNH BẮC KẠN", 13) == pytest.approx(132.5, abs=0.2)


def test_header_texts():
    """Appendix I, quốc hiệu và tiêu ngữ; tên cơ quan ban hành; số, ký hiệu; địa danh và thời gian."""
    texts = d30.header_texts(_header())
    assert texts.parent_lines == ("UBND TỈNH BẮC KẠN",)
    assert " ".join(texts.issuer_lines) == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert texts.number == "Số: 05/BC-STTTT"
    assert texts.national_title == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert texts.motto == "Độc lập - Tự do - Hạnh phúc"
    assert texts.place_date == "Bắc Kạn, ngày 05 tháng 7 năm 2022"


def test_issuer_rule_is_a_third_to_a_half_of_the_line():
    """Appendix I, tên cơ quan ban hành: a rule 1/3–1/2 of the line's length below it."""
    texts = d30.header_texts(_header())
    widest = max(d30.text_width_pt(line, 13, bold=True) for line in texts.issuer_lines)
    low, high = d30.RULE_FRACTION_RANGE
    assert low * widest <= texts.issuer_rule_pt <= high * widest


def test_motto_rule_has_the_motto_length():
    """Appendix I, quốc hiệu và tiêu ngữ: the rule under the motto is as long as the motto."""
    texts = d30.header_texts(_header())
    assert texts.motto_rule_pt == pytest.approx(d30.text_width_pt(d30.MOTTO_TEXT, 13, bold=True))


def test_summary_rule_is_a_third_to_a_half_of_the_line():
    """Appendix I, tên loại và trích yếu: a short rule 1/3–1/2 of the line below the summary."""
    texts = d30.title_texts("Báo cáo", "Sơ kết công tác thông tin và truyền thông 6 tháng đầu năm 2022")
    assert texts.kind_title == "BÁO CÁO"
    widest = max(d30.text_width_pt(line, 14, bold=True) for line in texts.summary_lines)
    low, high = d30.RULE_FRACTION_RANGE
    assert low * widest - 1e-6 <= texts.summary_rule_pt <= high * widest


def test_long_issuer_breaks_into_even_lines_that_fit_the_column():
    """Appendix I, tên cơ quan ban hành: a long name goes on several lines, centred."""
    left_mm, _ = d30.column_widths_mm()
    column_pt = (left_mm - 2 * d30.CELL_PADDING_MM) * d30.POINTS_PER_MM
    lines = d30.balanced_lines("SỞ THÔNG TIN VÀ TRUYỀN THÔNG", 13, bold=True, max_width_pt=column_pt)
    assert len(lines) == 2
    widths = [d30.text_width_pt(line, 13, bold=True) for line in lines]
    assert max(widths) <= column_pt
    # Even, not "SỞ THÔNG TIN VÀ TRUYỀN" over "THÔNG".
    assert min(widths) > 0.6 * max(widths)


def test_short_text_stays_on_one_line():
    assert d30.balanced_lines("UBND TỈNH BẮC KẠN", 13, max_width_pt=500) == ("UBND TỈNH BẮC KẠN",)


# --- The model ------------------------------------------------------------------------------


def test_paragraph_helpers():
    assert Paragraph.text("Nội dung") == Paragraph(runs=(Run("Nội dung"),), kind="body")
    assert Paragraph.heading("I. Kết quả", level=1).kind == "heading1"
    assert Paragraph.heading("1. Báo chí", level=2).kind == "heading2"
    assert Paragraph(runs=(Run("a "), Run("b", bold=True))).content == "a b"
    with pytest.raises(ValueError):
        Paragraph.heading("x", level=4)


def test_table_rows_must_match_the_columns():
    with pytest.raises(ValueError):
        Table(columns=("A", "B"), rows=(("1",),))
    with pytest.raises(ValueError):
        Table(columns=("A", "B"), rows=(), total=("1", "2", "3"))


def test_table_layout_fills_the_text_width_and_favours_long_text():
    table = Table(columns=("STT", "Đơn vị", "Số trạm"), rows=(("1", "Thành phố Bắc Kạn", "96"),))
    layout = d30.table_layout(table)
    assert layout.size_pt == d30.TABLE_CELL.size_pt and layout.fits
    assert sum(layout.widths_mm) == pytest.approx(d30.TEXT_WIDTH_MM)
    assert layout.widths_mm[1] == max(layout.widths_mm)
