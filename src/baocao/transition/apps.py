from django.apps import AppConfig


class TransitionConfig(AppConfig):
    """Carrying a reorganisation through: what pointed at the units that ended goes to their successors."""

    name = "baocao.transition"
    label = "transition"
    verbose_name = "Chuyển giao sau sắp xếp"
