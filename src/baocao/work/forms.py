"""Web forms of plans and tasks. They only read the posted values and offer the choices in the
user's scope; every rule is checked by work.services, whose messages the views put on the fields."""

from __future__ import annotations

from django import forms

from baocao.accounts.roles import is_admin
from baocao.core.clock import today_vn
from baocao.core.errors import AppError
from baocao.core.fields import VnDateField
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import units_for_user
from baocao.orgunits.widgets import UnitChoiceField, UnitMultipleChoiceField, UnitMultiplePicker
from baocao.reporting.models import Sector
from baocao.work.choices import PlanKind, Recurrence
from baocao.work.models import Plan
from baocao.work.selectors import plans_for_user


class ServiceErrorsMixin(forms.BaseForm):
    """Puts an AppError's per-field messages on the form's fields (the rest on the form)."""

    def add_service_errors(self, exc: AppError) -> None:
        fields = exc.extra.get("fields") or {}
        placed = False
        for name, message in fields.items():
            if name in self.fields:
                self.add_error(name, message)
                placed = True
        if not placed:
            self.add_error(None, exc.message)


class TaskForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label="Tên nhiệm vụ", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    lead_unit = UnitChoiceField(label="Đơn vị chủ trì", queryset=OrgUnit.objects.none(),
                                empty_label="— Chọn đơn vị —")
    cooperating_units = UnitMultipleChoiceField(label="Đơn vị phối hợp", queryset=OrgUnit.objects.none(),
                                                required=False, widget=UnitMultiplePicker(attrs={"size": 6}),
                                                help_text="Gõ tên để tìm và chọn từng đơn vị; trong danh sách, giữ phím "
                                                          "Ctrl (trên điện thoại: chạm) để chọn nhiều đơn vị.")
    plan: forms.ModelChoiceField[Plan] = forms.ModelChoiceField(label="Thuộc kế hoạch", queryset=None,
                                                               required=False,
                                                               empty_label="— Không thuộc kế hoạch nào —")
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(label="Lĩnh vực", queryset=None,
                                                                   required=False, empty_label="— Khác —")
    start = VnDateField(label="Ngày bắt đầu", required=False)
    deadline = VnDateField(label="Hạn hoàn thành (với nhiệm vụ lặp lại: ngày kết thúc)", required=False)
    recurrence = forms.ChoiceField(label="Lặp lại", choices=Recurrence.choices, required=False)
    recurrence_day = forms.IntegerField(label="Ngày đến hạn trong tháng (nhiệm vụ lặp lại)", required=False,
                                        widget=forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric"}))
    expected_output = forms.CharField(label="Sản phẩm dự kiến", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    is_key = forms.BooleanField(label="Nhiệm vụ trọng tâm", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_for_user(user).valid_on(today_vn()).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["cooperating_units"].queryset = units
        self.fields["plan"].queryset = plans_for_user(user).order_by("-issued_on", "title")
        self.fields["sector"].queryset = Sector.objects.all()


class PlanForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=PlanKind.choices)
    number = forms.CharField(label="Số, ký hiệu", max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 45/KH-UBND"}))
    issuer = UnitChoiceField(label="Cơ quan ban hành", queryset=OrgUnit.objects.none(),
                             empty_label="— Chọn cơ quan —")
    issued_on = VnDateField(label="Ngày ban hành", required=False)
    title = forms.CharField(label="Trích yếu", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    sector: forms.ModelChoiceField[Sector] = forms.ModelChoiceField(label="Lĩnh vực", queryset=None,
                                                                   required=False, empty_label="— Khác —")
    year_from = forms.IntegerField(label="Hiệu lực từ năm", required=False)
    year_to = forms.IntegerField(label="Hiệu lực đến năm", required=False)
    attachment = forms.FileField(label="Tệp đính kèm", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.all() if is_admin(user) else (
            units_for_user(user) | OrgUnit.objects.filter(pk__in=user.unit.ancestor_ids() if user.unit_id else []))
        self.fields["issuer"].queryset = units.order_by("path")
        self.fields["sector"].queryset = Sector.objects.all()


class ProgressForm(forms.Form):
    text = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    progress = forms.CharField(label="Tiến độ (%)", required=False)
    evidence = forms.FileField(label="Tài liệu minh chứng", required=False)
