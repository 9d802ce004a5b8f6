from django.apps import AppConfig


class ConsolidationConfig(AppConfig):
    name = "baocao.consolidation"
    label = "consolidation"
    default_auto_field = "django.db.models.BigAutoField"
