"""Fixtures of the conference tests: the small department of tests.factories.World, and a
conference built the way the seed reports the one of 07/7/2022 (its units, people, groups, a
consolidated report with the sector parts written by an office of the department, an opinion and
the conclusion)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

import pytest

from baocao.accounts.choices import Role
from baocao.consolidation import compose as c
from baocao.consolidation.models import ConsolidatedReport, ReportOutline, ReportVersion
from baocao.meetings.models import Meeting
from baocao.meetings.services import (
    agenda_item_add,
    attendee_add,
    conclusion_add,
    meeting_create,
    opinion_add,
)
from baocao.orgunits.choices import UnitKind
from tests.factories import World, form_version, group, regime, unit, user


@pytest.fixture
def world(db) -> World:
    return World()


def make_meeting(world: World, **fields) -> Meeting:
    values = {"organiser": world.department, "title": "Hội nghị sơ kết công tác 6 tháng đầu năm 2022",
              "date": date(2022, 7, 7), "chair_name": "Hà Văn Tiến", "chair_title": "Giám đốc Sở"}
    values.update(fields)
    return meeting_create(acting_user=world.compiler, **values)


@dataclass
class Seed:
    meeting: Meeting
    version: ReportVersion
    compiler: object
    department: object
    units: dict


SEED_SECTIONS = (
    ("I", "Thông tin – Báo chí – Xuất bản", "PRESS_NEWS", "Tin, bài đăng trên Cổng Thông tin điện tử tỉnh", "tin"),
    ("II", "Bưu chính – Viễn thông", "DRILLS", "Cuộc diễn tập thông tin phục vụ phòng chống thiên tai", "cuộc"),
    ("III", "Công nghệ thông tin (chuyển đổi số)", "CDT_TEAMS", "Tổ Công nghệ số cộng đồng được thành lập",
     "tổ"),
    ("IV", "Thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo", "INSP_COUNT",
     "Cuộc thanh tra việc chấp hành pháp luật về bưu chính", "cuộc"),
)
SEED_NARRATIVES = {
    "I": "Tham mưu UBND tỉnh ban hành Kế hoạch hoạt động Thông tin đối ngoại tỉnh Bắc Kạn năm 2022. "
         "Phối hợp với Hội Nhà báo tỉnh tổ chức Giải báo chí về Thông tin đối ngoại.",
    "II": "Chỉ đạo các doanh nghiệp bưu chính, viễn thông bảo đảm thông tin liên lạc thông suốt. "
          "Phối hợp Cục Bưu điện Trung ương diễn tập xe thông tin chuyên dùng năm 2022.",
    "III": "Tham mưu triển khai Đề án tổng thể chuyển đổi số tỉnh Bắc Kạn giai đoạn 2021-2025, định hướng đến "
           "năm 2030. Triển khai thí điểm Tổ Công nghệ số cộng đồng cấp xã, thôn.",
    "IV": "Tiếp nhận, giải quyết 02 đơn kiến nghị của công dân về dịch vụ bưu chính chuyển phát. "
          "Không phát sinh việc xử lý vi phạm hành chính.",
}
SEED_VALUES = {"PRESS_NEWS": Decimal(1250), "DRILLS": Decimal(1), "CDT_TEAMS": Decimal(108), "INSP_COUNT": Decimal(1)}
CONCLUSION = ("Biểu dương những nỗ lực, kết quả quan trọng của ngành thông tin và truyền thông trong 6 tháng đầu "
              "năm; đề nghị toàn ngành tập trung thực hiện các nhiệm vụ trọng tâm 6 tháng cuối năm 2022")


def seed_version(*, department, regime_obj, compiler, reporting_unit) -> ReportVersion:
    """A consolidated report version composed (by the real `compose`) from one approved report."""
    sections = tuple(
        c.SectionDef(code=code, title=title, indicators=(
            c.IndicatorDef(code=ind, name=name, unit_of_measure=uom, value_type="integer", aggregation="sum"),))
        for code, title, ind, name, uom in SEED_SECTIONS
    )
    ref = c.UnitRef(id=reporting_unit.pk, code=reporting_unit.code, name=reporting_unit.name,
                    label=reporting_unit.name)
    composed = c.compose(c.ComposeInput(
        regime_name=regime_obj.name, unit_name=department.name, period_code="2022S1",
        period_label="6 tháng đầu năm 2022", previous_period_label="6 tháng đầu năm 2021",
        window_start=date(2021, 12, 15), window_end=date(2022, 6, 14), sections=sections, units=(ref,),
        approved={reporting_unit.pk: SEED_VALUES},
        narratives={reporting_unit.pk: {(code, "results"): text for code, text in SEED_NARRATIVES.items()}},
    )).to_dict()
    report = ConsolidatedReport.objects.create(regime=regime_obj, period="2022S1", unit=department)
    return ReportVersion.objects.create(report=report, number=1, composed=composed, created_by=compiler)


@pytest.fixture
def seed(db) -> Seed:
    province = unit(code="BK", name="Tỉnh Bắc Kạn", kind=UnitKind.PROVINCE)
    department = unit(code="STTTT", name="Sở Thông tin và Truyền thông tỉnh Bắc Kạn", short_name="Sở TTTT",
                      kind=UnitKind.DEPARTMENT, parent=province)
    offices, centres = [], []
    for district_name in ("Thành phố Bắc Kạn", "Huyện Ba Bể", "Huyện Na Rì", "Huyện Pác Nặm"):
        district = unit(name=district_name, kind=UnitKind.PEOPLES_COMMITTEE, parent=province)
        where = district_name[0].lower() + district_name[1:]
        offices.append(unit(name=f"Phòng Văn hóa và Thông tin {where}", kind=UnitKind.DISTRICT_OFFICE,
                            parent=district))
        centres.append(unit(name=f"Trung tâm Văn hóa, Thể thao và Truyền thông {where}",
                            kind=UnitKind.MEDIA_CENTRE, parent=district))
    posts = [unit(name="Bưu điện tỉnh Bắc Kạn", kind=UnitKind.ENTERPRISE, parent=province),
             unit(name="Viettel Post Bắc Kạn", kind=UnitKind.ENTERPRISE, parent=province)]
    telecoms = [unit(name="Viễn thông Bắc Kạn (VNPT)", kind=UnitKind.ENTERPRISE, parent=province),
                unit(name="Viettel Bắc Kạn", kind=UnitKind.ENTERPRISE, parent=province)]
    g_offices = group(code="HUYEN-VHTT", members=offices)
    g_offices.name = "Phòng Văn hóa và Thông tin cấp huyện"
    g_offices.save()
    g_centres = group(code="HUYEN-TTVH", members=centres)
    g_centres.name = "Trung tâm VH-TT-TT cấp huyện"
    g_centres.save()
    g_posts = group(code="DN-BC", members=posts)
    g_posts.name = "Doanh nghiệp bưu chính"
    g_posts.save()
    g_telecoms = group(code="DN-VT", members=telecoms)
    g_telecoms.name = "Doanh nghiệp viễn thông"
    g_telecoms.save()
    compiler = user(username="tonghop", role=Role.COMPILER, unit=department, full_name="Bế Thị Thanh Hoài")
    fv = form_version(owner=department)
    regime_obj = regime(receiving_unit=department, form_version=fv, code="BC-TTTT",
                        groups=[g_offices, g_centres, g_posts, g_telecoms])
    ReportOutline.objects.create(
        regime=regime_obj, parent_body="UBND TỈNH BẮC KẠN", issuer_name="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        issuer_code="STTTT", place="Bắc Kạn", archive="VT, VP", signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC", signer_name="Lô Quang Tuyến",
    )
    # The department's own office writes the sector texts: they speak for the department.
    secretariat = unit(code="STTTT-VP", name="Văn phòng Sở", kind=UnitKind.DIVISION, parent=department)
    version = seed_version(department=department, regime_obj=regime_obj, compiler=compiler,
                           reporting_unit=secretariat)
    meeting = meeting_create(
        acting_user=compiler, organiser=department, regime=regime_obj, period="2022S1", next_period="2022S2",
        title="Hội nghị sơ kết công tác Thông tin và Truyền thông 6 tháng đầu năm và triển khai nhiệm vụ "
              "6 tháng cuối năm 2022",
        date=date(2022, 7, 7), start_time=time(8, 0), place="Hội trường Sở Thông tin và Truyền thông",
        chair_name="Hà Văn Tiến", chair_title="Giám đốc Sở Thông tin và Truyền thông",
    )
    for g in (g_offices, g_centres, g_posts, g_telecoms):
        attendee_add(acting_user=compiler, meeting=meeting, group=g)
    agenda_item_add(acting_user=compiler, meeting=meeting, report_version=version,
                    presenter_name="Lô Quang Tuyến", presenter_title="Phó Giám đốc Sở")
    opinion_add(acting_user=compiler, meeting=meeting, unit=offices[1], speaker_name="Hoàng Thị Lan",
                speaker_title="Trưởng phòng", topic="nâng cấp đài truyền thanh cấp xã",
                summary="Đề nghị Sở hỗ trợ nâng cấp hệ thống đài truyền thanh cấp xã ứng dụng công nghệ thông tin.")
    conclusion_add(acting_user=compiler, meeting=meeting, text=CONCLUSION)
    return Seed(meeting=meeting, version=version, compiler=compiler, department=department,
                units={"offices": offices, "centres": centres, "posts": posts, "telecoms": telecoms})
