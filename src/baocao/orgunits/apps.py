from django.apps import AppConfig


class OrgunitsConfig(AppConfig):
    name = "baocao.orgunits"
    label = "orgunits"
    default_auto_field = "django.db.models.BigAutoField"
