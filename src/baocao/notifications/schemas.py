"""API shapes of the inbox."""

from datetime import datetime

from ninja import Field, Schema

from baocao.core.api_types import InputSchema
from baocao.notifications.choices import NotificationKind


class NotificationFilters(InputSchema):
    unread: bool | None = Field(None, description="true: chỉ thông báo chưa đọc")


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    kind_label: str
    title: str
    body: str
    url: str = Field(description="Đường dẫn trong hệ thống tới nội dung được thông báo")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return obj.get_kind_display()


class ReadAllOut(Schema):
    marked: int = Field(description="Số thông báo vừa được đánh dấu đã đọc")
