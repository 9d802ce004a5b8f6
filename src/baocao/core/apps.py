from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "baocao.core"
    label = "core"
