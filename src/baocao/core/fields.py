"""Model and form fields several apps declare alike."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.db import models

from baocao.core.vietnamese import DATE_INPUT_PATTERN, DATE_PLACEHOLDER, format_date, parse_date


def illustrative_field() -> models.BooleanField:
    """Whether a record is sample data (the demo): the browser shows a «minh họa» badge on it; the
    official documents never print a marker (a report, minutes, an invitation or an article reads
    as the real thing)."""
    return models.BooleanField("dữ liệu minh họa", default=False,
                               help_text="Bản ghi của dữ liệu mẫu: trang web gắn nhãn «minh họa»; văn bản không ghi.")


# ---------------------------------------------------------------------------
# Dates on forms: typed and shown dd/mm/yyyy whatever the browser's language (an <input type="date">
# shows mm/dd/yyyy in an English browser: the leader read 12/02/2026 for 2 December).


class VnDateInput(forms.TextInput):
    """A text box for a day: placeholder dd/mm/yyyy, a numeric keyboard on phones, the browser's
    pattern check (its message in Vietnamese, app.js); the value shown dd/mm/yyyy."""

    def __init__(self, attrs: dict | None = None):
        base = {"placeholder": DATE_PLACEHOLDER, "inputmode": "numeric", "pattern": DATE_INPUT_PATTERN,
                "autocomplete": "off", "class": "input-date",
                "data-invalid-message": "Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/12/2026."}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, date):
            return format_date(value)
        return super().format_value(value)


class VnDateField(forms.DateField):
    """A day typed dd/mm/yyyy (ISO accepted too, as a script posts it); the error in Vietnamese."""

    widget = VnDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def has_changed(self, initial, data) -> bool:
        try:
            data = self.to_python(data)
        except forms.ValidationError:
            return True
        return (initial or None) != data
