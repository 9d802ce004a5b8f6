"""Writes on forms and regimes: versioning keeps what was submitted unchanged."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.core.errors import AppError
from baocao.core.expressions import ExpressionError, identifiers, parse_rule
from baocao.reporting.choices import FormVersionStatus, Severity
from baocao.reporting.models import (
    Form,
    FormSection,
    FormVersion,
    Indicator,
    NarrativeField,
    ValidationRule,
)


def _require_draft(version: FormVersion) -> None:
    if version.status != FormVersionStatus.DRAFT:
        raise AppError(
            f"Phiên bản {version.number} của biểu mẫu «{version.form.code}» đã ban hành nên không sửa được; "
            "hãy tạo phiên bản mới.",
            {"form_version": version.pk},
        )


def validation_rule_check(*, form_version: FormVersion, expression: str) -> str:
    """Parse a rule and check it only names indicators of the version; returns the canonical text."""
    try:
        node = parse_rule(expression)
    except ExpressionError as exc:
        raise AppError(exc.message, {"fields": {"expression": exc.message}, "position": exc.position}) from None
    known = set(Indicator.objects.filter(form_version=form_version).values_list("code", flat=True))
    unknown = sorted(identifiers(node) - known)
    if unknown:
        msg = f"Biểu thức dùng mã chỉ tiêu không có trong biểu mẫu: {', '.join(unknown)}."
        raise AppError(msg, {"fields": {"expression": msg}, "unknown": unknown})
    return expression.strip()


def validation_rule_create(*, acting_user, form_version: FormVersion, code: str, expression: str,
                           message: str, severity: str = Severity.ERROR) -> ValidationRule:
    with transaction.atomic():
        _require_draft(form_version)
        if severity not in Severity.values:
            raise AppError("Mức độ phải là «Lỗi» hoặc «Cảnh báo».", {"fields": {"severity": severity}})
        if not message.strip():
            raise AppError("Hãy ghi thông báo hiển thị khi quy tắc không thỏa.", {"fields": {"message": "Bắt buộc"}})
        text = validation_rule_check(form_version=form_version, expression=expression)
        if ValidationRule.objects.filter(form_version=form_version, code=code).exists():
            raise AppError(f"Mã quy tắc «{code}» đã có.", {"fields": {"code": code}})
        rule = ValidationRule.objects.create(form_version=form_version, code=code, expression=text,
                                             message=message.strip(), severity=severity)
        audit_record(actor=acting_user, action=AuditAction.RULE_CREATE, entity="form_version", entity_id=form_version.pk,
                     unit=form_version.form.owner, field=code, new=text)
        return rule


def form_version_publish(*, acting_user, form_version: FormVersion) -> FormVersion:
    """Publish a draft version: from now on it is immutable and new reports use it."""
    with transaction.atomic():
        version = FormVersion.objects.select_for_update().select_related("form__owner").get(pk=form_version.pk)
        _require_draft(version)
        if not version.indicators.exists() and not version.narratives.exists():
            raise AppError("Phiên bản chưa có chỉ tiêu hay nội dung nào để ban hành.")
        for rule in version.rules.all():
            validation_rule_check(form_version=version, expression=rule.expression)
        version.status = FormVersionStatus.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        audit_record(actor=acting_user, action=AuditAction.FORM_VERSION_PUBLISH, entity="form_version",
                     entity_id=version.pk, unit=version.form.owner, field="status",
                     old=FormVersionStatus.DRAFT, new=FormVersionStatus.PUBLISHED)
        return version


def form_version_new_draft(*, acting_user, form: Form) -> FormVersion:
    """Copy the latest version into a new draft to edit; published versions stay as they were."""
    with transaction.atomic():
        form = Form.objects.select_for_update().get(pk=form.pk)
        if form.versions.filter(status=FormVersionStatus.DRAFT).exists():
            raise AppError("Biểu mẫu đang có một phiên bản nháp; hãy sửa hoặc ban hành phiên bản đó.")
        source = form.versions.order_by("-number").first()
        number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = FormVersion.objects.create(form=form, number=number, status=FormVersionStatus.DRAFT,
                                           note=f"Sao chép từ phiên bản {source.number}" if source else "")
        if source:
            for section in source.sections.prefetch_related("indicators", "narratives"):
                new_section = FormSection.objects.create(form_version=draft, code=section.code, title=section.title,
                                                         sector=section.sector, order=section.order)
                Indicator.objects.bulk_create([
                    Indicator(section=new_section, form_version=draft, code=i.code, name=i.name,
                              unit_of_measure=i.unit_of_measure, value_type=i.value_type,
                              aggregation=i.aggregation, min_value=i.min_value, max_value=i.max_value,
                              required=i.required, order=i.order, help_text=i.help_text)
                    for i in section.indicators.all()
                ])
                NarrativeField.objects.bulk_create([
                    NarrativeField(section=new_section, form_version=draft, code=n.code, kind=n.kind, label=n.label,
                                   required=n.required, order=n.order)
                    for n in section.narratives.all()
                ])
            ValidationRule.objects.bulk_create([
                ValidationRule(form_version=draft, code=r.code, expression=r.expression, severity=r.severity,
                               message=r.message)
                for r in source.rules.all()
            ])
        audit_record(actor=acting_user, action=AuditAction.FORM_VERSION_CREATE, entity="form_version", entity_id=draft.pk,
                     unit=form.owner, new=str(number))
        return draft


def indicator_update(*, acting_user, indicator: Indicator, **fields) -> Indicator:
    """Edit an indicator of a draft version (published versions are immutable)."""
    allowed = {"name", "unit_of_measure", "value_type", "aggregation", "min_value", "max_value", "required",
               "order", "help_text"}
    bad = set(fields) - allowed
    if bad:
        raise AppError(f"Không sửa được trường: {', '.join(sorted(bad))}.")
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().select_related("form_version__form__owner").get(
            pk=indicator.pk)
        _require_draft(indicator.form_version)
        for name, value in fields.items():
            old = getattr(indicator, name)
            if old != value:
                setattr(indicator, name, value)
                audit_record(actor=acting_user, action=AuditAction.INDICATOR_UPDATE, entity="indicator",
                             entity_id=indicator.pk, unit=indicator.form_version.form.owner, field=name,
                             old="" if old is None else str(old), new="" if value is None else str(value))
        indicator.save()
        return indicator
