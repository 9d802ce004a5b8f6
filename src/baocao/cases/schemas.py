"""API shapes of the case register."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from baocao.cases.choices import CaseKind, CaseStatus, Channel
from baocao.core.api_types import Id, InputSchema, Int, IsoDate, Money, SmallInt
from baocao.reporting.schemas import UnitRef
from baocao.work.schemas import SectorRef

DeadlineStatus = Literal["ok", "due_soon", "overdue", "done_on_time", "done_late"]


class PersonRef(Schema):
    id: int
    name: str


class CaseFilters(InputSchema):
    kind: CaseKind | None = None
    status: CaseStatus | None = None
    sector: Id | None = Field(None, description="Mã số (id) lĩnh vực")
    officer: Id | None = Field(None, description="Mã số (id) cán bộ thụ lý")
    view: Literal["due3", "overdue"] | None = Field(
        None, description="due3: hạn thụ lý hoặc giải quyết trong 3 ngày làm việc; overdue: quá hạn")
    q: str | None = Field(None, max_length=200, description=(
        "Tìm theo số hồ sơ, đối tượng, nội dung (không dấu); tên, liên hệ người gửi chỉ với vai trò thanh tra"))


class DeadlineOut(Schema):
    step: Literal["acceptance", "resolution"]
    label: str
    deadline: date | None
    status: DeadlineStatus | None = Field(description="Tình trạng so với hạn; null khi không có hạn")
    status_label: str


class CaseListOut(Schema):
    id: int
    kind: CaseKind
    kind_label: str
    complaint_round: int
    code: str
    received_on: date
    channel: Channel
    submitter_name: str | None = Field(description=(
        "Người gửi; null với đơn tố cáo khi người dùng không phải thanh tra (bảo mật người tố cáo)"))
    submitter_contact: str | None
    identity_hidden: bool = Field(description="Thông tin người tố cáo được giữ bí mật với người dùng này")
    subject_org: str
    sector: SectorRef | None
    summary: str
    owner: UnitRef
    assigned_unit: UnitRef | None
    officer: PersonRef | None
    is_complex: bool
    is_remote: bool
    accepted_on: date | None
    status: CaseStatus
    status_label: str
    deadlines: list[DeadlineOut]
    current_deadline: date | None = Field(description="Hạn của bước đang chờ (thụ lý hoặc giải quyết)")
    resolved_on: date | None
    note: str


class ExtensionOut(Schema):
    id: int
    decision_number: str
    decided_on: date
    days: int
    reason: str


class AttachmentOut(Schema):
    id: int
    title: str
    uploaded_at: datetime


class CaseOut(CaseListOut):
    conclusion: str
    sanction_decisions: int
    sanction_amount: int = Field(description="Số tiền xử phạt (đồng)")
    corrective_measures: str
    extensions: list[ExtensionOut]
    attachments: list[AttachmentOut] | None = Field(
        description="Tài liệu; null với đơn tố cáo khi người dùng không phải thanh tra")
    created_by: str
    created_at: datetime
    allowed_actions: list[str] = Field(
        description="Thao tác người dùng được làm: update, accept, refuse, forward, extend, resolve, attach")


class CaseCreateIn(InputSchema):
    kind: CaseKind
    complaint_round: SmallInt = Field(1, description="Lần khiếu nại: 1 hoặc 2 (chỉ với khiếu nại)")
    received_on: IsoDate = Field(..., description="Ngày nhận đơn hoặc ngày bắt đầu cuộc thanh tra, kiểm tra")
    channel: Channel = Channel.DIRECT
    owner: Id | None = Field(None, description="Đơn vị quản lý; bỏ trống là đơn vị của người dùng")
    code: str = Field("", max_length=200)
    submitter_name: str = Field("", max_length=1000)
    submitter_contact: str = Field("", max_length=1000)
    subject_org: str = Field("", max_length=1000)
    sector: Id | None = None
    summary: str = Field(..., max_length=20000)
    assigned_unit: Id | None = None
    officer: Id | None = Field(None, description="Mã số (id) người dùng là cán bộ thụ lý")
    is_complex: bool = False
    is_remote: bool = False
    note: str = Field("", max_length=1000)


class AcceptIn(InputSchema):
    accepted_on: IsoDate


class ExtendIn(InputSchema):
    decision_number: str = Field("", max_length=200, description="Số quyết định gia hạn (bắt buộc)")
    decided_on: IsoDate
    days: SmallInt = Field(..., description="Số ngày gia hạn")
    reason: str = Field("", max_length=20000)


class ResolveIn(InputSchema):
    resolved_on: IsoDate
    conclusion: str = Field(..., max_length=20000)
    sanction_decisions: Int = Field(0, description="Số quyết định xử phạt, không âm")
    sanction_amount: Money = Field(0, description="Tổng số tiền xử phạt (đồng), không âm")
    corrective_measures: str = Field("", max_length=20000)


class RefuseIn(InputSchema):
    decided_on: IsoDate
    reason: str = Field(..., max_length=20000)


class ForwardIn(InputSchema):
    decided_on: IsoDate
    to_agency: str = Field(..., max_length=20000, description="Cơ quan có thẩm quyền nhận đơn")


class CaseHistoryOut(Schema):
    id: int
    at: datetime
    actor: str | None
    action: str
    action_label: str
    field: str
    field_label: str = Field(description="Tên trường đã sửa, bằng lời")
    old: str = Field(description="Giá trị cũ như đã ghi (thông tin người tố cáo: «[bảo mật]»)")
    new: str = Field(description="Giá trị mới như đã ghi")
    comment: str
    text: str = Field(description="Thay đổi bằng lời, như trên trang vụ việc, ví dụ «thụ lý · ngày thụ lý: — → 02/03/2022»")
