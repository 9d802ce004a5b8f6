"""The edited text of a report part becomes paragraphs: one per typed line."""

from __future__ import annotations

from baocao.consolidation.rendering import part_blocks
from baocao.documents import model as d

PART = {"key": "section:ctt", "heading": "Công nghệ thông tin", "number": "III",
        "narrative": ["Câu tự động thứ nhất.", "Câu tự động thứ hai."]}


def _texts(blocks) -> list[str]:
    return [block.content for block in blocks if isinstance(block, d.Paragraph) and block.kind == "body"]


def test_every_typed_line_is_a_paragraph():
    edits = {"section:ctt": "Dòng thứ nhất.\nDòng thứ hai.\n\nĐoạn mới.\r\n   \n- Gạch đầu dòng.\n"}
    blocks = part_blocks(PART, edits, with_charts=False)
    assert blocks[0] == d.Paragraph.heading("III. Công nghệ thông tin", level=1)
    assert _texts(blocks) == ["Dòng thứ nhất.", "Dòng thứ hai.", "Đoạn mới.", "- Gạch đầu dòng."]


def test_without_edits_the_composed_narrative_is_used():
    assert _texts(part_blocks(PART, {}, with_charts=False)) == PART["narrative"]
    assert _texts(part_blocks(PART, {"section:ctt": ""}, with_charts=False)) == []
