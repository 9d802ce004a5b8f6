"""Reads of notifications: a user sees only their own; another user's id is not found (404)."""

from __future__ import annotations

from django.db.models import QuerySet

from baocao.core.errors import NotFound
from baocao.notifications.models import Notification


def notifications_for_user(user) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk)


def notification_list(*, user, unread: bool = False) -> QuerySet[Notification]:
    qs = notifications_for_user(user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_get_for_user(*, user, notification_id: int) -> Notification:
    found = notifications_for_user(user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("Không tìm thấy thông báo.")
    return found


def unread_count(user) -> int:
    return notifications_for_user(user).filter(read_at__isnull=True).count()
