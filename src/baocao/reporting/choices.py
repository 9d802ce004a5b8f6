from django.db import models


class ValueType(models.TextChoices):
    INTEGER = "integer", "Số nguyên"
    DECIMAL = "decimal", "Số thập phân"
    PERCENT = "percent", "Tỷ lệ (%)"
    YES_NO = "yes_no", "Có / Không"
    TEXT = "text", "Văn bản"


class Aggregation(models.TextChoices):
    SUM = "sum", "Cộng"
    AVERAGE = "average", "Trung bình"
    MIN = "min", "Nhỏ nhất"
    MAX = "max", "Lớn nhất"
    LAST = "last", "Giá trị cuối"


class NarrativeKind(models.TextChoices):
    RESULTS = "results", "Kết quả thực hiện"
    DIFFICULTIES = "difficulties", "Khó khăn, vướng mắc"
    PROPOSALS = "proposals", "Đề xuất, kiến nghị"
    NEXT_TASKS = "next_tasks", "Phương hướng, nhiệm vụ kỳ tới"
    OTHER = "other", "Nội dung khác"


class Severity(models.TextChoices):
    ERROR = "error", "Lỗi"
    WARNING = "warning", "Cảnh báo"


class FormVersionStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    PUBLISHED = "published", "Đã ban hành"
    RETIRED = "retired", "Ngừng sử dụng"


class SendingMethod(models.TextChoices):
    SYSTEM = "system", "Qua hệ thống thông tin báo cáo"
    EMAIL = "email", "Thư điện tử"
    DOCUMENT_SYSTEM = "document_system", "Hệ thống quản lý văn bản"
    POST = "post", "Bưu chính"
    FAX = "fax", "Fax"
