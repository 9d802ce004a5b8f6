"""Web forms of the units page: they read the posted values; every rule (code free, dates in
order, no open child left when closing) is checked by orgunits.services, whose messages the view
puts on the fields."""

from __future__ import annotations

from django import forms

from baocao.core.errors import AppError
from baocao.core.fields import VnDateField
from baocao.orgunits.choices import UnitKind


class _ServiceErrors(forms.Form):
    def add_service_errors(self, exc: AppError) -> None:
        # The services' per-field entries are short labels ("Đã tồn tại"); the message says it all.
        named = [name for name in (exc.extra.get("fields") or {}) if name in self.fields]
        self.add_error(named[0] if named else None, exc.message)


class UnitEditForm(_ServiceErrors):
    code = forms.CharField(label="Mã đơn vị", max_length=40)
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên ngắn", max_length=120, required=False)
    kind = forms.ChoiceField(label="Loại", choices=UnitKind.choices)
    valid_from = VnDateField(label="Hiệu lực từ", required=False)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class UnitCloseForm(_ServiceErrors):
    valid_to = VnDateField(label="Hết hiệu lực từ ngày",
                               help_text="Đơn vị không bị xóa: số liệu và lịch sử vẫn giữ nguyên.")
