"""Two signers side by side (the minutes: "THƯ KÝ" on the left, the chair on the right, Decree
30/2020/NĐ-CP, Appendix III), read back from the DOCX and the HTML: both names level, "Nơi nhận"
under them."""

from __future__ import annotations

import io

import docx
from docx.shared import Cm

from baocao.documents.docx_render import render_docx
from baocao.documents.html_render import render_html
from baocao.documents.model import Signature
from tests.documents.samples import sample_document

SECRETARY = Signature(authority=None, title="Thư ký", name="Bế Thị Thanh Hoài")


def test_docx_two_signers_then_recipients():
    doc = sample_document(co_signature=SECRETARY)  # the sample's signer: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC
    table = docx.Document(io.BytesIO(render_docx(doc))).tables[-1]
    left = [p.text for p in table.cell(0, 0).paragraphs]
    right = [p.text for p in table.cell(0, 1).paragraphs]
    # The secretary's title is padded to the chair's two lines: the names stand level.
    assert left == ["THƯ KÝ", "", "Bế Thị Thanh Hoài"]
    assert right == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lô Quang Tuyến"]
    for cell in (table.cell(0, 0), table.cell(0, 1)):
        assert cell.paragraphs[-1].paragraph_format.space_before >= Cm(2)
    below = [p.text for p in table.cell(1, 0).paragraphs]
    assert below[0] == "Nơi nhận:" and below[-1] == "- Lưu: VT, VP."
    assert table.cell(1, 1).text == ""


def test_docx_one_signer_unchanged():
    table = docx.Document(io.BytesIO(render_docx(sample_document()))).tables[-1]
    assert len(table.rows) == 1 and table.cell(0, 0).paragraphs[0].text == "Nơi nhận:"


def test_html_two_signers():
    html = render_html(sample_document(co_signature=SECRETARY))
    signature = html[html.index('class="od-layout od-signature"'):]
    assert signature.index("THƯ KÝ") < signature.index("Bế Thị Thanh Hoài") < signature.index("KT. GIÁM ĐỐC") \
        < signature.index("Lô Quang Tuyến") < signature.index("Nơi nhận:")
