"""Factories for tests: small functions that build valid objects with sensible defaults."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.utils import timezone

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.reporting.choices import FormVersionStatus, NarrativeKind, Severity, ValueType
from baocao.reporting.models import (
    Form,
    FormSection,
    FormVersion,
    Indicator,
    NarrativeField,
    ReportingRegime,
    Sector,
    ValidationRule,
)

_seq = itertools.count(1)
PASSWORD = "matkhau-thu-nghiem"


def unit(*, code: str | None = None, name: str | None = None, kind: str = UnitKind.OTHER,
         parent: OrgUnit | None = None, **fields) -> OrgUnit:
    n = next(_seq)
    u = OrgUnit(code=code or f"U{n}", name=name or f"Đơn vị {n}", kind=kind, parent=parent, **fields)
    u.save()
    u.path = f"{parent.path if parent else '/'}{u.pk}/"
    u.depth = (parent.depth + 1) if parent else 0
    OrgUnit.objects.filter(pk=u.pk).update(path=u.path, depth=u.depth)
    return u


def group(*, code: str | None = None, members=()) -> OrgUnitGroup:
    n = next(_seq)
    g = OrgUnitGroup.objects.create(code=code or f"G{n}", name=f"Nhóm {n}")
    g.members.set(members)
    return g


def user(*, username: str | None = None, role: str = Role.VIEWER, unit: OrgUnit | None = None,
         password: str = PASSWORD, **fields) -> User:
    u = User(username=username or f"user{next(_seq)}", role=role, unit=unit, **fields)
    u.set_password(password)
    u.save()
    return u


def form_version(*, code: str | None = None, owner: OrgUnit, published: bool = True,
                 indicators: list[dict] | None = None, narratives: list[dict] | None = None,
                 rules: list[dict] | None = None) -> FormVersion:
    """A form with one section. Default indicators: A (integer ≥ 0), B (integer ≥ 0), PCT (percent 0–100),
    NOTE (text); narrative RESULTS (required); rule A <= B (error)."""
    n = next(_seq)
    form = Form.objects.create(code=code or f"F{n}", name=f"Biểu mẫu {n}", owner=owner)
    fv = FormVersion.objects.create(
        form=form, number=1,
        status=FormVersionStatus.PUBLISHED if published else FormVersionStatus.DRAFT,
        published_at=timezone.now() if published else None,
    )
    sector = Sector.objects.create(code=f"S{n}", name=f"Lĩnh vực {n}")
    section = FormSection.objects.create(form_version=fv, code="I", title="I. Phần một", sector=sector, order=1)
    if indicators is None:
        indicators = [
            {"code": "A", "name": "Số đơn đã giải quyết", "min_value": Decimal(0)},
            {"code": "B", "name": "Số đơn tiếp nhận", "min_value": Decimal(0)},
            {"code": "PCT", "name": "Tỷ lệ hồ sơ trực tuyến", "value_type": ValueType.PERCENT,
             "min_value": Decimal(0), "max_value": Decimal(100), "unit_of_measure": "%"},
            {"code": "NOTE", "name": "Ghi chú", "value_type": ValueType.TEXT},
        ]
    for i, spec in enumerate(indicators):
        Indicator.objects.create(section=section, form_version=fv, order=i, **spec)
    if narratives is None:
        narratives = [{"code": "RESULTS", "kind": NarrativeKind.RESULTS, "label": "Kết quả thực hiện",
                       "required": True}]
    for i, spec in enumerate(narratives):
        NarrativeField.objects.create(section=section, form_version=fv, order=i, **spec)
    if rules is None:
        rules = [{"code": "R1", "expression": "A <= B", "severity": Severity.ERROR,
                  "message": "Số đơn đã giải quyết không được lớn hơn số đơn tiếp nhận."}]
    for spec in rules:
        ValidationRule.objects.create(form_version=fv, **spec)
    return fv


def regime(*, receiving_unit: OrgUnit, form_version: FormVersion, code: str | None = None,
           units=(), groups=(), frequencies=("six_month", "annual"),
           deadline_rules: dict | None = None) -> ReportingRegime:
    n = next(_seq)
    r = ReportingRegime.objects.create(
        code=code or f"R{n}", name=f"Chế độ báo cáo {n}", receiving_unit=receiving_unit,
        form=form_version.form, frequencies=list(frequencies),
        deadline_rules=deadline_rules if deadline_rules is not None else {
            "six_month": {"month_offset": 0, "day": 20}, "annual": {"month_offset": 0, "day": 20}},
    )
    r.reporting_units.set(units)
    r.reporting_groups.set(groups)
    return r


class World:
    """A small department: province → department STTTT (receiving) with two reporting units A and B,
    a regime, and a user of every role."""

    def __init__(self) -> None:
        self.province = unit(code="P01", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE)
        self.department = unit(code="DEPT", name="Sở Thông tin và Truyền thông", kind=UnitKind.DEPARTMENT,
                               parent=self.province)
        self.unit_a = unit(code="UA", name="Phòng Văn hóa và Thông tin huyện An", kind=UnitKind.DISTRICT_OFFICE,
                           parent=self.province)
        self.unit_b = unit(code="UB", name="Phòng Văn hóa và Thông tin huyện Bình",
                           kind=UnitKind.DISTRICT_OFFICE, parent=self.province)
        self.form_version = form_version(owner=self.department)
        self.regime = regime(receiving_unit=self.department, form_version=self.form_version,
                             units=[self.unit_a, self.unit_b], code="BC-TEST")
        self.other_department = unit(code="DEPT2", name="Sở Y tế", kind=UnitKind.DEPARTMENT, parent=self.province)
        self.admin = user(username="admin", role=Role.ADMIN, unit=self.department, is_staff=True,
                          is_superuser=True)
        self.compiler = user(username="tonghop", role=Role.COMPILER, unit=self.department)
        self.leader = user(username="lanhdao", role=Role.LEADER, unit=self.department)
        self.inspector = user(username="thanhtra", role=Role.INSPECTORATE, unit=self.department)
        self.viewer = user(username="xem", role=Role.VIEWER, unit=self.department)
        self.reporter_a = user(username="an", role=Role.REPORTER, unit=self.unit_a)
        self.reporter_b = user(username="binh", role=Role.REPORTER, unit=self.unit_b)
        self.other_compiler = user(username="tonghop2", role=Role.COMPILER, unit=self.other_department)
