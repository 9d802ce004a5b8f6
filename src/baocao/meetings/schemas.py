"""API shapes of conferences: the meeting and its rows, conclusions turned into tasks, the article."""

from datetime import date, datetime
from enum import StrEnum

from ninja import Field, Schema

from baocao.core.api_types import CODE_PATTERN, Id, InputSchema, IsoDate, LocalTime, Number, Year
from baocao.meetings.choices import MeetingKind
from baocao.reporting.schemas import UnitRef
from baocao.submissions.schemas import RegimeRef


class DocumentFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"
    HTML = "html"


class MeetingFilters(InputSchema):
    year: Year | None = Field(None, description="Năm tổ chức")
    organiser: Id | None = Field(None, description="Mã số (id) đơn vị tổ chức")


class MeetingListOut(Schema):
    id: int
    title: str
    kind: MeetingKind
    kind_label: str
    date: date
    organiser: UnitRef
    chair_name: str
    place: str
    attendee_count: int
    opinion_count: int
    conclusion_count: int

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class MeetingIn(InputSchema):
    title: str = Field(..., max_length=500, description="Tên hội nghị")
    kind: MeetingKind = MeetingKind.MIDYEAR
    organiser: str = Field(..., min_length=1, max_length=40, pattern=CODE_PATTERN, description="Mã đơn vị tổ chức, ví dụ STTTT",
                           examples=["STTTT"])
    date: IsoDate
    start_time: LocalTime | None = None
    place: str = Field("", max_length=300)
    chair_name: str = Field("", max_length=150)
    chair_title: str = Field("", max_length=150)
    secretary_name: str = Field("", max_length=150, description="Thư ký (người ghi biên bản)")
    secretary_title: str = Field("", max_length=150)
    regime: str | None = Field(None, max_length=40, description="Mã chế độ báo cáo (không bắt buộc)")
    period: str = Field("", max_length=12, description="Kỳ được sơ kết, ví dụ 2022S1")
    next_period: str = Field("", max_length=12, description="Kỳ tiếp theo, ví dụ 2022S2")
    summary: str = Field("", max_length=20000)


class AttendeeIn(InputSchema):
    unit: Id | None = Field(None, description="Mã số (id) đơn vị tham dự")
    group: Id | None = Field(None, description="Mã số (id) nhóm đơn vị tham dự")
    person_name: str = Field("", max_length=150)
    person_title: str = Field("", max_length=150)


class AttendeeOut(Schema):
    id: int
    unit: UnitRef | None
    group: dict | None = Field(description="{id, code, name} của nhóm đơn vị")
    person_name: str
    person_title: str
    label: str = Field(description="Cách ghi trong giấy mời, biên bản")


class AgendaIn(InputSchema):
    title: str = Field("", max_length=500, description="Bỏ trống khi trình bày báo cáo: lấy tên dự thảo báo cáo")
    presenter_name: str = Field("", max_length=150)
    presenter_title: str = Field("", max_length=150)
    report: Id | None = Field(None, description="Mã số (id) báo cáo tổng hợp được trình bày")
    version: Number | None = Field(None, description="Số phiên bản; bỏ trống là phiên bản mới nhất")


class ReportVersionRef(Schema):
    report_id: int
    number: int
    period: str
    regime: RegimeRef


class AgendaOut(Schema):
    id: int
    order: int
    title: str
    presenter_name: str
    presenter_title: str
    report_version: ReportVersionRef | None


class OpinionIn(InputSchema):
    summary: str = Field(..., max_length=20000)
    speaker_name: str = Field("", max_length=150)
    speaker_title: str = Field("", max_length=150)
    unit: Id | None = Field(None, description="Mã số (id) đơn vị của người phát biểu")
    topic: str = Field("", max_length=300)


class OpinionOut(Schema):
    id: int
    order: int
    speaker_name: str
    speaker_title: str
    unit: UnitRef | None
    topic: str
    summary: str


class ConclusionIn(InputSchema):
    text: str = Field(..., max_length=20000)
    sector: str | None = Field(None, max_length=40, description="Mã lĩnh vực (không bắt buộc)")


class TaskRefOut(Schema):
    id: int
    title: str
    lead_unit: UnitRef
    deadline: date | None
    is_key: bool
    url: str


class ConclusionOut(Schema):
    id: int
    order: int
    text: str
    sector: dict | None = Field(description="{code, name} của lĩnh vực")
    tasks: list[TaskRefOut]


class TaskSpecIn(InputSchema):
    title: str = Field("", max_length=500, description="Bỏ trống: lấy nội dung kết luận")
    lead_unit: Id = Field(..., description="Mã số (id) đơn vị chủ trì")
    deadline: IsoDate
    cooperating_units: list[Id] = Field(default_factory=list, max_length=500,
                                        description="Mã số (id) các đơn vị phối hợp")
    sector: str | None = Field(None, max_length=40, description="Mã lĩnh vực; bỏ trống: lĩnh vực của kết luận")
    is_key: bool = False


class ConclusionTasksIn(InputSchema):
    tasks: list[TaskSpecIn] = Field(..., description="Mỗi mục là một nhiệm vụ; tất cả cùng được tạo hoặc không")


class MeetingOut(Schema):
    id: int
    title: str
    kind: MeetingKind
    kind_label: str
    organiser: UnitRef
    date: date
    start_time: LocalTime | None
    place: str
    chair_name: str
    chair_title: str
    secretary_name: str
    secretary_title: str
    article_author: str = Field(description="Tác giả bài viết đưa tin (trống: người lập hội nghị)")
    regime: RegimeRef | None
    period: str
    next_period: str
    summary: str
    created_by: str
    created_at: datetime
    can_edit: bool = Field(description="Người dùng hiện tại được cập nhật hội nghị này")
    attendees: list[AttendeeOut]
    agenda: list[AgendaOut]
    opinions: list[OpinionOut]
    conclusions: list[ConclusionOut]


class ArticleOut(Schema):
    meeting_id: int
    parts: dict[str, str] = Field(description="title, updated, lead, presenter, sectors, discussion, conclusion, "
                                              "photos, author (đoạn văn cách nhau một dòng trống)")
    edited: list[str] = Field(description="Các phần đã sửa tay (không tự cập nhật theo hồ sơ hội nghị)")
    html_url: str
    docx_url: str


class ArticleIn(InputSchema):
    parts: dict[str, str | None] = Field(..., description="Nội dung mới theo phần; null để trở lại nội dung tự động")


class DocumentQuery(InputSchema):
    format: DocumentFormat = Field(DocumentFormat.DOCX, description="docx, pdf, html (bài viết: html, docx)")
    on: IsoDate | None = Field(None, description="Bài viết: ngày ghi ở dòng «Cập nhật lúc»; mặc định hôm nay")


class ArticleQuery(InputSchema):
    on: IsoDate | None = Field(None, description="Ngày ghi ở dòng «Cập nhật lúc»; mặc định hôm nay")
