from django.contrib import admin

from baocao.audit.modeladmin import ReadOnlyAdmin
from baocao.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "entity", "entity_id", "field")
    list_filter = ("action", "entity")
