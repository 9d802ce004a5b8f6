"""Bulk import and export through the API, ours and DHIS2's dataValueSets.

Imports are all or nothing: a file with any conflict answers 400 with the summary (every
conflict with its row and reason) in `extra`, and nothing is written. The DHIS2 endpoints answer
as DHIS2 does: an importSummary whose `status` is SUCCESS or ERROR (then nothing is written).
"""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.


from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema

from baocao.accounts.http import ApiRequest
from baocao.core.api_types import InputSchema, UploadedData
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound
from baocao.exchange import dhis2
from baocao.exchange.bulk import bulk_import
from baocao.exchange.export import CONTENT_TYPES, EXTENSIONS, export_values
from baocao.exchange.formats import FORMATS, READ_FORMATS, check_size, max_upload_bytes, read_file
from baocao.exchange.rows import STRATEGIES
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.scope import units_for_user
from baocao.reporting.selectors import RegimePeriod, regime_get_by_code, regime_period

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


def _one_of(values) -> dict:
    """The values a text parameter takes, for the schema; others are refused by the service with a
    message naming them (400), not by validation."""
    return {"enum": list(values)}


class ImportIn(InputSchema):
    format: str = Field("auto", max_length=20, json_schema_extra=_one_of(READ_FORMATS))
    dry_run: bool = False
    strategy: str = Field("CREATE_AND_UPDATE", max_length=40, json_schema_extra=_one_of(STRATEGIES))
    regime: str = Field("", max_length=40, description="Mã chế độ báo cáo; bỏ trống: theo từng dòng của tệp",
                        examples=["BC-TTTT"])


class ExportQuery(InputSchema):
    regime: str = Field(..., max_length=40, description="Mã chế độ báo cáo", examples=["BC-TTTT"])
    period: str = Field(..., max_length=12, description="Mã kỳ", examples=["2022S1"])
    unit: str = Field("", max_length=40, description="Mã đơn vị; bỏ trống: mọi đơn vị được xem", examples=["STTTT"])
    subtree: bool = False
    format: str = Field("csv", max_length=20, json_schema_extra=_one_of(FORMATS))


class DataValueSetQuery(InputSchema):
    dataSet: str = Field("", max_length=40, examples=["BC-TTTT"])  # noqa: N815 - DHIS2's parameter names
    dryRun: bool = False  # noqa: N815
    importStrategy: str = Field("CREATE_AND_UPDATE", max_length=40,  # noqa: N815
                                json_schema_extra=_one_of(STRATEGIES))


class DataValueSetExportQuery(InputSchema):
    dataSet: str = Field(..., max_length=40, examples=["BC-TTTT"])  # noqa: N815
    period: str = Field(..., max_length=12, description="202206, 2022Q2, 2022S1 hoặc 2022", examples=["2022S1"])
    orgUnit: str = Field("", max_length=40, examples=["STTTT"])  # noqa: N815
    children: bool = False
    format: str = Field("json", max_length=20, json_schema_extra=_one_of(("json", "csv")))


class ExportRowOut(Schema):
    regime: str
    period: str
    unit: str
    code: str
    value: str = Field(description="Số viết kiểu máy (1234.5) hoặc văn bản")


class DataValueOut(Schema):
    dataElement: str  # noqa: N815
    orgUnit: str  # noqa: N815
    value: str
    comment: str | None = None


class DataValueSetOut(Schema):
    dataSet: str  # noqa: N815
    period: str = Field(description="Kỳ theo cách viết của DHIS2, ví dụ 2022S1, 202206")
    dataValues: list[DataValueOut]  # noqa: N815


class DataValueIn(InputSchema):
    dataElement: str  # noqa: N815
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    value: str | float | bool | None = None
    comment: str | None = None


class DataValueSetIn(InputSchema):
    """DHIS2's dataValueSet; `period` and `orgUnit` of the set apply to values that have none."""

    dataSet: str | None = None  # noqa: N815
    period: str | None = None
    orgUnit: str | None = None  # noqa: N815
    dataValues: list[DataValueIn]  # noqa: N815


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


def _binary(content_types) -> dict:
    return {content_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}} for content_type in content_types}


# JSON answers are described by `response=`; the files here.
_EXPORT_FILES = {200: {"description": "Tệp số liệu: CSV, XLSX, JSON (danh sách dòng) hoặc DHIS2 (JSON, CSV)",
                       "content": _binary((CONTENT_TYPES["csv"], CONTENT_TYPES["xlsx"]))}}
_DHIS2_FILES = {200: {"description": "dataValueSet (JSON) hoặc DHIS2 CSV", "content": _binary((CONTENT_TYPES["dhis2-csv"],))}}
_DHIS2_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": DataValueSetIn.model_json_schema(ref_template="#/components/schemas/{model}")},
        "text/csv": {"schema": {"type": "string", "description": "DHIS2 CSV: dataelement, period, orgunit, …"}},
        "application/csv": {"schema": {"type": "string"}},
    },
}


@router.post("/exchange/import", response=ImportSummaryOut, summary="Nhập số liệu hàng loạt từ tệp")
def exchange_import_endpoint(request: ApiRequest, payload: Form[ImportIn], file: File[UploadedData]):
    """CSV, XLSX, JSON or DHIS2 file; `dry_run` checks and counts without writing."""
    check_size(file.size or 0)
    parsed = read_file(file.read(), fmt=payload.format, filename=file.name or "")
    summary = bulk_import(rows=parsed.rows, acting_user=request.auth, dry_run=payload.dry_run,
                          strategy=payload.strategy, regime=payload.regime or None, first_row=parsed.first_row,
                          lines=parsed.lines)
    if summary.conflicts:
        raise AppError(f"Tệp có {len(summary.conflicts)} xung đột; chưa ghi gì.", summary.as_dict())
    return summary.as_dict()


def _unit(user, code: str, rp: RegimePeriod):
    if not code:
        return None
    unit = unit_by_code(code, on=rp.window_start, until=rp.window_end, queryset=units_for_user(user))
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị «{code}» hoặc bạn không có quyền xem.", {"unit": code})
    return unit


def _file_response(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition(f"{name}.{EXTENSIONS[fmt]}")
    return response


@router.get("/exchange/export", response={200: list[ExportRowOut] | DataValueSetOut}, summary="Xuất số liệu một kỳ",
            openapi_extra={"responses": _EXPORT_FILES})
def exchange_export_endpoint(request: ApiRequest, filters: Query[ExportQuery]):
    """One unit (`unit`), its subtree (`subtree=true`) or everything in the user's scope."""
    regime = regime_get_by_code(user=request.auth, code=filters.regime.strip())
    rp = regime_period(regime, filters.period.strip())
    content = export_values(user=request.auth, regime=regime, period=rp.code, unit=_unit(request.auth, filters.unit, rp),
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


@router.post("/exchange/dataValueSets", response=DHIS2ImportSummaryOut, summary="Nhập dataValueSet (DHIS2)",
             openapi_extra={"requestBody": _DHIS2_BODY})
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


@router.get("/exchange/dataValueSets", response={200: DataValueSetOut}, summary="Xuất dataValueSet (DHIS2)",
            openapi_extra={"responses": _DHIS2_FILES})
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
                            unit=_unit(request.auth, params.orgUnit, rp), subtree=params.children, fmt=fmt)
    return _file_response(content, fmt, f"{regime.code}-{rp.code}")



