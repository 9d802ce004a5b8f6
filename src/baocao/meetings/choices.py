from django.db import models


class MeetingKind(models.TextChoices):
    MIDYEAR = "midyear", "Sơ kết"
    ANNUAL = "annual", "Tổng kết"
    THEMATIC = "thematic", "Chuyên đề"
