"""Sentence templates of the report outline: data the admin edits, rendered here.

Syntax
------
``{name}``
    A placeholder, replaced by the (already formatted) value of ``name``. Names are ASCII
    letters, digits and "_" (spaces just inside the braces are ignored: ``{ name }``). A
    placeholder without a value (absent or None) renders as "…" so the gap shows; an empty
    string is a known-empty value (a unit of measure that is blank) and renders as nothing.
``[ ... ]``
    An optional segment: written out (without the brackets) only when every placeholder inside
    it has a value (not absent, None, empty or blank), otherwise dropped entirely. Segments
    cannot be nested.
``{{`` ``}}`` ``[[`` ``]]``
    A literal ``{`` ``}`` ``[`` ``]``. Pairs are read left to right.

After rendering, runs of spaces become one space, there is no space before ``, . ; : ! ? ) ]``
nor after ``( [``, and the ends are trimmed, so a dropped segment or an empty unit of measure
leaves no stray spaces. Values are inserted as they are (never read as template syntax).

Example: ``"{name}: {value} {unit_of_measure}[, {comparison}]."`` renders as
"Số trạm BTS: 1.350 trạm, tăng 12,5% so với 6 tháng đầu năm 2021." or, without last year's
figure, "Số trạm BTS: 1.350 trạm."

A template that does not parse (unbalanced braces or brackets, nested segments, a malformed
placeholder) raises `TemplateError`, as does `validate_template` for a placeholder outside the
allowed set; the message is Vietnamese and names the culprit.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from baocao.core.errors import AppError
from baocao.core.vietnamese import lower_first, upper_first

# The title (trích yếu) under "BÁO CÁO". next_period is the next period's label ("6 tháng cuối năm
# 2022") when the outline speaks of it (ReportOutline.next_period_mode), else absent: its optional
# segment drops.
PLACEHOLDERS_SUMMARY = frozenset({"regime", "period", "period_code", "unit", "next_period"})
# legal_basis is the regime's basis as an opening phrase ("Căn cứ Nghị định số …; căn cứ Kế hoạch
# số …"), absent when the regime has none; summary is the rendered title, continuing a sentence.
PLACEHOLDERS_INTRO = frozenset({
    "regime", "period", "period_code", "window_start", "window_end", "unit",
    "expected", "approved", "missing", "late", "previous_period", "legal_basis", "summary", "next_period",
})
# change and change_pct are magnitudes (the direction is in trend: "tăng", "giảm", "bằng");
# comparison is the whole phrase ("tăng 12,5% so với 6 tháng đầu năm 2021", "bằng cùng kỳ năm
# 2021", "giảm 2,5 điểm phần trăm so với ..."); sources is the number of units that reported.
PLACEHOLDERS_INDICATOR = frozenset({
    "name", "value", "unit_of_measure", "previous", "change", "change_pct", "target",
    "achieved_pct", "previous_period", "trend", "comparison", "sources",
})
# The last paragraph of the body ("Trên đây là báo cáo …./.").
PLACEHOLDERS_CLOSING = frozenset({"regime", "period", "period_code", "unit", "summary", "next_period"})
# The heading of the part "closing:next_tasks"; next_period is "kỳ tới" when the period has no next.
PLACEHOLDERS_NEXT_HEADING = frozenset({"period", "next_period"})

DEFAULT_SUMMARY = "Kết quả thực hiện {regime} {period}[ và phương hướng, nhiệm vụ {next_period}]"
# One sentence: the basis, who reports what, the cut-off window. The reporting status of the
# units is said once, in the part "units".
DEFAULT_INTRO = (
    "[{legal_basis}, ]{unit} báo cáo {summary} (số liệu tính từ ngày {window_start} đến ngày {window_end}) "
    "như sau:"
)
DEFAULT_INDICATOR_LINE = (
    "{name}: {value} {unit_of_measure}[, {comparison}]"
    "[, đạt {achieved_pct} kế hoạch năm ({target} {unit_of_measure})]."
)
# Decree 30 practice: the body ends "Trên đây là báo cáo …" and "./." closes the last sentence.
DEFAULT_CLOSING = "Trên đây là báo cáo {summary} của {unit}./."
DEFAULT_NEXT_HEADING = "Phương hướng, nhiệm vụ {next_period}"

# The sentences of the part "Đánh giá chung", by key: (default template, allowed placeholders). An
# outline's assessment_templates override them key by key; an empty template leaves the sentence out.
# Lists ({items}) are written by the report, already formatted ("trạm BTS 4G (996 trạm, tăng 25,3%)").
ASSESSMENT_TEMPLATES: dict[str, tuple[str, frozenset[str]]] = {
    "strengths_heading": ("Ưu điểm", frozenset()),
    "shortcomings_heading": ("Hạn chế, nguyên nhân", frozenset()),
    # The figures that rose (fell) most against last year, by relative change (at most three; count is
    # how many rose, fell).
    "rises": ("Tăng nhiều nhất so với {previous_period} là {items}.",
              frozenset({"previous_period", "items", "count"})),
    "falls": ("Giảm nhiều nhất so với {previous_period} là {items}.",
              frozenset({"previous_period", "items", "count"})),
    # Figures with a target for the year: reached (100% or more) or not yet.
    "targets_met": ("Có {count} chỉ tiêu đạt, vượt kế hoạch năm: {items}.", frozenset({"items", "count"})),
    "targets_missed": ("Có {count} chỉ tiêu chưa đạt kế hoạch năm: {items}.", frozenset({"items", "count"})),
    "reports_on_time": ("Các đơn vị chấp hành tốt chế độ báo cáo, gửi báo cáo đầy đủ, đúng hạn.", frozenset()),
    # details: "1 đơn vị gửi báo cáo chậm, 1 đơn vị chưa có báo cáo được duyệt".
    "reports_late": ("Việc chấp hành chế độ báo cáo của một số đơn vị chưa nghiêm: {details}.",
                     frozenset({"details", "late", "missing"})),
    "tasks_on_schedule": ("Trong kỳ không có nhiệm vụ nào quá hạn.", frozenset()),
    # key_tasks: the overdue key tasks with their deadlines.
    "tasks_overdue": ("Còn {overdue} nhiệm vụ quá hạn[, trong đó có nhiệm vụ trọng tâm: {key_tasks}].",
                      frozenset({"overdue", "key_tasks"})),
    "cases_on_time": ("Các vụ việc thanh tra, kiểm tra, giải quyết đơn thư trong kỳ được xử lý trong thời hạn "
                      "theo quy định.", frozenset()),
    "cases_overdue": ("Có {count} vụ việc quá thời hạn xử lý theo quy định: {items}.",
                      frozenset({"count", "items"})),
    # units: who wrote of difficulties, opening the sentence ("Thanh tra Sở", "Huyện Ba Bể, thành phố
    # Bắc Kạn", beyond three "Có 5 đơn vị"); reference: the part that lists them ("Mục VIII").
    "difficulties": ("{units} còn gặp khó khăn, vướng mắc trong quá trình thực hiện nhiệm vụ"
                     "[, được nêu cụ thể tại {reference}].", frozenset({"units", "count", "reference"})),
}
DEFAULT_ASSESSMENT = {key: text for key, (text, _) in ASSESSMENT_TEMPLATES.items()}

MISSING_VALUE = "…"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TemplateError(AppError):
    """A sentence template the outline cannot use; the message names the problem."""


def _error(message: str, **extra: Any) -> TemplateError:
    return TemplateError(message, extra)


# Parsed form: ("text", str) | ("field", name) | ("optional", tuple of text/field nodes).
Node = tuple[str, Any]


@functools.lru_cache(maxsize=512)
def _parse(text: str) -> tuple[Node, ...]:
    top: list[Node] = []
    segment: list[Node] | None = None
    segment_at = 0
    literal: list[str] = []

    def flush() -> None:
        if literal:
            (top if segment is None else segment).append(("text", "".join(literal)))
            literal.clear()

    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        doubled = i + 1 < n and text[i + 1] == ch
        if ch in "{}[]" and doubled:
            literal.append(ch)
            i += 2
        elif ch == "{":
            close = text.find("}", i + 1)
            opened = text.find("{", i + 1)
            if close == -1 or (opened != -1 and opened < close):
                raise _error(
                    f"Mẫu câu có dấu «{{» chưa đóng (ký tự thứ {i + 1}). "
                    "Muốn viết chính dấu ngoặc nhọn, gõ «{{».",
                    position=i + 1,
                )
            inner = text[i + 1 : close]
            name = inner.strip()
            if not _NAME.fullmatch(name):
                raise _error(
                    f"Mẫu câu có trường không hợp lệ: {{{inner}}}. Tên trường chỉ gồm chữ cái không dấu, "
                    "chữ số và dấu gạch dưới, ví dụ {value}.",
                    field=inner, position=i + 1,
                )
            flush()
            (top if segment is None else segment).append(("field", name))
            i = close + 1
        elif ch == "}":
            raise _error(
                f"Mẫu câu có dấu «}}» thừa (ký tự thứ {i + 1}). Muốn viết chính dấu ngoặc nhọn, gõ «}}}}».",
                position=i + 1,
            )
        elif ch == "[":
            if segment is not None:
                raise _error(
                    f"Mẫu câu không được lồng đoạn tùy chọn «[…]» trong đoạn tùy chọn khác (ký tự thứ {i + 1}).",
                    position=i + 1,
                )
            flush()
            segment, segment_at = [], i
            i += 1
        elif ch == "]":
            if segment is None:
                raise _error(
                    f"Mẫu câu có dấu «]» thừa (ký tự thứ {i + 1}). Muốn viết chính dấu ngoặc vuông, gõ «]]».",
                    position=i + 1,
                )
            flush()
            top.append(("optional", tuple(segment)))
            segment = None
            i += 1
        else:
            literal.append(ch)
            i += 1
    if segment is not None:
        raise _error(
            f"Mẫu câu có dấu «[» chưa đóng (ký tự thứ {segment_at + 1}). "
            "Muốn viết chính dấu ngoặc vuông, gõ «[[».",
            position=segment_at + 1,
        )
    flush()
    return tuple(top)


def _fields(nodes: tuple[Node, ...]) -> list[str]:
    names: list[str] = []
    for kind, payload in nodes:
        if kind == "field":
            names.append(payload)
        elif kind == "optional":
            names.extend(_fields(payload))
    return names


def template_fields(text: str) -> set[str]:
    """The placeholder names ``text`` uses (raises TemplateError when it does not parse)."""
    return set(_fields(_parse(text)))


def validate_template(text: str, allowed: set[str] | frozenset[str]) -> None:
    """Raise TemplateError unless ``text`` parses and uses only ``allowed`` placeholders."""
    for name in _fields(_parse(text)):
        if name not in allowed:
            listed = ", ".join(f"{{{field}}}" for field in sorted(allowed))
            raise _error(
                f"Mẫu câu có trường không hợp lệ: {{{name}}}. Các trường dùng được: {listed}.",
                field=name, allowed=sorted(allowed),
            )


def _text(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _present(values: Mapping[str, Any], name: str) -> str | None:
    text = _text(values, name)
    return text if text is not None and text.strip() else None


_SPACES = re.compile(r"[^\S\n]+")
_SPACE_BEFORE = re.compile(r" +(?=[,.;:!?)\]])")
_SPACE_AFTER = re.compile(r"(?<=[(\[]) +")
_AROUND_NEWLINE = re.compile(r" *\n *")


def tidy(text: str) -> str:
    """One space between words, none before , . ; : ! ? ) ] or after ( [, trimmed ends."""
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE.sub("", text)
    text = _SPACE_AFTER.sub("", text)
    text = _AROUND_NEWLINE.sub("\n", text)
    return text.strip()


def render_template(text: str, values: Mapping[str, Any]) -> str:
    """``text`` with its placeholders filled from ``values`` (formatted strings): an optional
    segment with a value that is absent, None or blank is dropped; elsewhere an absent or None
    value shows as "…" and an empty string as nothing. Raises TemplateError only when ``text``
    itself does not parse."""
    out: list[str] = []
    for kind, payload in _parse(text):
        if kind == "text":
            out.append(payload)
        elif kind == "field":
            value = _text(values, payload)
            out.append(MISSING_VALUE if value is None else value)
        else:
            parts: list[str] = []
            for inner_kind, inner in payload:
                if inner_kind == "text":
                    parts.append(inner)
                    continue
                value = _present(values, inner)
                if value is None:
                    break
                parts.append(value)
            else:
                out.append("".join(parts))
    return tidy("".join(out))


def render_summary(text: str, *, regime: str, period: str, period_code: str, unit: str,
                   next_period: str | None = None) -> str:
    """The title under "BÁO CÁO" from its template: the periods as running text ("năm 2022", never
    "Năm 2022" mid-line), ``next_period`` only when the report speaks of it, the first letter capital."""
    return upper_first(render_template(text, {
        "regime": regime, "period": lower_first(period), "period_code": period_code, "unit": unit,
        "next_period": lower_first(next_period) if next_period else None,
    }))
