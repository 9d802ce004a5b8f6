"""A generic official document (văn bản hành chính), independent of what it is about.

Reports, plans, minutes and invitations build an ``OfficialDocument``; the renderers in this
package lay it out following Decree 30/2020/NĐ-CP (see ``decree30``). Everything here is plain
data: texts are final (numbers already formatted), nothing touches Django or a database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from typing import Literal, TypeVar

from baocao.core.text import xml_text

ParagraphKind = Literal["body", "heading1", "heading2", "heading3", "plain"]
HEADING_KINDS: frozenset[str] = frozenset({"heading1", "heading2", "heading3"})

# Type codes of Decree 30/2020/NĐ-CP, Appendix III (the abbreviations after the number).
TYPE_CODES: dict[str, str] = {
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "GM": "Giấy mời",
}


@dataclass(frozen=True)
class Header:
    """The header block: issuing agency on the left, national title and date on the right.

    ``number`` and ``date`` may be None on a draft: the number and the day/month are left blank
    to be filled in at registration, and ``year`` (when given) still prints.
    """

    parent_body: str
    issuer: str
    number: int | None
    type_code: str
    issuer_code: str
    place: str
    date: date | None
    year: int | None = None

    def __post_init__(self) -> None:
        if self.number is not None and self.number < 1:
            raise ValueError("a document number starts at 1")
        if not self.type_code or not self.issuer_code:
            raise ValueError("type_code and issuer_code are required")


@dataclass(frozen=True)
class Run:
    """A piece of text with one emphasis inside a paragraph."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph or a heading ("I. …" level 1, "1. …" level 2, "a) …" level 3)."""

    runs: tuple[Run, ...]
    kind: ParagraphKind = "body"

    @classmethod
    def text(cls, text: str, *, kind: ParagraphKind = "body") -> Paragraph:
        return cls(runs=(Run(text),), kind=kind)

    @classmethod
    def heading(cls, text: str, *, level: int = 1) -> Paragraph:
        if level not in (1, 2, 3):
            raise ValueError("heading level must be 1, 2 or 3")
        kind: ParagraphKind = "heading1" if level == 1 else "heading2" if level == 2 else "heading3"
        return cls(runs=(Run(text),), kind=kind)

    @property
    def content(self) -> str:
        """The paragraph's text without emphasis."""
        return "".join(run.text for run in self.runs)

    def split_lines(self) -> tuple[Paragraph, ...]:
        """One paragraph per line of text, each with its runs' emphasis.

        A line break typed inside a text (an editor's Enter) starts a new paragraph, indented
        like the others, never a break inside a justified one; blank lines give nothing. A
        heading is one line: its breaks become spaces."""
        if not any(_has_break(run.text) for run in self.runs):
            return (self,)
        if self.kind in HEADING_KINDS:
            runs = tuple(
                replace(run, text=" ".join(run.text.splitlines()) + (" " if _ends_with_break(run.text) else ""))
                for run in self.runs
            )
            return (replace(self, runs=runs),)
        lines: list[list[Run]] = [[]]
        for run in self.runs:
            for index, piece in enumerate(run.text.splitlines()):
                if index:
                    lines.append([])
                if piece:
                    lines[-1].append(replace(run, text=piece))
            if _ends_with_break(run.text):
                lines.append([])
        return tuple(replace(self, runs=runs) for runs in map(_trimmed, lines) if runs)


@dataclass(frozen=True)
class Table:
    """A data table; every cell is an already formatted string ("1.234", "12,5%")."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    numeric: frozenset[int] = field(default_factory=frozenset)
    caption: str = ""

    def __post_init__(self) -> None:
        width = len(self.columns)
        if width == 0:
            raise ValueError("a table needs at least one column")
        for row in (*self.rows, *((self.total,) if self.total is not None else ())):
            if len(row) != width:
                raise ValueError(f"row {row!r} has {len(row)} cells, expected {width}")
        if any(index < 0 or index >= width for index in self.numeric):
            raise ValueError("numeric column index out of range")


@dataclass(frozen=True)
class Figure:
    """A picture (PNG bytes), printed centred at ``width_cm`` (at most the text width)."""

    png: bytes
    width_cm: float = 15.0
    caption: str = ""

    def __post_init__(self) -> None:
        if not self.png.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError("Figure.png must be PNG data")
        if self.width_cm <= 0:
            raise ValueError("width_cm must be positive")


Block = Paragraph | Table | Figure


def _ends_with_break(text: str) -> bool:
    return len((text + "x").splitlines()) > max(len(text.splitlines()), 1)


def _has_break(text: str) -> bool:
    return len(text.splitlines()) > 1 or _ends_with_break(text)


def _trimmed(runs: Sequence[Run]) -> tuple[Run, ...]:
    """A line's runs without the spaces at its two ends (and without runs left empty)."""
    items = list(runs)
    while items and not items[0].text.strip():
        items.pop(0)
    while items and not items[-1].text.strip():
        items.pop()
    if items:
        items[0] = replace(items[0], text=items[0].text.lstrip())
        items[-1] = replace(items[-1], text=items[-1].text.rstrip())
    return tuple(items)


def closing_start(blocks: Sequence[Block]) -> int:
    """Where the closing group of ``blocks`` begins: the last block and the headings just above it.

    Renderers keep that group on the signature's page, so the signature never stands alone."""
    start = max(len(blocks) - 1, 0)
    while start > 0:
        previous = blocks[start - 1]
        if not (isinstance(previous, Paragraph) and previous.kind in HEADING_KINDS):
            break
        start -= 1
    return start


@dataclass(frozen=True)
class Signature:
    """Who signs: ``authority`` is "KT. GIÁM ĐỐC" when a deputy signs for the head, else None."""

    authority: str | None
    title: str
    name: str


@dataclass(frozen=True)
class OfficialDocument:
    """A complete official document, ready to render.

    ``co_signature`` is a second signer printed on the left of ``signature``, level with it, as
    the minutes are signed (Decree 30/2020/NĐ-CP, Appendix III: "THƯ KÝ" on the left, the chair on
    the right); "Nơi nhận" then follows under the two signatures."""

    header: Header
    kind_title: str
    summary: str
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    archive: str
    signature: Signature
    draft_watermark: bool = False
    # Printed after the signature, from a new page (Decree 30/2020: the appendix follows the document).
    appendix: tuple[Block, ...] = ()
    co_signature: Signature | None = None


_T = TypeVar("_T")


def xml_safe(value: _T) -> _T:
    """`value` (a document or any part of it) with every text passed through `xml_text`.

    Every renderer starts here, so text stored before control characters were refused on input
    renders instead of failing, whatever field of the model carries it."""
    if isinstance(value, str):
        return xml_text(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(xml_safe(v) for v in value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: xml_safe(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    return value


def split_line_breaks(doc: OfficialDocument) -> OfficialDocument:
    """``doc`` with every paragraph that holds line breaks split into one paragraph per line
    (Paragraph.split_lines). Every renderer applies it after `xml_safe`."""
    blocks: list[Block] = []
    for block in doc.blocks:
        blocks.extend(block.split_lines() if isinstance(block, Paragraph) else (block,))
    return replace(doc, blocks=tuple(blocks))
