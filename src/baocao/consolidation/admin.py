"""Admin pages of consolidation. Outlines and targets are configuration the department edits here,
through consolidation.services (report_outline_update, target_set: their checks and audit rows);
consolidated reports are built from data and read-only here."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from baocao.audit.modeladmin import ReadOnlyAdmin, ServiceAdmin
from baocao.consolidation.issuers import (
    PROFILE_FIELDS,
    issuer_profile_create,
    issuer_profile_delete,
    issuer_profile_update,
)
from baocao.consolidation.models import (
    ConsolidatedReport,
    IssuerProfile,
    ReportOutline,
    ReportVersion,
    Target,
)
from baocao.consolidation.services import report_outline_update, target_set
from baocao.core.errors import AppError


class ReportOutlineForm(forms.ModelForm):
    class Meta:
        model = ReportOutline
        fields = [
            "regime", "summary_template", "next_period_mode", "intro_template", "indicator_template",
            "indicator_templates", "assessment_templates", "next_heading_template", "closing_template", "grouping_rules", "parts",
            "headings", "key_indicators", "parent_body", "issuer_name", "issuer_code", "type_code", "place",
            "recipients", "archive", "signer_authority", "signer_title", "signer_name",
        ]

    def clean(self):
        from baocao.consolidation.outline import outline_validate

        data = super().clean()
        outline = self.instance
        for name, value in data.items():
            setattr(outline, name, value)
        regime = data.get("regime")
        version = regime.form.current_version() if regime else None
        try:
            outline_validate(
                outline,
                section_codes=list(version.sections.values_list("code", flat=True)) if version else [],
                indicator_codes=list(version.indicators.values_list("code", flat=True)) if version else [],
            )
        except AppError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(ReportOutline)
class ReportOutlineAdmin(ServiceAdmin):
    form = ReportOutlineForm
    list_display = ("regime", "issuer_code", "type_code", "signer_name")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ("regime",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        regime = obj.regime
        fields = {name: data[name] for name in ReportOutlineForm.Meta.fields
                  if name != "regime" and name in data and (not change or name in form.changed_data)}
        outline = report_outline_update(acting_user=request.user, regime=regime, **fields)
        obj.pk = outline.pk
        obj._state.adding = False


@admin.register(Target)
class TargetAdmin(ServiceAdmin):
    list_display = ("unit", "year", "indicator_code", "value")
    list_filter = ("year",)
    raw_id_fields = ("unit",)
    fields = ("unit", "year", "indicator_code", "value", "note")

    def get_readonly_fields(self, request, obj=None):
        # Another unit, year or code is another target: add it, and clear this one.
        return ("unit", "year", "indicator_code") if obj is not None else ()

    def save_model(self, request, obj, form, change):
        target = target_set(acting_user=request.user, unit=obj.unit, year=obj.year, indicator_code=obj.indicator_code,
                            value=obj.value, note=obj.note or "")
        if target is not None:
            obj.pk = target.pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        target_set(acting_user=request.user, unit=obj.unit, year=obj.year, indicator_code=obj.indicator_code,
                   value=None)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(IssuerProfile)
class IssuerProfileAdmin(ServiceAdmin):
    """Dated identities of issuing units, through consolidation.issuers (overlaps refused, audited)."""

    list_display = ("unit", "valid_from", "valid_to", "agency_name", "agency_code", "place_name")
    list_filter = ("valid_from",)
    raw_id_fields = ("unit",)
    fields = ("unit", *PROFILE_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("unit",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in PROFILE_FIELDS if name in form.cleaned_data}
        if change:
            profile = issuer_profile_update(acting_user=request.user, profile=obj, **data)
        else:
            profile = issuer_profile_create(acting_user=request.user, unit=obj.unit, **data)
        obj.pk = profile.pk
        obj._state.adding = False

    def delete_model(self, request, obj):
        issuer_profile_delete(acting_user=request.user, profile=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class VersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    fields = ("number", "status", "doc_number", "issued_on", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdmin):
    """Reports are built, edited and approved on their pages (consolidation.services)."""

    list_display = ("regime", "period", "unit", "created_at")
    inlines = [VersionInline]
