from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị"
    COMPILER = "compiler", "Chuyên viên tổng hợp"
    LEADER = "leader", "Lãnh đạo"
    INSPECTORATE = "inspectorate", "Thanh tra"
    REPORTER = "reporter", "Cán bộ báo cáo của đơn vị"
    VIEWER = "viewer", "Người xem"


# Roles that read the units reporting to their receiving unit.
RECEIVER_ROLES = frozenset({Role.COMPILER, Role.LEADER, Role.INSPECTORATE, Role.VIEWER})
# Roles that may return or approve a unit's report.
REVIEWER_ROLES = frozenset({Role.ADMIN, Role.COMPILER, Role.LEADER})
