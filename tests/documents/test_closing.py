"""The signature block is never alone on a page: the last paragraph (with the headings just above it)
goes with it, in the DOCX (as LibreOffice paginates it) and in WeasyPrint's PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

from baocao.documents.docx_render import render_docx
from baocao.documents.html_render import render_html
from baocao.documents.model import Figure, Paragraph, closing_start
from baocao.documents.pdf_render import render_pdf
from tests.documents.printing import libreoffice_pdfs, page_texts
from tests.documents.samples import sample_document, sample_table

LAST = (
    "Đề nghị các cơ quan, đơn vị căn cứ nội dung báo cáo tổ chức thực hiện các nhiệm vụ trọng tâm 6 tháng "
    "cuối năm, báo cáo kết quả về Sở trước ngày 15 tháng 12 năm 2022."
)
LAST_HEADING = "II. Đề xuất, kiến nghị"
# One-line paragraphs: each adds a line, so the body's end sweeps across the bottom of page 1 (the
# signature block falls to page 2 from about 14 of them).
LENGTHS = range(8, 30, 2)


def _document(lines: int):
    blocks = [Paragraph.heading("I. Kết quả", level=1)]
    blocks += [
        Paragraph.text(f"Nội dung thứ {i}: các đơn vị tiếp tục triển khai nhiệm vụ được giao.")
        for i in range(1, lines + 1)
    ]
    blocks += [Paragraph.heading(LAST_HEADING, level=1), Paragraph.text(LAST)]
    return sample_document(blocks=tuple(blocks))


def test_closing_group_is_the_last_block_and_its_headings():
    body, heading = Paragraph.text("x"), Paragraph.heading("I. y")
    assert closing_start((body, heading, Paragraph.heading("1. z", level=2), body)) == 1
    assert closing_start((body, body)) == 1
    assert closing_start((heading, body)) == 0
    assert closing_start((body, sample_table())) == 1
    assert closing_start(()) == 0


def test_docx_keeps_the_last_paragraph_whole_and_with_the_signature():
    document = docx.Document(io.BytesIO(render_docx(_document(3))))
    paragraphs = [p for p in document.paragraphs if p.text]
    last = paragraphs[-1]
    assert last.text == LAST
    assert last.paragraph_format.keep_with_next and last.paragraph_format.keep_together
    assert paragraphs[-2].text == LAST_HEADING.upper() and paragraphs[-2].paragraph_format.keep_with_next
    # Only the closing group: the paragraphs before it flow freely.
    assert not paragraphs[-3].paragraph_format.keep_with_next
    # Then a spacer kept with the signature table, whose row never splits.
    body = document.element.body
    after = body.index(last._p)
    spacer, table = body[after + 1], body[after + 2]
    assert spacer.tag == qn("w:p") and spacer.pPr.find(qn("w:keepNext")) is not None
    signature = document.tables[-1]
    assert table is signature._tbl
    assert signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    for cell in signature.rows[0].cells:
        assert all(p.paragraph_format.keep_together for p in cell.paragraphs)


def test_docx_closing_figure_and_table_keep_with_the_signature(report):
    figure = next(block for block in report.blocks if isinstance(block, Figure))
    document = docx.Document(io.BytesIO(render_docx(sample_document(blocks=(Paragraph.text("Mở đầu."), figure)))))
    picture, caption = (p for p in document.paragraphs if p._p.xpath(".//pic:pic") or p.text.startswith("Hình"))
    assert picture.paragraph_format.keep_with_next and caption.paragraph_format.keep_with_next

    document = docx.Document(io.BytesIO(render_docx(sample_document(blocks=(Paragraph.text("Mở đầu."), sample_table())))))
    table = document.tables[1]
    assert all(p.paragraph_format.keep_with_next for cell in table.rows[-1].cells for p in cell.paragraphs)
    assert not any(p.paragraph_format.keep_with_next for cell in table.rows[1].cells for p in cell.paragraphs)


def test_html_wraps_the_closing_group_and_the_signature_unbreakable():
    html = render_html(_document(3))
    assert re.search(r"\.official-document \.od-closing \{ break-inside: avoid;", html)
    closing = html[html.index('<div class="od-closing">'):html.index("</article>")]
    assert LAST_HEADING.upper() in closing and LAST in closing and "Nơi nhận:" in closing
    assert closing.rstrip().endswith("</div>")
    assert "Nội dung thứ 3:" not in closing


def _check_pages(pdfs: dict[int, Path]) -> None:
    moved = []
    for lines, pdf in pdfs.items():
        pages = page_texts(pdf)
        signature_page = next(index for index, text in enumerate(pages) if "Nơi nhận:" in text)
        text = pages[signature_page]
        before_signature = text[: text.index("Nơi nhận:")]
        # The whole last paragraph (and its heading) sits on the signature's page.
        assert LAST_HEADING.upper() in before_signature and LAST in " ".join(before_signature.split()), lines
        if signature_page > 0 and "Nội dung thứ" not in text:
            moved.append(lines)
    # Some lengths put the body's end at the foot of page 1, where the signature alone would have gone
    # over to page 2: the last paragraph went over with it.
    assert moved, "no body length brought the signature to a page boundary"


def test_libreoffice_keeps_the_last_paragraph_with_the_signature(tmp_path):
    pdfs = libreoffice_pdfs({f"body-{n}": render_docx(_document(n)) for n in LENGTHS}, tmp_path)
    _check_pages({n: pdfs[f"body-{n}"] for n in LENGTHS})


def test_weasyprint_keeps_the_last_paragraph_with_the_signature(tmp_path):
    pdfs = {}
    for lines in LENGTHS:
        pdfs[lines] = tmp_path / f"body-{lines}.pdf"
        pdfs[lines].write_bytes(render_pdf(_document(lines)))
    _check_pages(pdfs)


def test_a_short_document_stays_on_one_page(tmp_path):
    pdf = tmp_path / "short.pdf"
    pdf.write_bytes(render_pdf(_document(3)))
    assert len(page_texts(pdf)) == 1
