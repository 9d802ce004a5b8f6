"""Web forms of the case register. They only read the posted values and offer the choices in the
user's scope; every rule is checked by cases.services, whose messages the views put on the fields."""

from __future__ import annotations

from typing import cast

from django import forms

from baocao.cases.choices import CaseKind, Channel
from baocao.cases.selectors import officers_for_user
from baocao.core.clock import today_vn
from baocao.core.fields import VnDateField
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import units_managed_by
from baocao.orgunits.widgets import UnitChoiceField
from baocao.reporting.models import Sector
from baocao.work.forms import ServiceErrorsMixin


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class CaseForm(ServiceErrorsMixin, forms.Form):
    """Recording a case (with `owner`) or editing it (without). `with_identity=False` leaves out the
    submitter's fields: a denunciation edited by someone who may not see them."""

    owner = UnitChoiceField(label="Đơn vị quản lý", queryset=OrgUnit.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="Loại vụ việc", choices=CaseKind.choices)
    complaint_round = forms.TypedChoiceField(label="Lần khiếu nại (với khiếu nại)", coerce=int,
                                             choices=[(1, "Lần đầu"), (2, "Lần hai")], initial=1,
                                             # django-stubs types empty_value as str | None; Django returns it as is.
                                             required=False, empty_value=1)  # type: ignore[arg-type]
    code = forms.CharField(label="Số hồ sơ", max_length=200, required=False)
    received_on = VnDateField(label="Ngày nhận / ngày bắt đầu")
    channel = forms.ChoiceField(label="Nguồn", choices=Channel.choices, initial=Channel.DIRECT)
    submitter_name = forms.CharField(label="Họ tên người gửi", max_length=1000, required=False,
                                     help_text="Với đơn tố cáo: chỉ cán bộ thanh tra được xem (bảo mật người tố cáo).")
    submitter_contact = forms.CharField(label="Địa chỉ, liên hệ người gửi", max_length=1000, required=False)
    subject_org = forms.CharField(label="Đối tượng (tổ chức, cá nhân bị khiếu nại, tố cáo, thanh tra)",
                                  max_length=1000, required=False)
    sector = forms.ModelChoiceField(label="Lĩnh vực", queryset=Sector.objects.none(), required=False,
                                    empty_label="— Khác —")
    summary = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    assigned_unit = UnitChoiceField(label="Đơn vị được giao", queryset=OrgUnit.objects.none(), required=False,
                                    empty_label="— Chưa giao —")
    officer = OfficerChoiceField(label="Cán bộ thụ lý", queryset=None, required=False, empty_label="— Chưa giao —")
    is_complex = forms.BooleanField(label="Vụ việc phức tạp (tố cáo: cần xác minh)", required=False)
    is_remote = forms.BooleanField(label="Vùng sâu, vùng xa đi lại khó khăn", required=False)
    note = forms.CharField(label="Ghi chú", max_length=1000, required=False)

    def __init__(self, *args, user, with_owner: bool = True, with_identity: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_managed_by(user).valid_on(today_vn()).order_by("path")
        if with_owner:
            cast(UnitChoiceField, self.fields["owner"]).queryset = units
            if user.unit_id and not self.is_bound:
                self.initial.setdefault("owner", user.unit_id)
        else:
            del self.fields["owner"]
        if not with_identity:
            del self.fields["submitter_name"]
            del self.fields["submitter_contact"]
        # The fields are deep copies of the ones declared above, so their classes are known.
        cast(UnitChoiceField, self.fields["assigned_unit"]).queryset = units
        cast(OfficerChoiceField, self.fields["officer"]).queryset = officers_for_user(user)
        cast(forms.ModelChoiceField, self.fields["sector"]).queryset = Sector.objects.all()


class AcceptForm(ServiceErrorsMixin, forms.Form):
    accepted_on = VnDateField(label="Ngày thụ lý / ngày công bố quyết định")


class ExtendForm(ServiceErrorsMixin, forms.Form):
    decision_number = forms.CharField(label="Số quyết định gia hạn", max_length=200, required=False)
    decided_on = VnDateField(label="Ngày quyết định")
    days = forms.CharField(label="Số ngày gia hạn", max_length=10,
                           widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}))
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                             max_length=20000)


class ResolveForm(ServiceErrorsMixin, forms.Form):
    resolved_on = VnDateField(label="Ngày giải quyết / kết thúc")
    conclusion = forms.CharField(label="Kết luận, kết quả", widget=forms.Textarea(attrs={"rows": 3}),
                                 required=False, max_length=20000)
    # Read as text: the service explains a negative or non-numeric value in Vietnamese.
    sanction_decisions = forms.CharField(label="Số quyết định xử phạt", max_length=20, required=False,
                                         initial="0", widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    sanction_amount = forms.CharField(label="Số tiền xử phạt (đồng)", max_length=40, required=False, initial="0",
                                      widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                    "placeholder": "Ví dụ: 15.000.000"}))
    corrective_measures = forms.CharField(label="Biện pháp khắc phục", widget=forms.Textarea(attrs={"rows": 2}),
                                          required=False, max_length=20000)


class RefuseForm(ServiceErrorsMixin, forms.Form):
    decided_on = VnDateField(label="Ngày trả lời")
    text = forms.CharField(label="Lý do không thụ lý", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=20000)


class ForwardForm(ServiceErrorsMixin, forms.Form):
    decided_on = VnDateField(label="Ngày chuyển đơn")
    text = forms.CharField(label="Cơ quan có thẩm quyền nhận đơn", max_length=20000, required=False)


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label="Tệp tài liệu")
    title = forms.CharField(label="Tên tài liệu", max_length=1000, required=False)
