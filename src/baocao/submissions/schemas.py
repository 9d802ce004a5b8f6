"""API shapes of units' reports (submissions) and of the receiving unit's monitor."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import AliasChoices

from baocao.core.api_types import CODE_PATTERN, Count, Id, InputSchema
from baocao.reporting.schemas import PeriodOut, UnitRef
from baocao.submissions.choices import SubmissionStatus, Timeliness

# A value as JSON sends it: numbers, text ("1.234,5" is read the Vietnamese way), yes/no, or
# null to clear. bool comes first so that true/false are not read as 1/0 numbers.
JsonValue = bool | int | float | str | None


class RegimeRef(Schema):
    id: int
    code: str
    name: str


class SubmissionFilters(InputSchema):
    regime: Id | None = Field(None, description="Mã số (id) chế độ báo cáo")
    period: str | None = Field(None, max_length=12, description="Mã kỳ, ví dụ 2022S1")
    unit: Id | None = Field(None, description="Mã số (id) đơn vị")
    status: SubmissionStatus | None = None


class SubmissionListOut(Schema):
    id: int
    regime: RegimeRef
    period: str
    unit: UnitRef
    status: SubmissionStatus
    status_label: str
    version: int
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class SubmissionCreateIn(InputSchema):
    regime: str = Field(..., min_length=1, max_length=40, pattern=CODE_PATTERN, description="Mã chế độ báo cáo, ví dụ BC-TTTT",
                        examples=["BC-TTTT"])
    period: str = Field(..., min_length=1, max_length=12, pattern=CODE_PATTERN, description="Mã kỳ, ví dụ 2022S2", examples=["2022S2"])
    unit: str | None = Field(None, max_length=40,
                             description="Mã đơn vị; bỏ trống thì là đơn vị của cán bộ báo cáo")


class ValueOut(Schema):
    value: JsonValue = Field(description="Số, văn bản, true/false (có/không) hoặc null (chưa nhập)")
    display: str = Field(description="Giá trị hiển thị theo cách viết Việt Nam, ví dụ 1.234,5")
    changed_version: int = Field(description="Phiên bản lưu lần cuối thay đổi giá trị này; 0 = chưa nhập")


class NarrativeOut(Schema):
    text: str
    changed_version: int


class IssueOut(Schema):
    code: str
    severity: str
    message: str
    indicators: list[str]


class SubmissionOut(Schema):
    id: int
    regime: RegimeRef
    unit: UnitRef
    form_version_id: int
    status: SubmissionStatus
    status_label: str
    version: int = Field(description="Phiên bản lưu hiện tại; gửi lại khi lưu nháp")
    period: PeriodOut
    days_left: int | None = Field(description="Số ngày còn lại đến hạn gửi (âm: đã quá hạn)")
    timeliness: Timeliness
    values: dict[str, ValueOut]
    narratives: dict[str, NarrativeOut]
    issues: list[IssueOut] = Field(description="Kết quả kiểm tra theo các quy tắc của biểu mẫu")
    missing: dict[str, str] = Field(description="Chỉ tiêu, nội dung bắt buộc chưa nhập")
    return_comment: str
    created_at: datetime
    updated_at: datetime
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    reviewed_at: datetime | None
    allowed_actions: list[str] = Field(description="Thao tác người dùng được làm lúc này: save, submit, return, approve")


class DraftIn(InputSchema):
    version: Count = Field(..., description="Phiên bản lưu mà bản sửa này bắt đầu từ đó")
    values: dict[str, JsonValue] = Field(default_factory=dict)
    narratives: dict[str, str] = Field(default_factory=dict)


class DraftOut(Schema):
    version: int
    changed: list[str]
    field_versions: dict[str, int]
    issues: list[IssueOut]
    missing: dict[str, str]


# Until the two schemas named CommentIn were told apart, the documentation showed both review
# endpoints reading {"text"}: that spelling is still read.
_COMMENT = AliasChoices("comment", "text")


class ReopenIn(InputSchema):
    reason: str = Field(..., max_length=5000, description="Lý do mở lại báo cáo đã duyệt: đơn vị cần sửa gì (bắt buộc)")


class ReminderIn(InputSchema):
    period: str = Field(..., min_length=1, max_length=12, pattern=CODE_PATTERN, description="Mã kỳ, ví dụ 2022S1", examples=["2022S1"])
    unit: Id = Field(..., description="Mã số (id) đơn vị được nhắc")


class ReminderOut(Schema):
    id: int
    regime: int
    period: str
    unit: int
    day: str = Field(description="Ngày nhắc (giờ Việt Nam), YYYY-MM-DD")
    sent_at: datetime


class ReturnIn(InputSchema):
    comment: str = Field(..., max_length=5000, validation_alias=_COMMENT,
                         description="Lý do trả lại: đơn vị cần sửa gì (bắt buộc)")


class ApproveIn(InputSchema):
    comment: str = Field("", max_length=5000, validation_alias=_COMMENT, description="Ý kiến khi duyệt (không bắt buộc)")


class ApproveManyIn(InputSchema):
    ids: list[Id] = Field(..., min_length=1, max_length=1000)


class ApproveManyOut(Schema):
    approved: int
    ids: list[int]


class HistoryOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor: str | None
    action: str
    action_label: str = Field(description="Thao tác, bằng lời")
    field: str = Field(description="Mã chỉ tiêu hoặc nội dung thuyết minh đã sửa (hoặc «status»)")
    field_label: str = Field(description="Tên chỉ tiêu theo phiên bản biểu mẫu của báo cáo; mã nếu biểu mẫu không còn")
    old: str = Field(description="Giá trị cũ như đã ghi")
    new: str = Field(description="Giá trị mới như đã ghi")
    comment: str
    text: str = Field(description="Thay đổi bằng lời, như trên trang báo cáo, ví dụ «sửa · Kiến nghị đã giải quyết: 5 → 2»")


class MonitorFilters(InputSchema):
    period: str = Field(..., max_length=12, description="Mã kỳ, ví dụ 2022S1", examples=["2022S1"])
    kind: str | None = Field(None, max_length=30, description="Loại đơn vị")
    group: Id | None = Field(None, description="Mã số (id) nhóm đơn vị")
    status: str | None = Field(None, max_length=20,
                               description="draft, submitted, returned, approved hoặc none (chưa lập)")
    timeliness: Timeliness | None = None
    q: str | None = Field(None, max_length=200, description="Tìm theo tên đơn vị (không phân biệt dấu)")


class MonitorSummaryOut(Schema):
    expected: int
    submitted: int
    approved: int
    on_time: int
    late: int
    missing: int
    completeness: float = Field(description="Tỷ lệ đơn vị đã gửi (%)")
    timeliness: float = Field(description="Tỷ lệ đơn vị gửi đúng hạn (%)")


class MonitorRowOut(Schema):
    unit: UnitRef
    unit_kind: str
    submission_id: int | None
    status: SubmissionStatus | None
    status_label: str
    submitted_at: datetime | None
    timeliness: Timeliness


class MonitorOut(Schema):
    regime: RegimeRef
    period: PeriodOut
    summary: MonitorSummaryOut
    rows: list[MonitorRowOut]
