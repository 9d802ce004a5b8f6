"""Word (.docx) layout of an OfficialDocument, following Decree 30/2020/NĐ-CP (see decree30).

The header and the signature block are borderless two-column tables, as in the templates
Vietnamese offices use. The short rules the decree draws under the issuing agency, the motto
and the summary are empty paragraphs with a bottom border, indented so that the border has the
decree's length: they survive editing in Word and LibreOffice and read back with python-docx.
Every run's size and emphasis is set directly, so a paragraph pasted into another document
keeps its look.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence
from dataclasses import replace

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from baocao.core.text import xml_text

from . import decree30 as d30
from .model import Figure, OfficialDocument, Paragraph, Run, Table, closing_start, split_line_breaks, xml_safe

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# Half a point in eighths of a point, the unit of w:sz on borders.
_RULE_SIZE = str(round(d30.RULE_WEIGHT_PT * 8))
_BLACK = RGBColor(0, 0, 0)


# python-docx refuses a core property (title, author, …) over 255 characters with ValueError; a
# title is the document's summary, which users write (a meeting's name holds 500).
CORE_PROPERTY_MAX = 255


def set_core_properties(document, *, title: str, author: str, language: str) -> None:
    """The file's properties (File > Properties in Word), shortened to what the format holds."""
    def fit(text: str) -> str:
        text = " ".join(xml_text(text).split())
        return text if len(text) <= CORE_PROPERTY_MAX else text[:CORE_PROPERTY_MAX - 1] + "…"

    document.core_properties.title = fit(title)
    document.core_properties.author = fit(author)
    document.core_properties.language = language


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    doc = split_line_breaks(xml_safe(doc))
    document = Document()
    _setup_styles(document)
    _setup_page(document)
    set_core_properties(document, title=f"{doc.kind_title} {doc.summary}", author=doc.header.issuer,
                        language=d30.LANGUAGE)

    body_paragraphs = document.paragraphs  # the template's single empty paragraph
    if doc.draft_watermark:
        _draft_mark(document)
    _header_block(document, doc)
    _title_block(document, doc)
    # The closing group (the last block and its headings) stays on the signature's page.
    closing = closing_start(doc.blocks)
    for index, block in enumerate(doc.blocks):
        closes = index >= closing
        if isinstance(block, Paragraph):
            _body_paragraph(document, block, closing=closes)
        elif isinstance(block, Table):
            _data_table(document, block, keep_with_next=closes)
        elif isinstance(block, Figure):
            _figure(document, block, keep_with_next=closes)
        else:  # pragma: no cover - the model's Block union is closed
            raise TypeError(f"unknown block {type(block).__name__}")
    _signature_block(document, doc)
    if doc.appendix:
        document.add_page_break()
        for block in doc.appendix:
            if isinstance(block, Paragraph):
                _body_paragraph(document, block)
            elif isinstance(block, Table):
                _data_table(document, block)
            elif isinstance(block, Figure):
                _figure(document, block)
    # Drop the empty paragraph python-docx's template starts with.
    if body_paragraphs and not body_paragraphs[0].text:
        first = body_paragraphs[0]._element
        first.getparent().remove(first)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Styles and page


def _set_fonts(rpr: BaseOxmlElement) -> None:
    """Times New Roman for every script, replacing the template's theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), d30.FONT_NAME)


def _setup_styles(document) -> None:
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_fonts(rpr)
    for tag, value in (("w:sz", "28"), ("w:szCs", "28")):
        rpr.find(qn(tag)).set(qn("w:val"), value)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), d30.LANGUAGE)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    normal.font.name = d30.FONT_NAME
    _set_fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(d30.BODY.size_pt)
    normal.font.color.rgb = _BLACK
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _setup_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(d30.PAGE_WIDTH_MM)
    section.page_height = Mm(d30.PAGE_HEIGHT_MM)
    d30.check_margins(d30.MARGINS)
    section.top_margin = Mm(d30.MARGINS.top)
    section.bottom_margin = Mm(d30.MARGINS.bottom)
    section.left_margin = Mm(d30.MARGINS.left)
    section.right_margin = Mm(d30.MARGINS.right)
    section.header_distance = Mm(d30.HEADER_DISTANCE_MM)
    section.footer_distance = Mm(d30.HEADER_DISTANCE_MM)

    # Page numbers: centred in the top margin, from page 2 on.
    section.different_first_page_header_footer = not d30.PAGE_NUMBER_ON_FIRST_PAGE
    first = section.first_page_header
    first.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    _format_paragraph(paragraph, d30.PAGE_NUMBER)
    _page_field(paragraph, d30.PAGE_NUMBER)


def _page_field(paragraph: DocxParagraph, style: d30.TextStyle) -> None:
    """A PAGE field as begin/instruction/separate/result/end runs (read by Word and LibreOffice)."""

    def field_run(child: BaseOxmlElement | None = None, text: str | None = None) -> None:
        run = paragraph.add_run(text or "")
        _format_run(run, style, bold=False, italic=False)
        if child is not None:
            run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    field_run(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    field_run(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    field_run(separate)
    field_run(text="2")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    field_run(end)


# ---------------------------------------------------------------------------
# Paragraph helpers


def _format_paragraph(
    paragraph: DocxParagraph, style: d30.TextStyle, *, keep_with_next: bool = False
) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[style.align]
    fmt.first_line_indent = Cm(style.first_line_indent_cm) if style.first_line_indent_cm else None
    fmt.space_before = Pt(style.space_before_pt)
    fmt.space_after = Pt(style.space_after_pt)
    fmt.line_spacing = style.line_spacing
    if keep_with_next:
        fmt.keep_with_next = True


def _format_run(run, style: d30.TextStyle, *, bold: bool, italic: bool) -> None:
    run.font.size = Pt(style.size_pt)
    run.font.bold = style.bold or bold
    run.font.italic = style.italic or italic


def _add_paragraph(
    container,
    content: str | Sequence[Run] | Sequence[str],
    style: d30.TextStyle,
    *,
    keep_with_next: bool = False,
) -> DocxParagraph:
    """A paragraph in ``container`` (document or cell); a sequence of strings becomes lines."""
    paragraph = container.add_paragraph()
    _format_paragraph(paragraph, style, keep_with_next=keep_with_next)
    items: Sequence[Run | str] = [Run(content)] if isinstance(content, str) else content
    for index, item in enumerate(items):
        if isinstance(item, str):
            if index:
                paragraph.runs[-1].add_break(WD_BREAK.LINE)
            piece = Run(item)
        else:
            piece = item
        run = paragraph.add_run(style.apply_case(piece.text))
        _format_run(run, style, bold=piece.bold, italic=piece.italic)
    return paragraph


def _cell_paragraph(
    cell: _Cell, content: str | Sequence[str], style: d30.TextStyle, *, keep_with_next: bool = False
) -> DocxParagraph:
    """Text in a cell: the cell's first (template) paragraph is reused once."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.text and not first.runs:
        paragraph = _add_paragraph(cell, content, style, keep_with_next=keep_with_next)
        first._element.getparent().remove(first._element)
        return paragraph
    return _add_paragraph(cell, content, style, keep_with_next=keep_with_next)


def _rule(container, width_pt: float, column_text_pt: float) -> DocxParagraph:
    """A centred rule of ``width_pt`` in a cell or the body: an empty paragraph with a bottom border."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    side = max(0.0, (column_text_pt - width_pt) / 2)
    fmt.left_indent = Pt(side)
    fmt.right_indent = Pt(side)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    # A 2 pt high line box puts the border just under the text above it.
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), _RULE_SIZE)
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), d30.COLOR)
    borders.append(bottom)
    _insert_pbdr(ppr, borders)
    return paragraph


# Elements that follow w:pBdr / w:outlineLvl in w:pPr and w:tblBorders / w:tblCellMar in w:tblPr
# (ECMA-376 order; Word refuses a file whose elements are out of order).
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_OUTLINE = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
_AFTER_TBL_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _insert_pbdr(ppr, borders) -> None:
    ppr.insert_element_before(borders, *_AFTER_PBDR)


def _spacer(document, height_pt: float, *, keep_with_next: bool = False) -> DocxParagraph:
    """An empty paragraph of exactly ``height_pt``: vertical room that also separates two tables."""
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(height_pt)
    fmt.keep_with_next = keep_with_next or None
    return paragraph


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _cell_margins(
    table: DocxTable, *, left_mm: float, right_mm: float, top_mm: float = 0, bottom_mm: float = 0
) -> None:
    tbl_pr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top_mm), ("left", left_mm), ("bottom", bottom_mm), ("right", right_mm)):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(_twips(value)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)


def _no_borders(table: DocxTable) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBL_BORDERS)


def _fixed_widths(table: DocxTable, widths_mm: Sequence[float]) -> None:
    """Column widths that Word and LibreOffice keep: a fixed layout, the grid (w:gridCol), every
    cell's width (w:tcW) and the table's (w:tblW) all say the same, in twentieths of a point."""
    table.autofit = False  # also sets w:tblLayout to fixed
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    if table_width is not None:
        table_width.set(qn("w:type"), "dxa")
        table_width.set(qn("w:w"), str(sum(_twips(width) for width in widths_mm)))
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    tr_pr.append(element)


def _layout_table(document, rows: int) -> tuple[DocxTable, float, float]:
    """A borderless two-column table across the text width; returns it and each column's text width (pt)."""
    left_mm, right_mm = d30.column_widths_mm()
    table = document.add_table(rows=rows, cols=2)
    _no_borders(table)
    _cell_margins(table, left_mm=d30.CELL_PADDING_MM, right_mm=d30.CELL_PADDING_MM)
    _fixed_widths(table, (left_mm, right_mm))
    for row in table.rows:
        _cant_split(row)
    to_pt = d30.POINTS_PER_MM
    return table, (left_mm - 2 * d30.CELL_PADDING_MM) * to_pt, (right_mm - 2 * d30.CELL_PADDING_MM) * to_pt


# ---------------------------------------------------------------------------
# Document parts


def _draft_mark(document) -> None:
    """ "DỰ THẢO" in a box at the top right."""
    style = d30.DRAFT_MARK
    paragraph = _add_paragraph(document, d30.DRAFT_MARK_TEXT, style)
    text_pt = d30.text_width_pt(style.apply_case(d30.DRAFT_MARK_TEXT), style.size_pt, bold=True)
    paragraph.paragraph_format.left_indent = Mm(d30.TEXT_WIDTH_MM) - Pt(text_pt + 8)
    paragraph.paragraph_format.space_after = Pt(6)
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "6")
        element.set(qn("w:space"), "2")
        element.set(qn("w:color"), d30.COLOR)
        borders.append(element)
    _insert_pbdr(paragraph._p.get_or_add_pPr(), borders)


def _header_block(document, doc: OfficialDocument) -> None:
    texts = d30.header_texts(doc.header)
    table, left_pt, right_pt = _layout_table(document, rows=2)
    agency, nation = table.rows[0].cells
    _cell_paragraph(agency, texts.parent_lines, d30.PARENT_BODY)
    _add_paragraph(agency, texts.issuer_lines, d30.ISSUER)
    _rule(agency, texts.issuer_rule_pt, left_pt)
    _cell_paragraph(nation, texts.national_title, d30.NATIONAL_TITLE)
    _add_paragraph(nation, texts.motto, d30.MOTTO)
    _rule(nation, texts.motto_rule_pt, right_pt)

    number, place_date = table.rows[1].cells
    number_paragraph = _cell_paragraph(number, texts.number, d30.NUMBER)
    number_paragraph.paragraph_format.space_before = Pt(6)
    date_paragraph = _cell_paragraph(place_date, texts.place_date, d30.PLACE_DATE)
    date_paragraph.paragraph_format.space_before = Pt(6)
    for cell in (number, place_date):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP


def _title_block(document, doc: OfficialDocument) -> None:
    texts = d30.title_texts(doc.kind_title, doc.summary)
    _add_paragraph(document, texts.kind_title, d30.KIND_TITLE, keep_with_next=True)
    if texts.summary_lines:
        _add_paragraph(document, texts.summary_lines, d30.SUMMARY, keep_with_next=True)
        width_pt = Mm(d30.TEXT_WIDTH_MM).pt
        paragraph = _rule(document, texts.summary_rule_pt, width_pt)
        paragraph.paragraph_format.keep_with_next = True
    # Room between the title and the body.
    _spacer(document, 12)


def _body_paragraph(document, block: Paragraph, *, closing: bool = False) -> None:
    """A paragraph or heading; a closing one is kept whole and with what follows (the signature)."""
    style = d30.PARAGRAPH_STYLES[block.kind]
    level = d30.HEADING_LEVELS.get(block.kind)
    paragraph = _add_paragraph(document, block.runs, style, keep_with_next=closing or level is not None)
    if closing:
        paragraph.paragraph_format.keep_together = True
    if level is not None:
        # Outline level: headings show in Word's navigation pane without Word's heading styles.
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level - 1))
        paragraph._p.get_or_add_pPr().insert_element_before(outline, *_AFTER_OUTLINE)


_PLACEHOLDER = "0"  # every prototype cell gets a run to copy


def _data_table(document, block: Table, *, keep_with_next: bool = False) -> None:
    if block.caption:
        _add_paragraph(document, block.caption, d30.TABLE_CAPTION, keep_with_next=True)
    layout = d30.table_layout(block)
    header_style, cell_style, total_style = (
        replace(style, size_pt=layout.size_pt) for style in (d30.TABLE_HEADER, d30.TABLE_CELL, d30.TABLE_TOTAL)
    )
    # Header, one prototype body row, and the total row; body rows are copies of the prototype's
    # XML with their texts set, since formatting cell by cell through python-docx costs ~1 ms a
    # cell (seconds for a province's 100-row tables).
    row_count = 2 + (1 if block.total is not None else 0)
    table = document.add_table(rows=row_count, cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    padding = d30.TABLE_CELL_PADDING_MM
    _cell_margins(table, left_mm=padding, right_mm=padding, top_mm=d30.TABLE_CELL_PADDING_V_MM,
                  bottom_mm=d30.TABLE_CELL_PADDING_V_MM)
    _fixed_widths(table, layout.widths_mm)

    header_row = table.rows[0]
    header_row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    _cant_split(header_row)
    for cell, text in zip(header_row.cells, block.columns, strict=True):
        _cell_paragraph(cell, text, header_style, keep_with_next=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    styled_rows = [(table.rows[1], [_PLACEHOLDER] * len(block.columns), cell_style)]
    if block.total is not None:
        styled_rows.append((table.rows[2], list(block.total), total_style))
    for docx_row, values, style in styled_rows:
        _cant_split(docx_row)
        for index, (cell, text) in enumerate(zip(docx_row.cells, values, strict=True)):
            aligned = replace(style, align="right") if index in block.numeric else style
            _cell_paragraph(cell, text, aligned)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    prototype = table.rows[1]._tr
    for row_values in block.rows:
        row = copy.deepcopy(prototype)
        for tc, text in zip(row.iterchildren(qn("w:tc")), row_values, strict=True):
            node = next(tc.iter(qn("w:t")))
            node.text = text
            node.set(qn("xml:space"), "preserve")
        prototype.addprevious(row)
    table._tbl.remove(prototype)
    if keep_with_next:
        # The table closes the document: its last row goes to the signature's page.
        for paragraph in table.rows[-1]._tr.iter(qn("w:p")):
            DocxParagraph(paragraph, table).paragraph_format.keep_with_next = True
    # Space after the table before the next paragraph.
    _spacer(document, 9, keep_with_next=keep_with_next)


def _figure(document, block: Figure, *, keep_with_next: bool = False) -> None:
    paragraph = document.add_paragraph()
    _format_paragraph(paragraph, d30.TextStyle(d30.BODY.size_pt, space_before_pt=6, space_after_pt=3))
    paragraph.paragraph_format.keep_with_next = bool(block.caption) or keep_with_next
    width = min(Cm(block.width_cm), Mm(d30.TEXT_WIDTH_MM))
    paragraph.add_run().add_picture(io.BytesIO(block.png), width=Emu(width))
    if block.caption:
        _add_paragraph(document, block.caption, d30.FIGURE_CAPTION, keep_with_next=keep_with_next)


def _signature_lines(sign) -> list[tuple[str, d30.TextStyle]]:
    lines = [(sign.authority, d30.SIGNATURE_AUTHORITY)] if sign.authority else []
    lines.append((sign.title, d30.SIGNATURE_TITLE))
    return lines


def _signer(cell: _Cell, sign, *, lines: int) -> None:
    """One signer in a cell: authority and title (padded to ``lines`` so that two signers' names
    stand level), the room for the signature, the name."""
    own = _signature_lines(sign)
    own += [("", d30.SIGNATURE_TITLE)] * (lines - len(own))
    for index, (text, style) in enumerate(own):
        paragraph = _cell_paragraph(cell, text, style) if index == 0 else _add_paragraph(cell, text, style)
        if index == 0:
            # Level with "Nơi nhận:" (or the other signer) in the other column.
            paragraph.paragraph_format.space_before = Pt(d30.RECIPIENTS_LABEL.space_before_pt)
    name = _add_paragraph(cell, sign.name, d30.SIGNATURE_NAME)
    name.paragraph_format.space_before = Cm(d30.SIGNATURE_SPACE_CM)


def _recipients(cell: _Cell, doc: OfficialDocument) -> None:
    _cell_paragraph(cell, d30.RECIPIENTS_LABEL_TEXT, d30.RECIPIENTS_LABEL)
    for line in d30.recipient_lines(doc.recipients, doc.archive):
        _add_paragraph(cell, line, d30.RECIPIENT)


def _signature_block(document, doc: OfficialDocument) -> None:
    _spacer(document, 6, keep_with_next=True)
    co = doc.co_signature
    table, _left_pt, _right_pt = _layout_table(document, rows=1 if co is None else 2)
    if co is None:
        recipients, signature = table.rows[0].cells
        _recipients(recipients, doc)
        _signer(signature, doc.signature, lines=len(_signature_lines(doc.signature)))
    else:
        # Two signers side by side, the recipients under them.
        left, right = table.rows[0].cells
        lines = max(len(_signature_lines(co)), len(_signature_lines(doc.signature)))
        _signer(left, co, lines=lines)
        _signer(right, doc.signature, lines=lines)
        _recipients(table.rows[1].cells[0], doc)
        table.rows[1].cells[0].paragraphs[0].paragraph_format.space_before = Pt(12)
    # One block: no row splits (_layout_table), no paragraph in it breaks across pages, and the
    # signers' row stays with the recipients' under it.
    for index, row in enumerate(table.rows):
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_together = True
                if index < len(table.rows) - 1:
                    paragraph.paragraph_format.keep_with_next = True
