"""The user's own inbox: list (newest first, `unread=true` for the unread ones), mark one read,
mark all read. Another user's notification is not found (404)."""

# No `from __future__ import annotations`: ninja reads the handlers' annotations.
from ninja import Query, Router
from ninja.pagination import paginate

from baocao.accounts.http import ApiRequest
from baocao.core.api_types import BoundedPageNumberPagination, Id
from baocao.notifications.schemas import NotificationFilters, NotificationOut, ReadAllOut
from baocao.notifications.selectors import notification_get_for_user, notification_list
from baocao.notifications.services import notification_mark_read, notifications_mark_all_read

router = Router(tags=["notifications"])


@router.get("/notifications", response=list[NotificationOut], summary="Thông báo của tôi")
@paginate(BoundedPageNumberPagination)
def notification_list_view(request: ApiRequest, filters: Query[NotificationFilters]):
    return notification_list(user=request.auth, unread=bool(filters.unread))


@router.post("/notifications/{int:notification_id}/read", response=NotificationOut, summary="Đánh dấu đã đọc")
def notification_read(request: ApiRequest, notification_id: Id):
    notification = notification_get_for_user(user=request.auth, notification_id=notification_id)
    return notification_mark_read(notification=notification, user=request.auth)


@router.post("/notifications/read-all", response=ReadAllOut, summary="Đánh dấu tất cả đã đọc")
def notification_read_all(request: ApiRequest):
    return {"marked": notifications_mark_all_read(user=request.auth)}
