"""The demo goes on through the 2025 reorganisation (issue 11): Bắc Kạn becomes part of Thái Nguyên.

On top of the Bắc Kạn 2022 story (loader.py), and through the same services a department would use:

- 1 March 2025: the Sở TTTT Bắc Kạn (`STTTT`) merges into the Sở KH&CN Bắc Kạn (`SKHCN-BK`, created
  under the old province); the department's divisions end with it;
- 12 June 2025 / 1 July 2025: the official reorganisation of the new Thái Nguyên province (19),
  imported from the committed extract of the three published files (old Thái Nguyên's GSO units
  first, since the mapping names them): Bắc Kạn's 8 districts and 108 communes end on 30 June,
  92 communes start on 1 July, 37 of them formed from Bắc Kạn's;
- 1 July 2025: the demo's district-level offices are dissolved with the district level, and the
  SKHCN-BK merges into the Sở KH&CN Thái Nguyên (`SKHCN-TN`, created under the new province);
- the dated letterheads of both new agencies (issuer profiles);
- the six-month regime `BC-XA` received by SKHCN-TN: the 108 old communes report 2024S1, 2024S2 and
  2025S1, the 37 communes formed from them 2025S2 and 2026S1, all approved through the submission
  services. Every figure is illustrative (each report's note says so); a new commune's figures are
  close to the sum of its predecessors', so that comparisons across the change read plausibly.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.core.errors import AppError
from baocao.demo.common import (
    DATA_DIR,
    ILLUSTRATIVE_NOTE,
    DemoLogin,
    _ensure_user,
    _local,
    _working_day_after,
    _working_day_before,
    add_sections,
)
from baocao.orgunits.choices import ReorgKind, UnitKind
from baocao.orgunits.events import LinkSpec, reorg_event_record
from baocao.orgunits.lineage import unit_by_code, units_by_code
from baocao.orgunits.models import OrgUnit, OrgUnitGroup, UnitLink
from baocao.orgunits.reorganisation import (
    COMMUNE_FIRST_DAY,
    COMMUNE_LAST_DAY,
    reorganisation_import_2025,
)
from baocao.orgunits.services import orgunit_create, orgunits_import_gso
from baocao.reporting.choices import Aggregation, FormVersionStatus, NarrativeKind, SendingMethod, ValueType
from baocao.reporting.models import (
    Form,
    FormVersion,
    ReportingRegime,
    Sector,
)
from baocao.reporting.periods import parse_period
from baocao.reporting.selectors import regime_period
from baocao.submissions.models import Submission
from baocao.submissions.selectors import expected_units
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)

DISTRICTS_FILE = DATA_DIR / "gso-districts-bac-kan.csv"  # the 2022 story's extracts (loader.py)
WARDS_FILE = DATA_DIR / "gso-wards-bac-kan.csv"
TN_DISTRICTS_FILE = DATA_DIR / "gso-districts-thai-nguyen.csv"
TN_WARDS_FILE = DATA_DIR / "gso-wards-thai-nguyen.csv"
PROVINCES_FILE = DATA_DIR / "provinces-2025-merger-thai-nguyen.csv"
WARDS_2025_FILE = DATA_DIR / "wards-2025-with-predecessors-thai-nguyen.csv"
MAPPING_FILE = DATA_DIR / "wards-legacy-to-2025-thai-nguyen.csv"

DEPARTMENT_CODE = "STTTT"  # the 2022 story's department (loader.py)
EXPECTED_COMMUNES = 108
OLD_THAI_NGUYEN_CODE = "19"
NEW_PROVINCE_CODE = "19"
# Checked against the committed mapping: Bắc Kạn's 108 communes became 37, none divided.
EXPECTED_NEW_COMMUNES = 37

MERGER_DAY = date(2025, 3, 1)  # Sở TTTT into Sở KH&CN (the ministries merged by Resolution 176/2025/QH15)
BK_DEPARTMENT_CODE = "SKHCN-BK"
TN_DEPARTMENT_CODE = "SKHCN-TN"
MERGER_BASIS = (
    "Nghị quyết số 176/2025/QH15 của Quốc hội; Quyết định số 01/QĐ-UBND của UBND tỉnh Bắc Kạn "
    "(số hiệu minh họa)"
)
DISTRICT_END_BASIS = (
    "Luật Tổ chức chính quyền địa phương số 72/2025/QH15: chấm dứt hoạt động của đơn vị hành chính cấp huyện "
    "từ ngày 01/7/2025"
)
PROVINCE_MERGER_BASIS = (
    "Nghị quyết số 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh; Quyết định số 02/QĐ-UBND của UBND "
    "tỉnh Thái Nguyên (số hiệu minh họa)"
)

REGIME_CODE = "BC-XA"
FORM_CODE = "BC-XA"
OLD_PERIODS = ("2024S1", "2024S2", "2025S1")
NEW_PERIODS = ("2025S2", "2026S1")
OLD_GROUP = "XA-BK-CU"
NEW_GROUP = "XA-TN-BK"

LOGINS = (
    DemoLogin("tonghop-tn", Role.COMPILER, TN_DEPARTMENT_CODE, "Chuyên viên tổng hợp Sở KH&CN Thái Nguyên"),
    DemoLogin("lanhdao-tn", Role.LEADER, TN_DEPARTMENT_CODE, "Lãnh đạo Sở KH&CN Thái Nguyên (tài khoản mẫu)"),
)
LOGINS_USERNAMES = [login.username for login in LOGINS]


@dataclass(frozen=True)
class XaIndicator:
    code: str
    name: str
    unit_of_measure: str
    low: int  # a typical half-year figure of one old commune
    high: int
    value_type: str = ValueType.INTEGER
    aggregation: str = Aggregation.SUM
    max_value: int | None = None


SECTIONS: tuple[tuple[str, str, str, tuple[XaIndicator, ...]], ...] = (
    ("I", "KHCN-XA", "Khoa học, công nghệ và đổi mới sáng tạo", (
        XaIndicator("XA_SCI_MODELS", "Mô hình ứng dụng tiến bộ khoa học, công nghệ", "mô hình", 0, 3),
        XaIndicator("XA_SCI_TRAINEES", "Lượt người được tập huấn, chuyển giao kỹ thuật", "lượt", 40, 220),
    )),
    ("II", "CDS-XA", "Chuyển đổi số", (
        XaIndicator("XA_CDT_MEMBERS", "Thành viên Tổ Công nghệ số cộng đồng", "người", 8, 30),
        XaIndicator("XA_ONLINE_RECORDS", "Hồ sơ thủ tục hành chính tiếp nhận trực tuyến", "hồ sơ", 120, 900),
        XaIndicator("XA_VNEID_GUIDED", "Lượt người dân được hướng dẫn sử dụng định danh điện tử", "lượt", 80, 600),
        XaIndicator("XA_ONLINE_PCT", "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến", "%", 18, 45,
                    value_type=ValueType.PERCENT, aggregation=Aggregation.AVERAGE, max_value=100),
    )),
)
INDICATORS = {ind.code: ind for _, _, _, specs in SECTIONS for ind in specs}
NARRATIVES = (
    ("RESULTS", NarrativeKind.RESULTS, "Kết quả thực hiện"),
    ("DIFFICULTIES", NarrativeKind.DIFFICULTIES, "Khó khăn, vướng mắc"),
    ("PROPOSALS", NarrativeKind.PROPOSALS, "Đề xuất, kiến nghị"),
)
# Growth of a commune's figures across the demo periods (old communes), and of a new commune's over
# the sum of its predecessors' 2025S1 figures.
OLD_GROWTH = {"2024S1": Decimal("1.00"), "2024S2": Decimal("1.06"), "2025S1": Decimal("1.12")}
NEW_GROWTH = {"2025S2": Decimal("1.05"), "2026S1": Decimal("1.10")}
PCT_GAIN = {"2024S1": 0, "2024S2": 4, "2025S1": 8, "2025S2": 12, "2026S1": 17}

REGIME_NAME = "Báo cáo 6 tháng về khoa học, công nghệ và chuyển đổi số cấp xã"
# The legal basis is cited in the report's opening sentence, so it reads as a real one; that the regime
# is made up for the demo is said in its content (shown on the regime's page, never printed).
LEGAL_BASIS = (
    "Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo của cơ quan hành chính "
    "nhà nước; chức năng, nhiệm vụ của Sở Khoa học và Công nghệ."
)
REGIME_CONTENT = (
    "Kết quả ứng dụng khoa học, công nghệ và chuyển đổi số của xã, phường, thị trấn trong 6 tháng: số liệu theo "
    "biểu mẫu BC-XA và thuyết minh kết quả, khó khăn, vướng mắc, đề xuất, kiến nghị (chế độ báo cáo minh họa của "
    "dữ liệu mẫu)."
)


# ---------------------------------------------------------------------------
# Entry point


def load_reorganisation(*, admin: User) -> None:
    """Everything after 2022, in the caller's transaction (the demo loads in one)."""
    bk_department = _merge_the_department(admin)
    _import_the_reorganisation(admin)
    _dissolve_district_offices(admin)
    tn_department = _merge_into_thai_nguyen(admin, bk_department)
    _load_issuer_profiles(bk_department, tn_department)
    old_communes, new_communes = _communes()
    groups = _load_groups(old_communes, new_communes)
    form_version = _load_form(tn_department)
    regime = _load_regime(tn_department, form_version.form, groups)
    _load_outline(regime)
    _load_submissions(regime, admin, old_communes, new_communes)
    for login in LOGINS:
        _ensure_user(login, unit=tn_department)


# ---------------------------------------------------------------------------
# Units and events


def _merge_the_department(admin: User) -> OrgUnit:
    """STTTT merged into the new SKHCN-BK on 1 March 2025; its divisions end with it."""
    department = OrgUnit.objects.get(code=DEPARTMENT_CODE)
    province = department.parent
    successor = orgunit_create(acting_user=admin, code=BK_DEPARTMENT_CODE, name="Sở Khoa học và Công nghệ tỉnh Bắc Kạn",
                               short_name="Sở KH&CN Bắc Kạn", kind=UnitKind.DEPARTMENT, parent=province,
                               valid_from=MERGER_DAY)
    divisions = list(OrgUnit.objects.filter(parent=department, kind=UnitKind.DIVISION))
    reorg_event_record(acting_user=admin, kind=ReorgKind.MERGE, effective=MERGER_DAY,
                       links=[LinkSpec(department, successor)], ends=divisions, legal_basis=MERGER_BASIS,
                       note="Sở Thông tin và Truyền thông hợp nhất vào Sở Khoa học và Công nghệ tỉnh Bắc Kạn")
    return successor


def _import_the_reorganisation(admin: User) -> None:
    """Old Thái Nguyên's GSO units, then the official 2025 files for the new province 19."""
    orgunits_import_gso(acting_user=admin, districts_file=TN_DISTRICTS_FILE, wards_file=TN_WARDS_FILE,
                        province_code=OLD_THAI_NGUYEN_CODE)
    reorganisation_import_2025(acting_user=admin, provinces_file=PROVINCES_FILE, wards_file=WARDS_2025_FILE,
                               mapping_file=MAPPING_FILE)


def _dissolve_district_offices(admin: User) -> None:
    """The demo's Phòng VHTT and Trung tâm VH-TT-TT end with the district level on 30 June 2025."""
    offices = list(OrgUnit.objects.filter(kind__in=(UnitKind.DISTRICT_OFFICE, UnitKind.MEDIA_CENTRE),
                                          parent__in=_old_units(DISTRICTS_FILE, UnitKind.PEOPLES_COMMITTEE),
                                          valid_to__isnull=True))
    reorg_event_record(acting_user=admin, kind=ReorgKind.DISSOLVE, effective=COMMUNE_FIRST_DAY, ends=offices,
                       legal_basis=DISTRICT_END_BASIS,
                       note="Kết thúc hoạt động của các phòng, trung tâm cấp huyện tỉnh Bắc Kạn")


def _codes(path: Path) -> list[str]:
    """The codes (column «Mã») of a committed GSO extract."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row["Mã"] for row in csv.DictReader(handle)]


def _merge_into_thai_nguyen(admin: User, bk_department: OrgUnit) -> OrgUnit:
    province = unit_by_code(NEW_PROVINCE_CODE, on=COMMUNE_FIRST_DAY,
                            queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE))
    if province is None:  # the import above creates it
        raise AppError("Không tìm thấy tỉnh Thái Nguyên mới (mã 19) sau khi nhập dữ liệu sắp xếp năm 2025.")
    successor = orgunit_create(acting_user=admin, code=TN_DEPARTMENT_CODE,
                               name="Sở Khoa học và Công nghệ tỉnh Thái Nguyên", short_name="Sở KH&CN Thái Nguyên",
                               kind=UnitKind.DEPARTMENT, parent=province, valid_from=COMMUNE_FIRST_DAY)
    bk_department.refresh_from_db()
    reorg_event_record(acting_user=admin, kind=ReorgKind.MERGE, effective=COMMUNE_FIRST_DAY,
                       links=[LinkSpec(bk_department, successor)], legal_basis=PROVINCE_MERGER_BASIS,
                       note="Sở Khoa học và Công nghệ tỉnh Bắc Kạn hợp nhất vào Sở Khoa học và Công nghệ tỉnh "
                            "Thái Nguyên")
    return successor


def _load_issuer_profiles(bk_department: OrgUnit, tn_department: OrgUnit) -> None:
    from baocao.consolidation.issuers import issuer_profile_ensure

    issuer_profile_ensure(
        bk_department, MERGER_DAY, valid_to=COMMUNE_LAST_DAY,
        parent_body="UBND TỈNH BẮC KẠN", agency_name="SỞ KHOA HỌC VÀ CÔNG NGHỆ", agency_code="SKHCN",
        place_name="Bắc Kạn", signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
        recipients=["Bộ Khoa học và Công nghệ (b/c)", "TT Tỉnh ủy, HĐND, UBND tỉnh (b/c)",
                    "Giám đốc, các Phó Giám đốc Sở", "Các phòng, đơn vị thuộc Sở"],
        archive="VT, VP",
    )
    issuer_profile_ensure(
        tn_department, COMMUNE_FIRST_DAY,
        parent_body="UBND TỈNH THÁI NGUYÊN", agency_name="SỞ KHOA HỌC VÀ CÔNG NGHỆ", agency_code="SKHCN",
        place_name="Thái Nguyên", signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
        recipients=["Bộ Khoa học và Công nghệ (b/c)", "TT Tỉnh ủy, HĐND, UBND tỉnh (b/c)",
                    "Giám đốc, các Phó Giám đốc Sở", "UBND các xã, phường",
                    "Các phòng, đơn vị thuộc Sở"],
        archive="VT, VP",
    )


def _old_units(path: Path, kind: str) -> list[OrgUnit]:
    """Bắc Kạn's units of an extract as they stood on 30 June 2025 (a code alone names a new unit too)."""
    found = units_by_code(_codes(path), on=COMMUNE_LAST_DAY, queryset=OrgUnit.objects.filter(kind=kind))
    return sorted(found.values(), key=lambda unit: unit.code)


def _communes() -> tuple[list[OrgUnit], list[OrgUnit]]:
    """Bắc Kạn's 108 communes of 30 June 2025 and the communes formed from them on 1 July."""
    old = _old_units(WARDS_FILE, UnitKind.COMMUNE)
    new_ids = set(UnitLink.objects.filter(predecessor__in=old, effective=COMMUNE_FIRST_DAY)
                  .values_list("successor_id", flat=True))
    new = list(OrgUnit.objects.filter(pk__in=new_ids).order_by("code"))
    if len(old) != EXPECTED_COMMUNES or len(new) != EXPECTED_NEW_COMMUNES:
        raise AppError(f"Dữ liệu mẫu phải có {EXPECTED_COMMUNES} xã cũ của tỉnh Bắc Kạn và {EXPECTED_NEW_COMMUNES} xã "
                       f"mới hình thành từ các xã đó; tìm thấy {len(old)} và {len(new)}.",
                       {"old": len(old), "new": len(new)})
    return old, new


def _load_groups(old: list[OrgUnit], new: list[OrgUnit]) -> list[OrgUnitGroup]:
    old_group = OrgUnitGroup.objects.create(code=OLD_GROUP, name="Xã, phường, thị trấn tỉnh Bắc Kạn (trước 01/7/2025)")
    old_group.members.add(*old)
    new_group = OrgUnitGroup.objects.create(code=NEW_GROUP,
                                            name="Xã, phường tỉnh Thái Nguyên hình thành từ các xã của tỉnh Bắc Kạn")
    new_group.members.add(*new)
    return [old_group, new_group]


# ---------------------------------------------------------------------------
# Form, regime, outline


def _load_form(department: OrgUnit) -> FormVersion:
    form = Form.objects.create(code=FORM_CODE, owner=department,
                               name="Biểu mẫu báo cáo 6 tháng về khoa học, công nghệ và chuyển đổi số cấp xã")
    version = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED,
                                         published_at=_local(date(2024, 1, 8)),
                                         note="Ban hành kèm theo chế độ báo cáo BC-XA (dữ liệu mẫu).")
    last_order = Sector.objects.order_by("-order").values_list("order", flat=True).first() or 0
    sections = []
    for order, (section_code, sector_code, sector_name, specs) in enumerate(SECTIONS, start=1):
        sector, _ = Sector.objects.get_or_create(code=sector_code,
                                                 defaults={"name": sector_name, "order": last_order + order})
        sections.append((section_code, order, sector, f"{section_code}. {sector_name}", specs))
    add_sections(version, sections, NARRATIVES)
    return version


def _load_regime(department: OrgUnit, form: Form, groups: list[OrgUnitGroup]) -> ReportingRegime:
    outline = "\n".join(f"{code}. {name}" for code, _, name, _ in SECTIONS) + (
        "\n\nMỗi phần gồm: kết quả thực hiện; khó khăn, vướng mắc; đề xuất, kiến nghị."
    )
    regime = ReportingRegime.objects.create(
        code=REGIME_CODE, name=REGIME_NAME, legal_basis=LEGAL_BASIS, content=REGIME_CONTENT,
        receiving_unit=department, method=SendingMethod.SYSTEM, frequencies=["six_month"],
        cutoff_start_day=15, cutoff_end_day=14, deadline_rules={"six_month": {"month_offset": 0, "day": 20}},
        form=form, outline=outline,
    )
    regime.reporting_groups.set(groups)
    return regime


def _load_outline(regime: ReportingRegime) -> None:
    from baocao.consolidation.models import ReportOutline
    from baocao.consolidation.outline import default_parts

    # Letterhead, place, recipients and signer's titles: the issuer profile of the document's date.
    ReportOutline.objects.create(
        regime=regime,
        summary_template="Kết quả ứng dụng khoa học, công nghệ và chuyển đổi số cấp xã {period}"
                         "[ và phương hướng, nhiệm vụ {next_period}]",
        parts=default_parts([code for code, _, _, _ in SECTIONS]),
        headings={f"section:{code}": name for code, _, name, _ in SECTIONS},
        key_indicators={code: [spec.code for spec in specs] for code, _, _, specs in SECTIONS},
        type_code="BC",
    )


# ---------------------------------------------------------------------------
# Figures and submissions


def old_commune_values(code: str, period: str) -> dict[str, Decimal]:
    """An old commune's illustrative figures for one of OLD_PERIODS (deterministic)."""
    base = random.Random(f"baocao-demo-xa:{code}")
    noise = random.Random(f"baocao-demo-xa:{code}:{period}")
    values: dict[str, Decimal] = {}
    for spec in INDICATORS.values():
        typical = base.randint(spec.low, spec.high)
        if spec.value_type == ValueType.PERCENT:
            pct = Decimal(typical + PCT_GAIN[period]) + Decimal(noise.randint(0, 30)) / 10
            values[spec.code] = min(pct, Decimal(100))
        else:
            values[spec.code] = Decimal(round(typical * OLD_GROWTH[period]) + noise.randint(0, max(1, spec.low // 8)))
    return values


def new_commune_values(code: str, period: str, predecessors: list[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """A new commune's figures: near the sum (for a rate, the average) of its predecessors' 2025S1
    figures, share by share, grown a little."""
    before = [(share, old_commune_values(old, "2025S1")) for old, share in predecessors]
    noise = random.Random(f"baocao-demo-xa:{code}:{period}:new")
    values: dict[str, Decimal] = {}
    for spec in INDICATORS.values():
        if spec.value_type == ValueType.PERCENT:
            mean = sum((v[spec.code] for _, v in before), Decimal(0)) / len(before)
            gain = Decimal(PCT_GAIN[period] - PCT_GAIN["2025S1"]) + Decimal(noise.randint(0, 20)) / 10
            values[spec.code] = min((mean + gain).quantize(Decimal("0.1")), Decimal(100))
        else:
            summed = sum((share * v[spec.code] for share, v in before), Decimal(0))
            values[spec.code] = Decimal(round(summed * NEW_GROWTH[period]) + noise.randint(0, max(1, spec.low // 4)))
    return values


def _narratives(unit: OrgUnit, period: str, predecessor_count: int = 0) -> dict[str, str]:
    label = parse_period(period).label
    when = f"{label[0].lower()}{label[1:]}"
    formed = (f" (xã được sắp xếp từ {predecessor_count} xã, phường, thị trấn trước ngày 01/7/2025)"
              if predecessor_count else "")
    return {
        "I_RESULTS": f"{unit.name}{formed} đã triển khai các mô hình ứng dụng tiến bộ khoa học, công nghệ vào sản "
                     f"xuất nông, lâm nghiệp và tổ chức tập huấn, chuyển giao kỹ thuật cho người dân {when}.",
        "II_RESULTS": f"{unit.name} duy trì hoạt động của Tổ Công nghệ số cộng đồng, hướng dẫn người dân nộp hồ sơ "
                      f"trực tuyến và sử dụng định danh điện tử {when}.",
        "II_DIFFICULTIES": "Hạ tầng mạng ở một số thôn, bản vùng sâu còn hạn chế; kỹ năng số của một bộ phận người "
                           "dân chưa đáp ứng yêu cầu.",
        "II_PROPOSALS": "Đề nghị Sở Khoa học và Công nghệ tiếp tục hỗ trợ tập huấn kỹ năng số cho Tổ Công nghệ số "
                        "cộng đồng.",
    }


def _predecessors(new: list[OrgUnit]) -> dict[int, list[tuple[str, Decimal]]]:
    found: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for successor_id, code, share in (UnitLink.objects.filter(successor__in=new, effective=COMMUNE_FIRST_DAY)
                                      .values_list("successor_id", "predecessor__code", "share")
                                      .order_by("predecessor__code")):
        found[successor_id].append((code, share))
    return found


def _load_submissions(regime: ReportingRegime, admin: User, old: list[OrgUnit], new: list[OrgUnit]) -> None:
    predecessors = _predecessors(new)
    plan: list[tuple[str, list[OrgUnit]]] = [(p, old) for p in OLD_PERIODS] + [(p, new) for p in NEW_PERIODS]
    for period, units in plan:
        rp = regime_period(regime, period)
        expected = set(expected_units(regime=regime, day=rp.window_end).values_list("pk", flat=True))
        if expected != {u.pk for u in units}:  # the tree of the period decides who reports
            raise AppError(f"Kỳ {period} của {REGIME_CODE}: danh sách đơn vị báo cáo không đúng dữ liệu mẫu.",
                           {"period": period, "expected": len(expected), "units": len(units)})
        if rp.deadline is None:  # the demo regime sets a deadline for its frequency
            raise TypeError(f"the demo regime has no deadline for {period}")
        for unit in units:
            if unit.pk in predecessors:
                values = new_commune_values(unit.code, period, predecessors[unit.pk])
                texts = _narratives(unit, period, len(predecessors[unit.pk]))
            else:
                values = old_commune_values(unit.code, period)
                texts = _narratives(unit, period)
            submission = submission_get_or_create(regime=regime, period=period, unit=unit, acting_user=admin)
            submission_save_draft(submission=submission, acting_user=admin, values=dict(values), narratives=texts)
            submission_submit(submission=submission, acting_user=admin)
            submission_approve(submission=submission, acting_user=admin)
            _backdate(submission, unit, period, rp.deadline)


def _backdate(submission: Submission, unit: OrgUnit, period: str, deadline: date) -> None:
    """Plausible moments before each deadline (see loader._backdate: no service may rewrite history)."""
    rng = random.Random(f"baocao-demo-xa-time:{unit.code}:{unit.pk}:{period}")
    sent_day = _working_day_before(deadline, rng.randint(1, 8))
    sent = _local(sent_day, rng.randint(8, 16), rng.randint(0, 59))
    created = _local(_working_day_before(sent_day, rng.randint(2, 6)), rng.randint(8, 10), rng.randint(0, 59))
    reviewed = _local(_working_day_after(sent_day, rng.randint(1, 3)), rng.randint(8, 16), rng.randint(0, 59))
    Submission.objects.filter(pk=submission.pk).update(
        created_at=created, first_submitted_at=sent, submitted_at=sent, reviewed_at=reviewed, updated_at=reviewed,
        note=ILLUSTRATIVE_NOTE,
    )


def summary() -> dict[str, Any]:
    """What the 2025–2026 part holds (for the demo's summary)."""
    regime = ReportingRegime.objects.get(code=REGIME_CODE)
    rp = regime_period(regime, NEW_PERIODS[-1])
    return {
        "regime": REGIME_CODE,
        "receiving_unit": regime.receiving_unit.name,
        "old_communes": OrgUnitGroup.objects.get(code=OLD_GROUP).members.count(),
        "new_communes": expected_units(regime=regime, day=rp.window_end).count(),
        "approved_submissions": Submission.objects.filter(regime=regime, status="approved").count(),
        "old_periods": list(OLD_PERIODS),
        "new_periods": list(NEW_PERIODS),
        "logins": [login.username for login in LOGINS],
    }
