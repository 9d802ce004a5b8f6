"""Admin pages of forms and regimes. A version's indicators are edited through
reporting.services.indicator_update and its rules added through validation_rule_create, on draft
versions only; published versions (what units reported against) are read-only, and so are their
sections and narrative fields. The other records (sectors, regimes, forms) save with audit rows."""

from __future__ import annotations

from django.contrib import admin, messages

from baocao.audit.modeladmin import AuditedAdmin, ServiceAdmin
from baocao.core.errors import AppError
from baocao.reporting.choices import FormVersionStatus
from baocao.reporting.models import (
    Form,
    FormSection,
    FormVersion,
    Indicator,
    NarrativeField,
    ReportingRegime,
    Sector,
    ValidationRule,
)
from baocao.reporting.services import indicator_update, validation_rule_create

INDICATOR_EDITABLE = ("name", "unit_of_measure", "value_type", "aggregation", "min_value", "max_value",
                      "required", "order")


def _editable(version: FormVersion | None) -> bool:
    return version is not None and version.is_editable


@admin.register(Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ("code", "name", "order")


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ("number", "status", "published_at")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # a version is made by the "new version" action, copying the latest one


@admin.register(Form)
class FormAdmin(AuditedAdmin):
    list_display = ("code", "name", "owner")
    inlines = [FormVersionInline]
    actions = ["new_version"]

    def has_delete_permission(self, request, obj=None):
        return False  # its versions hold what units reported

    @admin.action(description="Tạo phiên bản mới (sao chép phiên bản mới nhất)")
    def new_version(self, request, queryset):
        from baocao.reporting.services import form_version_new_draft

        for form in queryset:
            try:
                v = form_version_new_draft(acting_user=request.user, form=form)
                self.message_user(request, f"Đã tạo phiên bản {v.number} của {form.code}.")
            except AppError as exc:
                self.message_user(request, exc.message, messages.ERROR)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    can_delete = False
    fields = ("code", "section", *INDICATOR_EDITABLE)

    def has_add_permission(self, request, obj=None):
        return False  # indicators come with the version's copy; no service adds one

    def has_change_permission(self, request, obj=None):
        return _editable(obj)

    def get_readonly_fields(self, request, obj=None):
        return ("code", "section") if _editable(obj) else self.fields


class RuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0
    can_delete = False
    fields = ("code", "expression", "severity", "message")

    def has_add_permission(self, request, obj=None):
        return _editable(obj)

    def has_change_permission(self, request, obj=None):
        return False  # a rule is added (and checked against the version's indicators), not rewritten


@admin.register(FormVersion)
class FormVersionAdmin(ServiceAdmin):
    list_display = ("form", "number", "status", "published_at")
    readonly_fields = ("form", "number", "status", "published_at", "note")
    inlines = [IndicatorInline, RuleInline]
    actions = ["publish"]

    @admin.action(description="Ban hành phiên bản đã chọn")
    def publish(self, request, queryset):
        from baocao.reporting.services import form_version_publish

        for version in queryset:
            try:
                form_version_publish(acting_user=request.user, form_version=version)
                self.message_user(request, f"Đã ban hành {version}.")
            except AppError as exc:
                self.message_user(request, exc.message, messages.ERROR)

    def has_add_permission(self, request):
        return False  # see FormVersionInline

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Published versions are immutable; a change makes a new version.
        return obj is None or obj.is_editable

    def save_model(self, request, obj, form, change):
        pass  # the version's own fields are read-only here; its rows go through save_formset

    def save_formset(self, request, form, formset, change):
        version = form.instance
        # The admin's change message reads these lists, which formset.save() would have filled.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for row in formset.forms:
            if not row.has_changed():
                continue
            if formset.model is Indicator and row.instance.pk:
                fields = {name: row.cleaned_data[name] for name in row.changed_data if name in INDICATOR_EDITABLE}
                indicator = indicator_update(acting_user=request.user, indicator=row.instance, **fields)
                formset.changed_objects.append((indicator, list(fields)))
            elif formset.model is ValidationRule and not row.instance.pk:
                data = row.cleaned_data
                rule = validation_rule_create(acting_user=request.user, form_version=version, code=data["code"],
                                              expression=data["expression"], message=data.get("message", ""),
                                              severity=data["severity"])
                formset.new_objects.append(rule)


class DraftPartAdmin(AuditedAdmin):
    """A section or narrative field: edited only while its version is a draft."""

    def has_change_permission(self, request, obj=None):
        return obj is None or _editable(obj.form_version)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "form_version":
            kwargs["queryset"] = FormVersion.objects.filter(status=FormVersionStatus.DRAFT)
        elif db_field.name == "section":
            kwargs["queryset"] = FormSection.objects.filter(form_version__status=FormVersionStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FormSection)
class FormSectionAdmin(DraftPartAdmin):
    list_display = ("form_version", "code", "title", "order")


@admin.register(NarrativeField)
class NarrativeFieldAdmin(DraftPartAdmin):
    list_display = ("form_version", "code", "label", "kind", "required")


@admin.register(ReportingRegime)
class ReportingRegimeAdmin(AuditedAdmin):
    list_display = ("code", "name", "receiving_unit", "is_active")
    filter_horizontal = ("reporting_units", "reporting_groups")
    raw_id_fields = ("receiving_unit",)

    def has_delete_permission(self, request, obj=None):
        return False  # its submissions stay; deactivate instead (is_active)

    def audit_unit(self, obj):
        return obj.receiving_unit
