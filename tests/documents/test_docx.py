"""The DOCX layout read back with python-docx: Decree 30/2020/NĐ-CP, Appendix I, element by element."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from baocao.documents import decree30 as d30
from baocao.documents.docx_render import render_docx
from baocao.documents.model import Signature
from tests.documents.samples import HEADINGS, SUMMARY, sample_document, sample_header


@pytest.fixture(scope="module")
def docx_bytes(report) -> bytes:
    return render_docx(report)


@pytest.fixture(scope="module")
def document(docx_bytes):
    return docx.Document(io.BytesIO(docx_bytes))


def _text_runs(paragraph):
    return [run for run in paragraph.runs if run.text]


def _sizes(paragraph) -> set[float]:
    return {run.font.size.pt for run in _text_runs(paragraph)}


def _all(paragraph, attribute: str) -> bool:
    return all(getattr(run.font, attribute) for run in _text_runs(paragraph))


def _none(paragraph, attribute: str) -> bool:
    return not any(getattr(run.font, attribute) for run in _text_runs(paragraph))


def _lines(paragraph) -> list[str]:
    return paragraph.text.split("\n")


def _rule_width_pt(paragraph, column_text_pt: float) -> float:
    """Length of the bottom border of an (indented) rule paragraph."""
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    assert borders is not None and borders.find(qn("w:bottom")).get(qn("w:val")) == "single"
    fmt = paragraph.paragraph_format
    return column_text_pt - fmt.left_indent.pt - fmt.right_indent.pt


def _column_text_pt(fraction: float) -> float:
    return (d30.TEXT_WIDTH_MM * fraction - 2 * d30.CELL_PADDING_MM) * d30.POINTS_PER_MM


def _paragraph_starting(document, text: str):
    matches = [p for p in document.paragraphs if p.text.startswith(text)]
    assert matches, f"no paragraph starts with {text!r}"
    return matches[0]


def test_page_is_a4_portrait_with_decree_margins(document):
    """Decree 30/2020/NĐ-CP, Appendix I: A4 portrait; margins 20/20/30/15 mm."""
    section = document.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.page_height.mm == pytest.approx(297, abs=0.1)
    assert section.page_height > section.page_width
    assert section.top_margin.mm == pytest.approx(20, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(20, abs=0.1)
    assert section.left_margin.mm == pytest.approx(30, abs=0.1)
    assert section.right_margin.mm == pytest.approx(15, abs=0.1)


def test_normal_style_is_times_new_roman_14_for_every_script(document):
    """Decree 30/2020/NĐ-CP, Appendix I: Times New Roman; Word must not substitute East Asian fonts."""
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(attribute)) == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    default_fonts = defaults.find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert default_fonts.get(qn("w:asciiTheme")) is None


def test_everything_is_black(docx_bytes):
    """Decree 30/2020/NĐ-CP, Appendix I: black text."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        xml = package.read("word/document.xml").decode()
    assert "w:themeColor" not in xml
    for part in xml.split('w:color="')[1:]:
        assert part.startswith("000000")


def test_header_left_column(document):
    """Appendix I: parent body 13 pt capitals not bold; issuer 13 pt bold capitals; a 1/3–1/2 rule; the number."""
    header = document.tables[0]
    agency = header.cell(0, 0)
    parent, issuer, rule = agency.paragraphs
    assert parent.text == "UBND TỈNH BẮC KẠN"
    assert _sizes(parent) == {13}
    assert _none(parent, "bold")
    assert parent.alignment == WD_ALIGN_PARAGRAPH.CENTER

    assert " ".join(_lines(issuer)) == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert issuer.text == issuer.text.upper()
    assert _sizes(issuer) == {13}
    assert _all(issuer, "bold")
    assert issuer.alignment == WD_ALIGN_PARAGRAPH.CENTER

    assert rule.text == ""
    widest = max(d30.text_width_pt(line, 13, bold=True) for line in _lines(issuer))
    width = _rule_width_pt(rule, _column_text_pt(d30.LEFT_COLUMN_FRACTION))
    assert widest / 3 <= width <= widest / 2

    (number,) = header.cell(1, 0).paragraphs
    assert number.text == "Số: 05/BC-STTTT"
    assert _sizes(number) == {13}
    assert _none(number, "bold") and _none(number, "italic")


def test_header_right_column(document):
    """Appendix I: national title 12 pt bold capitals; motto 13 pt bold with a rule of its length; date 14 pt italic."""
    header = document.tables[0]
    title, motto, rule = header.cell(0, 1).paragraphs
    assert title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert _sizes(title) == {12}
    assert _all(title, "bold")
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    assert _sizes(motto) == {13}
    assert _all(motto, "bold")
    width = _rule_width_pt(rule, _column_text_pt(d30.RIGHT_COLUMN_FRACTION))
    assert width == pytest.approx(d30.text_width_pt(motto.text, 13, bold=True), abs=0.5)

    (place_date,) = header.cell(1, 1).paragraphs
    assert place_date.text == "Bắc Kạn, ngày 05 tháng 7 năm 2022"
    assert _sizes(place_date) == {14}
    assert _all(place_date, "italic")
    assert place_date.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_header_is_a_borderless_two_column_table_across_the_text_width(document):
    header = document.tables[0]
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.get(qn("w:val")) for child in borders} == {"nil"}
    left, right = (column.width.mm for column in header.columns)
    assert left + right == pytest.approx(d30.TEXT_WIDTH_MM, abs=0.2)
    assert left / (left + right) == pytest.approx(0.4, abs=0.01)


def test_kind_title_and_summary(document):
    """Appendix I: "BÁO CÁO" 14 pt bold capitals centred; the summary bold centred with a short rule."""
    title = _paragraph_starting(document, "BÁO CÁO")
    assert title.text == "BÁO CÁO"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _sizes(title) == {14}
    assert _all(title, "bold")

    paragraphs = document.paragraphs
    index = [p.text for p in paragraphs].index("BÁO CÁO")
    summary, rule = paragraphs[index + 1], paragraphs[index + 2]
    assert " ".join(_lines(summary)) == SUMMARY
    assert summary.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _all(summary, "bold") and _sizes(summary) == {14}
    widest = max(d30.text_width_pt(line, 14, bold=True) for line in _lines(summary))
    width = _rule_width_pt(rule, d30.TEXT_WIDTH_MM * d30.POINTS_PER_MM)
    assert widest / 3 - 0.5 <= width <= widest / 2


def test_body_paragraphs_are_justified_with_first_line_indent(document):
    """Appendix I, nội dung: justified, first-line indent 1.27 cm, 6 pt after, line spacing 1.15, 14 pt."""
    body = _paragraph_starting(document, "Thực hiện Kế hoạch công tác năm 2022")
    fmt = body.paragraph_format
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent == Cm(1.27)
    assert fmt.space_after == Pt(6)
    assert fmt.line_spacing == pytest.approx(1.15)
    assert _sizes(body) == {14}
    mixed = _paragraph_starting(document, "Trong 6 tháng đầu năm")
    bold_runs = [run.text for run in mixed.runs if run.bold]
    assert bold_runs == ["1.245 tin, bài"]


def test_headings_in_order_with_outline_levels(document):
    """Appendix I, nội dung: headings "I. …" in bold capitals."""
    level_one = []
    for paragraph in document.paragraphs:
        outline = paragraph._p.pPr.find(qn("w:outlineLvl")) if paragraph._p.pPr is not None else None
        if outline is not None and outline.get(qn("w:val")) == "0":
            level_one.append(paragraph)
    assert [p.text for p in level_one] == [heading.upper() for heading in HEADINGS]
    for heading in level_one:
        assert _all(heading, "bold") and _sizes(heading) == {14}
        assert heading.paragraph_format.keep_with_next
    second = _paragraph_starting(document, "1. Lĩnh vực báo chí")
    assert _all(second, "bold") and _none(second, "italic")
    third = _paragraph_starting(document, "a) Chuyển đổi số cấp xã")
    assert _all(third, "bold") and _all(third, "italic")


def test_data_table(document):
    table = document.tables[1]
    caption = _paragraph_starting(document, "Bảng 1.")
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert table.style.name == "Table Grid"
    header = [cell.text for cell in table.rows[0].cells]
    assert header == [
        "STT",
        "Đơn vị",
        "Trạm BTS 4G",
        "Thuê bao băng rộng di động",
        "Thôn có sóng di động (%)",
    ]
    assert all(_all(cell.paragraphs[0], "bold") for cell in table.rows[0].cells)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeats on each page
    first = [cell.text for cell in table.rows[1].cells]
    assert first == ["1", "Thành phố Bắc Kạn", "96", "61.234", "100%"]
    assert table.rows[1].cells[3].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.rows[1].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    total = table.rows[-1]
    assert [cell.text for cell in total.cells] == ["", "Tổng cộng", "457", "170.082", "95,9%"]
    assert all(_all(cell.paragraphs[0], "bold") for cell in total.cells if cell.text)
    assert not any(run.bold for cell in table.rows[1].cells for run in cell.paragraphs[0].runs)
    widths = [column.width.mm for column in table.columns]
    assert sum(widths) == pytest.approx(d30.TEXT_WIDTH_MM, abs=0.5)


def test_figure_is_embedded_within_the_text_width(document):
    assert len(document.inline_shapes) == 1
    picture = document.inline_shapes[0]
    assert picture.width == Cm(15)
    caption = _paragraph_starting(document, "Hình 1.")
    assert _all(caption, "italic")
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_recipients(document):
    """Appendix I, nơi nhận: "Nơi nhận:" 12 pt bold italic; 11 pt lines "- …;", the last "- Lưu: VT, VP."."""
    signature_table = document.tables[-1]
    label, *lines = signature_table.cell(0, 0).paragraphs
    assert label.text == "Nơi nhận:"
    assert _sizes(label) == {12}
    assert _all(label, "bold") and _all(label, "italic")
    assert label.alignment == WD_ALIGN_PARAGRAPH.LEFT
    texts = [line.text for line in lines]
    assert texts == [
        "- Bộ Thông tin và Truyền thông (b/c);",
        "- TT Tỉnh ủy, HĐND, UBND tỉnh (b/c);",
        "- Lãnh đạo Sở;",
        "- Các phòng, đơn vị thuộc Sở;",
        "- Lưu: VT, VP.",
    ]
    for line in lines:
        assert _sizes(line) == {11}
        assert _none(line, "bold")


def test_signature(document):
    """Appendix I, chức vụ và họ tên người ký: authority and title bold capitals 14 pt, the name bold."""
    signature_table = document.tables[-1]
    authority, title, name = signature_table.cell(0, 1).paragraphs
    assert authority.text == "KT. GIÁM ĐỐC"
    assert title.text == "PHÓ GIÁM ĐỐC"
    assert name.text == "Lô Quang Tuyến"
    for paragraph in (authority, title, name):
        assert _sizes(paragraph) == {14}
        assert _all(paragraph, "bold")
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert name.paragraph_format.space_before >= Cm(2)  # room for the signature and seal
    # "Nơi nhận:" and the first signature line sit level with each other.
    label = signature_table.cell(0, 0).paragraphs[0]
    assert label.paragraph_format.space_before == authority.paragraph_format.space_before
    assert signature_table._tbl.tblPr.find(qn("w:tblBorders")) is not None
    assert signature_table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_page_numbers_from_page_two(document):
    """Appendix I, số trang: centred in the top margin, 14 pt, not on the first page."""
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    assert not header.is_linked_to_previous
    instructions = [node.text for node in header._element.iter(qn("w:instrText"))]
    assert [text.strip() for text in instructions] == ["PAGE"]
    (paragraph,) = header.paragraphs
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {run.font.size for run in paragraph.runs} == {Pt(14)}
    first = section.first_page_header
    assert not list(first._element.iter(qn("w:instrText")))
    assert section.header_distance < section.top_margin


def test_draft_leaves_number_and_date_blank_and_is_marked():
    doc = sample_document(header=sample_header(number=None, date=None), draft_watermark=True)
    document = docx.Document(io.BytesIO(render_docx(doc)))
    assert document.paragraphs[0].text == "DỰ THẢO"
    header = document.tables[0]
    assert header.cell(1, 0).text == "Số:      /BC-STTTT"
    assert header.cell(1, 1).text == "Bắc Kạn, ngày      tháng      năm 2022"


def test_head_signing_without_authority():
    doc = sample_document(signature=Signature(authority=None, title="Giám đốc", name=""))
    document = docx.Document(io.BytesIO(render_docx(doc)))
    texts = [p.text for p in document.tables[-1].cell(0, 1).paragraphs]
    assert texts == ["GIÁM ĐỐC", ""]


def test_no_stray_empty_paragraph_before_the_header(document):
    body = document.element.body
    assert body[0].tag == qn("w:tbl")
