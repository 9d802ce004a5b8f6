"""Consolidated reports (báo cáo tổng hợp): build from the units' approved reports, edit the text
of each part, recompute after late data, approve, download as DOCX/PDF/HTML/JSON; the year's
targets; and each regime's report outline.

Reads go through consolidation.selectors and the org scope (another department's report or unit
is 404); every state change is a service in consolidation.services, which checks roles (403),
frozen reports (400) and stale versions (409).
"""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from decimal import Decimal, InvalidOperation

from django.db.models import Max, OuterRef, Subquery
from django.http import HttpResponse
from ninja import Query, Router, Status
from ninja.pagination import paginate

from baocao.accounts.http import ApiRequest
from baocao.accounts.roles import can_review, has_receiver_scope
from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.exports import FORMATS, export_version
from baocao.consolidation.issuers import (
    PROFILE_FIELDS,
    issuer_profile_create,
    issuer_profile_delete,
    issuer_profile_update,
    issuer_profiles,
)
from baocao.consolidation.models import (
    ConsolidatedReport,
    IssuerProfile,
    ReportOutline,
    ReportVersion,
    Target,
)
from baocao.consolidation.schemas import (
    IssuerProfileIn,
    IssuerProfileOut,
    OutlineIn,
    OutlineOut,
    ReportApproveIn,
    ReportBuildIn,
    ReportDetailOut,
    ReportDocumentOut,
    ReportDocumentQuery,
    ReportDraftIn,
    ReportFilters,
    ReportListOut,
    ReportRecomputeIn,
    ReportRegroupIn,
    ReportReturnIn,
    ReportVersionOut,
    TargetFilters,
    TargetIn,
    TargetOut,
)
from baocao.consolidation.selectors import (
    outline_get,
    report_get_for_user,
    report_versions,
    reporting_unit_for_user,
    reports_for_user,
    target_list,
    version_get,
)
from baocao.consolidation.services import (
    consolidated_report_approve,
    consolidated_report_build,
    consolidated_report_recompute,
    consolidated_report_regroup,
    consolidated_report_return,
    consolidated_report_save,
    consolidated_report_send,
    part_texts,
    report_outline_update,
    target_set,
)
from baocao.consolidation.templates import (
    ASSESSMENT_TEMPLATES,
    PLACEHOLDERS_CLOSING,
    PLACEHOLDERS_INDICATOR,
    PLACEHOLDERS_INTRO,
    PLACEHOLDERS_NEXT_HEADING,
    PLACEHOLDERS_SUMMARY,
)
from baocao.core.api_types import BoundedPageNumberPagination, Id, Number
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound
from baocao.core.vietnamese import format_number, parse_number
from baocao.documents.decree30 import document_number
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import units_for_user
from baocao.reporting.schemas import json_number, unit_ref
from baocao.reporting.selectors import regime_get_by_code, regime_get_for_user, regime_period

router = Router(tags=["reports"])

VERSION_NOT_FOUND = "Không tìm thấy phiên bản này của báo cáo tổng hợp."
UNIT_NOT_FOUND = "Không tìm thấy đơn vị hoặc bạn không có quyền xem."
OUTLINE_FIELDS = tuple(name for name in OutlineIn.model_fields)


def _regime_ref(regime) -> dict:
    return {"id": regime.pk, "code": regime.code, "name": regime.name}


def _user_name(user) -> str | None:
    return user.display_name if user else None


def doc_number_label(number: int | None, outline: ReportOutline, report: ConsolidatedReport,
                     version: ReportVersion | None = None) -> str | None:
    """"05/BC-STTTT", as the document's "Số:" line writes it (the issuer's code of the version's letterhead)."""
    if number is None:
        return None
    code, type_code = outline.issuer_code or report.unit.code, outline.type_code or "BC"
    if version is not None:
        from baocao.consolidation.rendering import report_letterhead

        lh = report_letterhead(report=report, version=version, outline=outline)
        code, type_code = lh.issuer_code or code, lh.type_code or type_code
    text = document_number(number, type_code, code)
    return text.removeprefix("Số:").strip()


def _version_out(report: ConsolidatedReport, version: ReportVersion) -> dict:
    composed = version.composed or {}
    edits = version.edits or {}
    texts = {key: edits.get(key, text) for key, text in part_texts(composed).items()}
    label = doc_number_label(version.doc_number, outline_get(report.regime), report, version) if version.doc_number else None
    return {
        "report_id": report.pk,
        "number": version.number,
        "status": version.status,
        "status_label": version.get_status_display(),
        "composed": composed,
        "edits": edits,
        "changes": version.changes or [],
        "texts": texts,
        "note": version.note,
        "created_by": _user_name(version.created_by),
        "created_at": version.created_at,
        "approved_by": _user_name(version.approved_by),
        "approved_at": version.approved_at,
        "doc_number": version.doc_number,
        "doc_number_label": label,
        "issued_on": version.issued_on,
        "sent_by": _user_name(version.sent_by),
        "sent_at": version.sent_at,
        "return_comment": version.return_comment,
        "returned_by": _user_name(version.returned_by),
        "returned_at": version.returned_at,
        "outdated_at": version.outdated_at,
        "outdated_reason": version.outdated_reason,
    }


def _version_get(report: ConsolidatedReport, number: int) -> ReportVersion:
    if number < 1:
        raise NotFound(VERSION_NOT_FOUND)
    return version_get(report=report, number=number)


def _reload(user, report_id: int, number: int) -> dict:
    report = report_get_for_user(user=user, report_id=report_id)
    return _version_out(report, _version_get(report, number))


def _unit_in_scope(user, unit_id: Id) -> OrgUnit:
    unit = units_for_user(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound(UNIT_NOT_FOUND, {"unit": unit_id})
    return unit


@router.get("/reports", response=list[ReportListOut], summary="Danh sách báo cáo tổng hợp")
@paginate(BoundedPageNumberPagination)
def report_list(request: ApiRequest, filters: Query[ReportFilters]):
    """Reports of the user's unit and the units below it; admins see all."""
    approved = ReportVersion.objects.filter(report=OuterRef("pk"), status=VersionStatus.APPROVED)
    qs = reports_for_user(request.auth).annotate(
        latest_version=Max("versions__number"),
        approved_version=Subquery(approved.values("number")[:1]),
        doc_number=Subquery(approved.values("doc_number")[:1]),
    )
    if filters.regime is not None:
        qs = qs.filter(regime_id=filters.regime)
    if filters.period:
        qs = qs.filter(period=filters.period.strip().upper())
    if filters.unit is not None:
        qs = qs.filter(unit_id=filters.unit)
    return qs.order_by("-period", "regime__code", "unit__path")


@router.post("/reports/build", response={200: ReportVersionOut, 201: ReportVersionOut},
             summary="Lập (hoặc tính lại) báo cáo tổng hợp của một kỳ")
def report_build(request: ApiRequest, payload: ReportBuildIn):
    """Compose the report from the units' approved reports: 201 with version 1 when the report is
    new, 200 with a recomputed version (text edits kept) when it already existed."""
    user = request.auth
    regime = regime_get_by_code(user=user, code=payload.regime.strip())
    rp = regime_period(regime, payload.period.strip())
    unit = reporting_unit_for_user(user=user, code=payload.unit.strip(), on=rp.window_start, until=rp.window_end)
    existed = ConsolidatedReport.objects.filter(regime=regime, period=rp.code, unit=unit).exists()
    version = consolidated_report_build(regime=regime, period=rp.code, unit=unit, acting_user=user)
    return Status(200 if existed else 201, _reload(user, version.report_id, version.number))


@router.get("/reports/{int:report_id}", response=ReportDetailOut, summary="Một báo cáo tổng hợp và các phiên bản")
def report_detail(request: ApiRequest, report_id: Id):
    report = report_get_for_user(user=request.auth, report_id=report_id)
    versions = list(report_versions(report))
    approved = next((v for v in versions if v.status == VersionStatus.APPROVED), None)
    return {
        "id": report.pk,
        "regime": _regime_ref(report.regime),
        "period": report.period,
        "unit": unit_ref(report.unit),
        "status": VersionStatus.APPROVED if approved else VersionStatus.DRAFT,
        "approved_version": approved.number if approved else None,
        "doc_number": approved.doc_number if approved else None,
        "created_at": report.created_at,
        "versions": [
            {
                "number": v.number,
                "status": v.status,
                "status_label": v.get_status_display(),
                "created_by": _user_name(v.created_by),
                "created_at": v.created_at,
                "note": v.note,
                "changes": len(v.changes or []),
                "doc_number": v.doc_number,
                "issued_on": v.issued_on,
            }
            for v in versions
        ],
    }


@router.get("/reports/{int:report_id}/versions/{int:number}", response=ReportVersionOut,
            summary="Một phiên bản của báo cáo tổng hợp")
def report_version_detail(request: ApiRequest, report_id: Id, number: Number):
    return _reload(request.auth, report_id, number)


@router.put("/reports/{int:report_id}/draft", response=ReportVersionOut, summary="Lưu nội dung đã sửa")
def report_draft_save(request: ApiRequest, report_id: Id, payload: ReportDraftIn):
    """Save edited texts of some parts as a new version. `base_version` is the version the
    client edited: when someone saved a newer one since, 409 and nothing is saved. A text equal
    to the composed one drops the edit; nothing changed returns the same version."""
    user = request.auth
    report = report_get_for_user(user=user, report_id=report_id)
    version = consolidated_report_save(report=report, acting_user=user, base_version=payload.base_version,
                                       edits=payload.edits)
    return _reload(user, report_id, version.number)


@router.post("/reports/{int:report_id}/recompute", response=ReportVersionOut,
             summary="Tính lại số liệu từ các báo cáo đã duyệt")
def report_recompute(request: ApiRequest, report_id: Id, payload: ReportRecomputeIn | None = None):
    """A new version with fresh figures and the text edits kept; `changes` lists what changed."""
    user = request.auth
    report = report_get_for_user(user=user, report_id=report_id)
    version = consolidated_report_recompute(report=report, acting_user=user,
                                            base_version=payload.base_version if payload else None)
    return _reload(user, report_id, version.number)


@router.post("/reports/{int:report_id}/regroup", response=ReportVersionOut,
             summary="Tách, gộp nhóm câu của các đơn vị trong một phần")
def report_regroup(request: ApiRequest, report_id: Id, payload: ReportRegroupIn):
    """A new version whose part is written from the new groups; 409 when `base_version` is not the
    latest, 400 when the part has no units' texts or the choice does not make a new grouping."""
    user = request.auth
    report = report_get_for_user(user=user, report_id=report_id)
    version = consolidated_report_regroup(report=report, acting_user=user, base_version=payload.base_version,
                                          part=payload.part, split=payload.split,
                                          merge=payload.merge if payload.split is None else ())
    return _reload(user, report_id, version.number)


@router.post("/reports/{int:report_id}/versions/{int:number}/approve", response=ReportVersionOut,
             summary="Phê duyệt một phiên bản")
def report_approve(request: ApiRequest, report_id: Id, number: Number, payload: ReportApproveIn | None = None):
    """The leader approves one version: it is frozen with its figures and numbered from the
    unit's register of the issue year."""
    user = request.auth
    report = report_get_for_user(user=user, report_id=report_id)
    version = _version_get(report, number)
    consolidated_report_approve(version=version, acting_user=user, issued_on=payload.issued_on if payload else None)
    return _reload(user, report_id, number)


@router.post("/reports/{int:report_id}/versions/{int:number}/send", response=ReportVersionOut,
             summary="Trình lãnh đạo phê duyệt")
def report_send(request: ApiRequest, report_id: Id, number: Number):
    """The compiler sends the latest version to the leaders of the report's unit for approval;
    it waits (pending) and is not edited until approved or returned."""
    user = request.auth
    report = report_get_for_user(user=user, report_id=report_id)
    consolidated_report_send(version=_version_get(report, number), acting_user=user)
    return _reload(user, report_id, number)


@router.post("/reports/{int:report_id}/versions/{int:number}/return", response=ReportVersionOut,
             summary="Trả lại cho chuyên viên tổng hợp")
def report_return(request: ApiRequest, report_id: Id, number: Number, payload: ReportReturnIn):
    """The leader returns a pending version to the compiler with a comment (required)."""
    user = request.auth
    report = report_get_for_user(user=user, report_id=report_id)
    consolidated_report_return(version=_version_get(report, number), acting_user=user, comment=payload.comment)
    return _reload(user, report_id, number)


# format=json is described by `response` (ReportDocumentOut, application/json); the files here.
_DOCUMENT_RESPONSES = {
    200: {
        "description": "Tệp báo cáo theo định dạng yêu cầu (format=json: nội dung báo cáo dạng JSON)",
        "content": {content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                    for fmt, (content_type, _) in FORMATS.items() if fmt != "json"},
    },
}


@router.get("/reports/{int:report_id}/versions/{int:number}/document", summary="Tải báo cáo (DOCX, PDF, HTML, JSON)",
            response={200: ReportDocumentOut}, openapi_extra={"responses": _DOCUMENT_RESPONSES})
def report_document(request: ApiRequest, report_id: Id, number: Number, query: Query[ReportDocumentQuery]):
    """The version as an official document (Decree 30/2020 layout) or as JSON (answered as the file
    the other formats are, `Content-Disposition: attachment`, and shaped as ReportDocumentOut)."""
    report = report_get_for_user(user=request.auth, report_id=report_id)
    version = _version_get(report, number)
    content, content_type, filename = export_version(report=report, version=version, fmt=query.format.value)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def _target_out(target: Target | None, code: str) -> dict:
    if target is None:
        return {"indicator_code": code, "value": None, "display": "", "note": ""}
    return {"indicator_code": target.indicator_code, "value": json_number(target.value),
            "display": format_number(target.value), "note": target.note}


def _target_value(value) -> Decimal | None:
    """A target as JSON sends it: a number, Vietnamese text ("12,5", "1.234"), or null/"" to clear."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise AppError("Giá trị kế hoạch phải là số.", {"fields": {"value": "Phải là số"}})
    try:
        number = parse_number(value) if isinstance(value, str) else Decimal(str(value))
    except (ValueError, InvalidOperation) as exc:
        message = str(exc) if isinstance(exc, ValueError) else f"Giá trị «{value}» không phải là số."
        raise AppError(message, {"fields": {"value": message}}) from None
    if not number.is_finite():
        raise AppError("Giá trị kế hoạch phải là số.", {"fields": {"value": "Phải là số"}})
    return number


@router.get("/targets", response=list[TargetOut], summary="Chỉ tiêu kế hoạch của một đơn vị trong năm")
def target_list_endpoint(request: ApiRequest, filters: Query[TargetFilters]):
    targets = target_list(user=request.auth, unit_id=filters.unit, year=filters.year)
    return [_target_out(t, t.indicator_code) for t in targets]


@router.put("/targets", response=TargetOut, summary="Đặt (hoặc xóa) chỉ tiêu kế hoạch")
def target_put(request: ApiRequest, payload: TargetIn):
    """Set the year's planned value of one indicator for a unit; `value: null` clears it."""
    user = request.auth
    unit = _unit_in_scope(user, payload.unit)
    target = target_set(acting_user=user, unit=unit, year=payload.year, indicator_code=payload.indicator_code,
                        value=_target_value(payload.value), note=payload.note.strip())
    return _target_out(target, payload.indicator_code.strip())


def _outline_out(regime, outline: ReportOutline) -> dict:
    data = {name: getattr(outline, name) for name in OUTLINE_FIELDS}
    data.update({
        "regime": _regime_ref(regime),
        "saved": outline.pk is not None,
        "placeholders": {
            "summary": sorted(PLACEHOLDERS_SUMMARY),
            "intro": sorted(PLACEHOLDERS_INTRO),
            "indicator": sorted(PLACEHOLDERS_INDICATOR),
            "closing": sorted(PLACEHOLDERS_CLOSING),
            "next_heading": sorted(PLACEHOLDERS_NEXT_HEADING),
            **{f"assessment:{key}": sorted(allowed) for key, (_, allowed) in ASSESSMENT_TEMPLATES.items()},
        },
        "assessment_defaults": {key: text for key, (text, _) in ASSESSMENT_TEMPLATES.items()},
    })
    return data


def _regime_for_outline(user, regime_id: int):
    if not (can_review(user) or has_receiver_scope(user)):
        raise NotFound("Không tìm thấy chế độ báo cáo.")
    return regime_get_for_user(user=user, regime_id=regime_id)


@router.get("/regimes/{int:regime_id}/outline", response=OutlineOut, summary="Đề cương báo cáo tổng hợp")
def outline_detail(request: ApiRequest, regime_id: Id):
    """The outline the regime's consolidated report follows (a default one until the admin saves it)."""
    regime = _regime_for_outline(request.auth, regime_id)
    return _outline_out(regime, outline_get(regime))


@router.put("/regimes/{int:regime_id}/outline", response=OutlineOut, summary="Sửa đề cương báo cáo tổng hợp")
def outline_update(request: ApiRequest, regime_id: Id, payload: OutlineIn):
    """Admins only. Fields left out keep their value; a template with an unknown placeholder,
    an unknown part or indicator is refused (400) with a message naming it."""
    user = request.auth
    regime = _regime_for_outline(user, regime_id)
    fields = payload.dict(exclude_unset=True, exclude_none=True)
    outline = report_outline_update(acting_user=user, regime=regime, **fields)
    return _outline_out(regime, outline)


# ---------------------------------------------------------------------------
# Issuer profiles (the issuing unit's dated letterhead; admins write)


def _profile_out(profile) -> dict:
    data = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    data.update({"id": profile.pk, "unit": profile.unit_id, "recipients": list(profile.recipients or [])})
    return data


def _profile_in_scope(user, profile_id: int):
    profile = IssuerProfile.objects.filter(pk=profile_id, unit__in=units_for_user(user)).first()
    if profile is None:
        raise NotFound("Không tìm thấy thông tin cơ quan ban hành.", {"profile": profile_id})
    return profile


@router.get("/units/{int:unit_id}/issuer-profiles", response=list[IssuerProfileOut],
            summary="Thông tin cơ quan ban hành của đơn vị, theo thời gian")
def issuer_profile_list(request: ApiRequest, unit_id: Id):
    unit = _unit_in_scope(request.auth, unit_id)
    return [_profile_out(p) for p in issuer_profiles(unit)]


@router.post("/units/{int:unit_id}/issuer-profiles", response={201: IssuerProfileOut},
             summary="Thêm thông tin cơ quan ban hành")
def issuer_profile_add(request: ApiRequest, unit_id: Id, payload: IssuerProfileIn):
    """Admins only. A period overlapping another profile of the unit is refused (400)."""
    user = request.auth
    unit = _unit_in_scope(user, unit_id)
    profile = issuer_profile_create(acting_user=user, unit=unit, **payload.dict(exclude_unset=True))
    return Status(201, _profile_out(profile))


@router.put("/issuer-profiles/{int:profile_id}", response=IssuerProfileOut,
            summary="Sửa thông tin cơ quan ban hành")
def issuer_profile_put(request: ApiRequest, profile_id: Id, payload: IssuerProfileIn):
    user = request.auth
    profile = _profile_in_scope(user, profile_id)
    profile = issuer_profile_update(acting_user=user, profile=profile, **payload.dict(exclude_unset=True))
    return _profile_out(profile)


@router.delete("/issuer-profiles/{int:profile_id}", response={204: None}, summary="Xóa thông tin cơ quan ban hành")
def issuer_profile_del(request: ApiRequest, profile_id: Id):
    user = request.auth
    issuer_profile_delete(acting_user=user, profile=_profile_in_scope(user, profile_id))
    return Status(204, None)
