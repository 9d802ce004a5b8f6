from django.contrib import admin, messages

from baocao.core.errors import AppError
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


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ("number", "status", "published_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "owner")
    inlines = [FormVersionInline]
    actions = ["new_version"]

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
    fields = ("code", "name", "unit_of_measure", "value_type", "aggregation", "min_value", "max_value",
              "required", "order", "section")


class RuleInline(admin.TabularInline):
    model = ValidationRule
    extra = 0


@admin.register(FormVersion)
class FormVersionAdmin(admin.ModelAdmin):
    list_display = ("form", "number", "status", "published_at")
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

    def has_change_permission(self, request, obj=None):
        # Published versions are immutable; a change makes a new version.
        return obj is None or obj.is_editable


admin.site.register(FormSection)
admin.site.register(NarrativeField)


@admin.register(ReportingRegime)
class ReportingRegimeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "receiving_unit", "is_active")
    filter_horizontal = ("reporting_units", "reporting_groups")
    raw_id_fields = ("receiving_unit",)
