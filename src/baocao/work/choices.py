from django.db import models


class PlanKind(models.TextChoices):
    PLAN = "plan", "Kế hoạch"
    SCHEME = "scheme", "Đề án"
    PROGRAMME = "programme", "Chương trình"
    DIRECTIVE = "directive", "Công văn chỉ đạo"
    CONCLUSION = "conclusion", "Kết luận hội nghị"


class Recurrence(models.TextChoices):
    NONE = "", "Không lặp lại"
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"


class TaskStatus(models.TextChoices):
    """Computed from dates and progress, never typed (work/status.py)."""

    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE_ON_TIME = "done_on_time", "Hoàn thành đúng hạn"
    DONE_LATE = "done_late", "Hoàn thành quá hạn"
    OVERDUE = "overdue", "Quá hạn"
