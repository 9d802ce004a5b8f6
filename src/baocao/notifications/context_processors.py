"""The unread count of the top menu."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from baocao.notifications.models import Notification


def unread_notifications(request) -> dict:
    """`unread_notifications`: the user's unread count, one query when a template reads it; none
    for anonymous visitors or pages that do not show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(
        lambda: Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count())}
