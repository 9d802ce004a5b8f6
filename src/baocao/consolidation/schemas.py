"""API shapes of consolidated reports, their versions, targets and report outlines."""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from ninja import Field, Schema

from baocao.consolidation.choices import NextPeriodMode, VersionStatus
from baocao.core.api_types import CODE_PATTERN, Id, InputSchema, IsoDate, Number, SmallInt, Year
from baocao.reporting.schemas import UnitRef
from baocao.submissions.schemas import RegimeRef


class ReportFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"
    JSON = "json"


class ReportFilters(InputSchema):
    regime: Id | None = Field(None, description="Mã số (id) chế độ báo cáo")
    period: str | None = Field(None, max_length=12, description="Mã kỳ, ví dụ 2022S1")
    unit: Id | None = Field(None, description="Mã số (id) đơn vị tổng hợp")


class ReportListOut(Schema):
    id: int
    regime: RegimeRef
    period: str
    unit: UnitRef
    latest_version: int | None = Field(description="Số phiên bản mới nhất")
    status: VersionStatus = Field(description="approved khi đã có phiên bản được phê duyệt, ngược lại draft")
    approved_version: int | None
    doc_number: int | None = Field(description="Số văn bản của phiên bản đã phê duyệt")
    created_at: datetime

    @staticmethod
    def resolve_status(obj) -> str:
        return VersionStatus.APPROVED if obj.approved_version else VersionStatus.DRAFT


class ReportBuildIn(InputSchema):
    regime: str = Field(..., min_length=1, max_length=40, pattern=CODE_PATTERN, description="Mã chế độ báo cáo, ví dụ BC-TTTT",
                        examples=["BC-TTTT"])
    period: str = Field(..., min_length=1, max_length=12, pattern=CODE_PATTERN, description="Mã kỳ, ví dụ 2022S1", examples=["2022S1"])
    unit: str = Field(..., min_length=1, max_length=40, pattern=CODE_PATTERN, description="Mã đơn vị tổng hợp, ví dụ STTTT",
                      examples=["STTTT"])


class ReportVersionSummaryOut(Schema):
    number: int
    status: VersionStatus
    status_label: str
    created_by: str | None
    created_at: datetime
    note: str
    changes: int = Field(description="Số thay đổi so với phiên bản trước khi tính lại")
    doc_number: int | None
    issued_on: date | None


class ReportDetailOut(Schema):
    id: int
    regime: RegimeRef
    period: str
    unit: UnitRef
    status: VersionStatus
    approved_version: int | None
    doc_number: int | None
    created_at: datetime
    versions: list[ReportVersionSummaryOut] = Field(description="Các phiên bản, mới nhất trước")


class ReportVersionOut(Schema):
    report_id: int
    number: int
    status: VersionStatus
    status_label: str
    composed: dict[str, Any] = Field(description="Nội dung tổng hợp: các phần, số liệu, so sánh, nguồn")
    edits: dict[str, str] = Field(description="Nội dung chuyên viên đã sửa, theo mã phần")
    changes: list[dict[str, Any]] = Field(description="Số liệu, nội dung thay đổi khi tính lại")
    texts: dict[str, str] = Field(description="Nội dung hiện hành của mỗi phần (bản đã sửa hoặc bản tổng hợp)")
    note: str
    created_by: str | None
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    doc_number: int | None
    doc_number_label: str | None = Field(description="Số, ký hiệu văn bản, ví dụ 05/BC-STTTT")
    issued_on: date | None
    sent_by: str | None = Field(None, description="Chuyên viên trình lãnh đạo phê duyệt")
    sent_at: datetime | None = None
    return_comment: str = Field("", description="Ý kiến của lãnh đạo khi trả lại")
    returned_by: str | None = None
    returned_at: datetime | None = None
    outdated_at: datetime | None = Field(None, description="Từ lúc số liệu không còn khớp (báo cáo đơn vị được mở lại)")
    outdated_reason: str = ""


class ReportDraftIn(InputSchema):
    base_version: Number = Field(..., description="Phiên bản mà bản sửa này bắt đầu từ đó")
    edits: dict[str, str] = Field(..., description="Nội dung mới theo mã phần, ví dụ {\"section:I\": \"...\"}")


class ReportRecomputeIn(InputSchema):
    base_version: Number | None = Field(None, description="Phiên bản đang xem; khác bản mới nhất thì 409")


class ReportRegroupIn(InputSchema):
    """Split one sentence out of its group, or merge groups, in one part. Sentence and group numbers
    are positions in the version's `composed.parts[].grouping` (`sentences`, `groups`)."""

    base_version: Number = Field(..., description="Phiên bản đang xem; khác bản mới nhất thì 409")
    part: str = Field(..., max_length=100, description="Mã phần, ví dụ section:V")
    split: int | None = Field(None, ge=0, le=1_000_000, description="Số thứ tự câu cần tách thành nhóm riêng")
    merge: list[Annotated[int, Field(ge=0, le=1_000_000)]] = Field(
        default_factory=list, max_length=1000, description="Số thứ tự các nhóm cần gộp (ít nhất hai)")


class ReportReturnIn(InputSchema):
    comment: str = Field(..., max_length=5000, description="Ý kiến của lãnh đạo: cần sửa gì")


class ReportApproveIn(InputSchema):
    issued_on: IsoDate | None = Field(None, description="Ngày ban hành; bỏ trống là hôm nay")


class ReportPartOut(Schema):
    key: str = Field(description="Mã phần, ví dụ section:I")
    number: str = Field("", description="Số thứ tự La Mã của phần; rỗng khi phần không có tiêu đề")
    heading: str
    figures: list[dict[str, Any]] = Field(default_factory=list, description="Số liệu tổng hợp của phần")
    table: dict[str, Any] | None = Field(None, description="Bảng số liệu theo đơn vị")
    narrative: list[str] = Field(default_factory=list, description="Các đoạn văn")
    chart: dict[str, Any] | None = None
    cases: list[dict[str, Any]] = Field(default_factory=list, description="Vụ việc của sổ vụ việc được tính")
    subheadings: list[str] = Field(default_factory=list,
                                   description="Các đoạn là tiêu đề mục con, ví dụ «1. Ưu điểm»")


class ReportDocumentOut(Schema):
    """`?format=json`: the composed report with the version's edits, number, status, document number."""

    parts: list[ReportPartOut]
    meta: dict[str, Any] = Field(description="Kỳ, đơn vị, chế độ báo cáo và nguồn số liệu")
    edits: dict[str, str] = Field(description="Nội dung chuyên viên đã sửa, theo mã phần")
    version: int
    status: VersionStatus
    doc_number: int | None


class ReportDocumentQuery(InputSchema):
    format: ReportFormat = Field(ReportFormat.DOCX, description="docx, pdf, html hoặc json")


class TargetFilters(InputSchema):
    unit: Id = Field(..., description="Mã số (id) đơn vị")
    year: Year


class TargetOut(Schema):
    indicator_code: str
    value: int | float | None = Field(description="Giá trị kế hoạch; null khi đã xóa")
    display: str = Field(description="Giá trị theo cách viết Việt Nam, ví dụ 12,5")
    note: str


class TargetIn(InputSchema):
    unit: Id = Field(..., description="Mã số (id) đơn vị")
    year: SmallInt = Field(..., description="Năm (1900–2999)")
    indicator_code: str = Field(..., min_length=1, max_length=60, pattern=CODE_PATTERN)
    # bool first so that true/false are refused rather than read as 1/0; "12,5" is read the
    # Vietnamese way; null clears the target.
    value: bool | str | int | float | None = Field(..., description="Số, hoặc văn bản kiểu «12,5»; null để xóa")
    note: str = Field("", max_length=300)


class OutlineFields(Schema):
    summary_template: str
    next_period_mode: NextPeriodMode
    intro_template: str
    indicator_template: str
    indicator_templates: dict[str, str]
    assessment_templates: dict[str, str]
    next_heading_template: str
    closing_template: str
    grouping_rules: dict[str, Any]
    parts: list[str]
    headings: dict[str, str]
    key_indicators: dict[str, list[str]]
    parent_body: str
    issuer_name: str
    issuer_code: str
    type_code: str
    place: str
    recipients: list[str]
    archive: str
    signer_authority: str
    signer_title: str
    signer_name: str


class OutlineOut(OutlineFields):
    regime: RegimeRef
    saved: bool = Field(description="false: đề cương mặc định, chưa lưu")
    placeholders: dict[str, list[str]] = Field(description="Trường dùng được trong từng loại mẫu câu")
    assessment_defaults: dict[str, str] = Field(
        description="Mẫu câu mặc định của phần đánh giá chung theo mã câu (dùng khi assessment_templates không ghi)")


class OutlineIn(InputSchema):
    """Only the fields sent are changed."""

    summary_template: str | None = Field(None, max_length=500)
    next_period_mode: NextPeriodMode | None = Field(
        None, description="Trích yếu và đoạn kết nói đến phương hướng, nhiệm vụ kỳ tới: auto (báo cáo 6 tháng đầu "
                          "năm và báo cáo năm), always, never")
    intro_template: str | None = Field(None, max_length=20000)
    indicator_template: str | None = Field(None, max_length=5000)
    indicator_templates: dict[str, str] | None = None
    assessment_templates: dict[str, str] | None = Field(
        None, description="Mẫu câu phần đánh giá chung theo mã câu; mã không ghi dùng mẫu mặc định, mẫu rỗng bỏ câu")
    next_heading_template: str | None = Field(None, max_length=300)
    closing_template: str | None = Field(None, max_length=5000)
    grouping_rules: dict[str, Any] | None = Field(
        None, description="Ghi đè cách gộp câu của các đơn vị (similarity, most_share, most_min_units, "
                          "max_exceptions, max_listed, level_words, kind_collectives, self_words, subject_tags)")
    parts: list[str] | None = None
    headings: dict[str, str] | None = None
    key_indicators: dict[str, list[str]] | None = None
    parent_body: str | None = Field(None, max_length=200)
    issuer_name: str | None = Field(None, max_length=200)
    issuer_code: str | None = Field(None, max_length=30)
    type_code: str | None = Field(None, min_length=1, max_length=10, pattern=CODE_PATTERN)
    place: str | None = Field(None, max_length=100)
    recipients: list[str] | None = None
    archive: str | None = Field(None, max_length=100)
    signer_authority: str | None = Field(None, max_length=60)
    signer_title: str | None = Field(None, max_length=60)
    signer_name: str | None = Field(None, max_length=100)


class IssuerProfileOut(Schema):
    id: int
    unit: int
    valid_from: date
    valid_to: date | None
    parent_body: str = Field(description="Cơ quan chủ quản, ví dụ UBND TỈNH THÁI NGUYÊN")
    agency_name: str = Field(description="Tên cơ quan ban hành, ví dụ SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    agency_code: str = Field(description="Ký hiệu cơ quan trong số văn bản, ví dụ SKHCN")
    place_name: str = Field(description="Địa danh của dòng ngày tháng, ví dụ Thái Nguyên")
    signer_authority: str
    signer_title: str
    recipients: list[str]
    archive: str


class IssuerProfileIn(InputSchema):
    """Dates as YYYY-MM-DD; on PUT only the fields sent are changed (valid_to: null = still valid)."""

    valid_from: str | None = Field(None, max_length=10)
    valid_to: str | None = Field(None, max_length=10)
    parent_body: str | None = Field(None, max_length=200)
    agency_name: str | None = Field(None, max_length=200)
    agency_code: str | None = Field(None, max_length=30)
    place_name: str | None = Field(None, max_length=100)
    signer_authority: str | None = Field(None, max_length=60)
    signer_title: str | None = Field(None, max_length=60)
    recipients: list[str] | None = None
    archive: str | None = Field(None, max_length=100)
