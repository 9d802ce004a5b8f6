"""Builders shared by the benchmarks: the throwaway test database and the 2025 unit tree.

Import after `django.setup()` (the scripts set up Django first); the models are imported inside
the functions.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARDS = ROOT / "tests" / "data" / "reorg" / "wards-2025-with-predecessors.csv"


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A fresh test database (test_<NAME>, or the SQLite TEST file), destroyed on exit; yields its name."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield connection.settings_dict["NAME"]
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def ward_rows() -> list[dict[str, str]]:
    """The 3,321 communes, wards and special zones of 1 July 2025 with their provinces."""
    with WARDS.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def national_tree(*, dept_code: str = "BO", dept_name: str = "Bộ Khoa học và Công nghệ"):
    """Root, a receiving department under it, the 34 provinces and their 3,321 communes, in bulk
    (paths set after). Returns (department, {province code: province}, communes in pk order);
    province codes are "T<matinh>", commune codes "X<matinh>-<ma>"."""
    from baocao.core.vietnamese import fold
    from baocao.orgunits.choices import UnitKind
    from baocao.orgunits.models import OrgUnit

    rows = ward_rows()
    root = OrgUnit(code="VN", name="Cả nước", kind=UnitKind.OTHER)
    root.save()
    root.path = f"/{root.pk}/"
    root.save()
    dept = OrgUnit(code=dept_code, name=dept_name, kind=UnitKind.DEPARTMENT, parent=root, depth=1)
    dept.save()
    dept.path = f"{root.path}{dept.pk}/"
    dept.save()
    provinces: dict[str, str] = {}
    for row in rows:
        provinces.setdefault(row["matinh"], row["tentinh"])
    OrgUnit.objects.bulk_create([OrgUnit(code=f"T{code}", name=name, kind=UnitKind.PROVINCE, parent=root, depth=1,
                                         search_text=fold(name)) for code, name in provinces.items()])
    by_code = {u.code: u for u in OrgUnit.objects.filter(kind=UnitKind.PROVINCE)}
    for u in by_code.values():
        u.path = f"{root.path}{u.pk}/"
    OrgUnit.objects.bulk_update(list(by_code.values()), ["path"])
    communes = []
    for row in rows:
        name = f"{row['loai'].capitalize()} {row['tenhc']}"
        communes.append(OrgUnit(code=f"X{row['matinh']}-{row['ma']}", name=name, kind=UnitKind.COMMUNE,
                                parent=by_code[f"T{row['matinh']}"], depth=2, search_text=fold(name)))
    OrgUnit.objects.bulk_create(communes, batch_size=2000)
    communes = list(OrgUnit.objects.filter(kind=UnitKind.COMMUNE).select_related("parent").order_by("pk"))
    for c in communes:
        c.path = f"{c.parent.path}{c.pk}/"
    OrgUnit.objects.bulk_update(communes, ["path"], batch_size=2000)
    return dept, by_code, communes


def sub_department(*, parent, code: str, name: str):
    """A receiving department under `parent` (a province's Sở), path set."""
    from baocao.orgunits.choices import UnitKind
    from baocao.orgunits.models import OrgUnit

    unit = OrgUnit(code=code, name=name, kind=UnitKind.DEPARTMENT, parent=parent, depth=parent.depth + 1)
    unit.save()
    unit.path = f"{parent.path}{unit.pk}/"
    unit.save(update_fields=["path"])
    return unit


def numeric_form(*, owner, code: str, sections: int, per_section: int):
    """A published form of `sections` × `per_section` integer indicators (sum), with sectors.
    Returns (form, form version, indicators in order)."""
    from decimal import Decimal

    from django.utils import timezone

    from baocao.reporting.choices import FormVersionStatus
    from baocao.reporting.models import Form, FormSection, FormVersion, Indicator, Sector

    form = Form.objects.create(code=code, name=f"Biểu mẫu {code}", owner=owner)
    fv = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED,
                                    published_at=timezone.now())
    indicators = []
    for s in range(sections):
        sector, _ = Sector.objects.get_or_create(code=f"LV{s}", defaults={"name": f"Lĩnh vực thử nghiệm {s + 1}",
                                                                          "order": s})
        section = FormSection.objects.create(form_version=fv, code=f"S{s}", title=f"Phần {s + 1}", sector=sector,
                                             order=s)
        indicators += Indicator.objects.bulk_create([
            Indicator(section=section, form_version=fv, code=f"{code}{s:02d}{i:02d}",
                      name=f"Chỉ tiêu {s + 1}.{i + 1}", unit_of_measure="cái", min_value=Decimal(0), order=i)
            for i in range(per_section)])
    return form, fv, indicators
