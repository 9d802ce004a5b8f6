from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.notifications.choices import NotificationKind


class Notification(models.Model):
    """One message in a user's inbox: what happened (`kind`, `title`, `body`) and where to look
    (`url`, a path inside the site that the recipient may open). Written by the service that made
    the change, in its transaction; e-mailed afterwards by the task worker (`emailed_at`)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="người nhận", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("loại", max_length=40, choices=NotificationKind.choices)
    title = models.CharField("tiêu đề", max_length=300)
    body = models.TextField("nội dung", blank=True)
    url = models.CharField("đường dẫn", max_length=500, blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi thư lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            # The menu's unread count: a partial index of the few unread rows.
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"


class NotificationPreference(models.Model):
    """Whether a user wants e-mail for one kind of notification (the inbox always gets it).
    No row means yes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField("loại", max_length=40, choices=NotificationKind.choices)
    email = models.BooleanField("gửi thư điện tử", default=True)

    class Meta:
        verbose_name = "cài đặt thông báo"
        verbose_name_plural = "cài đặt thông báo"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'thư' if self.email else 'không thư'}"
