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
