"""Audit rows told in words, for the history shown on a page or returned by the API.

The app that owns an entity supplies its vocabulary (`HistoryVocabulary`): what its fields are
called, what its coded values read, how a stored value is shown. `describe_events` turns the
rows into `HistoryEntry` objects, rendered by the shared partial `web/partials/_history.html`
and returned by the API as their `text`. Audit stays below the domain apps: it knows no entity,
only the vocabulary it is given.

Services already write most values the way people read them ("1.234,5", "02/03/2022"); the
formatters here are idempotent on those and also read older rows (raw codes, ISO dates,
"1234.5").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from baocao.audit.models import AuditEvent
from baocao.core.vietnamese import format_date, format_datetime, format_number, parse_date, parse_number

EMPTY = "—"
SYSTEM_ACTOR = "Hệ thống"
TEXT_LIMIT = 200

Formatter = Callable[[str], str]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?")
_YES = {"true", "1", "có", "yes"}
_NO = {"false", "0", "không", "no"}


def truncate(value: str, limit: int = TEXT_LIMIT) -> str:
    """At most `limit` characters, the cut marked with an ellipsis."""
    value = " ".join(value.split()) if "\n" in value or "\r" in value else value
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def show_text(limit: int = TEXT_LIMIT) -> Formatter:
    """Free text, shortened for a one-line history entry."""
    return lambda value: truncate(value, limit)


def show_number(value: str) -> str:
    """1234.5, 1234,5 or 1.234,5 read as 1.234,5; anything else (a note, a unit) as it is."""
    try:
        return format_number(parse_number(value))
    except (ValueError, ArithmeticError):
        return truncate(value)


def show_date(value: str) -> str:
    """A day as dd/mm/yyyy, whether stored ISO (2022-03-02) or already 02/03/2022."""
    if _ISO_DATETIME.fullmatch(value.strip()):
        return show_datetime(value)
    try:
        return format_date(parse_date(value))
    except ValueError:
        return truncate(value)


def show_datetime(value: str) -> str:
    try:
        return format_datetime(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return truncate(value)


def show_bool(value: str) -> str:
    folded = value.strip().lower()
    if folded in _YES:
        return "Có"
    if folded in _NO:
        return "Không"
    return truncate(value)


def show_choice(labels: Mapping[str, str]) -> Formatter:
    """A coded value by its label; a value already written as its label (or retired) as it is."""
    return lambda value: labels.get(value, truncate(value))


def show_auto(value: str) -> str:
    """For fields the vocabulary does not name: ISO days and times in Vietnamese form, the rest as text."""
    stripped = value.strip()
    if _ISO_DATE.fullmatch(stripped) or _ISO_DATETIME.fullmatch(stripped):
        return show_date(stripped)
    return truncate(value)


@dataclass(frozen=True)
class HistoryVocabulary:
    """How one entity's audit rows read. `field_labels` and `formatters` are keyed by the row's
    field; a field without a label shows its code, one without a formatter goes through `default`.
    `values_without_field`: whether a row that names no field shows its value (a case's creation
    row holds the case's title; a report's holds only its first status)."""

    field_labels: Mapping[str, str] = field(default_factory=dict)
    formatters: Mapping[str, Formatter] = field(default_factory=dict)
    default: Formatter = show_auto
    values_without_field: bool = True

    def show(self, field_name: str, value: str) -> str:
        if not value:
            return ""
        return self.formatters.get(field_name, self.default)(value)


@dataclass(frozen=True)
class HistoryEntry:
    """One audit row in words. `old`/`new` are the values as shown ("" when empty);
    `old_value`/`new_value` the stored ones (concealed ones replaced)."""

    event: AuditEvent
    action_label: str
    field_label: str
    old: str
    new: str
    old_value: str
    new_value: str
    comment: str

    @property
    def id(self) -> int:
        return self.event.pk

    @property
    def at(self) -> datetime:
        return self.event.at

    @property
    def action(self) -> str:
        return self.event.action

    @property
    def field(self) -> str:
        return self.event.field

    @property
    def actor_name(self) -> str:
        actor = self.event.actor
        return actor.display_name if actor is not None else SYSTEM_ACTOR

    @property
    def field_shown(self) -> str:
        """The field's label, unless the action already says it («gia hạn», not «gia hạn · gia hạn»)."""
        return self.field_label if self.field and self.field_label != self.action_label else ""

    @property
    def change(self) -> str:
        """"5 → 2", "— → 02/03/2022"; a row naming no field only its new value; "" for none."""
        if not (self.old or self.new):
            return ""
        if not self.field and not self.old:
            return self.new
        return f"{self.old or EMPTY} → {self.new or EMPTY}"

    @property
    def text(self) -> str:
        """The whole entry in one sentence, without its time and author:
        «sửa · Kiến nghị đã giải quyết: 5 → 2», «trả lại báo cáo — «Thiếu số liệu»»."""
        text = self.action_label
        if self.field_shown:
            text += f" · {self.field_shown}"
        if self.change:
            text += f": {self.change}"
        if self.comment:
            text += f" — «{self.comment}»"
        return text


def describe_events(events: Iterable[AuditEvent], *, vocabulary: HistoryVocabulary,
                    conceal: Collection[str] = (), concealed_as: str = "[bảo mật]") -> list[HistoryEntry]:
    """The rows in words, in the order given. Values of the fields in `conceal` read
    `concealed_as` (for readers who may not see them); the caller selects the rows (and their
    actors, with select_related) — this function runs no query."""
    entries = []
    for e in events:
        hide = e.field in conceal
        old_value = concealed_as if hide and e.old_value else e.old_value
        new_value = concealed_as if hide and e.new_value else e.new_value
        if hide:
            old, new = old_value, new_value
        elif e.field or vocabulary.values_without_field:
            old, new = vocabulary.show(e.field, old_value), vocabulary.show(e.field, new_value)
        else:
            old = new = ""
        entries.append(HistoryEntry(
            event=e, action_label=e.action_label, field_label=vocabulary.field_labels.get(e.field, e.field),
            old=old, new=new, old_value=old_value, new_value=new_value, comment=e.comment,
        ))
    return entries
