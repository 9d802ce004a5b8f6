from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baocao.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"
