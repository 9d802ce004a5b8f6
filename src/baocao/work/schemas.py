"""API shapes of plans and tasks."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from baocao.core.api_types import Id, InputSchema, IsoDate, SmallInt
from baocao.reporting.schemas import UnitRef
from baocao.work.choices import PlanKind, Recurrence, TaskStatus


class SectorRef(Schema):
    id: int
    code: str
    name: str


class PlanRef(Schema):
    id: int
    number: str
    title: str


class PlanFilters(InputSchema):
    sector: Id | None = Field(None, description="Mã số (id) lĩnh vực")
    kind: PlanKind | None = None
    q: str | None = Field(None, max_length=200, description="Tìm theo số, ký hiệu hoặc trích yếu")


class PlanIn(InputSchema):
    kind: PlanKind = PlanKind.PLAN
    number: str = Field("", max_length=200, description="Số, ký hiệu, ví dụ 45/KH-UBND")
    issuer: Id = Field(..., description="Mã số (id) cơ quan ban hành")
    issued_on: IsoDate | None = None
    title: str = Field(..., max_length=2000, description="Trích yếu")
    sector: Id | None = Field(None, description="Mã số (id) lĩnh vực")
    year_from: SmallInt | None = Field(None, description="Hiệu lực từ năm (1900–2200)")
    year_to: SmallInt | None = Field(None, description="Hiệu lực đến năm (1900–2200)")
    owner: Id | None = Field(None, description="Đơn vị theo dõi; bỏ trống là đơn vị của người dùng")


class PlanOut(Schema):
    id: int
    kind: PlanKind
    kind_label: str
    number: str
    title: str
    issuer: UnitRef
    issued_on: date | None
    sector: SectorRef | None
    year_from: int | None
    year_to: int | None
    owner: UnitRef
    has_attachment: bool
    task_count: int = Field(description="Số nhiệm vụ của kế hoạch mà người dùng được xem")
    created_at: datetime


class TaskFilters(InputSchema):
    unit: Id | None = Field(None, description="Mã số (id) đơn vị chủ trì hoặc phối hợp")
    sector: Id | None = Field(None, description="Mã số (id) lĩnh vực")
    plan: Id | None = Field(None, description="Mã số (id) kế hoạch")
    status: TaskStatus | None = None
    view: Literal["overdue", "due7"] | None = Field(
        None, description="overdue: quá hạn; due7: đến hạn trong 7 ngày (chưa hoàn thành)")
    q: str | None = Field(None, max_length=200, description="Tìm theo tên nhiệm vụ hoặc đơn vị chủ trì (không dấu)")


class TaskListOut(Schema):
    id: int
    title: str
    plan: PlanRef | None
    sector: SectorRef | None
    lead_unit: UnitRef
    start: date | None
    deadline: date | None = Field(description="Hạn hoàn thành (với nhiệm vụ lặp lại: ngày kết thúc)")
    current_deadline: date | None = Field(description="Hạn của lần hiện tại (nhiệm vụ lặp lại) hoặc hạn hoàn thành")
    days_left: int | None = Field(description="Số ngày còn lại đến hạn (âm: đã quá hạn)")
    recurrence: Recurrence
    recurrence_day: int | None
    is_key: bool
    progress: int
    status: TaskStatus = Field(description="Tính từ ngày tháng và tiến độ, không nhập tay")
    status_label: str


class TaskUpdateOut(Schema):
    id: int
    at: datetime
    author: str
    text: str
    progress: int
    evidence: str | None = Field(description="Tên tệp minh chứng, nếu có")


class TaskCommentOut(Schema):
    id: int
    at: datetime
    author: str
    text: str


class TaskOut(TaskListOut):
    owner: UnitRef
    cooperating_units: list[UnitRef]
    expected_output: str
    started_on: date | None
    completed_on: date | None
    conclusion_id: int | None
    created_by: str
    created_at: datetime
    updates: list[TaskUpdateOut]
    comments: list[TaskCommentOut]
    allowed_actions: list[str] = Field(description="Thao tác người dùng được làm: update, progress, comment")


class TaskCreateIn(InputSchema):
    title: str = Field(..., max_length=2000)
    lead_unit: Id = Field(..., description="Mã số (id) đơn vị chủ trì")
    owner: Id | None = Field(None, description="Đơn vị giao nhiệm vụ; bỏ trống là đơn vị của người dùng")
    plan: Id | None = None
    sector: Id | None = None
    cooperating_units: list[Id] = Field(default_factory=list, max_length=500)
    start: IsoDate | None = None
    deadline: IsoDate | None = Field(None, description="Hạn hoàn thành; với nhiệm vụ lặp lại là ngày kết thúc")
    recurrence: Recurrence = Recurrence.NONE
    recurrence_day: SmallInt | None = Field(None, description="Ngày đến hạn trong tháng (1–31) của nhiệm vụ lặp lại")
    expected_output: str = Field("", max_length=20000)
    is_key: bool = False


class TaskPatchIn(InputSchema):
    """Fields left out keep their value; null clears plan, sector, dates and the recurrence day."""

    title: str | None = Field(None, max_length=2000)
    lead_unit: Id | None = None
    plan: Id | None = None
    sector: Id | None = None
    cooperating_units: list[Id] | None = Field(None, max_length=500)
    start: IsoDate | None = None
    deadline: IsoDate | None = None
    recurrence: Recurrence | None = None
    recurrence_day: SmallInt | None = Field(None, description="Ngày đến hạn trong tháng (1–31)")
    expected_output: str | None = Field(None, max_length=20000)
    is_key: bool | None = None


class ProgressIn(InputSchema):
    text: str = Field(..., max_length=20000)
    progress: SmallInt = Field(..., description="Tiến độ (%), từ 0 đến 100")


class TaskCommentIn(InputSchema):
    text: str = Field(..., max_length=20000)


class PlanDetailOut(PlanOut):
    status_counts: dict[str, int] = Field(description="Số nhiệm vụ theo trạng thái")
    tasks: list[TaskListOut]
