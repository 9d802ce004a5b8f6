"""Background tasks of notifications, run by the task worker (`baocao db_worker`)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from baocao.notifications.models import Notification

logger = logging.getLogger(__name__)

FOOTER = "Thư này được gửi tự động từ hệ thống baocao; vui lòng không trả lời thư này."


def notification_message(notification: Notification) -> EmailMessage:
    """The e-mail of one notification: its title as subject, its text and the link."""
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    lines = [f"Kính gửi: {notification.recipient.display_name}", "", notification.title]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        lines += ["", f"Xem trên hệ thống baocao: {site}{notification.url}"]
    lines += ["", FOOTER]
    return EmailMessage(subject=f"[baocao] {notification.title}", body="\n".join(lines),
                        to=[notification.recipient.email])


@task()
def notification_emails_send(notification_ids: list[int]) -> int:
    """E-mail each notification not e-mailed yet to its recipient, one mail each (recipients never
    see each other's addresses); returns how many were sent. A mail the server refuses is logged
    and left unsent; the others still go."""
    sent = 0
    rows = (Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
            .select_related("recipient").order_by("pk"))
    for notification in rows:
        if not notification.recipient.email or not notification.recipient.is_active:
            continue
        try:
            notification_message(notification).send()
        except Exception:  # the mail server's errors come in many types
            logger.exception("Không gửi được thư thông báo %s", notification.pk)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
