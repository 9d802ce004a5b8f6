from django.db import models


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    SUBMITTED = "submitted", "Đã gửi"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã duyệt"


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Muộn"
    MISSING = "missing", "Chưa gửi (quá hạn)"
    PENDING = "pending", "Chưa gửi (còn hạn)"


# Reports in these states are read-only for the reporting unit.
LOCKED_STATUSES = frozenset({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED})
EDITABLE_STATUSES = frozenset({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED})
