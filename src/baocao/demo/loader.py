"""The Bắc Kạn demo: the Department of Information and Communications as of 2022 (BRIEF §6).

Loads the province's units from the committed GSO extract, the department and its reporting
units, the BC-TTTT form and regime, approved reports for 2021S1, 2021 and 2022S1 made through the
real submission services, and demo logins. Figures the seed page states are exact (Thanh tra Sở,
6 tháng đầu năm 2022); every other figure is illustrative and each report says so in its note.

Everything is loaded in one transaction. A second run finds the regime and changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, Q

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.consolidation.models import Target
from baocao.consolidation.services import target_set
from baocao.core.errors import AppError
from baocao.core.expressions import parse_rule
from baocao.demo.common import (  # noqa: F401 - DEMO_PASSWORD and ILLUSTRATIVE_NOTE are read from here too
    DATA_DIR,
    DEMO_PASSWORD,
    ILLUSTRATIVE_NOTE,
    DemoLogin,
    _ensure_user,
    _local,
    _working_day_after,
    _working_day_before,
    add_sections,
)
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.lineage import parents_on
from baocao.orgunits.models import OrgUnit, OrgUnitGroup, UnitLink
from baocao.orgunits.services import orgunit_create, orgunits_import_gso
from baocao.reporting.choices import (
    Aggregation,
    FormVersionStatus,
    NarrativeKind,
    SendingMethod,
    Severity,
    ValueType,
)
from baocao.reporting.models import (
    Form,
    FormVersion,
    ReportingRegime,
    Sector,
    ValidationRule,
)
from baocao.reporting.periods import parse_period
from baocao.reporting.selectors import regime_period
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.selectors import expected_units
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_save_draft,
    submission_submit,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

DISTRICTS_FILE = DATA_DIR / "gso-districts-bac-kan.csv"
WARDS_FILE = DATA_DIR / "gso-wards-bac-kan.csv"

PROVINCE_CODE = "06"
EXPECTED_COMMUNES = 108
DEPARTMENT_CODE = "STTTT"
FORM_CODE = "BC-TTTT"
REGIME_CODE = "BC-TTTT"
PERIODS = ("2021S1", "2021", "2022S1")

SEED_NOTE = (
    "Số liệu 01 cuộc thanh tra, 02 đơn kiến nghị, 0 quyết định xử phạt theo tin Hội nghị sơ kết "
    "6 tháng đầu năm 2022 (07/7/2022); các số liệu khác là minh họa."
)
SEED_UNIT, SEED_PERIOD = "STTTT-TTRA", "2022S1"
# Two units that sent their 2021 annual report after the deadline, so the monitor has something to show.
LATE_2021 = ("062-TTVH", "MOBIFONE-BK")

DIVISIONS = (
    ("STTTT-VP", "Văn phòng Sở"),
    ("STTTT-TTRA", "Thanh tra Sở"),
    ("STTTT-TTBCXB", "Phòng Thông tin – Báo chí – Xuất bản"),
    ("STTTT-BCVT", "Phòng Bưu chính – Viễn thông"),
    ("STTTT-CNTT", "Phòng Công nghệ thông tin"),
)
ENTERPRISES = (
    ("VNPT-BK", "Viễn thông Bắc Kạn (VNPT)"),
    ("VIETTEL-BK", "Viettel Bắc Kạn"),
    ("MOBIFONE-BK", "MobiFone Bắc Kạn"),
    ("BDT-BK", "Bưu điện tỉnh Bắc Kạn"),
    ("VTPOST-BK", "Viettel Post Bắc Kạn"),
)
TELECOMS = ("VNPT-BK", "VIETTEL-BK", "MOBIFONE-BK")
POSTS = ("BDT-BK", "VTPOST-BK")
SECTORS = (
    ("TTBCXB", "Thông tin – Báo chí – Xuất bản"),
    ("BCVT", "Bưu chính – Viễn thông"),
    ("CNTT", "Công nghệ thông tin (chuyển đổi số)"),
    ("TTRA", "Thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo"),
    ("HUYEN", "Quản lý nhà nước về thông tin và truyền thông tại các huyện, thành phố"),
)
# Leading words of district-level names, lower-cased inside "Phòng Văn hóa và Thông tin huyện …".
LEVEL_PREFIXES = ("Thành phố", "Thị xã", "Huyện", "Quận")


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit_of_measure: str
    value_type: str = ValueType.INTEGER
    aggregation: str = Aggregation.SUM
    max_value: int | None = None


I_ = IndicatorSpec
SECTIONS: tuple[tuple[str, str, tuple[IndicatorSpec, ...]], ...] = (
    ("I", "TTBCXB", (
        I_("PRESS_PORTAL_NEWS", "Tin, bài đăng trên Cổng Thông tin điện tử tỉnh", "tin"),
        I_("PRESS_BRIEFINGS", "Cuộc họp báo, giao ban báo chí", "cuộc"),
        I_("PUB_LICENCES", "Giấy phép xuất bản tài liệu không kinh doanh đã cấp", "giấy phép"),
        I_("FI_AWARD_ENTRIES", "Tác phẩm dự Giải báo chí về Thông tin đối ngoại", "tác phẩm"),
    )),
    ("II", "BCVT", (
        I_("POST_POINTS", "Điểm phục vụ bưu chính", "điểm"),
        I_("BTS_TOTAL", "Trạm thu phát sóng thông tin di động (BTS)", "trạm"),
        I_("BTS_4G", "Trạm BTS 4G", "trạm"),
        I_("BTS_5G", "Trạm BTS 5G", "trạm"),
        I_("MOBILE_BB_SUBS", "Thuê bao băng rộng di động", "thuê bao"),
        I_("FIXED_BB_SUBS", "Thuê bao băng rộng cố định", "thuê bao"),
        # Coverage is a province-wide figure each operator reports for itself: the best one counts.
        I_("VILLAGES_COVERED", "Thôn, bản có sóng thông tin di động", "thôn", aggregation=Aggregation.MAX),
        I_("DRILLS", "Cuộc diễn tập bảo đảm thông tin liên lạc", "cuộc"),
    )),
    ("III", "CNTT", (
        I_("DX_ONLINE_APPS_PCT", "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến", "%",
           value_type=ValueType.PERCENT, aggregation=Aggregation.AVERAGE, max_value=100),
        I_("CDT_TEAMS", "Tổ Công nghệ số cộng đồng đã thành lập", "tổ"),
        I_("CDT_MEMBERS", "Thành viên Tổ Công nghệ số cộng đồng", "người"),
        I_("CASHLESS_SCHOOLS_HOSPITALS", "Trường học, bệnh viện chấp nhận thanh toán không dùng tiền mặt", "cơ sở"),
        I_("DBI_ENTERPRISES", "Doanh nghiệp tự đánh giá mức độ chuyển đổi số (DBI)", "doanh nghiệp"),
        I_("COMMUNE_LEADERS_TRAINED", "Lãnh đạo UBND cấp xã được bồi dưỡng về chuyển đổi số", "người"),
    )),
    ("IV", "TTRA", (
        I_("INSP_COUNT", "Cuộc thanh tra", "cuộc"),
        I_("CHECK_COUNT", "Cuộc kiểm tra", "cuộc"),
        I_("PET_RECEIVED", "Đơn khiếu nại, tố cáo, kiến nghị, phản ánh tiếp nhận", "đơn"),
        I_("PET_RESOLVED", "Đơn đã giải quyết", "đơn"),
        I_("SANCTION_DECISIONS", "Quyết định xử phạt vi phạm hành chính", "quyết định"),
        I_("SANCTION_AMOUNT", "Số tiền xử phạt vi phạm hành chính", "đồng", value_type=ValueType.DECIMAL),
    )),
    ("V", "HUYEN", (
        I_("DIST_PORTAL_NEWS", "Tin, bài đăng trên Cổng Thông tin điện tử huyện, thành phố", "tin"),
        I_("RADIO_STATIONS", "Đài truyền thanh cấp xã", "đài"),
        I_("RADIO_IP_STATIONS", "Đài truyền thanh cấp xã ứng dụng công nghệ thông tin – viễn thông", "đài"),
        I_("RADIO_UPGRADED", "Đài truyền thanh cấp xã được đầu tư, nâng cấp", "đài"),
        I_("PROPAGANDA_MATERIALS", "Tài liệu tuyên truyền đã cung cấp cho cơ sở", "bản"),
    )),
)
SECTOR_NAMES = dict(SECTORS)
SECTION_SECTORS = {section: sector for section, sector, _ in SECTIONS}
NARRATIVES = (
    ("RESULTS", NarrativeKind.RESULTS, "Kết quả thực hiện"),
    ("DIFFICULTIES", NarrativeKind.DIFFICULTIES, "Khó khăn, vướng mắc"),
    ("PROPOSALS", NarrativeKind.PROPOSALS, "Đề xuất, kiến nghị"),
    ("NEXT_TASKS", NarrativeKind.NEXT_TASKS, "Phương hướng, nhiệm vụ kỳ tới"),
)
RULES = (
    ("R_PET", "PET_RESOLVED <= PET_RECEIVED", Severity.ERROR,
     "Số đơn đã giải quyết không được lớn hơn số đơn tiếp nhận."),
    ("R_BTS", "BTS_4G + BTS_5G <= BTS_TOTAL", Severity.ERROR,
     "Tổng số trạm BTS 4G và 5G không được lớn hơn tổng số trạm BTS."),
    ("R_RADIO", "RADIO_IP_STATIONS <= RADIO_STATIONS", Severity.ERROR,
     "Số đài truyền thanh ứng dụng CNTT – viễn thông không được lớn hơn tổng số đài truyền thanh cấp xã."),
    ("R_SANCTION", "SANCTION_AMOUNT = 0 or SANCTION_DECISIONS > 0", Severity.WARNING,
     "Có số tiền xử phạt nhưng chưa có quyết định xử phạt."),
)

REGIME_NAME = "Báo cáo sơ kết, tổng kết công tác thông tin và truyền thông"
LEGAL_BASIS = (
    "Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ quy định về chế độ báo cáo của cơ quan "
    "hành chính nhà nước; chức năng, nhiệm vụ của Sở Thông tin và Truyền thông tỉnh Bắc Kạn."
)
REGIME_CONTENT = (
    "Kết quả thực hiện nhiệm vụ quản lý nhà nước về thông tin và truyền thông trong kỳ: số liệu theo "
    "biểu mẫu BC-TTTT và thuyết minh kết quả, khó khăn, vướng mắc, đề xuất, kiến nghị, phương hướng, "
    "nhiệm vụ kỳ tới của từng lĩnh vực."
)




LOGINS = (
    DemoLogin("admin", Role.ADMIN, DEPARTMENT_CODE, "Quản trị hệ thống", staff=True),
    DemoLogin("tonghop", Role.COMPILER, DEPARTMENT_CODE, "Chuyên viên tổng hợp Văn phòng Sở"),
    DemoLogin("lanhdao", Role.LEADER, DEPARTMENT_CODE, "Hà Văn Tiến"),
    DemoLogin("thanhtra", Role.INSPECTORATE, DEPARTMENT_CODE, "Cán bộ Thanh tra Sở"),
    DemoLogin("babe", Role.REPORTER, "061-VHTT", "Cán bộ Phòng Văn hóa và Thông tin huyện Ba Bể"),
    DemoLogin("nari", Role.REPORTER, "066-VHTT", "Cán bộ Phòng Văn hóa và Thông tin huyện Na Rì"),
)


# ---------------------------------------------------------------------------
# Entry point


def demo_load(*, stdout: SupportsWrite[str] | None = None) -> dict[str, Any]:
    """Load the Bắc Kạn demo once; later calls find it and write nothing. Returns a summary.

    Two parts, each loaded when its regime is missing: the 2021–2022 story (BC-TTTT) and its sequel
    through the 2025 reorganisation (BC-XA, reorganisation_demo.py), all in one transaction."""
    from baocao.demo import reorganisation_demo

    loaded = False
    with transaction.atomic():
        if not ReportingRegime.objects.filter(code=REGIME_CODE).exists():
            _load()
            loaded = True
        if not ReportingRegime.objects.filter(code=reorganisation_demo.REGIME_CODE).exists():
            reorganisation_demo.load_reorganisation(admin=User.objects.get(username=LOGINS[0].username))
            loaded = True
        if loaded:
            _load_targets(admin=User.objects.get(username=LOGINS[0].username))
            _flag_illustrative()
    summary = _summary(loaded=loaded)
    if stdout is not None:
        _print_summary(stdout, summary)
    return summary


# The year's planned values (chỉ tiêu kế hoạch) of the key indicators the leaders' desks chart,
# for today's department; illustrative. The 2022 department has none: its report is the seed's, which
# compares with the year before, not with a plan.
DEMO_TARGETS = {
    ("SKHCN-TN", 2026): {"XA_SCI_MODELS": 480, "XA_SCI_TRAINEES": 36000, "XA_CDT_MEMBERS": 2600,
                         "XA_ONLINE_RECORDS": 130000, "XA_VNEID_GUIDED": 90000, "XA_ONLINE_PCT": 60},
}


def _load_targets(*, admin: User) -> None:
    """Set the demo's year targets through the service the targets page uses (audited)."""
    for (unit_code, year), values in DEMO_TARGETS.items():
        unit = OrgUnit.objects.filter(code=unit_code).first()
        if unit is None or Target.objects.filter(unit=unit, year=year).exists():
            continue
        for code, value in values.items():
            target_set(acting_user=admin, unit=unit, year=year, indicator_code=code, value=Decimal(value),
                       note=ILLUSTRATIVE_NOTE)


def _flag_illustrative() -> None:
    """Everything the demo made up is flagged (the browser shows a «minh họa» badge; the documents
    print nothing): every demo report but the seed's exact one, the made-up cases, the conference
    (its place, hour and opinions are invented), the plans and their tasks."""
    from baocao.cases.models import Case
    from baocao.demo import reorganisation_demo
    from baocao.meetings.models import Meeting
    from baocao.work.models import Plan, Task

    (Submission.objects.filter(regime__code__in=(REGIME_CODE, reorganisation_demo.REGIME_CODE))
     .exclude(unit__code=SEED_UNIT, period=SEED_PERIOD).update(illustrative=True))
    from baocao.demo.cases_demo import ILLUSTRATIVE_NOTE as CASE_NOTE

    Case.objects.filter(note=CASE_NOTE).update(illustrative=True)
    Meeting.objects.filter(regime__code=REGIME_CODE).update(illustrative=True)
    Plan.objects.filter(owner__code=DEPARTMENT_CODE).update(illustrative=True)
    Task.objects.filter(Q(plan__owner__code=DEPARTMENT_CODE) | Q(conclusion__meeting__regime__code=REGIME_CODE)
                        ).update(illustrative=True)


def _load() -> None:
    admin = _ensure_user(LOGINS[0], unit=None)
    _load_units(admin)
    department = OrgUnit.objects.get(code=DEPARTMENT_CODE)
    if admin.unit_id is None:
        admin.unit = department
        admin.save(update_fields=["unit"])
    groups = _load_groups()
    form_version = _load_form(department)
    regime = _load_regime(department, form_version.form, groups)
    _load_outline(regime)
    _load_submissions(regime, admin)
    for login in LOGINS[1:]:
        _ensure_user(login, unit=OrgUnit.objects.get(code=login.unit_code))
    from baocao.demo.review_cycle import load_review_cycle

    load_review_cycle(regime=regime, admin=admin)


# ---------------------------------------------------------------------------
# Units


def _unit(admin: User, *, code: str, name: str, kind: str, parent: OrgUnit, short_name: str = "") -> OrgUnit:
    existing = OrgUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    return orgunit_create(acting_user=admin, code=code, name=name, kind=kind, parent=parent, short_name=short_name)


def district_phrase(name: str) -> str:
    """"Huyện Ba Bể" -> "huyện Ba Bể", "Thành phố Bắc Kạn" -> "thành phố Bắc Kạn" (inside a name)."""
    for prefix in LEVEL_PREFIXES:
        if name.lower().startswith(prefix.lower() + " "):
            return prefix.lower() + name[len(prefix):]
    return name


def _load_units(admin: User) -> OrgUnit:
    orgunits_import_gso(acting_user=admin, districts_file=DISTRICTS_FILE, wards_file=WARDS_FILE,
                        province_code=PROVINCE_CODE)
    province = OrgUnit.objects.get(code=PROVINCE_CODE)
    communes = OrgUnit.objects.within(province).filter(kind=UnitKind.COMMUNE).count()
    if communes != EXPECTED_COMMUNES:
        raise AppError(f"Dữ liệu mẫu phải có {EXPECTED_COMMUNES} xã, phường, thị trấn của tỉnh Bắc Kạn; "
                       f"tìm thấy {communes}.", {"communes": communes})

    department = _unit(admin, code=DEPARTMENT_CODE, name="Sở Thông tin và Truyền thông tỉnh Bắc Kạn",
                       short_name="Sở TTTT", kind=UnitKind.DEPARTMENT, parent=province)
    for code, name in DIVISIONS:
        _unit(admin, code=code, name=name, kind=UnitKind.DIVISION, parent=department)
    for district in OrgUnit.objects.filter(parent=province, kind=UnitKind.PEOPLES_COMMITTEE).order_by("code"):
        where = district_phrase(district.name)
        _unit(admin, code=f"{district.code}-VHTT", name=f"Phòng Văn hóa và Thông tin {where}",
              short_name=f"Phòng VHTT {where}", kind=UnitKind.DISTRICT_OFFICE, parent=district)
        _unit(admin, code=f"{district.code}-TTVH", name=f"Trung tâm Văn hóa, Thể thao và Truyền thông {where}",
              short_name=f"Trung tâm VHTTTT {where}", kind=UnitKind.MEDIA_CENTRE, parent=district)
    for code, name in ENTERPRISES:
        _unit(admin, code=code, name=name, kind=UnitKind.ENTERPRISE, parent=province)
    return province


def _load_groups() -> dict[str, OrgUnitGroup]:
    districts = [f"{code}" for code in OrgUnit.objects.filter(
        parent__code=PROVINCE_CODE, kind=UnitKind.PEOPLES_COMMITTEE).values_list("code", flat=True)]
    specs = (
        ("DN-VT", "Doanh nghiệp viễn thông", list(TELECOMS)),
        ("DN-BC", "Doanh nghiệp bưu chính", list(POSTS)),
        ("HUYEN-VHTT", "Phòng Văn hóa và Thông tin cấp huyện", [f"{d}-VHTT" for d in districts]),
        ("HUYEN-TTVH", "Trung tâm VH-TT-TT cấp huyện", [f"{d}-TTVH" for d in districts]),
        ("SO-PHONG", "Phòng chuyên môn thuộc Sở", ["STTTT-TTRA", "STTTT-TTBCXB", "STTTT-BCVT", "STTTT-CNTT"]),
    )
    groups: dict[str, OrgUnitGroup] = {}
    for code, name, member_codes in specs:
        group, _ = OrgUnitGroup.objects.get_or_create(code=code, defaults={"name": name})
        group.members.add(*OrgUnit.objects.filter(code__in=member_codes))
        groups[code] = group
    return groups


# ---------------------------------------------------------------------------
# Form and regime


def _load_form(department: OrgUnit) -> FormVersion:
    sectors = {}
    for order, (code, name) in enumerate(SECTORS, start=1):
        sectors[code], _ = Sector.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    form, _ = Form.objects.get_or_create(
        code=FORM_CODE,
        defaults={"name": "Đề cương báo cáo sơ kết, tổng kết công tác thông tin và truyền thông", "owner": department},
    )
    version = FormVersion.objects.create(
        form=form, number=1, status=FormVersionStatus.PUBLISHED, published_at=_local(date(2021, 1, 4)),
        note="Ban hành kèm theo chế độ báo cáo BC-TTTT (dữ liệu mẫu).",
    )
    add_sections(version, [(section_code, order, sectors[sector_code], f"{section_code}. {sectors[sector_code].name}",
                            specs)
                           for order, (section_code, sector_code, specs) in enumerate(SECTIONS, start=1)], NARRATIVES)
    for code, expression, severity, message in RULES:
        parse_rule(expression)  # a typo here must fail the load, not silently never fire
        ValidationRule.objects.create(form_version=version, code=code, expression=expression, severity=severity,
                                      message=message)
    return version


def _load_regime(department: OrgUnit, form: Form, groups: dict[str, OrgUnitGroup]) -> ReportingRegime:
    outline = "\n".join(f"{code}. {SECTOR_NAMES[sector]}" for code, sector, _ in SECTIONS) + (
        "\n\nMỗi phần gồm: kết quả thực hiện; khó khăn, vướng mắc; đề xuất, kiến nghị; "
        "phương hướng, nhiệm vụ kỳ tới."
    )
    regime = ReportingRegime.objects.create(
        code=REGIME_CODE, name=REGIME_NAME, legal_basis=LEGAL_BASIS, content=REGIME_CONTENT,
        receiving_unit=department, method=SendingMethod.SYSTEM, frequencies=["six_month", "annual"],
        cutoff_start_day=15, cutoff_end_day=14,
        deadline_rules={"six_month": {"month_offset": 0, "day": 20}, "annual": {"month_offset": 0, "day": 20}},
        form=form, outline=outline,
    )
    regime.reporting_groups.set([groups[c] for c in ("HUYEN-VHTT", "HUYEN-TTVH", "DN-VT", "DN-BC", "SO-PHONG")])
    return regime


def _load_outline(regime: ReportingRegime) -> None:
    """How the department's consolidated report reads (Decree 30 header, recipients, signer)."""
    from baocao.consolidation.models import ReportOutline
    from baocao.consolidation.outline import default_parts

    ReportOutline.objects.create(
        regime=regime,
        summary_template="Kết quả công tác thông tin và truyền thông {period}"
                         "[ và phương hướng, nhiệm vụ {next_period}]",
        parts=default_parts([code for code, _, _ in SECTIONS]),
        headings={f"section:{code}": SECTOR_NAMES[sector] for code, sector, _ in SECTIONS},
        key_indicators={
            "I": ["PRESS_PORTAL_NEWS", "PRESS_BRIEFINGS"],
            "II": ["BTS_TOTAL", "BTS_4G", "MOBILE_BB_SUBS"],
            "III": ["CDT_TEAMS", "CDT_MEMBERS", "COMMUNE_LEADERS_TRAINED"],
            "IV": ["INSP_COUNT", "PET_RECEIVED", "PET_RESOLVED"],
            "V": ["RADIO_STATIONS", "RADIO_IP_STATIONS", "RADIO_UPGRADED"],
        },
        # The letterhead, place, recipients, archive and signer's titles come from the department's
        # issuer profile of the document's date (_load_issuer_profile); the outline keeps the signer.
        type_code="BC",
        signer_name="Lô Quang Tuyến",
    )
    _load_issuer_profile(regime.receiving_unit)


def _load_issuer_profile(department) -> None:
    """The Sở TTTT Bắc Kạn's identity on its documents until it merged into the Sở KH&CN (1 March 2025)."""
    from baocao.consolidation.issuers import issuer_profile_ensure

    issuer_profile_ensure(
        department, date(2008, 4, 1), valid_to=date(2025, 2, 28),
        parent_body="UBND TỈNH BẮC KẠN", agency_name="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", agency_code="STTTT",
        place_name="Bắc Kạn", signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC",
        recipients=[
            "Bộ Thông tin và Truyền thông (b/c)",
            "TT Tỉnh ủy, HĐND, UBND tỉnh (b/c)",
            "Giám đốc, các Phó Giám đốc Sở",
            "Phòng VHTT, Trung tâm VH-TT-TT các huyện, thành phố",
            "Các phòng, đơn vị thuộc Sở",
        ],
        archive="VT, VP",
    )


# ---------------------------------------------------------------------------
# Submissions


def _scaled(rng: random.Random, low: int, high: int, annual: bool) -> int:
    """A flow figure for a half year, or roughly two halves for a year."""
    value = rng.randint(low, high)
    return value * 2 + rng.randint(-low // 4, low // 4) if annual else value


# Growth of stock figures (stations, subscriptions) across the demo periods.
STOCK_GROWTH = {"2021S1": 1.0, "2021": 1.04, "2022S1": 1.07}


def _values_district_office(unit: OrgUnit, period: str, rng: random.Random, communes: int) -> dict[str, Any]:
    annual = parse_period(period).frequency == "annual"
    base_ip = max(2, communes // 4)
    ip = min(communes, base_ip + {"2021S1": 0, "2021": 2, "2022S1": 4}[period])
    return {
        "RADIO_STATIONS": communes,
        "RADIO_IP_STATIONS": ip,
        "RADIO_UPGRADED": _scaled(rng, 1, 3, annual),
        "PROPAGANDA_MATERIALS": _scaled(rng, 150, 500, annual),
    }


def _values_media_centre(unit: OrgUnit, period: str, rng: random.Random) -> dict[str, Any]:
    annual = parse_period(period).frequency == "annual"
    return {
        "DIST_PORTAL_NEWS": _scaled(rng, 220, 560, annual),
        "PROPAGANDA_MATERIALS": _scaled(rng, 40, 160, annual),
    }


TELECOM_BASE = {
    # BTS, mobile broadband, fixed broadband, villages covered
    "VNPT-BK": (410, 86000, 24500, 1310),
    "VIETTEL-BK": (530, 172000, 17800, 1362),
    "MOBIFONE-BK": (220, 41000, 600, 1180),
}
POST_BASE = {"BDT-BK": 112, "VTPOST-BK": 38}


def _values_enterprise(unit: OrgUnit, period: str, rng: random.Random) -> dict[str, Any]:
    growth = STOCK_GROWTH[period]
    if unit.code in POST_BASE:
        return {"POST_POINTS": POST_BASE[unit.code] + rng.randint(0, 3)}
    bts, mobile, fixed, villages = TELECOM_BASE[unit.code]
    total = round(bts * growth) + rng.randint(0, 6)
    share_4g = {"2021S1": 0.68, "2021": 0.74, "2022S1": 0.8}[period]
    return {
        "BTS_TOTAL": total,
        "BTS_4G": round(total * share_4g),
        "BTS_5G": 0,
        "MOBILE_BB_SUBS": round(mobile * growth) + rng.randint(0, 900),
        "FIXED_BB_SUBS": round(fixed * growth) + rng.randint(0, 300),
        "VILLAGES_COVERED": villages + {"2021S1": 0, "2021": 6, "2022S1": 11}[period],
        "DRILLS": rng.randint(0, 1),
    }


def _values_division(unit: OrgUnit, period: str, rng: random.Random) -> dict[str, Any]:
    annual = parse_period(period).frequency == "annual"
    if unit.code == "STTTT-TTBCXB":
        return {
            "PRESS_PORTAL_NEWS": _scaled(rng, 900, 1300, annual),
            "PRESS_BRIEFINGS": 12 if annual else 6,
            "PUB_LICENCES": _scaled(rng, 14, 32, annual),
            "FI_AWARD_ENTRIES": {"2021S1": 0, "2021": 27, "2022S1": 34}[period],
        }
    if unit.code == "STTTT-BCVT":
        return {"VILLAGES_COVERED": 1362 + {"2021S1": 0, "2021": 6, "2022S1": 11}[period],
                "DRILLS": 1 if period == "2022S1" else 0}
    if unit.code == "STTTT-CNTT":
        return {
            "DX_ONLINE_APPS_PCT": {"2021S1": 18.6, "2021": 27.4, "2022S1": 41.3}[period],
            "CDT_TEAMS": {"2021S1": None, "2021": None, "2022S1": 16}[period],
            "CDT_MEMBERS": {"2021S1": None, "2021": None, "2022S1": 83}[period],
            "CASHLESS_SCHOOLS_HOSPITALS": {"2021S1": 9, "2021": 17, "2022S1": 38}[period],
            "DBI_ENTERPRISES": {"2021S1": None, "2021": None, "2022S1": 26}[period],
            "COMMUNE_LEADERS_TRAINED": {"2021S1": 0, "2021": 0, "2022S1": 212}[period],
        }
    if unit.code == SEED_UNIT and period == SEED_PERIOD:
        # The seed's own facts: 01 inspection (postal and courier activities), 02 petitions
        # received and resolved, no administrative sanction. Checks are not stated: left empty.
        return {"INSP_COUNT": 1, "PET_RECEIVED": 2, "PET_RESOLVED": 2, "SANCTION_DECISIONS": 0,
                "SANCTION_AMOUNT": 0}
    received = _scaled(rng, 1, 4, annual)
    decisions = rng.randint(0, 2)
    return {
        "INSP_COUNT": _scaled(rng, 1, 2, annual),
        "CHECK_COUNT": _scaled(rng, 2, 5, annual),
        "PET_RECEIVED": received,
        "PET_RESOLVED": received - rng.randint(0, min(1, received)),
        "SANCTION_DECISIONS": decisions,
        "SANCTION_AMOUNT": decisions * rng.choice((7_500_000, 10_000_000, 12_500_000, 15_000_000)),
    }


SEED_NARRATIVES: dict[str, dict[str, str]] = {
    "STTTT-TTBCXB": {
        "I_RESULTS": (
            "Sở bám sát tình hình thực tế để chỉ đạo, định hướng và quản lý thông tin trên báo chí, chủ động "
            "cung cấp thông tin cho các cơ quan báo chí. Đã tham mưu UBND tỉnh ban hành Kế hoạch hoạt động "
            "thông tin đối ngoại năm 2022, chú trọng giới thiệu tiềm năng, thế mạnh của tỉnh về văn hóa, du "
            "lịch, nông nghiệp, nông thôn; quảng bá sự kiện xúc tiến tiêu thụ bí xanh thơm và sản phẩm OCOP "
            "gắn với du lịch trải nghiệm, Tuần du lịch – di sản văn hóa Ba Bể năm 2022 và Lễ công bố di sản "
            "văn hóa phi vật thể quốc gia của tỉnh. Cùng Hội Nhà báo tỉnh tổ chức Giải báo chí về thông tin "
            "đối ngoại để khuyến khích tác giả nâng cao chất lượng tác phẩm."
        ),
    },
    "STTTT-BCVT": {
        "II_RESULTS": (
            "Sở yêu cầu các doanh nghiệp bưu chính, viễn thông giữ thông tin liên lạc thông suốt, an toàn, "
            "kịp thời cho các cơ quan Đảng, Nhà nước và người dân; sẵn sàng phục vụ phòng, chống thiên tai, "
            "tìm kiếm cứu nạn, phòng, chống dịch Covid-19 và các sự kiện lớn của tỉnh; tăng cường an toàn, an "
            "ninh khi cung ứng và sử dụng dịch vụ, chủ động phương án ứng phó thiên tai. Phối hợp với Cục Bưu "
            "điện Trung ương (Bộ Thông tin và Truyền thông) diễn tập xe thông tin chuyên dùng phục vụ phòng, "
            "chống thiên tai năm 2022."
        ),
    },
    "STTTT-CNTT": {
        "III_RESULTS": (
            "Tập trung tham mưu và tổ chức thực hiện Đề án tổng thể chuyển đổi số tỉnh Bắc Kạn giai đoạn "
            "2021–2025, định hướng đến năm 2030, các nhiệm vụ, dự án ưu tiên về chuyển đổi số năm 2022; "
            "Chương trình thúc đẩy phát triển và sử dụng các nền tảng số quốc gia; Kế hoạch triển khai Đề án "
            "xác định Chỉ số đánh giá mức độ chuyển đổi số doanh nghiệp; Kế hoạch hỗ trợ chuyển đổi số, thanh "
            "toán không dùng tiền mặt trong trường học, bệnh viện giai đoạn 2022–2025. Phối hợp với Bộ Thông "
            "tin và Truyền thông bồi dưỡng về chuyển đổi số cho lãnh đạo UBND cấp xã; thí điểm Tổ Công nghệ "
            "số cộng đồng ở xã, thôn."
        ),
    },
    SEED_UNIT: {
        "IV_RESULTS": (
            "Trong 6 tháng đầu năm 2022, Thanh tra Sở tiến hành 01 cuộc thanh tra việc chấp hành pháp luật "
            "trong hoạt động bưu chính, chuyển phát. Đã tiếp nhận và giải quyết xong 02 đơn kiến nghị của "
            "công dân liên quan đến dịch vụ bưu chính chuyển phát và việc xử lý thông tin không chính xác trên "
            "báo chí, mạng xã hội. Qua thanh tra, kiểm tra không phát hiện vi phạm phải xử phạt hành chính đối "
            "với cơ quan, tổ chức, cá nhân nào."
        ),
        "IV_DIFFICULTIES": (
            "Xác minh, xử lý thông tin không chính xác trên báo chí và mạng xã hội cần phối hợp với nhiều cơ "
            "quan, đơn vị nên còn mất nhiều thời gian."
        ),
        "IV_PROPOSALS": (
            "Đề nghị các doanh nghiệp bưu chính, chuyển phát tiếp tục tự rà soát việc chấp hành quy định "
            "pháp luật về bưu chính và trả lời kịp thời phản ánh của người sử dụng dịch vụ."
        ),
        "IV_NEXT_TASKS": (
            "Tiếp tục thanh tra, kiểm tra theo kế hoạch năm 2022; tiếp nhận, giải quyết kịp thời, đúng quy "
            "định các đơn khiếu nại, tố cáo, kiến nghị, phản ánh thuộc lĩnh vực thông tin và truyền thông."
        ),
    },
}
# The district offices and media centres wrote the same things in their own words (three ways of
# putting it, taken in turn), with their own figures (the values of their report) and, in some
# districts, a fact of their own: what the consolidation has to group, name and keep.
DISTRICT_OFFICE_2022S1 = (
    (
        "Phòng đã chủ động tham mưu UBND {where} và phối hợp với Sở Thông tin và Truyền thông trong công tác "
        "quản lý nhà nước về thông tin và truyền thông tại địa phương. Rà soát, xác định các nhiệm vụ, giải "
        "pháp và tổ chức triển khai các chương trình, kế hoạch, dự án phát triển thông tin và truyền thông ở "
        "cơ sở. Cung cấp kịp thời thông tin, tài liệu tuyên truyền theo hướng dẫn của Sở, trong đó có tuyên "
        "truyền về chuyển đổi số và phòng, chống dịch Covid-19. Trong kỳ đã đầu tư, nâng cấp {upgraded} đài "
        "truyền thanh cấp xã."
    ),
    (
        "Phòng tham mưu UBND {where}, phối hợp với Sở Thông tin và Truyền thông quản lý nhà nước về thông tin "
        "và truyền thông tại địa phương; rà soát các nhiệm vụ, giải pháp, triển khai chương trình, kế hoạch, "
        "dự án phát triển thông tin và truyền thông ở cơ sở; cung cấp thông tin, tài liệu tuyên truyền kịp "
        "thời theo hướng dẫn của Sở về chuyển đổi số, phòng, chống dịch Covid-19; đã đầu tư, nâng cấp "
        "{upgraded} đài truyền thanh cấp xã."
    ),
    (
        "Phòng đã chủ động phối hợp với Sở Thông tin và Truyền thông, tham mưu UBND {where} quản lý nhà nước "
        "về thông tin và truyền thông tại địa phương. Phòng chủ động rà soát nhiệm vụ, giải pháp và triển "
        "khai các chương trình, kế hoạch, dự án phát triển thông tin và truyền thông cơ sở. Đã cung cấp kịp "
        "thời thông tin, tài liệu tuyên truyền theo hướng dẫn của Sở, tập trung tuyên truyền về chuyển đổi số "
        "và phòng, chống dịch Covid-19. Đã đầu tư, nâng cấp {upgraded} đài truyền thanh cấp xã trong kỳ."
    ),
)
DISTRICT_OFFICE_OWN_2022S1 = {
    "Ba Bể": "Phối hợp tuyên truyền, quảng bá du lịch hồ Ba Bể và Lễ hội Lồng tồng năm 2022.",
    "Pác Nặm": ("Đề nghị các doanh nghiệp viễn thông khảo sát, lắp đặt trạm BTS cho các thôn vùng cao "
                "chưa có sóng thông tin di động ổn định."),
    "Chợ Đồn": "Phối hợp tổ chức lớp tập huấn sử dụng phần mềm quản lý văn bản cho 22 cán bộ cấp xã.",
    "Bắc Kạn": "Hoàn thành thí điểm Tổ Công nghệ số cộng đồng tại tất cả các phường, xã của thành phố.",
}
MEDIA_CENTRE_2022S1 = (
    (
        "Trung tâm duy trì hoạt động của Cổng Thông tin điện tử {where}, đưa tin đầy đủ, kịp thời về công tác "
        "chỉ đạo, điều hành của địa phương, đăng tải {news} tin, bài. Tham gia tuyên truyền về chuyển đổi số "
        "và phòng, chống dịch Covid-19."
    ),
    (
        "Trung tâm duy trì ổn định hoạt động của Cổng Thông tin điện tử {where}, đưa tin kịp thời, đầy đủ về "
        "công tác chỉ đạo, điều hành của địa phương với {news} tin, bài được đăng tải. Trung tâm tích cực "
        "tham gia tuyên truyền về chuyển đổi số, phòng, chống dịch Covid-19."
    ),
)


def _section_of(unit: OrgUnit) -> str:
    if unit.kind in (UnitKind.DISTRICT_OFFICE, UnitKind.MEDIA_CENTRE):
        return "V"
    if unit.kind == UnitKind.ENTERPRISE:
        return "II"
    return {"STTTT-TTBCXB": "I", "STTTT-BCVT": "II", "STTTT-CNTT": "III", "STTTT-TTRA": "IV"}[unit.code]


def _narratives(unit: OrgUnit, period: str, values: dict[str, Any] | None = None) -> dict[str, str]:
    if period == SEED_PERIOD:
        if unit.code in SEED_NARRATIVES:
            return SEED_NARRATIVES[unit.code]
        where = district_phrase(unit.parent.name) if unit.parent is not None else ""
        values = values or {}
        # The districts in turn, in the order of their codes: which of the ways of putting it.
        turn = sum(ord(ch) for ch in unit.code)
        if unit.kind == UnitKind.DISTRICT_OFFICE:
            text = DISTRICT_OFFICE_2022S1[turn % len(DISTRICT_OFFICE_2022S1)].format(
                where=where, upgraded=values.get("RADIO_UPGRADED", 0))
            own = next((fact for name, fact in DISTRICT_OFFICE_OWN_2022S1.items()
                        if unit.parent is not None and unit.parent.name.endswith(name)), "")
            return {"V_RESULTS": f"{text} {own}".strip()}
        if unit.kind == UnitKind.MEDIA_CENTRE:
            return {"V_RESULTS": MEDIA_CENTRE_2022S1[turn % len(MEDIA_CENTRE_2022S1)].format(
                where=where, news=values.get("DIST_PORTAL_NEWS", 0))}
    section = _section_of(unit)
    sector = SECTOR_NAMES[SECTION_SECTORS[section]]
    label = parse_period(period).label
    text = (f"{unit.name} đã thực hiện các nhiệm vụ thuộc lĩnh vực {sector[0].lower()}{sector[1:]} "
            f"{label[0].lower()}{label[1:]} theo kế hoạch.")
    return {f"{section}_RESULTS": text}


def _values(unit: OrgUnit, period: str, communes_by_district: dict[int, int]) -> dict[str, Any]:
    rng = random.Random(f"baocao-demo:{unit.code}:{period}")
    if unit.kind == UnitKind.DISTRICT_OFFICE:
        communes = communes_by_district.get(unit.parent_id, 0) if unit.parent_id is not None else 0
        values = _values_district_office(unit, period, rng, communes)
    elif unit.kind == UnitKind.MEDIA_CENTRE:
        values = _values_media_centre(unit, period, rng)
    elif unit.kind == UnitKind.ENTERPRISE:
        values = _values_enterprise(unit, period, rng)
    else:
        values = _values_division(unit, period, rng)
    return {code: value for code, value in values.items() if value is not None}


def _load_submissions(regime: ReportingRegime, admin: User) -> None:
    communes_by_district: dict[int, int] = {}
    for parent_id in OrgUnit.objects.filter(kind=UnitKind.COMMUNE, parent__parent__code=PROVINCE_CODE).values_list(
            "parent_id", flat=True):
        communes_by_district[parent_id] = communes_by_district.get(parent_id, 0) + 1
    for period in PERIODS:
        rp = regime_period(regime, period)
        units = list(expected_units(regime=regime, day=rp.window_end).select_related("parent").order_by("code"))
        for unit in units:
            submission = submission_get_or_create(regime=regime, period=period, unit=unit, acting_user=admin)
            values = _values(unit, period, communes_by_district)
            submission_save_draft(submission=submission, acting_user=admin, values=values,
                                  narratives=_narratives(unit, period, values))
            submission_submit(submission=submission, acting_user=admin)
            submission_approve(submission=submission, acting_user=admin)
            if rp.deadline is None:  # the demo regime sets a deadline for every frequency it uses
                raise TypeError(f"the demo regime has no deadline for {period}")
            _backdate(submission, unit, period, rp.deadline)


def _backdate(submission: Submission, unit: OrgUnit, period: str, deadline: date) -> None:
    """Historical demo data: the services stamp "now", but these reports were sent in 2021-2022.
    Put plausible moments before each deadline (after it for the LATE_2021 units) so the
    timeliness monitor reads like a real one. A queryset update, since no service may rewrite
    history."""
    rng = random.Random(f"baocao-demo-time:{unit.code}:{period}")
    if period == "2021" and unit.code in LATE_2021:
        sent_day = _working_day_after(deadline, rng.randint(2, 5))
    else:
        sent_day = _working_day_before(deadline, rng.randint(1, 8))
    sent = _local(sent_day, rng.randint(8, 16), rng.randint(0, 59))
    created = _local(_working_day_before(sent_day, rng.randint(2, 6)), rng.randint(8, 10), rng.randint(0, 59))
    reviewed = _local(_working_day_after(sent_day, rng.randint(1, 3)), rng.randint(8, 16), rng.randint(0, 59))
    note = SEED_NOTE if (unit.code, period) == (SEED_UNIT, SEED_PERIOD) else ILLUSTRATIVE_NOTE
    Submission.objects.filter(pk=submission.pk).update(
        created_at=created, first_submitted_at=sent, submitted_at=sent, reviewed_at=reviewed, updated_at=reviewed,
        note=note,
    )


# ---------------------------------------------------------------------------
# Users and summary


def _summary(*, loaded: bool) -> dict[str, Any]:
    from baocao.demo import reorganisation_demo

    province = OrgUnit.objects.get(code=PROVINCE_CODE, kind=UnitKind.PROVINCE)
    regime = ReportingRegime.objects.get(code=REGIME_CODE)
    rp = regime_period(regime, PERIODS[-1])
    in_province = units_of_province_on(province, rp.window_end)
    return {
        "loaded": loaded,
        "province": province.name,
        "districts": sum(1 for unit in in_province if unit.kind == UnitKind.PEOPLES_COMMITTEE),
        "communes": sum(1 for unit in in_province if unit.kind == UnitKind.COMMUNE),
        "units": len(in_province),
        "expected_units": expected_units(regime=regime, day=rp.window_end).count(),
        "approved_submissions": Submission.objects.filter(regime=regime, status=SubmissionStatus.APPROVED).count(),
        "periods": list(PERIODS),
        "logins": [login.username for login in LOGINS] + reorganisation_demo.LOGINS_USERNAMES,
        "reorganisation": reorganisation_demo.summary(),
    }


def units_of_province_on(province: OrgUnit, day: date) -> list[OrgUnit]:
    """The province and the units under it on `day`, by the tree of that day: Bắc Kạn's districts
    moved under the new Thái Nguyên on 12 June 2025, but in 2022 they were Bắc Kạn's."""
    moved = UnitLink.objects.filter(parent_before=province, effective__gt=day, predecessor_id=F("successor_id"))
    roots = [province, *OrgUnit.objects.filter(pk__in=moved.values("predecessor_id"))]
    candidates = {unit.pk: unit for root in roots for unit in OrgUnit.objects.within(root).valid_on(day)}
    parents = parents_on(candidates.values(), day)
    inside: dict[int, bool] = {province.pk: True}

    def belongs(pk: int | None) -> bool:
        chain: list[int] = []
        while pk is not None and pk not in inside:
            chain.append(pk)
            pk = parents.get(pk)
        answer = pk is not None and inside[pk]
        inside.update((link, answer) for link in chain)
        return answer

    return sorted((unit for pk, unit in candidates.items() if belongs(pk)), key=lambda unit: unit.path)


def _print_summary(stdout: SupportsWrite[str], summary: dict[str, Any]) -> None:
    write: Callable[[str], Any] = stdout.write
    if summary["loaded"]:
        write("Đã nạp dữ liệu mẫu: Sở Thông tin và Truyền thông tỉnh Bắc Kạn (2021–2022) và Sở Khoa học và "
              "Công nghệ tỉnh Thái Nguyên sau sắp xếp năm 2025 (2024–2026).\n")
    else:
        write("Dữ liệu mẫu đã có sẵn, không nạp lại và không thay đổi gì.\n")
    write(
        f"- {summary['province']} năm 2022: {summary['districts']} đơn vị cấp huyện, {summary['communes']} xã, phường, "
        f"thị trấn; tổng cộng {summary['units']} đơn vị.\n"
        f"- Chế độ báo cáo {REGIME_CODE}: {summary['expected_units']} đơn vị báo cáo, "
        f"{summary['approved_submissions']} báo cáo đã duyệt (kỳ {', '.join(summary['periods'])}).\n"
        "- Số liệu là minh họa, trừ số liệu Thanh tra Sở 6 tháng đầu năm 2022 theo tin Hội nghị sơ kết.\n"
    )
    after = summary["reorganisation"]
    write(
        "- Từ 01/3/2025 Sở TTTT hợp nhất vào Sở KH&CN tỉnh Bắc Kạn; từ 01/7/2025 tỉnh Bắc Kạn thuộc tỉnh Thái "
        f"Nguyên, các đơn vị cấp huyện kết thúc hoạt động. Chế độ báo cáo {after['regime']} "
        f"({after['receiving_unit']}): {after['old_communes']} xã cũ báo cáo kỳ {', '.join(after['old_periods'])}, "
        f"{after['new_communes']} xã mới báo cáo kỳ {', '.join(after['new_periods'])}; "
        f"{after['approved_submissions']} báo cáo đã duyệt (số liệu minh họa).\n"
    )
    users = {u.username: u for u in User.objects.filter(username__in=summary["logins"]).select_related("unit")}
    rows = [("Tên đăng nhập", "Vai trò", "Đơn vị", "Họ và tên")]
    for username in summary["logins"]:
        user = users.get(username)
        if user is not None:
            rows.append((username, user.get_role_display(), user.unit.display_name if user.unit else "",
                         user.full_name))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    write(f"\nTài khoản dùng thử (mật khẩu ban đầu: {DEMO_PASSWORD}):\n")
    for row in rows:
        write("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3] + "\n")
