"""Printing documents for the layout tests: DOCX through LibreOffice, HTML through WeasyPrint, and
reading the words of a PDF back with poppler (pdftotext -bbox), page by page with their boxes.

Without LibreOffice or poppler the tests that need them skip, unless BAOCAO_REQUIRE_OFFICE is set
(CI), where they fail (tests.documents.test_html_pdf._tool).
"""

from __future__ import annotations

import html
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from baocao.documents import decree30 as d30
from baocao.documents.model import OfficialDocument, Paragraph, Table
from tests.documents.test_html_pdf import _run, _tool

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def libreoffice_pdfs(documents: Mapping[str, bytes], folder: Path) -> dict[str, Path]:
    """Each DOCX (name -> bytes) printed to PDF by one LibreOffice run; name -> PDF path."""
    soffice = _tool("soffice")
    sources = []
    for name, content in documents.items():
        source = folder / f"{name}.docx"
        source.write_bytes(content)
        sources.append(str(source))
    with tempfile.TemporaryDirectory(prefix="baocao-soffice-") as profile:
        # A profile and HOME of its own, so parallel runs do not share LibreOffice's lock.
        _run(soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(folder), *sources,
             timeout=60 + 20 * len(sources), env={**os.environ, "HOME": profile})
    pdfs = {name: folder / f"{name}.pdf" for name in documents}
    missing = [name for name, pdf in pdfs.items() if not pdf.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return pdfs


def pdf_words(pdf: Path) -> list[Word]:
    """Every word of the PDF as poppler reads it (NFC), with its page (from 1) and box in points."""
    text = _run(_tool("pdftotext"), "-bbox", str(pdf), "-")
    words = []
    for number, page in enumerate(text.split("<page ")[1:], start=1):
        for match in _WORD.finditer(page):
            x0, y0, x1, y1 = (float(value) for value in match.groups()[:4])
            words.append(Word(number, unicodedata.normalize("NFC", html.unescape(match.group(5))), x0, y0, x1, y1))
    return words


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, words joined by single spaces."""
    pages: dict[int, list[str]] = {}
    for word in pdf_words(pdf):
        pages.setdefault(word.page, []).append(word.text)
    return [" ".join(pages.get(number, [])) for number in range(1, max(pages, default=0) + 1)]


def _texts(doc: OfficialDocument) -> Iterable[str]:
    header = d30.header_texts(doc.header)
    title = d30.title_texts(doc.kind_title, doc.summary)
    yield from (*header.parent_lines, *header.issuer_lines, header.number, header.national_title, header.motto,
                header.place_date, title.kind_title, *title.summary_lines, d30.RECIPIENTS_LABEL_TEXT,
                *d30.recipient_lines(doc.recipients, doc.archive), doc.signature.authority or "",
                doc.signature.title, doc.signature.name, d30.DRAFT_MARK_TEXT)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            yield block.content
        elif isinstance(block, Table):
            yield block.caption
            yield from block.columns
            for row in (*block.rows, *((block.total,) if block.total else ())):
                yield from row
        else:
            yield block.caption


def vocabulary(doc: OfficialDocument) -> set[str]:
    """Every word the document prints, as written and in capitals, and the page numbers."""
    words = {str(number) for number in range(1, 100)}
    for text in _texts(doc):
        for word in unicodedata.normalize("NFC", text).split():
            words.update((word, word.upper()))
    return words


def docx_vocabulary(content: bytes) -> set[str]:
    """Every word of a DOCX's paragraphs and table cells (read back with python-docx), as `vocabulary`."""
    import docx

    document = docx.Document(io.BytesIO(content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    words = {str(number) for number in range(1, 100)}
    for text in texts:
        for word in unicodedata.normalize("NFC", text).split():
            words.update((word, word.upper()))
    return words


def broken_words(pdf: Path, doc: OfficialDocument | set[str]) -> list[Word]:
    """The PDF's words that are no word of ``doc`` (a document or its vocabulary): the pieces of a
    word broken across lines."""
    known = doc if isinstance(doc, set) else vocabulary(doc)
    return [word for word in pdf_words(pdf) if word.text not in known]
