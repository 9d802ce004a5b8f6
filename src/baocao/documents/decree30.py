"""Decree 30/2020/NĐ-CP, Appendix I: how an administrative document is laid out, as data.

Every renderer (DOCX, HTML, PDF) reads its page size, margins, fonts, sizes and emphasis from
here, so the three outputs agree and a change of rule is made once. Where the decree gives a
range, the value chosen is noted next to the range. The texts the decree fixes (the national
title, the motto, "Số: 05/BC-STTTT", the place and date line, "Nơi nhận:") are built by the
pure functions at the end.

Text widths are measured with the advance widths of Times New Roman (taken from Liberation
Serif, which is metric-compatible with it), so rules that the decree sizes relative to a line
of text can be drawn without a font on the machine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from baocao.core.vietnamese import format_document_date

from .model import Header, Table

# ---------------------------------------------------------------------------
# Page (Appendix I: khổ giấy A4, kiểu trình bày theo chiều dài, định lề trang)

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
ORIENTATION = "portrait"


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres."""

    top: float
    bottom: float
    left: float
    right: float


# Allowed by the decree: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
MARGIN_RANGES_MM: dict[str, tuple[float, float]] = {
    "top": (20.0, 25.0),
    "bottom": (20.0, 25.0),
    "left": (30.0, 35.0),
    "right": (15.0, 20.0),
}
# The smallest margins allowed: the widest text column, which keeps the header on few lines.
MARGINS = Margins(top=20.0, bottom=20.0, left=30.0, right=15.0)
# Distance of the page-number line from the top edge: inside the 20 mm top margin.
HEADER_DISTANCE_MM = 10.0


def check_margins(margins: Margins = MARGINS) -> None:
    """Raise ValueError naming every margin outside the decree's range."""
    problems = []
    for side, (low, high) in MARGIN_RANGES_MM.items():
        value = getattr(margins, side)
        if not low <= value <= high:
            problems.append(f"{side} margin {value:g} mm is outside {low:g}–{high:g} mm")
    if problems:
        raise ValueError("; ".join(problems))


def text_width_mm(margins: Margins = MARGINS) -> float:
    return PAGE_WIDTH_MM - margins.left - margins.right


TEXT_WIDTH_MM = text_width_mm()

# ---------------------------------------------------------------------------
# Fonts (Appendix I: phông chữ tiếng Việt Times New Roman, bộ mã Unicode, màu đen)

FONT_NAME = "Times New Roman"
# For HTML/PDF where Times New Roman may be missing: Liberation Serif has its metrics and,
# from version 2, every Vietnamese letter (Debian package fonts-liberation2).
FONT_FALLBACKS: tuple[str, ...] = ("Liberation Serif", "Tinos", "serif")
COLOR = "000000"
LANGUAGE = "vi-VN"

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class TextStyle:
    """How one element of the document is set: size, emphasis, case and paragraph spacing."""

    size_pt: float
    bold: bool = False
    italic: bool = False
    upper: bool = False
    align: Align = "center"
    first_line_indent_cm: float = 0.0
    space_before_pt: float = 0.0
    space_after_pt: float = 0.0
    line_spacing: float = 1.0

    def apply_case(self, text: str) -> str:
        return text.upper() if self.upper else text


# Header, left column (tên cơ quan chủ quản, tên cơ quan ban hành, số và ký hiệu).
PARENT_BODY = TextStyle(13, upper=True)  # 12–13 pt, capitals, not bold
ISSUER = TextStyle(13, bold=True, upper=True)  # 12–13 pt, capitals, bold
NUMBER = TextStyle(13)  # 13 pt
# Header, right column (quốc hiệu và tiêu ngữ, địa danh và thời gian).
NATIONAL_TITLE = TextStyle(12, bold=True, upper=True)  # 12–13 pt: 12 keeps it on one line
MOTTO = TextStyle(13, bold=True)  # 13–14 pt, bold, initials capitalised
PLACE_DATE = TextStyle(14, italic=True)  # 13–14 pt, italic
# Title (tên loại và trích yếu nội dung).
KIND_TITLE = TextStyle(14, bold=True, upper=True, space_before_pt=18)  # 13–14 pt, capitals, bold
SUMMARY = TextStyle(14, bold=True)  # 13–14 pt, bold
# Body (nội dung): 13–14 pt, justified, first-line indent 1–1.27 cm, ≥ 6 pt between paragraphs,
# line spacing from single to 1.5 lines.
BODY = TextStyle(14, align="justify", first_line_indent_cm=1.27, space_after_pt=6, line_spacing=1.15)
PLAIN = TextStyle(14, align="justify", space_after_pt=6, line_spacing=1.15)
HEADING1 = TextStyle(
    14,
    bold=True,
    upper=True,
    align="justify",
    first_line_indent_cm=1.27,
    space_before_pt=6,
    space_after_pt=6,
    line_spacing=1.15,
)
HEADING2 = TextStyle(
    14, bold=True, align="justify", first_line_indent_cm=1.27, space_after_pt=6, line_spacing=1.15
)
HEADING3 = TextStyle(
    14,
    bold=True,
    italic=True,
    align="justify",
    first_line_indent_cm=1.27,
    space_after_pt=6,
    line_spacing=1.15,
)
PARAGRAPH_STYLES: dict[str, TextStyle] = {
    "body": BODY,
    "plain": PLAIN,
    "heading1": HEADING1,
    "heading2": HEADING2,
    "heading3": HEADING3,
}
HEADING_LEVELS = {"heading1": 1, "heading2": 2, "heading3": 3}
# Tables and figures: the decree leaves them to the drafter; these follow common practice.
TABLE_CAPTION = TextStyle(13, bold=True, space_before_pt=6, space_after_pt=3)
TABLE_HEADER = TextStyle(12, bold=True)
TABLE_CELL = TextStyle(12, align="left")
TABLE_TOTAL = TextStyle(12, bold=True, align="left")
# A table whose columns cannot each hold their longest word at 12 pt is set a step smaller, down
# to 10 pt (see table_layout); the header, body and total rows always share one size.
TABLE_FONT_SIZES_PT: tuple[float, ...] = (TABLE_CELL.size_pt, 11.0, 10.0)
# Padding inside a data table's cells, left and right (top and bottom: TABLE_CELL_PADDING_V_MM).
TABLE_CELL_PADDING_MM = 1.5
TABLE_CELL_PADDING_V_MM = 0.5
TABLE_BORDER_PT = 0.5
FIGURE_CAPTION = TextStyle(13, italic=True, space_after_pt=6)
# Signature (quyền hạn, chức vụ, họ tên người ký): capitals bold 13–14 pt, the name bold.
SIGNATURE_AUTHORITY = TextStyle(14, bold=True, upper=True)
SIGNATURE_TITLE = TextStyle(14, bold=True, upper=True)
SIGNATURE_NAME = TextStyle(14, bold=True)
# Room for the handwritten signature and the seal between the title and the name.
SIGNATURE_SPACE_CM = 2.8
# Recipients (nơi nhận): "Nơi nhận:" 12 pt bold italic, the list 11 pt.
RECIPIENTS_LABEL = TextStyle(12, bold=True, italic=True, align="left", space_before_pt=6)
RECIPIENT = TextStyle(11, align="left")
# Page number (số trang): centred in the top margin, 13–14 pt, not on the first page.
PAGE_NUMBER = TextStyle(14)
PAGE_NUMBER_ON_FIRST_PAGE = False
# A draft carries "DỰ THẢO" in a box at the top right.
DRAFT_MARK_TEXT = "DỰ THẢO"
DRAFT_MARK = TextStyle(13, bold=True, upper=True, align="right")

# ---------------------------------------------------------------------------
# Layout of the header and signature blocks

# Two columns across the text width: the issuing agency (left) and the national title (right).
# The signature block uses the same columns, so the signature centres under the date.
LEFT_COLUMN_FRACTION = 0.4
RIGHT_COLUMN_FRACTION = 1 - LEFT_COLUMN_FRACTION
# Padding inside the borderless layout tables, each side.
CELL_PADDING_MM = 1.0
# The rule under the issuing agency and under the summary: 1/3–1/2 of the line above it.
RULE_FRACTION_RANGE = (1 / 3, 1 / 2)
ISSUER_RULE_FRACTION = 0.4
SUMMARY_RULE_FRACTION = 1 / 3
# The rules under the motto and under the summary are the decree's; drawn 0.5 pt thick.
RULE_WEIGHT_PT = 0.5

NATIONAL_TITLE_TEXT = "Cộng hòa xã hội chủ nghĩa Việt Nam"
MOTTO_TEXT = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_LABEL_TEXT = "Nơi nhận:"
ARCHIVE_PREFIX = "Lưu: "
# What a draft prints where the number, day and month will be filled in by hand.
BLANK = " " * 6

POINTS_PER_MM = 72 / 25.4


def column_widths_mm(margins: Margins = MARGINS) -> tuple[float, float]:
    width = text_width_mm(margins)
    return width * LEFT_COLUMN_FRACTION, width * RIGHT_COLUMN_FRACTION


# ---------------------------------------------------------------------------
# Measuring text

_MEASURED = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~ĐđƠơƯư–—…“”‘’"
)
# fmt: off
# Advance widths in 1/2048 em of Liberation Serif 2 (metrics of Times New Roman), regular and bold.
_ADVANCES_REGULAR = (
    512, 682, 836, 1024, 1024, 1706, 1593, 369, 682, 682, 1024, 1155, 512, 682, 512, 569, 1024, 1024, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 569, 569, 1155, 1155, 1155, 909, 1886, 1479, 1366, 1366, 1479,
    1251, 1139, 1479, 1479, 682, 797, 1479, 1251, 1821, 1479, 1479, 1139, 1479, 1366, 1139, 1251, 1479,
    1479, 1933, 1479, 1479, 1251, 682, 569, 682, 961, 1024, 682, 909, 1024, 909, 1024, 909, 682, 1024, 1024,
    569, 569, 1024, 569, 1593, 1024, 1024, 1024, 1024, 682, 797, 569, 1024, 1024, 1479, 1024, 1024, 909,
    983, 410, 983, 1108, 1479, 1024, 1479, 1083, 1589, 1110, 1024, 2048, 2048, 909, 909, 682, 682,
)
_ADVANCES_BOLD = (
    512, 682, 1137, 1024, 1024, 2048, 1706, 569, 682, 682, 1024, 1167, 512, 682, 512, 569, 1024, 1024, 1024,
    1024, 1024, 1024, 1024, 1024, 1024, 1024, 682, 682, 1167, 1167, 1167, 1024, 1905, 1479, 1366, 1479,
    1479, 1366, 1251, 1593, 1593, 797, 1024, 1593, 1366, 1933, 1479, 1593, 1251, 1593, 1479, 1139, 1366,
    1479, 1479, 2048, 1479, 1479, 1366, 682, 569, 682, 1190, 1024, 682, 1024, 1139, 909, 1139, 909, 682,
    1024, 1139, 569, 682, 1139, 569, 1706, 1139, 1024, 1139, 1139, 909, 797, 682, 1139, 1024, 1479, 1024,
    1024, 909, 807, 451, 807, 1065, 1479, 1139, 1593, 1134, 1630, 1229, 1024, 2048, 2048, 1024, 1024, 682,
    682,
)
# fmt: on
_UNITS_PER_EM = 2048
_WIDTHS = {
    False: dict(zip(_MEASURED, _ADVANCES_REGULAR, strict=True)),
    True: dict(zip(_MEASURED, _ADVANCES_BOLD, strict=True)),
}
_HORN = "\u031b"


def _advance(char: str, bold: bool) -> int:
    widths = _WIDTHS[bold]
    if char in widths:
        return widths[char]
    if char == "\u00a0":
        return widths[" "]
    # A Vietnamese letter is as wide as its base letter, except the horned ơ/ư, which are wider.
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    if _HORN in decomposed and base in "OoUu":
        base = {"O": "Ơ", "o": "ơ", "U": "Ư", "u": "ư"}[base]
    return widths.get(base, _UNITS_PER_EM // 2)


def text_width_pt(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Width of one line of Times New Roman text, in points (italic is measured as upright)."""
    return sum(_advance(char, bold) for char in text) * size_pt / _UNITS_PER_EM


def _greedy_line_count(words: Sequence[str], size_pt: float, bold: bool, max_width_pt: float) -> int:
    lines, current = 1, ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if current and text_width_pt(candidate, size_pt, bold=bold) > max_width_pt:
            lines, current = lines + 1, word
        else:
            current = candidate
    return lines


# Words a number stays with when a title is broken: "năm 2022", "tháng 6"; elsewhere a number goes
# with the word after it ("6 tháng", "34 tỉnh").
_NUMBER_AFTER = frozenset({"năm", "tháng", "ngày", "quý", "kỳ", "số", "đoạn", "khóa", "khoá", "lần"})


# A period named in a title is never broken: "6 tháng đầu năm 2022", "quý III năm 2023", "năm 2022".
_PERIOD_PHRASE = re.compile(
    r"(?:\d+ tháng (?:đầu |cuối )?(?:năm \d{4})?|quý [IVX\d]+ (?:năm \d{4})?|tháng \d{1,2} (?:năm \d{4})?"
    r"|năm \d{4})(?=\s|$|[,.;:])", re.IGNORECASE)


def _title_words(text: str) -> list[str]:
    """The title's words, a period phrase as one, a number kept on the line of the word it belongs to."""
    words: list[str] = []
    pending = ""
    tokens: list[str] = []
    at = 0
    for match in _PERIOD_PHRASE.finditer(text):
        tokens.extend(text[at:match.start()].split())
        tokens.append(" ".join(match.group(0).split()))
        at = match.end()
    tokens.extend(text[at:].split())
    for word in tokens:
        numeric = word.strip(",.;:()").replace(".", "").replace(",", "").replace("/", "").isdigit()
        if numeric and words and words[-1].split()[-1].lower() in _NUMBER_AFTER:
            words[-1] = f"{words[-1]} {word}"
        elif numeric:
            pending = f"{pending} {word}".strip()
        else:
            words.append(f"{pending} {word}".strip() if pending else word)
            pending = ""
    if pending:
        if words:
            words[-1] = f"{words[-1]} {pending}"
        else:
            words.append(pending)
    return words


def balanced_lines(text: str, size_pt: float, *, bold: bool = False, max_width_pt: float) -> tuple[str, ...]:
    """Break a centred title into as few lines as fit, of widths as even as possible.

    Word breaks a long title greedily and leaves a short last line ("SỞ THÔNG TIN VÀ TRUYỀN" /
    "THÔNG"); official documents break it evenly ("SỞ THÔNG TIN" / "VÀ TRUYỀN THÔNG").
    """
    words = _title_words(text)
    if not words:
        return ("",)
    if text_width_pt(" ".join(words), size_pt, bold=bold) <= max_width_pt:
        return (" ".join(words),)
    count = _greedy_line_count(words, size_pt, bold, max_width_pt)
    n = len(words)

    def width(i: int, j: int) -> float:
        return text_width_pt(" ".join(words[i:j]), size_pt, bold=bold)

    # best[k][i]: (widest line, breaks) splitting words[i:] into k lines; few words, so O(n²k) is fine.
    best: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {}
    for i in range(n):
        best[(1, i)] = (width(i, n), ())
    for k in range(2, count + 1):
        for i in range(n - k + 1):
            options = [
                (max(width(i, j), best[(k - 1, j)][0]), (j, *best[(k - 1, j)][1]))
                for j in range(i + 1, n - k + 2)
            ]
            best[(k, i)] = min(options)
    _, breaks = best[(count, 0)]
    bounds = (0, *breaks, n)
    return tuple(" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False))


def rule_width_pt(lines: Iterable[str], style: TextStyle, fraction: float) -> float:
    """Length of a rule drawn under ``lines``: ``fraction`` of the widest of them."""
    widest = max((text_width_pt(line, style.size_pt, bold=style.bold) for line in lines), default=0.0)
    return widest * fraction


# ---------------------------------------------------------------------------
# The fixed texts


def document_number(number: int | None, type_code: str, issuer_code: str) -> str:
    """ "Số: 05/BC-STTTT": numbers below 10 take a leading zero; None leaves a blank (a draft)."""
    if number is None:
        return f"Số:{BLANK}/{type_code}-{issuer_code}"
    if number < 1:
        raise ValueError("a document number starts at 1")
    return f"Số: {number:02d}/{type_code}-{issuer_code}"


def place_date(place: str, d: date | None, year: int | None = None) -> str:
    """ "Bắc Kạn, ngày 05 tháng 7 năm 2022"; without a date, blanks for the day and month.

    Day below 10 and months 1 and 2 take a leading zero (format_document_date).
    """
    if d is not None:
        return format_document_date(d, place)
    year_text = str(year) if year is not None else BLANK.rstrip()
    text = f"ngày{BLANK}tháng{BLANK}năm {year_text}".rstrip()
    return f"{place.strip()}, {text}" if place.strip() else text


def recipient_lines(recipients: Iterable[str], archive: str) -> tuple[str, ...]:
    """ "- Bộ Thông tin và Truyền thông;" per recipient, then "- Lưu: VT, VP."."""
    lines = []
    for recipient in recipients:
        text = recipient.strip().lstrip("-").strip().rstrip(";.,").strip()
        if text:
            lines.append(f"- {text};")
    archive_text = archive.strip().rstrip(";.").strip()
    if archive_text.lower().startswith("lưu:"):
        archive_text = archive_text[4:].strip()
    lines.append(f"- {ARCHIVE_PREFIX}{archive_text}.")
    return tuple(lines)


@dataclass(frozen=True)
class HeaderTexts:
    """The header block's final texts and rule lengths, shared by every renderer."""

    parent_lines: tuple[str, ...]
    issuer_lines: tuple[str, ...]
    issuer_rule_pt: float
    number: str
    national_title: str
    motto: str
    motto_rule_pt: float
    place_date: str


def _column_text_width_pt(fraction: float, margins: Margins) -> float:
    return (text_width_mm(margins) * fraction - 2 * CELL_PADDING_MM) * POINTS_PER_MM


def header_texts(header: Header, margins: Margins = MARGINS) -> HeaderTexts:
    left = _column_text_width_pt(LEFT_COLUMN_FRACTION, margins)
    parent_lines = balanced_lines(
        PARENT_BODY.apply_case(header.parent_body), PARENT_BODY.size_pt, bold=False, max_width_pt=left
    )
    issuer_lines = balanced_lines(
        ISSUER.apply_case(header.issuer), ISSUER.size_pt, bold=True, max_width_pt=left
    )
    motto = MOTTO.apply_case(MOTTO_TEXT)
    return HeaderTexts(
        parent_lines=parent_lines,
        issuer_lines=issuer_lines,
        issuer_rule_pt=rule_width_pt(issuer_lines, ISSUER, ISSUER_RULE_FRACTION),
        number=document_number(header.number, header.type_code, header.issuer_code),
        national_title=NATIONAL_TITLE.apply_case(NATIONAL_TITLE_TEXT),
        motto=motto,
        motto_rule_pt=rule_width_pt([motto], MOTTO, 1.0),
        place_date=place_date(header.place, header.date, header.year),
    )


@dataclass(frozen=True)
class TitleTexts:
    """ "BÁO CÁO", the summary broken into even lines, and the rule under it."""

    kind_title: str
    summary_lines: tuple[str, ...]
    summary_rule_pt: float


def title_texts(kind_title: str, summary: str, margins: Margins = MARGINS) -> TitleTexts:
    # A little slack so that a renderer's own line breaking never adds a line of its own.
    width = text_width_mm(margins) * POINTS_PER_MM * 0.92
    lines = balanced_lines(summary, SUMMARY.size_pt, bold=SUMMARY.bold, max_width_pt=width) if summary else ()
    return TitleTexts(
        kind_title=KIND_TITLE.apply_case(kind_title),
        summary_lines=lines,
        summary_rule_pt=rule_width_pt(lines, SUMMARY, SUMMARY_RULE_FRACTION) if lines else 0.0,
    )


# ---------------------------------------------------------------------------
# Data tables: column widths from their content


# Room a column keeps beyond its longest word and its padding, for the renderers' rounding.
TABLE_SLACK_PT = 2.0


# Before the headings get room, a column's cells get at most this share of the width to sit on
# one line: a long name may take two lines, a heading of a figure column should not take six.
TABLE_ONE_LINE_SHARE = 0.4


@dataclass(frozen=True)
class ColumnExtent:
    """What one column's texts need, in points of text (padding excluded) at one font size:
    ``minimum``, its longest word (a word is never broken inside a cell); ``cells``, its widest
    body or total cell on one line; ``heading``, its heading on one line."""

    minimum: float
    cells: float
    heading: float

    def stages(self, cap: float) -> tuple[float, ...]:
        """Ever wider wishes: the longest word; the cells on two lines; the cells on one line, up
        to ``cap``; the heading on two lines; every cell on one line."""
        wishes = [self.minimum, self.cells / 2, min(self.cells, cap), self.heading / 2, self.cells]
        return tuple(max(wishes[: index + 1]) for index in range(len(wishes)))


@dataclass(frozen=True)
class TableLayout:
    """A data table's font size and column widths (millimetres, adding up to the table width).

    ``fits`` is False when even the smallest size leaves some column narrower than its longest
    word: the widths are then in proportion to the words, and a renderer breaks what it must."""

    size_pt: float
    widths_mm: tuple[float, ...]
    fits: bool = True


def _longest_word_pt(text: str, size_pt: float, bold: bool) -> float:
    return max((text_width_pt(word, size_pt, bold=bold) for word in text.split()), default=0.0)


def _line_pt(text: str, size_pt: float, bold: bool) -> float:
    return text_width_pt(" ".join(text.split()), size_pt, bold=bold)


def column_extents(table: Table, size_pt: float) -> tuple[ColumnExtent, ...]:
    """Each column's needs at ``size_pt``: the heading and the total row are bold, the body rows
    regular, as every renderer sets them."""
    extents = []
    for index, heading in enumerate(table.columns):
        cells = [(row[index], False) for row in table.rows]
        if table.total is not None:
            cells.append((table.total[index], TABLE_TOTAL.bold))
        minimum = max(
            [_longest_word_pt(heading, size_pt, TABLE_HEADER.bold)]
            + [_longest_word_pt(text, size_pt, bold) for text, bold in cells]
        )
        one_line = max([0.0] + [_line_pt(text, size_pt, bold) for text, bold in cells])
        extents.append(ColumnExtent(minimum, one_line, _line_pt(heading, size_pt, TABLE_HEADER.bold)))
    return tuple(extents)


def table_cell_extra_pt() -> float:
    """What a cell adds to its text's width: padding both sides, the border, a little slack."""
    return 2 * TABLE_CELL_PADDING_MM * POINTS_PER_MM + TABLE_BORDER_PT + TABLE_SLACK_PT


def _distribute(stages: Sequence[Sequence[float]], available: float) -> list[float]:
    """Widths adding up to ``available`` from ever wider wishes per column (``stages[0]``, the
    minimums, must fit): every column reaches the widest stage that fits as a whole, and the
    room left goes towards the next stage in proportion to what each column still lacks; when
    even the last stage fits, the widths grow in proportion to it."""
    widths = list(stages[0])
    for stage in stages[1:]:
        if sum(stage) <= available:
            widths = list(stage)
            continue
        spare = available - sum(widths)
        wants = [wish - width for width, wish in zip(widths, stage, strict=True)]
        total = sum(wants)
        return [width + spare * want / total for width, want in zip(widths, wants, strict=True)]
    scale = available / sum(widths)
    return [width * scale for width in widths]


def table_layout(table: Table, width_mm: float = TEXT_WIDTH_MM) -> TableLayout:
    """The font size and column widths of a data table across ``width_mm``.

    Every column gets at least its longest word (of heading, cells and total, measured with the
    font's advance widths) plus the cell's padding, so no word breaks inside a cell; the rest of
    the width goes by content length, in the stages of ColumnExtent. When the minimums do not fit
    at 12 pt, the table is set at 11, then 10 pt; when they do not fit even then, the widths
    follow the longest words."""
    available = width_mm * POINTS_PER_MM
    extra = table_cell_extra_pt()
    minimum: list[float] = []
    for size in TABLE_FONT_SIZES_PT:
        extents = column_extents(table, size)
        cap = available * TABLE_ONE_LINE_SHARE - extra
        wishes = [extent.stages(cap) for extent in extents]
        stages = [[need + extra for need in stage] for stage in zip(*wishes, strict=True)]
        minimum = stages[0]
        if sum(minimum) <= available:
            widths = _distribute(stages, available)
            return TableLayout(size, tuple(width / POINTS_PER_MM for width in widths))
    total = sum(minimum)
    return TableLayout(
        TABLE_FONT_SIZES_PT[-1], tuple(width_mm * width / total for width in minimum), fits=False
    )
