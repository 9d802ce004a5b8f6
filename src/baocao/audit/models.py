from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.audit.actions import AuditAction


class AuditEvent(models.Model):
    """One change to the data: who, when, what (entity + field), old value -> new value.

    Written by services in the same transaction as the change. `unit` is the org unit the
    change belongs to, so reads of the log can be scoped like every other read.
    """

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người thực hiện", null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField("thao tác", max_length=60)
    entity = models.CharField("đối tượng", max_length=60)
    entity_id = models.BigIntegerField("mã đối tượng")
    unit = models.ForeignKey(
        "orgunits.OrgUnit", verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField("trường", max_length=120, blank=True)
    old_value = models.TextField("giá trị cũ", blank=True)
    new_value = models.TextField("giá trị mới", blank=True)
    comment = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"
        indexes = [models.Index(fields=["entity", "entity_id", "at"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.entity}#{self.entity_id} {self.field}"

    @property
    def action_label(self) -> str:
        """The action in Vietnamese, for history pages (rows of a retired action show its code)."""
        return AuditAction(self.action).label if self.action in AuditAction.values else self.action
