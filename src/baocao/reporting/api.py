"""Reporting regimes, their periods, and form versions, read-only and scoped to the user."""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from ninja import Path, Router

from baocao.accounts.http import ApiRequest
from baocao.core.api_types import Id, Number
from baocao.core.errors import AppError, NotFound
from baocao.reporting.models import ReportingRegime
from baocao.reporting.periods import (
    DECREE09_CUTOFF,
    FREQUENCY_LABELS,
    Frequency,
    PeriodError,
    cutoff_window,
    deadline_rules_to_json,
    parse_period,
)
from baocao.reporting.schemas import (
    FormVersionOut,
    PeriodOut,
    RegimeDetailOut,
    RegimeListOut,
    json_number,
    regime_period_out,
    unit_ref,
)
from baocao.reporting.selectors import (
    form_version_detail,
    form_version_list,
    regime_get_for_user,
    regime_list,
    regime_period,
)

router = Router(tags=["regimes"])

PERIOD_CODE = Path(..., max_length=12, description="Mã kỳ: 2022M06, 2022Q2, 2022S1, 2022",
                   examples=["2022S1"])
FORM_NOT_FOUND = "Không tìm thấy biểu mẫu hoặc bạn không có quyền xem."


def _regime_detail(regime: ReportingRegime) -> dict:
    version = regime.form.current_version()
    rule = regime.cutoff_rule
    return {
        "id": regime.pk,
        "code": regime.code,
        "name": regime.name,
        "legal_basis": regime.legal_basis,
        "content": regime.content,
        "receiving_unit": unit_ref(regime.receiving_unit),
        "reporting_unit_ids": sorted(regime.reporting_units.values_list("pk", flat=True)),
        "reporting_group_ids": sorted(regime.reporting_groups.values_list("pk", flat=True)),
        "method": regime.method,
        "method_label": regime.get_method_display(),
        "frequencies": [{"code": f, "label": FREQUENCY_LABELS[Frequency(f)]} for f in regime.frequencies],
        "cutoff": {
            "start_day": regime.cutoff_start_day,
            "end_day": regime.cutoff_end_day,
            "is_decree09": rule == DECREE09_CUTOFF,
            "is_calendar": rule.is_calendar,
        },
        "deadline_rules": deadline_rules_to_json(regime.deadline_rule_map),
        "form_id": regime.form_id,
        "form_code": regime.form.code,
        "form_name": regime.form.name,
        "current_form_version_id": version.pk if version else None,
        "outline": regime.outline,
        "is_active": regime.is_active,
    }


@router.get("/regimes", response=list[RegimeListOut], summary="Chế độ báo cáo")
def regime_list_view(request: ApiRequest):
    """Regimes the user reports to (reporters) or receives (receiving roles); admins see all."""
    return [
        {
            "id": r.pk,
            "code": r.code,
            "name": r.name,
            "receiving_unit": unit_ref(r.receiving_unit),
            "frequencies": r.frequencies,
            "form_id": r.form_id,
            "is_active": r.is_active,
        }
        for r in regime_list(user=request.auth)
    ]


@router.get("/regimes/{int:regime_id}", response=RegimeDetailOut, summary="Một chế độ báo cáo")
def regime_detail(request: ApiRequest, regime_id: Id):
    return _regime_detail(regime_get_for_user(user=request.auth, regime_id=regime_id))


@router.get("/regimes/{int:regime_id}/periods/{code}", response=PeriodOut, summary="Kỳ báo cáo của chế độ")
def regime_period_view(request: ApiRequest, regime_id: Id, code: str = PERIOD_CODE):
    """Cut-off window (Decree 09 Art. 12, or the regime's own rule) and the regime's deadline.
    400 when the period's frequency is not one of the regime's."""
    regime = regime_get_for_user(user=request.auth, regime_id=regime_id)
    return regime_period_out(regime_period(regime, code))


@router.get("/periods/{code}", response=PeriodOut, tags=["periods"], summary="Kỳ báo cáo")
def period_view(request: ApiRequest, code: str = PERIOD_CODE):
    """A period code read without a regime: the Decree 09 cut-off window, no deadline."""
    try:
        period = parse_period(code)
    except PeriodError as exc:
        raise AppError(str(exc), {"period": code}) from None
    start, end = cutoff_window(period)
    return {
        "code": period.code,
        "label": period.label,
        "frequency": period.frequency,
        "window_start": start,
        "window_end": end,
        "deadline": None,
    }


def _form_version_out(version_id: int) -> dict:
    fv = form_version_detail(version_id)
    return {
        "id": fv.pk,
        "form_id": fv.form_id,
        "form_code": fv.form.code,
        "form_name": fv.form.name,
        "number": fv.number,
        "status": fv.status,
        "published_at": fv.published_at,
        "sections": [
            {
                "code": section.code,
                "title": section.title,
                "sector_code": section.sector.code if section.sector else None,
                "sector_name": section.sector.name if section.sector else None,
                "indicators": [
                    {
                        "id": ind.pk,
                        "code": ind.code,
                        "name": ind.name,
                        "unit_of_measure": ind.unit_of_measure,
                        "value_type": ind.value_type,
                        "aggregation": ind.aggregation,
                        "min": json_number(ind.min_value),
                        "max": json_number(ind.max_value),
                        "required": ind.required,
                        "help_text": ind.help_text,
                    }
                    for ind in sorted(section.indicators.all(), key=lambda i: (i.order, i.pk))
                ],
                "narratives": [
                    {"id": nf.pk, "code": nf.code, "kind": nf.kind, "label": nf.label, "required": nf.required}
                    for nf in sorted(section.narratives.all(), key=lambda n: (n.order, n.pk))
                ],
            }
            for section in fv.sections.all()
        ],
        "rules": [
            {"code": r.code, "expression": r.expression, "severity": r.severity, "message": r.message}
            for r in fv.rules.all()
        ],
    }


@router.get("/forms/{int:form_id}/versions/{int:number}", response=FormVersionOut, tags=["forms"],
            summary="Một phiên bản biểu mẫu (theo số phiên bản)")
def form_version_by_number(request: ApiRequest, form_id: Id, number: Number):
    version_id = (
        form_version_list(user=request.auth).filter(form_id=form_id, number=number).values_list("pk", flat=True).first()
    )
    if version_id is None:
        raise NotFound(FORM_NOT_FOUND)
    return _form_version_out(version_id)


@router.get("/form-versions/{int:version_id}", response=FormVersionOut, tags=["forms"],
            summary="Một phiên bản biểu mẫu")
def form_version_view(request: ApiRequest, version_id: Id):
    """Sections with their indicators and narrative fields, and the validation rules."""
    if not form_version_list(user=request.auth).filter(pk=version_id).exists():
        raise NotFound(FORM_NOT_FOUND)
    return _form_version_out(version_id)
