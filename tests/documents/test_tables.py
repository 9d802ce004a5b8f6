"""Data tables: column widths follow their content, so that no word breaks inside a cell — in the
DOCX (as Word and LibreOffice lay it out) and in WeasyPrint's PDF."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from baocao.documents import decree30 as d30
from baocao.documents.docx_render import render_docx
from baocao.documents.html_render import render_html
from baocao.documents.model import Table
from tests.documents.printing import broken_words, libreoffice_pdfs, pdf_words
from tests.documents.samples import report_tables, tables_document, wide_table

TWIPS_PER_MM = 1440 / 25.4


def _texts_of(table: Table) -> list[tuple[str, bool]]:
    """(text, bold) of every cell as printed: heading and total bold."""
    cells = [(text, True) for text in table.columns]
    cells += [(text, False) for row in table.rows for text in row]
    cells += [(text, True) for text in table.total or ()]
    return cells


def _column_texts(table: Table, index: int) -> list[tuple[str, bool]]:
    texts = [(table.columns[index], True)] + [(row[index], False) for row in table.rows]
    return texts + ([(table.total[index], True)] if table.total else [])


# --- Measuring -------------------------------------------------------------------------------------


def _liberation_serif(style: str) -> Path:
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        if Path(path).name == f"LiberationSerif-{style}.ttf":
            return Path(path)
    pytest.skip("Liberation Serif is not installed (apt-get install fonts-liberation2)")


@pytest.mark.parametrize(("style", "bold"), [("Regular", False), ("Bold", True)])
def test_widths_are_measured_with_the_fonts_advance_widths(style, bold):
    """decree30 measures with Times New Roman's advance widths (Liberation Serif has the same): every
    Vietnamese letter, digit and sign of the tables is as wide as in the font file."""
    from fontTools.ttLib import TTFont

    font = TTFont(_liberation_serif(style))
    cmap, advances, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
    texts = {text for table in (*report_tables(), wide_table()) for text, _ in _texts_of(table)}
    for text in (*texts, letters, letters.upper(), "0123456789.,;:/()%–-"):
        text = unicodedata.normalize("NFC", text)
        expected = sum(advances[cmap[ord(char)]][0] for char in text) * 12 / units
        assert d30.text_width_pt(text, 12, bold=bold) == pytest.approx(expected, abs=1e-6), text


@pytest.mark.parametrize("table", [*report_tables(), wide_table()], ids=lambda t: t.caption[:30])
def test_every_column_holds_its_longest_word_and_padding(table):
    layout = d30.table_layout(table)
    assert layout.fits
    assert sum(layout.widths_mm) == pytest.approx(d30.TEXT_WIDTH_MM)
    padding_pt = 2 * d30.TABLE_CELL_PADDING_MM * d30.POINTS_PER_MM
    for index, width_mm in enumerate(layout.widths_mm):
        longest = max(
            d30.text_width_pt(word, layout.size_pt, bold=bold)
            for text, bold in _column_texts(table, index) for word in text.split()
        )
        assert width_mm * d30.POINTS_PER_MM >= longest + padding_pt + d30.TABLE_BORDER_PT, (index, table.columns[index])


def test_the_room_left_goes_by_content_length():
    bts, tasks, *_ = report_tables()
    widths = d30.table_layout(bts).widths_mm
    assert widths[0] == max(widths)  # the unit names
    widths = d30.table_layout(tasks).widths_mm
    assert widths[0] == max(widths)  # "Công nghệ thông tin (chuyển đổi số)"
    assert widths[5] < widths[1]  # "Quá hạn" next to "Hoàn thành đúng hạn"


def test_a_table_too_wide_for_12_pt_steps_down():
    assert d30.table_layout(report_tables()[0]).size_pt == 12
    layout = d30.table_layout(wide_table(10))
    assert layout.size_pt == 11 and layout.fits
    # At 12 pt the longest words alone would not fit the text width.
    extra = d30.table_cell_extra_pt()
    at_12 = sum(extent.minimum + extra for extent in d30.column_extents(wide_table(10), 12))
    assert at_12 > d30.TEXT_WIDTH_MM * d30.POINTS_PER_MM


def test_when_nothing_fits_the_widths_follow_the_words():
    layout = d30.table_layout(wide_table(16))
    assert layout.size_pt == d30.TABLE_FONT_SIZES_PT[-1] and not layout.fits
    assert sum(layout.widths_mm) == pytest.approx(d30.TEXT_WIDTH_MM)
    assert layout.widths_mm[0] < layout.widths_mm[1]  # "Thành" is shorter than "100.000"


# --- What the renderers write ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc():
    return tables_document()


@pytest.fixture(scope="module")
def docx_bytes(doc) -> bytes:
    return render_docx(doc)


def test_docx_tables_carry_the_widths_in_grid_cells_and_table(doc, docx_bytes):
    """Word and LibreOffice honour a fixed layout whose grid (w:gridCol), cell widths (w:tcW) and table
    width (w:tblW) agree; the font size is the layout's."""
    document = docx.Document(io.BytesIO(docx_bytes))
    tables = [block for block in doc.blocks if isinstance(block, Table)]
    data_tables = document.tables[1:-1]  # between the header and the signature
    assert len(data_tables) == len(tables)
    for block, table in zip(tables, data_tables, strict=True):
        layout = d30.table_layout(block)
        expected = [round(width * TWIPS_PER_MM) for width in layout.widths_mm]
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
        assert grid == pytest.approx(expected, abs=1)
        width = tbl_pr.find(qn("w:tblW"))
        assert width.get(qn("w:type")) == "dxa"
        assert int(width.get(qn("w:w"))) == pytest.approx(sum(expected), abs=len(expected))
        for row in table.rows:
            cells = [int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) for tc in row._tr.tc_lst]
            assert cells == pytest.approx(expected, abs=1)
        sizes = {run.font.size for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs}
        assert sizes == {Pt(layout.size_pt)}


def test_html_tables_have_the_same_widths_fixed_and_never_break_words(doc):
    html = render_html(doc)
    assert re.search(
        r"table\.od-table th, \.official-document table\.od-table td \{ hyphens: manual; "
        r"overflow-wrap: normal; word-break: normal; \}", html)
    assert "table.od-table { width: 100%; border-collapse: collapse; table-layout: fixed;" in html
    tables = [block for block in doc.blocks if isinstance(block, Table)]
    written = re.findall(r'<table class="od-table (od-size-[\d-]+)">.*?<colgroup>(.*?)</colgroup>', html, re.S)
    assert len(written) == len(tables)
    for block, (size_class, colgroup) in zip(tables, written, strict=True):
        layout = d30.table_layout(block)
        shares = [float(value) for value in re.findall(r'<col style="width: ([\d.]+)%">', colgroup)]
        assert shares == pytest.approx([w / d30.TEXT_WIDTH_MM * 100 for w in layout.widths_mm], abs=0.001)
        assert size_class == "od-size-" + f"{layout.size_pt:g}".replace(".", "-")
        assert re.search(rf"\.{size_class} th, [^{{]*\.{size_class} td {{ font-size: {layout.size_pt:g}pt; }}", html)


# --- Printed ------------------------------------------------------------------------------------------


def _assert_no_broken_words(pdf: Path, doc) -> None:
    broken = broken_words(pdf, doc)
    assert not broken, "words broken across lines: " + ", ".join(f"{w.text!r} (page {w.page})" for w in broken)
    printed = {word.text for word in pdf_words(pdf)}
    for needed in ("Trạm", "(trạm)", "Quá", "31/5/2022", "15/06/2022", "566.545", "Tổng"):
        assert needed in printed, needed


def test_libreoffice_breaks_no_word_inside_a_cell(doc, docx_bytes, tmp_path):
    pdf = libreoffice_pdfs({"tables": docx_bytes}, tmp_path)["tables"]
    _assert_no_broken_words(pdf, doc)


def test_weasyprint_breaks_no_word_and_no_word_overflows_its_cell(doc, tmp_path):
    """WeasyPrint never breaks a word in a cell (overflow-wrap: normal): a too narrow column lets the
    word run over its border instead. Both are checked, the overflow on WeasyPrint's own layout."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    rendered = weasyprint.HTML(string=render_html(doc)).render()
    overflowing = []
    for page in rendered.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TableCellBox):
                right = box.content_box_x() + box.width
                overflowing += [text.text for text in box.descendants()
                                if isinstance(text, boxes.TextBox) and text.position_x + text.width > right + 0.01]
    assert not overflowing, overflowing
    pdf = tmp_path / "tables.pdf"
    pdf.write_bytes(rendered.write_pdf())
    _assert_no_broken_words(pdf, doc)
