"""A line break typed in a text is a new paragraph (indented, justified), never a break inside one."""

from __future__ import annotations

import io
import re

import docx
from docx.oxml.ns import qn

from baocao.documents.docx_render import render_docx
from baocao.documents.html_render import render_html
from baocao.documents.model import Paragraph, Run, split_line_breaks
from tests.documents.samples import sample_document

TYPED = "Thứ nhất, rà soát hạ tầng.\nThứ hai, phủ sóng các thôn.\r\n\n  \nThứ ba, tuyên truyền chuyển đổi số."
LINES = ["Thứ nhất, rà soát hạ tầng.", "Thứ hai, phủ sóng các thôn.", "Thứ ba, tuyên truyền chuyển đổi số."]


def test_each_line_is_a_paragraph_and_blank_lines_give_none():
    assert [p.content for p in Paragraph.text(TYPED).split_lines()] == LINES
    assert Paragraph.text("\n \n").split_lines() == ()
    single = Paragraph.text("Một dòng.")
    assert single.split_lines() == (single,)


def test_emphasis_stays_with_its_line():
    paragraph = Paragraph(runs=(Run("Thanh tra Sở: ", bold=True), Run("tiếp tục kiểm tra.\nTiếp nhận "),
                                Run("02 đơn", italic=True), Run(".")))
    first, second = paragraph.split_lines()
    assert first.runs == (Run("Thanh tra Sở: ", bold=True), Run("tiếp tục kiểm tra."))
    assert second.runs == (Run("Tiếp nhận "), Run("02 đơn", italic=True), Run("."))
    assert {p.kind for p in (first, second)} == {"body"}


def test_a_heading_stays_one_line():
    (heading,) = Paragraph.heading("I. Công tác\nchỉ đạo").split_lines()
    assert heading.content == "I. Công tác chỉ đạo" and heading.kind == "heading1"


def test_split_line_breaks_keeps_the_other_blocks_in_order(report):
    doc = split_line_breaks(sample_document(blocks=(Paragraph.text(TYPED), *report.blocks[:3])))
    assert [b.content for b in doc.blocks[:3]] == LINES
    assert doc.blocks[3:] == report.blocks[:3]


def test_docx_makes_indented_paragraphs_without_line_breaks():
    document = docx.Document(io.BytesIO(render_docx(sample_document(blocks=(Paragraph.text(TYPED),)))))
    paragraphs = [p for p in document.paragraphs if p.text in LINES]
    assert [p.text for p in paragraphs] == LINES
    for paragraph in paragraphs:
        assert not paragraph._p.findall(f".//{qn('w:br')}")
        assert paragraph.paragraph_format.first_line_indent is not None


def test_html_makes_one_p_per_line():
    html = render_html(sample_document(blocks=(Paragraph.text(TYPED),)))
    assert re.findall(r'<p class="od-body">([^<]*)</p>', html) == LINES
