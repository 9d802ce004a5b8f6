"""PDF of an OfficialDocument: the HTML layout printed by WeasyPrint."""

from __future__ import annotations

from .html_render import render_html
from .model import OfficialDocument


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes (A4, Decree 30 layout)."""
    # WeasyPrint loads Pango and fonts on import: only pay for it when a PDF is asked for.
    import weasyprint

    return weasyprint.HTML(string=render_html(doc, standalone=True)).write_pdf()
