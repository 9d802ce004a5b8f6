"""Admin views of the case register. The legal time limits are data the admin edits here
(TimeLimitRule, with the legal basis of each), each change with its audit rows. Cases are read-only here: their changes go through
cases.services (audit, rules), and a denunciator's identity is left out for everyone but the
inspectorate role (see cases.selectors), so the admin site cannot become a way round it: nor can
its URL filters, search or ordering (`identity_lookup_allowed`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from baocao.audit.modeladmin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyInline
from baocao.cases import limits
from baocao.cases.choices import CaseKind
from baocao.cases.models import Case, CaseAttachment, CaseExtension, CaseIndicator, TimeLimitRule
from baocao.cases.selectors import identity_lookup_allowed, sees_identities

IDENTITY_FIELDS = ("submitter_name", "submitter_contact")


def _hidden(request, case) -> bool:
    return case is not None and case.kind == CaseKind.DENUNCIATION and not sees_identities(request.user)


RULE_FIELDS = ("kind", "step", "round", "day_type", "days", "complex_days", "remote_days", "remote_complex_days",
               "counted_from", "max_extensions", "legal_basis")


class TimeLimitRuleForm(forms.ModelForm):
    """Checks a rule as cases.limits will read it, so a typo cannot break every deadline."""

    counted_from = forms.ChoiceField(label="Tính từ", choices=[(limits.FROM_RECEIVED, "Ngày nhận"),
                                                               (limits.FROM_ACCEPTED, "Ngày thụ lý")])

    class Meta:
        model = TimeLimitRule
        fields = RULE_FIELDS

    def clean(self):
        data = super().clean()
        values = {name: data.get(name) for name in RULE_FIELDS}
        if None not in (values["kind"], values["step"], values["round"], values["days"]):
            try:
                limits.LimitRule(**{**values, "max_extensions": values["max_extensions"] or 0})
            except limits.LimitError as exc:
                raise ValidationError(str(exc)) from None
        return data


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(AuditedAdmin):
    form = TimeLimitRuleForm
    list_display = ("kind", "step", "round", "days", "day_type", "complex_days", "remote_days",
                    "remote_complex_days", "counted_from", "max_extensions")
    list_filter = ("kind", "step", "day_type")
    search_fields = ("legal_basis",)


class CaseExtensionInline(ReadOnlyInline, admin.TabularInline):
    model = CaseExtension
    extra = 0
    can_delete = False
    fields = ("decision_number", "decided_on", "days", "reason")
    readonly_fields = fields


class CaseAttachmentInline(ReadOnlyInline, admin.TabularInline):
    model = CaseAttachment
    extra = 0
    can_delete = False
    fields = ("title", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "received_on", "status", "owner", "officer")
    list_filter = ("kind", "status", "sector")
    search_fields = ("code", "subject_org", "summary")  # never the submitter's fields
    inlines = [CaseExtensionInline, CaseAttachmentInline]

    def lookup_allowed(self, lookup, value, request=None):
        # Any field of the model may be filtered in the URL by default; the identity may not
        # (Django answers 400, the same for a right and a wrong guess).
        if request is None or not identity_lookup_allowed(request.user, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_ordering(self, request):
        return [o for o in super().get_ordering(request) if identity_lookup_allowed(request.user, o)]

    def get_search_fields(self, request):
        return [f for f in super().get_search_fields(request) if identity_lookup_allowed(request.user, f)]

    def get_fields(self, request, obj=None):
        fields = [f.name for f in Case._meta.fields if f.name != "id"]
        if _hidden(request, obj):
            fields = [f for f in fields if f not in IDENTITY_FIELDS]
        return fields

    def get_inline_instances(self, request, obj=None):
        # A denunciation's documents (the letter itself) name the denunciator.
        inlines = super().get_inline_instances(request, obj)
        if _hidden(request, obj):
            inlines = [i for i in inlines if not isinstance(i, CaseAttachmentInline)]
        return inlines

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class CaseIndicatorForm(forms.ModelForm):
    class Meta:
        model = CaseIndicator
        fields = ["regime", "indicator_code", "metric"]

    def clean(self):
        from baocao.cases.reporting import case_indicator_problem

        data = super().clean()
        if data.get("regime") and data.get("indicator_code"):
            problem = case_indicator_problem(regime=data["regime"], indicator_code=data["indicator_code"])
            if problem:
                raise forms.ValidationError(problem)
        return data


@admin.register(CaseIndicator)
class CaseIndicatorAdmin(AuditedAdmin):
    form = CaseIndicatorForm
    list_display = ("regime", "indicator_code", "metric")
    list_filter = ("metric",)
    raw_id_fields = ("regime",)
