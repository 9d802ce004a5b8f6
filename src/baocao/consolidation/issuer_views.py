"""The issuer page: an admin views and edits a unit's dated issuer profiles (letterhead, place,
signer's titles, recipients, archive). Writes go through consolidation.issuers; a refusal is shown
on the form (400), nothing written."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baocao.accounts.roles import is_admin
from baocao.consolidation.issuers import (
    issuer_profile_create,
    issuer_profile_delete,
    issuer_profile_update,
    issuer_profiles,
)
from baocao.consolidation.models import IssuerProfile
from baocao.core.errors import AppError, NotFound
from baocao.core.fields import VnDateField
from baocao.orgunits.selectors import orgunit_get_for_user

FORM_FIELDS = ("valid_from", "valid_to", "parent_body", "agency_name", "agency_code", "place_name",
               "signer_authority", "signer_title", "recipients", "archive")


class IssuerProfileForm(forms.Form):
    valid_from = VnDateField(label="Áp dụng từ ngày")
    valid_to = VnDateField(label="Đến hết ngày", required=False, help_text="Để trống nếu còn áp dụng.")
    parent_body = forms.CharField(label="Cơ quan chủ quản", max_length=200, required=False,
                                  help_text="Ví dụ: UBND TỈNH THÁI NGUYÊN")
    agency_name = forms.CharField(label="Tên cơ quan ban hành", max_length=200,
                                  help_text="Ví dụ: SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    agency_code = forms.CharField(label="Ký hiệu cơ quan", max_length=30, help_text="Ví dụ: SKHCN (trong «05/BC-SKHCN»)")
    place_name = forms.CharField(label="Địa danh", max_length=100, required=False,
                                 help_text="Dòng ngày tháng: «Thái Nguyên, ngày … tháng … năm …»")
    signer_authority = forms.CharField(label="Quyền hạn ký", max_length=60, required=False,
                                       help_text="Ví dụ: KT. GIÁM ĐỐC; để trống khi người đứng đầu ký.")
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=60, required=False,
                                   help_text="Ví dụ: PHÓ GIÁM ĐỐC")
    recipients = forms.CharField(label="Nơi nhận mặc định", required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}), help_text="Mỗi dòng một nơi nhận.")
    archive = forms.CharField(label="Lưu", max_length=100, required=False, initial="VT")

    def add_service_errors(self, exc: AppError) -> None:
        named = [name for name in (exc.extra.get("fields") or {}) if name in self.fields]
        self.add_error(named[0] if named else None, exc.message)


def _initial(profile: IssuerProfile) -> dict:
    data = {name: getattr(profile, name) for name in FORM_FIELDS}
    data["recipients"] = "\n".join(profile.recipients or [])
    return data


def _unit(user, unit_id: int):
    try:
        unit = orgunit_get_for_user(user=user, unit_id=unit_id)
    except NotFound:
        raise Http404 from None
    if not is_admin(user):
        raise PermissionDenied
    return unit


def _profile(unit, profile_id: int) -> IssuerProfile:
    profile = IssuerProfile.objects.filter(unit=unit, pk=profile_id).first()
    if profile is None:
        raise Http404
    return profile


def _page(request, unit, *, new_form=None, edit_forms=None, status: int = 200):
    edit_forms = edit_forms or {}
    rows = [(p, edit_forms.get(p.pk) or IssuerProfileForm(initial=_initial(p), prefix=f"p{p.pk}"))
            for p in issuer_profiles(unit)]
    ctx = {"unit": unit, "rows": rows, "new_form": new_form or IssuerProfileForm(prefix="new")}
    return render(request, "consolidation/issuers.html", ctx, status=status)


@login_required
def issuer_profiles_page(request, unit_id: int):
    unit = _unit(request.user, unit_id)
    if request.method != "POST":
        return _page(request, unit)
    form = IssuerProfileForm(request.POST, prefix="new")
    if not form.is_valid():
        return _page(request, unit, new_form=form, status=400)
    try:
        issuer_profile_create(acting_user=request.user, unit=unit,
                              **{name: form.cleaned_data[name] for name in FORM_FIELDS})
    except AppError as exc:
        form.add_service_errors(exc)
        return _page(request, unit, new_form=form, status=exc.status)
    messages.success(request, "Đã thêm thông tin cơ quan ban hành.")
    return redirect("consolidation:issuers", unit.pk)


@login_required
@require_POST
def issuer_profile_edit(request, unit_id: int, profile_id: int):
    unit = _unit(request.user, unit_id)
    profile = _profile(unit, profile_id)
    form = IssuerProfileForm(request.POST, prefix=f"p{profile.pk}")
    if not form.is_valid():
        return _page(request, unit, edit_forms={profile.pk: form}, status=400)
    try:
        issuer_profile_update(acting_user=request.user, profile=profile,
                              **{name: form.cleaned_data[name] for name in FORM_FIELDS})
    except AppError as exc:
        form.add_service_errors(exc)
        return _page(request, unit, edit_forms={profile.pk: form}, status=exc.status)
    messages.success(request, "Đã lưu thông tin cơ quan ban hành.")
    return redirect("consolidation:issuers", unit.pk)


@login_required
@require_POST
def issuer_profile_remove(request, unit_id: int, profile_id: int):
    unit = _unit(request.user, unit_id)
    issuer_profile_delete(acting_user=request.user, profile=_profile(unit, profile_id))
    messages.success(request, "Đã xóa thông tin cơ quan ban hành.")
    return redirect("consolidation:issuers", unit.pk)
