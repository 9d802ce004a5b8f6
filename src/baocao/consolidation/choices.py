from django.db import models


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    PENDING = "pending", "Chờ phê duyệt"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã phê duyệt"


class NextPeriodMode(models.TextChoices):
    """Whether the report's title and closing paragraph speak of the next period ("… và phương hướng,
    nhiệm vụ 6 tháng cuối năm 2022")."""

    AUTO = "auto", "Tự động (báo cáo 6 tháng đầu năm và báo cáo năm)"
    ALWAYS = "always", "Luôn có"
    NEVER = "never", "Không"
