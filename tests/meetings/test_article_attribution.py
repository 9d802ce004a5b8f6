"""Who did what, in the article's sector paragraphs: what the department's own offices wrote
speaks for the department; what every district office wrote alike (but for its own place) reads
once for all of them ("Phòng Văn hóa và Thông tin các huyện, thành phố đã …", the consolidation's
groups and naming, with full names); what only some wrote names them; a unit's sentence never
reads as another's; penalties of nil read «không phát sinh xử lý vi phạm hành chính». The report
is composed by the real `compose` from several units' approved reports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.consolidation import compose as c
from baocao.consolidation.models import ConsolidatedReport, ReportVersion
from baocao.meetings.article import compose_article
from baocao.meetings.models import AgendaItem
from baocao.orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db

SECTION = ("V", "Quản lý nhà nước về thông tin và truyền thông tại các huyện, thành phố")
INTRO = "Về công tác quản lý nhà nước về thông tin và truyền thông tại các huyện, thành phố, "


def _where(unit) -> str:
    """"huyện Ba Bể": the district of a district office or media centre."""
    district = unit.parent.name
    return district[0].lower() + district[1:]


def _present(seed, narratives: dict, *, figures: tuple = (), values: dict | None = None) -> str:
    """The sector paragraphs of the article once the meeting presents a report composed from
    `narratives` (unit -> text of section V)."""
    units = list(narratives)
    indicators = tuple(c.IndicatorDef(code=code, name=name, unit_of_measure=uom, value_type="integer",
                                      aggregation="sum") for code, name, uom in figures)
    composed = c.compose(c.ComposeInput(
        regime_name="Báo cáo sơ kết", unit_name=seed.department.name, period_code="2022S1",
        period_label="6 tháng đầu năm 2022", previous_period_label="6 tháng đầu năm 2021",
        window_start=date(2021, 12, 15), window_end=date(2022, 6, 14),
        sections=(c.SectionDef(code=SECTION[0], title=SECTION[1], indicators=indicators),),
        units=tuple(c.UnitRef(id=u.pk, code=u.code, name=u.name, label=u.name, kind=u.kind) for u in units),
        approved={units[0].pk: values or {}},
        narratives={u.pk: {(SECTION[0], "results"): text} for u, text in narratives.items()},
    )).to_dict()
    report = ConsolidatedReport.objects.create(regime=seed.version.report.regime, period="2022S2",
                                               unit=seed.department)
    version = ReportVersion.objects.create(report=report, number=1, composed=composed, created_by=seed.compiler)
    AgendaItem.objects.filter(meeting=seed.meeting).update(report_version=version)
    return compose_article(seed.meeting)["sectors"]


@pytest.fixture
def secretariat(seed):
    """The department's own office (the seed fixture's writer of the sector texts)."""
    return OrgUnit.objects.get(code="STTTT-VP", parent=seed.department)


def test_alike_sentences_read_collectively_others_by_name(seed, secretariat):
    offices, centres = seed.units["offices"], seed.units["centres"]
    narratives = {secretariat: "Sở hướng dẫn các địa phương triển khai nhiệm vụ."}
    for office in offices:
        narratives[office] = (f"Phòng đã tham mưu UBND {_where(office)} triển khai chuyển đổi số; rà soát hệ thống "
                              "đài truyền thanh cấp xã.")
    narratives[offices[1]] += " Tổ chức tập huấn cho cán bộ cấp xã."
    narratives[offices[2]] += " Tổ chức tập huấn cho cán bộ cấp xã."
    narratives[offices[3]] += " Phòng đã lắp đặt 05 cụm loa mới."
    for centre in centres:
        narratives[centre] = f"Trung tâm duy trì Cổng Thông tin điện tử {_where(centre)}."
    narratives[seed.units["telecoms"][0]] = "Viễn thông Bắc Kạn (VNPT) đã phát triển 120 trạm BTS 4G."
    sectors = _present(seed, narratives)
    assert sectors == (
        INTRO + "Sở hướng dẫn các địa phương triển khai nhiệm vụ. "
        "Phòng Văn hóa và Thông tin các huyện, thành phố đã tham mưu UBND cấp huyện triển khai chuyển đổi số; rà "
        "soát hệ thống đài truyền thanh cấp xã. "
        "Phòng Văn hóa và Thông tin các huyện Ba Bể, Na Rì tổ chức tập huấn cho cán bộ cấp xã. "
        "Trung tâm Văn hóa, Thể thao và Truyền thông các huyện, thành phố duy trì Cổng Thông tin điện tử cấp huyện."
    )
    # One unit's own sentences are left out when the section has shared ones: never misattributed.
    assert "05 cụm loa" not in sectors and "120 trạm" not in sectors


def test_a_single_units_sentences_name_it(seed):
    office = seed.units["offices"][3]
    sectors = _present(seed, {office: "Phòng đã lắp đặt 05 cụm loa mới. Tuyên truyền về chuyển đổi số."})
    assert sectors == (INTRO + "Phòng Văn hóa và Thông tin huyện Pác Nặm đã lắp đặt 05 cụm loa mới. Tuyên truyền về "
                               "chuyển đổi số.")


def test_a_sentence_with_its_own_subject_is_reported(seed):
    office = seed.units["offices"][1]
    sectors = _present(seed, {office: "Trong kỳ có 05 xã thành lập Tổ Công nghệ số cộng đồng."})
    assert sectors == (INTRO + "theo báo cáo của Phòng Văn hóa và Thông tin huyện Ba Bể, trong kỳ có 05 xã thành lập "
                               "Tổ Công nghệ số cộng đồng.")


def test_a_sentence_without_its_subject_gets_the_units(seed):
    telecoms = seed.units["telecoms"]
    sectors = _present(seed, {t: "Phát triển mạng 4G đến các thôn." for t in telecoms})
    assert sectors == INTRO + "các doanh nghiệp phát triển mạng 4G đến các thôn."


def test_enterprises_writing_their_own_name(seed):
    units = [*seed.units["posts"], *seed.units["telecoms"]]
    sectors = _present(seed, {u: f"{u.name} đã thực hiện các nhiệm vụ theo kế hoạch." for u in units})
    assert sectors == INTRO + "các doanh nghiệp đã thực hiện các nhiệm vụ theo kế hoạch."


def test_some_enterprises_are_named(seed):
    units = [*seed.units["posts"], *seed.units["telecoms"]]
    narratives = {u: f"{u.name} đã thực hiện các nhiệm vụ theo kế hoạch." for u in units}
    for u in seed.units["telecoms"]:
        narratives[u] += " Phát triển mạng 4G đến các thôn."
    sectors = _present(seed, narratives)
    assert sectors == (INTRO + "các doanh nghiệp đã thực hiện các nhiệm vụ theo kế hoạch. Viễn thông Bắc Kạn (VNPT) "
                               "và Viettel Bắc Kạn phát triển mạng 4G đến các thôn.")


PENALTIES = (("INSP", "Cuộc thanh tra", "cuộc"), ("SANCTION_DECISIONS", "Quyết định xử phạt vi phạm hành chính",
                                                       "quyết định"))


def test_nil_penalties_read_as_no_penalty(seed, secretariat):
    text = ("Thanh tra Sở tiến hành 01 cuộc thanh tra. Qua thanh tra, kiểm tra không phát hiện vi phạm phải xử "
            "phạt hành chính.")
    sectors = _present(seed, {secretariat: text}, figures=PENALTIES,
                       values={"INSP": Decimal(1), "SANCTION_DECISIONS": Decimal(0)})
    assert sectors == (INTRO + "Thanh tra Sở tiến hành 01 cuộc thanh tra. Qua thanh tra, kiểm tra, không phát sinh xử "
                               "lý vi phạm hành chính đối với cơ quan, tổ chức, cá nhân. Về số liệu, cuộc thanh tra: "
                               "01 cuộc.")


def test_penalties_imposed_are_quoted(seed, secretariat):
    sectors = _present(seed, {secretariat: "Thanh tra Sở tiến hành 01 cuộc thanh tra."}, figures=PENALTIES,
                       values={"INSP": Decimal(1), "SANCTION_DECISIONS": Decimal(2)})
    assert "không phát sinh" not in sectors
    assert sectors.endswith("Về số liệu, cuộc thanh tra: 01 cuộc; quyết định xử phạt vi phạm hành chính: 02 quyết "
                            "định.")
