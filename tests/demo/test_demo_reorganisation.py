"""The demo goes on through the 2025 reorganisation (issue 11, item 6): the 2026S1 BC-XA report of the
Sở KH&CN Thái Nguyên read back from DOCX and JSON (new letterhead, the basis sentence, each new
commune compared with its predecessors' 2025S1), the 2022 letterhead unchanged, the tree of today,
the dashboard of today, and a second load that changes nothing."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal

import docx
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client, override_settings

from baocao.accounts.choices import Role
from baocao.accounts.models import User
from baocao.consolidation.exports import export_version
from baocao.consolidation.services import consolidated_report_approve, consolidated_report_build
from baocao.core.clock import today_vn
from baocao.core.vietnamese import format_number
from baocao.demo.common import DEMO_PASSWORD, ILLUSTRATIVE_NOTE
from baocao.demo.loader import demo_load
from baocao.orgunits.choices import ReorgKind, UnitKind
from baocao.orgunits.lineage import parents_on, unit_by_code, unit_history
from baocao.orgunits.models import OrgUnit, ReorgEvent, UnitLink
from baocao.reporting.models import ReportingRegime
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionValue

BAC_KAN_DISTRICTS = {"058", "060", "061", "062", "063", "064", "065", "066"}
SUM_INDICATORS = ("XA_SCI_MODELS", "XA_SCI_TRAINEES", "XA_CDT_MEMBERS", "XA_ONLINE_RECORDS", "XA_VNEID_GUIDED")
BASIS = "Số liệu cùng kỳ năm 2025 tổng hợp từ 108 xã, phường, thị trấn trước sắp xếp."


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once, build the 2026S1 BC-XA report through the command (DOCX, JSON) and as an
    approved version (number 01), and the 2022S1 BC-TTTT report; roll everything back afterwards."""
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    folder = tmp_path_factory.mktemp("demo-reorg")
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        out = io.StringIO()
        call_command("demo", stdout=out)
        built = {}
        for fmt in ("docx", "json"):
            target = folder / f"bc-xa-2026S1.{fmt}"
            call_command("report", "build", "--regime", "BC-XA", "--period", "2026S1", "--unit", "SKHCN-TN",
                         "--format", fmt, "-o", str(target), stdout=io.StringIO())
            built[fmt] = target.read_bytes()
        version = consolidated_report_build(regime=ReportingRegime.objects.get(code="BC-XA"), period="2026S1",
                                            unit=OrgUnit.objects.get(code="SKHCN-TN"),
                                            acting_user=User.objects.get(username="tonghop-tn"))
        version = consolidated_report_approve(version=version, acting_user=User.objects.get(username="lanhdao-tn"),
                                              issued_on=date(2026, 7, 10))
        built["approved"] = export_version(report=version.report, version=version, fmt="docx")[0]
        old = consolidated_report_build(regime=ReportingRegime.objects.get(code="BC-TTTT"), period="2022S1",
                                        unit=OrgUnit.objects.get(code="STTTT"),
                                        acting_user=User.objects.get(username="tonghop"))
        built["2022"] = export_version(report=old.report, version=old, fmt="docx")[0]
        built["output"] = out.getvalue().encode()
        yield built
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def header_text(content: bytes) -> str:
    """The letterhead table and the signature block, cell by cell."""
    document = docx.Document(io.BytesIO(content))
    return "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def body_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def new_communes() -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(unit_groups__code="XA-TN-BK").order_by("code"))


def expected_previous() -> dict[str, dict[str, Decimal]]:
    """Each new commune's 2025S1 figures as the sum of its predecessors' approved values, share by
    share, read straight from the links and the submissions."""
    values: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for unit_id, code, number in SubmissionValue.objects.filter(
            submission__regime__code="BC-XA", submission__period="2025S1",
            submission__status=SubmissionStatus.APPROVED).values_list("submission__unit_id", "indicator__code",
                                                                     "number"):
        values[unit_id][code] = number
    result: dict[str, dict[str, Decimal]] = {}
    for unit in new_communes():
        links = list(UnitLink.objects.filter(successor=unit, effective=date(2025, 7, 1)))
        assert links, unit.code
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for link in links:
            for code in SUM_INDICATORS:
                sums[code] += link.share * values[link.predecessor_id][code]
        result[unit.code] = {code: value.quantize(Decimal(1)) for code, value in sums.items()}
    return result


def test_the_2026_report_has_the_new_letterhead(demo):
    for content in (demo["docx"], demo["approved"]):
        tables = header_text(content)
        assert "UBND TỈNH THÁI NGUYÊN" in tables
        assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in tables.replace("\n", " ")
        assert "Thái Nguyên, ngày" in tables and "năm 2026" in tables
        assert "- Bộ Khoa học và Công nghệ (b/c);" in tables
        assert "BẮC KẠN" not in tables and "THÔNG TIN VÀ TRUYỀN THÔNG" not in tables
    # The new agency's register starts at 01.
    assert "Số: 01/BC-SKHCN" in header_text(demo["approved"])
    assert "Thái Nguyên, ngày 10 tháng 7 năm 2026" in header_text(demo["approved"])
    data = json.loads(demo["json"])
    assert (data["letterhead"]["parent_body"], data["letterhead"]["issuer"], data["letterhead"]["place"]) == (
        "UBND TỈNH THÁI NGUYÊN", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Thái Nguyên")
    assert data["letterhead"]["recipients"][0] == "Bộ Khoa học và Công nghệ (b/c)"


def test_the_report_says_what_it_compares_with(demo):
    assert BASIS in body_text(demo["docx"])
    data = json.loads(demo["json"])
    assert data["meta"]["previous_note"] == BASIS
    assert data["meta"]["previous_basis"] == "predecessors"
    figures = {f["code"]: f for part in data["parts"] for f in part["figures"]}
    assert set(SUM_INDICATORS) | {"XA_ONLINE_PCT"} <= set(figures)
    assert all(f["previous_basis"] == "predecessors" for f in figures.values())
    # The totals compare with the 108 old communes' 2025S1 totals: a sum adds them, a rate averages them.
    old = Submission.objects.filter(regime__code="BC-XA", period="2025S1", status=SubmissionStatus.APPROVED)
    assert old.count() == 108
    for code in SUM_INDICATORS:
        total = sum(SubmissionValue.objects.filter(submission__in=old, indicator__code=code)
                    .values_list("number", flat=True))
        assert Decimal(figures[code]["previous"]) == total, code
    rates = list(SubmissionValue.objects.filter(submission__in=old, indicator__code="XA_ONLINE_PCT")
                 .values_list("number", flat=True))
    assert abs(Decimal(figures["XA_ONLINE_PCT"]["previous"]) - sum(rates) / len(rates)) < Decimal("0.01")


def test_each_new_commune_compares_with_its_predecessors(demo):
    expected = expected_previous()
    assert len(expected) == 37
    data = json.loads(demo["json"])
    tables = [part["table"] for part in data["parts"] if part["table"]]
    assert len(tables) == 2
    seen: set[str] = set()
    for table in tables:
        for row in table["raw"]:
            seen.add(row["code"])
            assert row["previous_basis"] == "predecessors", row["code"]
            links = UnitLink.objects.filter(successor_id=row["unit_id"], effective=date(2025, 7, 1))
            assert sorted(p["code"] for p in row["predecessors"]) == sorted(
                links.values_list("predecessor__code", flat=True))
            for code, value in row["previous"].items():
                assert Decimal(value) == expected[row["code"]][code], (row["code"], code)
    assert seen == set(expected)
    # The DOCX prints the same previous column: read the unit tables back by the unit's label.
    document = docx.Document(io.BytesIO(demo["docx"]))
    labels = {u.short_name or u.name: u.code for u in new_communes()}
    checked = 0
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        previous_columns = [i for i, text in enumerate(header) if text.endswith("– 6 tháng đầu năm 2025")]
        if not previous_columns:
            continue
        column = previous_columns[0]
        code = next(c for c in SUM_INDICATORS if header[column].startswith(name_of(c)))
        for row in table.rows[1:]:
            label = row.cells[0].text
            if label in labels:
                assert row.cells[column].text == format_number(expected[labels[label]][code]), label
                checked += 1
    assert checked == 2 * 37


def name_of(indicator_code: str) -> str:
    from baocao.demo.reorganisation_demo import INDICATORS

    return INDICATORS[indicator_code].name


def test_no_dissolved_unit_is_expected(demo):
    data = json.loads(demo["json"])
    expected_codes = {unit["code"] for unit in data["meta"]["expected"]}
    assert data["meta"]["expected_count"] == data["meta"]["approved_count"] == 37
    assert expected_codes == {u.code for u in new_communes()}
    units = OrgUnit.objects.filter(pk__in=[unit["id"] for unit in data["meta"]["expected"]])
    assert all(u.kind == UnitKind.COMMUNE and u.valid_from == date(2025, 7, 1) and u.valid_to is None for u in units)
    assert all(u.parent.code == "19" and u.parent.valid_from == date(2025, 6, 12) for u in units)


def test_the_2022_report_keeps_its_letterhead(demo):
    tables = header_text(demo["2022"])
    assert "UBND TỈNH BẮC KẠN" in tables
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in tables.replace("\n", " ")
    assert "Bắc Kạn, ngày" in tables and "THÁI NGUYÊN" not in tables and "KHOA HỌC" not in tables


def test_todays_tree(demo):
    today = today_vn()
    valid = OrgUnit.objects.valid_on(today)
    assert not valid.filter(kind=UnitKind.PEOPLES_COMMITTEE, code__in=BAC_KAN_DISTRICTS).exists()
    assert not valid.filter(kind__in=(UnitKind.DISTRICT_OFFICE, UnitKind.MEDIA_CENTRE)).exists()
    assert not valid.filter(code__in=["06", "STTTT", "SKHCN-BK", "STTTT-TTRA"]).exists()
    assert valid.filter(code="SKHCN-TN").count() == 1
    province = unit_by_code("19", on=today, queryset=OrgUnit.objects.filter(kind=UnitKind.PROVINCE))
    assert province is not None and province.name == "Tỉnh Thái Nguyên" and province.valid_from == date(2025, 6, 12)
    assert valid.filter(kind=UnitKind.COMMUNE, parent=province).count() == 92
    # Nothing in being hangs under a unit that ended (the enterprises of Bắc Kạn moved with it).
    assert not valid.exclude(parent__isnull=True).exclude(parent__in=valid).exists()
    assert valid.get(code="VNPT-BK").parent == province
    # Bắc Kạn's 8 districts and 108 communes ended on 30 June 2025; the province on 11 June.
    bac_kan = OrgUnit.objects.get(code="06")
    assert bac_kan.valid_to == date(2025, 6, 11)
    old_communes = OrgUnit.objects.filter(unit_groups__code="XA-BK-CU")
    assert old_communes.count() == 108 and set(old_communes.values_list("valid_to", flat=True)) == {
        date(2025, 6, 30)}
    assert set(OrgUnit.objects.filter(kind=UnitKind.PEOPLES_COMMITTEE, code__in=BAC_KAN_DISTRICTS)
               .values_list("valid_to", flat=True)) == {date(2025, 6, 30)}


def test_the_events(demo):
    merger = unit_history(OrgUnit.objects.get(code="SKHCN-BK"))
    assert [(n.unit.code, n.effective, n.kind) for n in merger.predecessors] == [
        ("STTTT", date(2025, 3, 1), ReorgKind.MERGE)]
    assert "176/2025/QH15" in merger.predecessors[0].legal_basis
    assert "minh họa" in merger.predecessors[0].legal_basis
    assert [(n.unit.code, n.effective) for n in merger.successors] == [("SKHCN-TN", date(2025, 7, 1))]
    assert OrgUnit.objects.get(code="STTTT").valid_to == date(2025, 2, 28)
    # Under Bắc Kạn until the province ended, then (its last days) under the new Thái Nguyên.
    skhcn_bk = OrgUnit.objects.get(code="SKHCN-BK")
    assert parents_on([skhcn_bk], date(2025, 6, 1))[skhcn_bk.pk] == OrgUnit.objects.get(code="06").pk
    assert skhcn_bk.parent.code == "19" and skhcn_bk.parent.valid_from == date(2025, 6, 12)
    dissolved = ReorgEvent.objects.get(kind=ReorgKind.DISSOLVE)
    assert dissolved.effective == date(2025, 7, 1) and "72/2025/QH15" in dissolved.legal_basis
    offices = OrgUnit.objects.filter(kind__in=(UnitKind.DISTRICT_OFFICE, UnitKind.MEDIA_CENTRE))
    assert offices.count() == 16 and set(offices.values_list("valid_to", flat=True)) == {date(2025, 6, 30)}


def test_the_reports_of_the_communes(demo):
    subs = Submission.objects.filter(regime__code="BC-XA")
    counts = dict(subs.values_list("period").annotate(n=Count("id")))
    assert counts == {"2024S1": 108, "2024S2": 108, "2025S1": 108, "2025S2": 37, "2026S1": 37}
    assert subs.exclude(status=SubmissionStatus.APPROVED).count() == 0
    assert set(subs.values_list("note", flat=True)) == {ILLUSTRATIVE_NOTE}
    assert not subs.filter(period__in=["2025S2", "2026S1"], unit__valid_from__isnull=True).exists()
    assert not subs.filter(period__in=["2024S1", "2024S2", "2025S1"], unit__valid_to__isnull=True).exists()
    # A new commune's figures are close to the sum of its predecessors' (grown by a few per cent).
    previous = expected_previous()
    for unit in new_communes():
        now = dict(SubmissionValue.objects.filter(submission__unit=unit, submission__period="2025S2")
                   .values_list("indicator__code", "number"))
        for code in ("XA_SCI_TRAINEES", "XA_ONLINE_RECORDS"):
            assert previous[unit.code][code] <= now[code] <= previous[unit.code][code] * Decimal("1.2"), unit.code
    regime = ReportingRegime.objects.get(code="BC-XA")
    assert regime.receiving_unit.code == "SKHCN-TN" and regime.frequencies == ["six_month"]


def test_the_logins_and_the_summary(demo):
    for username, role in (("tonghop-tn", Role.COMPILER), ("lanhdao-tn", Role.LEADER)):
        user = User.objects.get(username=username)
        assert (user.role, user.unit.code) == (role, "SKHCN-TN") and user.check_password(DEMO_PASSWORD)
    output = demo["output"].decode()
    assert "Tỉnh Bắc Kạn năm 2022: 8 đơn vị cấp huyện, 108 xã, phường, thị trấn" in output
    assert "108 xã cũ báo cáo kỳ 2024S1, 2024S2, 2025S1, 37 xã mới báo cáo kỳ 2025S2, 2026S1" in output
    assert "  tonghop-tn " in output and "  lanhdao-tn " in output


def test_the_dashboard_of_today_shows_todays_units(demo):
    client = Client()
    client.force_login(User.objects.get(username="tonghop-tn"))
    html = client.get("/").content.decode()
    assert "BC-XA" in html and "BC-TTTT" not in html
    assert "37/37" in html and "0/37" in html  # 2026S1 approved; 2026S2 expected from the 37 new communes
    client.force_login(User.objects.get(username="admin"))
    html = client.get("/").content.decode()
    # The regime of the ended Sở TTTT is listed apart, not counted against today's units.
    assert 'id="ended-regimes"' in html and "/5<" not in html and "0/25" not in html
    client.force_login(User.objects.get(username="babe"))
    html = client.get("/").content.decode()
    assert 'id="unit-ended"' in html and "30/06/2025" in html
    assert "Lập báo cáo</button>" not in html  # no period after the office ended asks for a report
    assert "Mở báo cáo kỳ này" in html  # earlier periods can still be opened


def table_counts() -> dict[str, int]:
    return {model._meta.db_table: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_loading_again_changes_nothing(demo):
    before = table_counts()
    summary = demo_load()
    assert table_counts() == before
    assert summary["loaded"] is False
    assert summary["reorganisation"]["approved_submissions"] == 398


def test_the_page_builds_a_report_of_an_ended_department(demo):
    """The report page looks the unit up on the period's days, as the API and the command do: the
    Sở TTTT ended in 2025, its 2022S1 report is still built by it."""
    client = Client()
    client.force_login(User.objects.get(username="tonghop"))
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    answer = client.post("/reports/build/", {"regime": str(regime.pk), "period": "2022S1"})
    assert answer.status_code == 302 and answer["Location"].startswith("/reports/"), answer.content.decode()[-1500:]
    client.force_login(User.objects.get(username="tonghop-tn"))
    regime = ReportingRegime.objects.get(code="BC-XA")
    answer = client.post("/reports/build/", {"regime": str(regime.pk), "period": "2025S2"})
    assert answer.status_code == 302 and answer["Location"].startswith("/reports/"), answer.content.decode()[-1500:]
