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

PLACEHOLDERS_INTRO = frozenset({
    "regime", "period", "period_code", "window_start", "window_end", "unit",
    "expected", "approved", "missing", "late", "previous_period",
})
# change and change_pct are magnitudes (the direction is in trend: "tăng", "giảm", "bằng");
# comparison is the whole phrase ("tăng 12,5% so với 6 tháng đầu năm 2021", "bằng cùng kỳ năm
# 2021", "giảm 2,5 điểm phần trăm so với ..."); sources is the number of units that reported.
PLACEHOLDERS_INDICATOR = frozenset({
    "name", "value", "unit_of_measure", "previous", "change", "change_pct", "target",
    "achieved_pct", "previous_period", "trend", "comparison", "sources",
})

DEFAULT_INTRO = (
    "Thực hiện {regime}, {unit} tổng hợp kết quả thực hiện nhiệm vụ {period} trên cơ sở báo cáo "
    "của các đơn vị; số liệu tính từ ngày {window_start} đến ngày {window_end}. "
    "Đã có {approved}/{expected} đơn vị gửi báo cáo được duyệt[; {late} đơn vị gửi chậm]"
    "[; {missing} đơn vị chưa có báo cáo được duyệt]."
)
DEFAULT_INDICATOR_LINE = (
    "{name}: {value} {unit_of_measure}[, {comparison}]"
    "[, đạt {achieved_pct} kế hoạch năm ({target} {unit_of_measure})]."
)

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
