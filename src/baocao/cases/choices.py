from django.db import models


class CaseKind(models.TextChoices):
    INSPECTION = "inspection", "Thanh tra"
    CHECK = "check", "Kiểm tra"
    COMPLAINT = "complaint", "Khiếu nại"
    DENUNCIATION = "denunciation", "Tố cáo"
    PETITION = "petition", "Kiến nghị, phản ánh"
    MISINFORMATION = "misinformation", "Thông tin sai sự thật trên báo chí, mạng xã hội"


class CaseStatus(models.TextChoices):
    RECEIVED = "received", "Mới tiếp nhận"
    ACCEPTED = "accepted", "Đã thụ lý / đang thực hiện"
    RESOLVED = "resolved", "Đã giải quyết / kết thúc"
    REFUSED = "refused", "Không thụ lý"
    FORWARDED = "forwarded", "Đã chuyển cơ quan có thẩm quyền"


class Channel(models.TextChoices):
    DIRECT = "direct", "Trực tiếp"
    POST = "post", "Qua bưu chính"
    EMAIL = "email", "Thư điện tử"
    PORTAL = "portal", "Cổng thông tin, đường dây nóng"
    FORWARDED = "forwarded", "Cơ quan khác chuyển đến"
    PLAN = "plan", "Theo kế hoạch thanh tra, kiểm tra"
    MONITORING = "monitoring", "Qua theo dõi, giám sát"


class DayType(models.TextChoices):
    CALENDAR = "calendar", "Ngày (theo lịch)"
    WORKING = "working", "Ngày làm việc"


class LimitStep(models.TextChoices):
    ACCEPTANCE = "acceptance", "Thụ lý / phân loại"
    RESOLUTION = "resolution", "Giải quyết"
    EXTENSION = "extension", "Gia hạn"
    LODGING = "lodging", "Thời hiệu"


# Indicator metrics cases feed into the report (CaseIndicator.metric).
class CaseMetric(models.TextChoices):
    INSPECTIONS_HELD = "inspections_held", "Số cuộc thanh tra"
    CHECKS_HELD = "checks_held", "Số cuộc kiểm tra"
    COMPLAINTS_RECEIVED = "complaints_received", "Số đơn khiếu nại tiếp nhận"
    COMPLAINTS_RESOLVED = "complaints_resolved", "Số đơn khiếu nại đã giải quyết"
    DENUNCIATIONS_RECEIVED = "denunciations_received", "Số đơn tố cáo tiếp nhận"
    DENUNCIATIONS_RESOLVED = "denunciations_resolved", "Số đơn tố cáo đã giải quyết"
    PETITIONS_RECEIVED = "petitions_received", "Số đơn kiến nghị, phản ánh tiếp nhận"
    PETITIONS_RESOLVED = "petitions_resolved", "Số đơn kiến nghị, phản ánh đã giải quyết"
    LETTERS_RECEIVED = "letters_received", "Số đơn khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận"
    LETTERS_RESOLVED = "letters_resolved", "Số đơn khiếu nại, tố cáo, kiến nghị, phản ánh đã giải quyết"
    SANCTION_DECISIONS = "sanction_decisions", "Số quyết định xử phạt"
    SANCTION_AMOUNT = "sanction_amount", "Số tiền xử phạt"
    MISINFORMATION_HANDLED = "misinformation_handled", "Số tin sai sự thật đã xử lý"
