from django.db import models


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh / thành phố"
    PEOPLES_COMMITTEE = "peoples_committee", "Ủy ban nhân dân"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DIVISION = "division", "Phòng, ban thuộc Sở"
    DISTRICT_OFFICE = "district_office", "Phòng chuyên môn cấp huyện"
    MEDIA_CENTRE = "media_centre", "Trung tâm truyền thông cấp huyện"
    COMMUNE = "commune", "Xã, phường, thị trấn"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    SCHOOL = "school", "Trường học"
    HOSPITAL = "hospital", "Bệnh viện, cơ sở y tế"
    OTHER = "other", "Khác"


class ReorgKind(models.TextChoices):
    """What a reorganisation event does to its units (Resolution 76/2016/UBTVQH14 and 35/2023/UBTVQH15
    name these arrangements)."""

    MERGE = "merge", "Sáp nhập"
    SPLIT = "split", "Chia tách"
    TRANSFER = "transfer", "Điều chỉnh một phần địa giới"
    RENAME = "rename", "Đổi tên"
    RECODE = "recode", "Đổi mã"
    REPARENT = "reparent", "Chuyển đơn vị cấp trên"
    DISSOLVE = "dissolve", "Giải thể"


class ShareMethod(models.TextChoices):
    """How the share of a predecessor that went to a successor was determined."""

    WHOLE = "whole", "Toàn bộ"
    POPULATION = "population", "Theo tỷ lệ dân số"
    AREA = "area", "Theo tỷ lệ diện tích"
    MANUAL = "manual", "Nhập tay"


class PreviousBasis(models.TextChoices):
    """Where a successor's figure for an earlier period comes from."""

    SAME_UNIT = "same_unit", "Cùng đơn vị"
    PREDECESSORS = "predecessors", "Tổng hợp từ đơn vị trước sắp xếp"
    ESTIMATE = "estimate", "Ước tính theo tỷ lệ"
