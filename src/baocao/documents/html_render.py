"""HTML layout of an OfficialDocument (Decree 30/2020/NĐ-CP), for the browser and for WeasyPrint.

The template ``documents/official.html`` holds the structure and the CSS; sizes, emphasis and
rule lengths come from ``decree30`` so the HTML, the PDF and the DOCX agree. Figures are
embedded as data: URIs, so the output needs no file or URL to render.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import decree30 as d30
from .model import Figure, OfficialDocument, Paragraph, Table, closing_start, split_line_breaks, xml_safe

TEMPLATE = "documents/official.html"

_ALIGN_CSS = {"left": "left", "center": "center", "right": "right", "justify": "justify"}


def _number(value: float) -> str:
    """CSS number text, independent of the active locale ("1.27", never "1,27")."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def style_declarations(style: d30.TextStyle) -> SafeString:
    """CSS declarations for a decree30 text style."""
    parts = [
        f"font-size: {_number(style.size_pt)}pt",
        f"font-weight: {'bold' if style.bold else 'normal'}",
        f"font-style: {'italic' if style.italic else 'normal'}",
        f"text-align: {_ALIGN_CSS[style.align]}",
        f"text-indent: {_number(style.first_line_indent_cm)}cm",
        f"margin: {_number(style.space_before_pt)}pt 0 {_number(style.space_after_pt)}pt 0",
        f"line-height: {_number(style.line_spacing * 1.15)}",
    ]
    # Safe: built from numbers and CSS keywords only, never from document text.
    return mark_safe("; ".join(parts) + ";")


_STYLES = {
    "parent": d30.PARENT_BODY,
    "issuer": d30.ISSUER,
    "number": d30.NUMBER,
    "national_title": d30.NATIONAL_TITLE,
    "motto": d30.MOTTO,
    "place_date": d30.PLACE_DATE,
    "kind_title": d30.KIND_TITLE,
    "summary": d30.SUMMARY,
    "body": d30.BODY,
    "plain": d30.PLAIN,
    "heading1": d30.HEADING1,
    "heading2": d30.HEADING2,
    "heading3": d30.HEADING3,
    "table_caption": d30.TABLE_CAPTION,
    "table_header": d30.TABLE_HEADER,
    "table_cell": d30.TABLE_CELL,
    "figure_caption": d30.FIGURE_CAPTION,
    "signature_authority": d30.SIGNATURE_AUTHORITY,
    "signature_title": d30.SIGNATURE_TITLE,
    "signature_name": d30.SIGNATURE_NAME,
    "recipients_label": d30.RECIPIENTS_LABEL,
    "recipient": d30.RECIPIENT,
    "page_number": d30.PAGE_NUMBER,
    "draft_mark": d30.DRAFT_MARK,
}


@dataclass(frozen=True)
class _RunView:
    text: str
    bold: bool
    italic: bool


def _paragraph_view(block: Paragraph) -> dict[str, Any]:
    style = d30.PARAGRAPH_STYLES[block.kind]
    level = d30.HEADING_LEVELS.get(block.kind)
    return {
        "type": "paragraph",
        "kind": block.kind,
        # h2 for "I. …", h3 for "1. …", h4 for "a) …": the kind title is the page's h1.
        "tag": f"h{level + 1}" if level else "p",
        "runs": [_RunView(style.apply_case(run.text), run.bold, run.italic) for run in block.runs],
    }


def _size_class(size_pt: float) -> str:
    return "od-size-" + _number(size_pt).replace(".", "-")


def _table_view(block: Table) -> dict[str, Any]:
    def cells(values: tuple[str, ...]) -> list[dict[str, Any]]:
        return [{"text": text, "numeric": index in block.numeric} for index, text in enumerate(values)]

    layout = d30.table_layout(block)
    total_mm = sum(layout.widths_mm)
    return {
        "type": "table",
        "caption": block.caption,
        # Shares of the table's width, which is the text width on paper (the same widths as the DOCX).
        "widths": [_number(width / total_mm * 100) for width in layout.widths_mm],
        "size_class": _size_class(layout.size_pt),
        "columns": block.columns,
        "rows": [cells(row) for row in block.rows],
        "total": cells(block.total) if block.total is not None else None,
    }


def _figure_view(block: Figure) -> dict[str, Any]:
    width_cm = min(block.width_cm, d30.TEXT_WIDTH_MM / 10)
    return {
        "type": "figure",
        "src": "data:image/png;base64," + base64.b64encode(block.png).decode("ascii"),
        "width": _number(width_cm),
        "caption": block.caption,
    }


def _font_family() -> SafeString:
    """The CSS font stack: Times New Roman, then metric-compatible stand-ins."""
    names = (d30.FONT_NAME, *d30.FONT_FALLBACKS)
    # Safe: the names are constants of decree30.
    return mark_safe(", ".join(f'"{name}"' if " " in name else name for name in names))


def _block_view(block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return _paragraph_view(block)
    if isinstance(block, Table):
        return _table_view(block)
    if isinstance(block, Figure):
        return _figure_view(block)
    raise TypeError(f"unknown block {type(block).__name__}")  # pragma: no cover - the Block union is closed


def document_context(doc: OfficialDocument, *, standalone: bool = True) -> dict[str, Any]:
    """Everything the template needs, as plain values."""
    header = d30.header_texts(doc.header)
    title = d30.title_texts(doc.kind_title, doc.summary)
    left_mm, right_mm = d30.column_widths_mm()
    blocks = [_block_view(block) for block in doc.blocks]
    # The closing group (the last block and its headings) is printed in one piece with the signature.
    closing = closing_start(doc.blocks)
    signature = doc.signature
    margins = d30.MARGINS
    return {
        "standalone": standalone,
        "title": f"{title.kind_title} {doc.summary}".strip(),
        "css": {name: style_declarations(style) for name, style in _STYLES.items()},
        "font_family": _font_family(),
        "page": {
            "width": _number(d30.PAGE_WIDTH_MM),
            "height": _number(d30.PAGE_HEIGHT_MM),
            "margin": " ".join(
                f"{_number(value)}mm" for value in (margins.top, margins.right, margins.bottom, margins.left)
            ),
            "text_width": _number(d30.TEXT_WIDTH_MM),
            "left_column": _number(left_mm / d30.TEXT_WIDTH_MM * 100),
            "right_column": _number(right_mm / d30.TEXT_WIDTH_MM * 100),
            "cell_padding": _number(d30.CELL_PADDING_MM),
            "rule_weight": _number(d30.RULE_WEIGHT_PT),
            "signature_space": _number(d30.SIGNATURE_SPACE_CM),
            "page_number_size": _number(d30.PAGE_NUMBER.size_pt),
            "page_number_on_first": d30.PAGE_NUMBER_ON_FIRST_PAGE,
        },
        "draft_mark": d30.DRAFT_MARK.apply_case(d30.DRAFT_MARK_TEXT) if doc.draft_watermark else "",
        "header": {
            "parent_lines": header.parent_lines,
            "issuer_lines": header.issuer_lines,
            "issuer_rule": _number(header.issuer_rule_pt),
            "number": header.number,
            "national_title": header.national_title,
            "motto": header.motto,
            "motto_rule": _number(header.motto_rule_pt),
            "place_date": header.place_date,
        },
        "kind_title": title.kind_title,
        "summary_lines": title.summary_lines,
        "summary_rule": _number(title.summary_rule_pt),
        "blocks": blocks[:closing],
        "closing_blocks": blocks[closing:],
        "appendix": [_block_view(block) for block in doc.appendix],
        "table_sizes": [
            {"class": _size_class(size), "size": _number(size)} for size in d30.TABLE_FONT_SIZES_PT
        ],
        "table_padding": f"{_number(d30.TABLE_CELL_PADDING_V_MM)}mm {_number(d30.TABLE_CELL_PADDING_MM)}mm",
        "table_border": _number(d30.TABLE_BORDER_PT),
        "recipients_label": d30.RECIPIENTS_LABEL_TEXT,
        "recipient_lines": d30.recipient_lines(doc.recipients, doc.archive),
        "signature": _signature_view(signature),
        "co_signature": _signature_view(doc.co_signature) if doc.co_signature is not None else None,
    }


def _signature_view(signature) -> dict[str, str]:
    return {
        "authority": d30.SIGNATURE_AUTHORITY.apply_case(signature.authority or ""),
        "title": d30.SIGNATURE_TITLE.apply_case(signature.title),
        "name": signature.name,
    }


def render_html(doc: OfficialDocument, *, standalone: bool = True) -> str:
    """The document as HTML: a full A4 page for print, or (standalone=False) a fragment to embed.

    The fragment is a <style> scoped to ``.official-document`` followed by the <article>.
    """
    doc = split_line_breaks(xml_safe(doc))
    return render_to_string(TEMPLATE, document_context(doc, standalone=standalone))
