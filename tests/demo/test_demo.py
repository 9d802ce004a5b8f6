"""The Bắc Kạn demo (BRIEF §6): what it loads, the seed's exact facts, and that loading twice is a no-op."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.core.expressions import parse_rule
from baocao.demo.loader import DEMO_PASSWORD, ILLUSTRATIVE_NOTE, SEED_NOTE, demo_load
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.lineage import parents_on
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.reporting.choices import FormVersionStatus, Severity
from baocao.reporting.models import ReportingRegime
from baocao.reporting.selectors import regime_period
from baocao.submissions.choices import SubmissionStatus, Timeliness
from baocao.submissions.models import Submission
from baocao.submissions.selectors import expected_units, monitor_rows


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module, through the real command, and roll it back afterwards."""
    # Module-scoped, so the function-scoped fast-hasher fixture of conftest is not active yet.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing:
        with transaction.atomic():
            out = io.StringIO()
            call_command("demo", stdout=out)
            yield out.getvalue()
            transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def regime() -> ReportingRegime:
    return ReportingRegime.objects.get(code="BC-TTTT")


def values_of(unit_code: str, period: str) -> dict[str, Decimal | None]:
    submission = Submission.objects.get(regime__code="BC-TTTT", unit__code=unit_code, period=period)
    return dict(submission.values.values_list("indicator__code", "number"))


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_units(demo):
    province = OrgUnit.objects.get(code="06")
    assert province.name == "Tỉnh Bắc Kạn"
    # The tree of 2022: on 12 June 2025 the districts moved under the new Thái Nguyên (the demo goes on
    # through the reorganisation, tests/demo/test_demo_reorganisation.py).
    in_2022 = list(OrgUnit.objects.valid_on(date(2022, 6, 30)).filter(
        kind__in=(UnitKind.PEOPLES_COMMITTEE, UnitKind.COMMUNE)))
    parent_2022 = parents_on(in_2022, date(2022, 6, 30))
    districts = {u.pk for u in in_2022 if u.kind == UnitKind.PEOPLES_COMMITTEE and parent_2022[u.pk] == province.pk}
    assert len(districts) == 8
    assert sum(1 for u in in_2022 if u.kind == UnitKind.COMMUNE and parent_2022[u.pk] in districts) == 108

    department = OrgUnit.objects.get(code="STTTT")
    assert (department.name, department.short_name, department.kind, department.parent) == (
        "Sở Thông tin và Truyền thông tỉnh Bắc Kạn", "Sở TTTT", UnitKind.DEPARTMENT, province)
    assert sorted(department.children.values_list("code", flat=True)) == [
        "STTTT-BCVT", "STTTT-CNTT", "STTTT-TTBCXB", "STTTT-TTRA", "STTTT-VP"]
    assert OrgUnit.objects.get(code="STTTT-TTRA").name == "Thanh tra Sở"

    assert OrgUnit.objects.get(code="061-VHTT").name == "Phòng Văn hóa và Thông tin huyện Ba Bể"
    assert OrgUnit.objects.get(code="058-VHTT").name == "Phòng Văn hóa và Thông tin thành phố Bắc Kạn"
    centre = OrgUnit.objects.get(code="066-TTVH")
    assert (centre.name, centre.kind, centre.parent.code) == (
        "Trung tâm Văn hóa, Thể thao và Truyền thông huyện Na Rì", UnitKind.MEDIA_CENTRE, "066")
    assert OrgUnit.objects.filter(kind=UnitKind.DISTRICT_OFFICE).count() == 8
    enterprises = list(OrgUnit.objects.filter(kind=UnitKind.ENTERPRISE))
    assert sum(1 for parent in parents_on(enterprises, date(2022, 6, 30)).values() if parent == province.pk) == 5
    assert OrgUnit.objects.get(code="VNPT-BK").name == "Viễn thông Bắc Kạn (VNPT)"

    groups = {g.code: sorted(g.members.values_list("code", flat=True)) for g in OrgUnitGroup.objects.all()}
    assert groups["DN-VT"] == ["MOBIFONE-BK", "VIETTEL-BK", "VNPT-BK"]
    assert groups["DN-BC"] == ["BDT-BK", "VTPOST-BK"]
    assert groups["SO-PHONG"] == ["STTTT-BCVT", "STTTT-CNTT", "STTTT-TTBCXB", "STTTT-TTRA"]
    assert len(groups["HUYEN-VHTT"]) == len(groups["HUYEN-TTVH"]) == 8


def test_form_and_regime(demo):
    r = regime()
    assert r.receiving_unit.code == "STTTT"
    assert "09/2019/NĐ-CP" in r.legal_basis
    assert r.frequencies == ["six_month", "annual"]
    assert (r.cutoff_start_day, r.cutoff_end_day) == (15, 14)
    assert sorted(r.reporting_groups.values_list("code", flat=True)) == [
        "DN-BC", "DN-VT", "HUYEN-TTVH", "HUYEN-VHTT", "SO-PHONG"]
    assert expected_units(regime=r, day=date(2022, 6, 14)).count() == 25
    assert regime_period(r, "2022S1").deadline == date(2022, 6, 20)

    version = r.form.current_version()
    assert (version.number, version.status) == (1, FormVersionStatus.PUBLISHED)
    assert version.published_at is not None
    sections = list(version.sections.order_by("order"))
    assert [s.code for s in sections] == ["I", "II", "III", "IV", "V"]
    assert sections[0].title == "I. Thông tin – Báo chí – Xuất bản"
    for line in ("I. Thông tin – Báo chí – Xuất bản", "V. Quản lý nhà nước về thông tin và truyền thông"):
        assert line in r.outline
    indicators = {i.code: i for i in version.indicators.all()}
    assert {"PRESS_PORTAL_NEWS", "BTS_4G", "DX_ONLINE_APPS_PCT", "SANCTION_AMOUNT", "RADIO_IP_STATIONS"} <= set(
        indicators)
    assert all(i.min_value == 0 and not i.required for i in indicators.values())
    pct = indicators["DX_ONLINE_APPS_PCT"]
    assert (pct.value_type, pct.aggregation, pct.max_value, pct.unit_of_measure) == ("percent", "average", 100, "%")
    assert (indicators["SANCTION_AMOUNT"].value_type, indicators["SANCTION_AMOUNT"].unit_of_measure) == (
        "decimal", "đồng")
    narratives = set(version.narratives.values_list("code", flat=True))
    assert len(narratives) == 20 and {"I_RESULTS", "IV_DIFFICULTIES", "V_NEXT_TASKS"} <= narratives
    rules = {rule.code: rule for rule in version.rules.all()}
    assert set(rules) == {"R_PET", "R_BTS", "R_RADIO", "R_SANCTION"}
    assert rules["R_SANCTION"].severity == Severity.WARNING
    for rule in rules.values():
        parse_rule(rule.expression)


def test_approved_submissions(demo):
    subs = Submission.objects.filter(regime__code="BC-TTTT")
    assert subs.count() == 75
    assert subs.filter(status=SubmissionStatus.APPROVED).count() == 75
    assert sorted(set(subs.values_list("period", flat=True))) == ["2021", "2021S1", "2022S1"]
    assert subs.exclude(note=ILLUSTRATIVE_NOTE).count() == 1

    r = regime()
    for period, late in (("2021S1", 0), ("2021", 2), ("2022S1", 0)):
        rp = regime_period(r, period)
        rows, summary = monitor_rows(regime=r, rp=rp, today=date(2022, 7, 7))
        assert (summary.expected, summary.approved, summary.late) == (25, 25, late)
        assert summary.on_time == 25 - late
        for row in rows:
            assert row.timeliness in (Timeliness.ON_TIME, Timeliness.LATE)
        assert all(s.reviewed_at >= s.first_submitted_at for s in subs.filter(period=period))
        assert all(s.first_submitted_at.year == rp.deadline.year for s in subs.filter(period=period))

    # Units fill their own section: a district office the district one, an enterprise post-telecom.
    assert set(values_of("061-VHTT", "2022S1")) <= {"RADIO_STATIONS", "RADIO_IP_STATIONS", "RADIO_UPGRADED",
                                                    "PROPAGANDA_MATERIALS", "DIST_PORTAL_NEWS"}
    vnpt = values_of("VNPT-BK", "2021")
    assert vnpt["BTS_4G"] + vnpt["BTS_5G"] <= vnpt["BTS_TOTAL"]


def test_seed_facts_are_exact(demo):
    """Hội nghị sơ kết 6 tháng đầu năm 2022 (07/7/2022): 01 inspection of postal and courier
    activities, 02 citizens' petitions received and resolved, no administrative sanction."""
    submission = Submission.objects.get(regime__code="BC-TTTT", unit__code="STTTT-TTRA", period="2022S1")
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.note == SEED_NOTE
    assert values_of("STTTT-TTRA", "2022S1") == {
        "INSP_COUNT": 1, "PET_RECEIVED": 2, "PET_RESOLVED": 2, "SANCTION_DECISIONS": 0, "SANCTION_AMOUNT": 0}
    texts = dict(submission.narratives.values_list("field__code", "text"))
    assert set(texts) == {"IV_RESULTS", "IV_DIFFICULTIES", "IV_PROPOSALS", "IV_NEXT_TASKS"}
    assert "01 cuộc thanh tra" in texts["IV_RESULTS"] and "02 đơn kiến nghị" in texts["IV_RESULTS"]
    assert submission.first_submitted_at.date() <= date(2022, 6, 20)


def test_logins(demo):
    users = {u.username: u for u in User.objects.select_related("unit")}
    assert set(users) == {"admin", "tonghop", "lanhdao", "thanhtra", "babe", "nari", "tonghop-tn", "lanhdao-tn"}
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    admin = users["admin"]
    assert (admin.role, admin.is_staff, admin.is_superuser, admin.unit.code, admin.full_name) == (
        Role.ADMIN, True, True, "STTTT", "Quản trị hệ thống")
    assert (users["lanhdao"].role, users["lanhdao"].full_name) == (Role.LEADER, "Hà Văn Tiến")
    assert (users["tonghop"].role, users["thanhtra"].role) == (Role.COMPILER, Role.INSPECTORATE)
    assert (users["babe"].role, users["babe"].unit.name) == (Role.REPORTER, "Phòng Văn hóa và Thông tin huyện Ba Bể")
    assert users["nari"].unit.name == "Phòng Văn hóa và Thông tin huyện Na Rì"


def test_command_output(demo):
    assert "Đã nạp dữ liệu mẫu" in demo
    assert "108 xã, phường, thị trấn" in demo
    assert "25 đơn vị báo cáo, 75 báo cáo đã duyệt" in demo
    assert "baocao2022" in demo
    for username in ("admin", "tonghop", "lanhdao", "thanhtra", "babe", "nari"):
        assert f"  {username} " in demo


def test_loading_again_changes_nothing(demo):
    admin = User.objects.get(username="admin")
    admin.set_password("doi-mat-khau-roi")
    admin.save()
    before = table_counts()
    out = io.StringIO()
    summary = demo_load(stdout=out)
    assert table_counts() == before
    assert summary["loaded"] is False
    assert (summary["communes"], summary["expected_units"], summary["approved_submissions"]) == (108, 25, 75)
    assert "không nạp lại" in out.getvalue()
    admin.refresh_from_db()
    assert admin.check_password("doi-mat-khau-roi")


def test_the_department_has_its_issuer_profile_until_the_merger(demo):
    from baocao.consolidation.issuers import issuer_profile_ensure, issuer_profile_on
    from baocao.consolidation.models import IssuerProfile

    department = OrgUnit.objects.get(code="STTTT")
    profile = issuer_profile_on(department, date(2022, 7, 5))
    assert profile is not None and profile.valid_to == date(2025, 2, 28)
    assert (profile.parent_body, profile.agency_name, profile.agency_code, profile.place_name) == (
        "UBND TỈNH BẮC KẠN", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "STTTT", "Bắc Kạn")
    assert profile.recipients[0] == "Bộ Thông tin và Truyền thông (b/c)"
    assert issuer_profile_on(department, date(2025, 3, 1)) is None
    # The loader's helper is idempotent.
    again = issuer_profile_ensure(department, profile.valid_from, valid_to=profile.valid_to,
                                  parent_body=profile.parent_body, agency_name=profile.agency_name,
                                  agency_code=profile.agency_code, place_name=profile.place_name,
                                  signer_authority=profile.signer_authority, signer_title=profile.signer_title,
                                  recipients=profile.recipients, archive=profile.archive)
    assert again.pk == profile.pk and IssuerProfile.objects.filter(unit=department).count() == 1
