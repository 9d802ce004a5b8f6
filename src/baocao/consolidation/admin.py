from django import forms
from django.contrib import admin

from baocao.consolidation.models import ConsolidatedReport, ReportOutline, ReportVersion, Target
from baocao.core.errors import AppError


class ReportOutlineForm(forms.ModelForm):
    class Meta:
        model = ReportOutline
        fields = [
            "regime", "summary_template", "intro_template", "indicator_template", "indicator_templates", "parts",
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
class ReportOutlineAdmin(admin.ModelAdmin):
    form = ReportOutlineForm
    list_display = ("regime", "issuer_code", "type_code", "signer_name")


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "indicator_code", "value")
    list_filter = ("year",)
    raw_id_fields = ("unit",)


class VersionInline(admin.TabularInline):
    model = ReportVersion
    extra = 0
    fields = ("number", "status", "doc_number", "issued_on", "created_by", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(admin.ModelAdmin):
    list_display = ("regime", "period", "unit", "created_at")
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False  # reports are built from data, not typed in
