"""Bulk import and export through the API, ours and DHIS2's dataValueSets.

Imports are all or nothing: a file with any conflict answers 400 with the summary (every
conflict with its row and reason) in `extra`, and nothing is written. The DHIS2 endpoints answer
as DHIS2 does: an importSummary whose `status` is SUCCESS or ERROR (then nothing is written).
"""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.


from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile

from baocao.accounts.http import ApiRequest
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound
from baocao.exchange import dhis2
from baocao.exchange.bulk import bulk_import
from baocao.exchange.export import CONTENT_TYPES, EXTENSIONS, export_values
from baocao.exchange.formats import check_size, max_upload_bytes, read_file
from baocao.orgunits.scope import units_for_user
from baocao.reporting.selectors import regime_get_by_code, regime_period

router = Router(tags=["exchange"])


class ConflictOut(Schema):
    row: int
    reason: str
    unit: str
    code: str
    period: str


class ImportSummaryOut(Schema):
    imported: int
    updated: int
    unchanged: int
    ignored: int
    deleted: int
    conflicts: list[ConflictOut]
    dry_run: bool
    written: bool


class ImportIn(Schema):
    format: str = "auto"
    dry_run: bool = False
    strategy: str = "CREATE_AND_UPDATE"
    regime: str = ""


class ExportQuery(Schema):
    regime: str
    period: str
    unit: str = ""
    subtree: bool = False
    format: str = "csv"


class DataValueSetQuery(Schema):
    dataSet: str = ""  # noqa: N815 - DHIS2's parameter names
    dryRun: bool = False  # noqa: N815
    importStrategy: str = "CREATE_AND_UPDATE"  # noqa: N815


class DataValueSetExportQuery(Schema):
    dataSet: str  # noqa: N815
    period: str
    orgUnit: str = ""  # noqa: N815
    children: bool = False
    format: str = "json"


class DHIS2ImportCount(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class DHIS2Conflict(Schema):
    object: str
    value: str


class DHIS2ImportSummaryOut(Schema):
    responseType: str  # noqa: N815
    status: str
    description: str
    importCount: DHIS2ImportCount  # noqa: N815
    conflicts: list[DHIS2Conflict]
    dryRun: bool  # noqa: N815


_FILE_RESPONSE = {200: {"description": "Tệp số liệu (CSV, XLSX, JSON hoặc DHIS2)",
                        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}


@router.post("/exchange/import", response=ImportSummaryOut, summary="Nhập số liệu hàng loạt từ tệp")
def exchange_import_endpoint(request: ApiRequest, payload: Form[ImportIn], file: File[UploadedFile]):
    """CSV, XLSX, JSON or DHIS2 file; `dry_run` checks and counts without writing."""
    check_size(file.size or 0)
    parsed = read_file(file.read(), fmt=payload.format, filename=file.name or "")
    summary = bulk_import(rows=parsed.rows, acting_user=request.auth, dry_run=payload.dry_run,
                          strategy=payload.strategy, regime=payload.regime or None, first_row=parsed.first_row,
                          lines=parsed.lines)
    if summary.conflicts:
        raise AppError(f"Tệp có {len(summary.conflicts)} xung đột; chưa ghi gì.", summary.as_dict())
    return summary.as_dict()


def _unit(user, code: str):
    if not code:
        return None
    unit = units_for_user(user).filter(code=code.strip()).first()
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị «{code}» hoặc bạn không có quyền xem.", {"unit": code})
    return unit


def _file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"{name}.{EXTENSIONS[fmt]}")
    return response


@router.get("/exchange/export", summary="Xuất số liệu một kỳ", openapi_extra={"responses": _FILE_RESPONSE})
def exchange_export_endpoint(request: ApiRequest, filters: Query[ExportQuery]):
    """One unit (`unit`), its subtree (`subtree=true`) or everything in the user's scope."""
    regime = regime_get_by_code(user=request.auth, code=filters.regime.strip())
    rp = regime_period(regime, filters.period.strip())
    content = export_values(user=request.auth, regime=regime, period=rp.code, unit=_unit(request.auth, filters.unit),
                            subtree=filters.subtree, fmt=filters.format)
    return _file_response(content, filters.format, f"{regime.code}-{rp.code}")


def _body(request: HttpRequest) -> bytes:
    """The raw body, bounded by EXCHANGE_MAX_UPLOAD_BYTES rather than by Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB, meant for forms), which `request.body` enforces and
    which would turn any larger data file into a 500."""
    try:
        check_size(int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        pass  # no usable length: the read below is bounded anyway
    content = request.read(max_upload_bytes() + 1)
    check_size(len(content))
    return content


@router.post("/exchange/dataValueSets", response=DHIS2ImportSummaryOut, summary="Nhập dataValueSet (DHIS2)")
def data_value_sets_import_endpoint(request: ApiRequest, params: Query[DataValueSetQuery]):
    """DHIS2 JSON body (or CSV with Content-Type text/csv or application/csv); dataElement and
    orgUnit are codes. Conflicts give status ERROR and nothing is written."""
    content = _body(request)
    is_csv = request.content_type in ("text/csv", "application/csv")
    parsed = read_file(content, fmt="dhis2-csv" if is_csv else "dhis2-json")
    summary = bulk_import(rows=parsed.rows, acting_user=request.auth, dry_run=params.dryRun,
                          strategy=params.importStrategy, regime=params.dataSet or None, first_row=parsed.first_row,
                          lines=parsed.lines)
    return dhis2.import_summary(summary)


@router.get("/exchange/dataValueSets", summary="Xuất dataValueSet (DHIS2)",
            openapi_extra={"responses": _FILE_RESPONSE})
def data_value_sets_export_endpoint(request: ApiRequest, params: Query[DataValueSetExportQuery]):
    """`dataSet` is the regime code; `period` 202206, 2022Q2, 2022S1 or 2022; `children=true`
    includes the units under `orgUnit`. `format=csv` for DHIS2's CSV."""
    if params.format not in ("json", "csv"):
        raise AppError("Tham số format phải là json hoặc csv.", {"format": params.format})
    regime = regime_get_by_code(user=request.auth, code=params.dataSet.strip())
    try:
        period = dhis2.period_from_dhis2(params.period)
    except ValueError as exc:
        raise AppError(str(exc), {"period": params.period}) from None
    rp = regime_period(regime, period)
    fmt = f"dhis2-{params.format}"
    content = export_values(user=request.auth, regime=regime, period=rp.code,
                            unit=_unit(request.auth, params.orgUnit), subtree=params.children, fmt=fmt)
    return _file_response(content, fmt, f"{regime.code}-{rp.code}")



