"""The issuer of its day: a document takes the letterhead, place, signer's titles and recipients of the
issuing unit's profile valid on its date (read back from the DOCX); an approved version reprints as
issued; overlapping profiles are refused; a successor agency's numbers start at 01."""

from __future__ import annotations

import io
import json
from datetime import date

import docx
import pytest

from baocao.audit.models import AuditEvent
from baocao.consolidation.exports import export_current, export_version
from baocao.consolidation.issuers import (
    issuer_profile_create,
    issuer_profile_ensure,
    issuer_profile_on,
    issuer_profile_update,
)
from baocao.consolidation.models import ConsolidatedReport, IssuerProfile, ReportOutline
from baocao.consolidation.services import (
    consolidated_report_approve,
    consolidated_report_build,
    document_number_next,
)
from baocao.core.errors import AppError, PermissionDeniedError
from baocao.meetings.documents import meeting_document, minutes_document
from baocao.orgunits.choices import UnitKind
from tests.agreement import api_client, page_client
from tests.consolidation.test_api import approved
from tests.factories import World, regime, unit
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    world = World()
    world.province.name = "Tỉnh Bắc Kạn"
    world.province.kind = UnitKind.PROVINCE
    world.province.save()
    return world

THAI_NGUYEN = {
    "parent_body": "UBND TỈNH THÁI NGUYÊN", "agency_name": "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "agency_code": "SKHCN",
    "place_name": "Thái Nguyên", "signer_authority": "KT. GIÁM ĐỐC", "signer_title": "PHÓ GIÁM ĐỐC",
    "recipients": ["Bộ Khoa học và Công nghệ (b/c)", "UBND tỉnh (b/c)"], "archive": "VT, VP",
}
BAC_KAN = {
    "parent_body": "UBND TỈNH BẮC KẠN", "agency_name": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "agency_code": "STTTT",
    "place_name": "Bắc Kạn", "signer_title": "GIÁM ĐỐC", "recipients": ["Bộ Thông tin và Truyền thông (b/c)"],
}


def read_docx(content: bytes) -> tuple[str, str]:
    document = docx.Document(io.BytesIO(content))
    tables = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return tables, "\n".join(p.text for p in document.paragraphs)


def _build(world: World, period: str, *, regime_obj=None, unit_obj=None):
    version = consolidated_report_build(regime=regime_obj or world.regime, period=period,
                                        unit=unit_obj or world.department, acting_user=world.admin)
    return ConsolidatedReport.objects.get(pk=version.report_id), version


def _profiles(world: World) -> None:
    issuer_profile_create(acting_user=world.admin, unit=world.department, valid_from=date(2008, 1, 1),
                          valid_to=date(2025, 2, 28), **BAC_KAN)
    issuer_profile_create(acting_user=world.admin, unit=world.department, valid_from=date(2025, 3, 1),
                          **THAI_NGUYEN)


def test_a_2026_report_prints_the_profile_of_its_day(world):
    _profiles(world)
    approved(world, world.unit_a, "2026S1", {"A": 2, "B": 3, "PCT": 50})
    report, draft = _build(world, "2026S1")
    tables, _ = read_docx(export_version(report=report, version=draft, fmt="docx")[0])
    assert "UBND TỈNH THÁI NGUYÊN" in tables and "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in tables.replace("\n", " ")
    assert "Thái Nguyên, ngày" in tables and "năm 2026" in tables and "BẮC KẠN" not in tables
    assert "/BC-SKHCN" in tables and "- Bộ Khoa học và Công nghệ (b/c);" in tables and "- Lưu: VT, VP." in tables
    assert "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" in tables

    version = consolidated_report_approve(version=draft, acting_user=world.admin, issued_on=date(2026, 7, 10))
    tables, _ = read_docx(export_version(report=report, version=version, fmt="docx")[0])
    assert "Thái Nguyên, ngày 10 tháng 7 năm 2026" in tables and "Số: 01/BC-SKHCN" in tables
    data = json.loads(export_version(report=report, version=version, fmt="json")[0])
    assert data["letterhead"]["parent_body"] == "UBND TỈNH THÁI NGUYÊN"
    assert data["letterhead"]["recipients"][0] == "Bộ Khoa học và Công nghệ (b/c)"
    html = export_version(report=report, version=version, fmt="html")[0].decode()
    assert "Thái Nguyên, ngày 10 tháng 7 năm 2026" in html


def test_a_2022_report_of_the_same_unit_keeps_its_old_letterhead(world):
    _profiles(world)
    approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
    report, draft = _build(world, "2022S1")
    tables, _ = read_docx(export_version(report=report, version=draft, fmt="docx")[0])
    assert "UBND TỈNH BẮC KẠN" in tables and "Bắc Kạn, ngày" in tables and "/BC-STTTT" in tables
    assert "- Bộ Thông tin và Truyền thông (b/c);" in tables and "THÁI NGUYÊN" not in tables
    # Head signs: no "KT." line.
    assert "KT." not in tables and "GIÁM ĐỐC" in tables


def test_the_outline_overrides_where_set(world):
    _profiles(world)
    ReportOutline.objects.create(regime=world.regime, place="Hà Nội", recipients=["Nơi nhận riêng"])
    approved(world, world.unit_a, "2026S1", {"A": 2, "B": 3, "PCT": 50})
    report, draft = _build(world, "2026S1")
    tables, _ = read_docx(export_version(report=report, version=draft, fmt="docx")[0])
    assert "Hà Nội, ngày" in tables and "- Nơi nhận riêng;" in tables
    assert "UBND TỈNH THÁI NGUYÊN" in tables  # not overridden: the profile's


def test_an_approved_version_reprints_as_issued(world):
    _profiles(world)
    approved(world, world.unit_a, "2026S1", {"A": 2, "B": 3, "PCT": 50})
    report, draft = _build(world, "2026S1")
    version = consolidated_report_approve(version=draft, acting_user=world.admin, issued_on=date(2026, 7, 10))
    before = read_docx(export_version(report=report, version=version, fmt="docx")[0])[0]
    profile = issuer_profile_on(world.department, date(2026, 7, 10))
    issuer_profile_update(acting_user=world.admin, profile=profile, parent_body="UBND TỈNH KHÁC",
                          agency_name="SỞ ĐÃ ĐỔI TÊN", agency_code="SDDT", recipients=["Nơi khác"])
    version.refresh_from_db()
    after = read_docx(export_version(report=report, version=version, fmt="docx")[0])[0]
    assert after == before and "UBND TỈNH THÁI NGUYÊN" in after and "Số: 01/BC-SKHCN" in after
    assert version.header["issuer_code"] == "SKHCN"
    # The report as the data compose it now (not a saved version) takes the edited profile.
    current = export_current(regime=world.regime, period="2026S1", unit=world.department, fmt="docx")[0]
    assert "UBND TỈNH KHÁC" in read_docx(current)[0]


def test_overlapping_profiles_are_refused(world):
    _profiles(world)
    events = AuditEvent.objects.count()
    for start, end in ((date(2024, 6, 1), date(2025, 6, 1)), (date(2030, 1, 1), None),
                       (date(2000, 1, 1), None)):
        with pytest.raises(AppError, match="trùng với thông tin cơ quan ban hành"):
            issuer_profile_create(acting_user=world.admin, unit=world.department, valid_from=start,
                                  valid_to=end, **THAI_NGUYEN)
    with pytest.raises(AppError, match="trùng"):
        issuer_profile_update(acting_user=world.admin, profile=issuer_profile_on(world.department, date(2020, 1, 1)),
                              valid_to=date(2025, 3, 1))
    with pytest.raises(AppError, match="Ngày kết thúc phải sau"):
        issuer_profile_create(acting_user=world.admin, unit=world.unit_a, valid_from=date(2025, 3, 1),
                              valid_to=date(2025, 1, 1), **THAI_NGUYEN)
    with pytest.raises(AppError, match="chưa hợp lệ") as exc:
        issuer_profile_create(acting_user=world.admin, unit=world.unit_a, valid_from="2025-13-01",
                              agency_name="", agency_code="A B")
    assert set(exc.value.extra["fields"]) == {"valid_from", "agency_name", "agency_code"}
    with pytest.raises(PermissionDeniedError):
        issuer_profile_create(acting_user=world.compiler, unit=world.unit_a, valid_from=date(2025, 3, 1),
                              **THAI_NGUYEN)
    assert IssuerProfile.objects.count() == 2 and AuditEvent.objects.count() == events
    # Back to back is fine.
    issuer_profile_create(acting_user=world.admin, unit=world.unit_a, valid_from=date(2025, 3, 1), **THAI_NGUYEN)


def test_profile_writes_are_audited_and_ensure_is_idempotent(world):
    profile = issuer_profile_create(acting_user=world.admin, unit=world.department, valid_from=date(2025, 3, 1),
                                    **THAI_NGUYEN)
    rows = AuditEvent.objects.filter(entity="issuer_profile", entity_id=profile.pk)
    assert rows.filter(action="issuer_profile.create", field="agency_name",
                       new_value="SỞ KHOA HỌC VÀ CÔNG NGHỆ").exists()
    issuer_profile_update(acting_user=world.admin, profile=profile, place_name="TP Thái Nguyên")
    assert list(rows.filter(action="issuer_profile.update").values_list("field", "old_value", "new_value")) == [
        ("place_name", "Thái Nguyên", "TP Thái Nguyên")]
    count = rows.count()
    again = issuer_profile_ensure(world.department, date(2025, 3, 1), **{**THAI_NGUYEN, "place_name": "TP Thái Nguyên"})
    assert again.pk == profile.pk and rows.count() == count
    issuer_profile_ensure(world.department, date(2025, 3, 1), **THAI_NGUYEN)
    assert IssuerProfile.objects.get(pk=profile.pk).place_name == "Thái Nguyên"


def test_the_minutes_use_the_profile_of_the_meeting_date(world):
    _profiles(world)
    old = make_meeting(world)  # 7 July 2022, no regime outline
    new = make_meeting(world, date=date(2026, 7, 7), title="Hội nghị sơ kết 6 tháng đầu năm 2026")
    assert minutes_document(old).header.parent_body == "UBND TỈNH BẮC KẠN"
    tables, _ = read_docx(meeting_document(new, "minutes", "docx")[0])
    assert "UBND TỈNH THÁI NGUYÊN" in tables and "Số:      /BB-SKHCN" in tables
    assert "Thái Nguyên, ngày      tháng      năm 2026" in tables
    invitation = read_docx(meeting_document(old, "invitation", "docx")[0])[0]
    assert "Bắc Kạn, ngày      tháng      năm 2022" in invitation and "/GM-STTTT" in invitation


def test_a_successor_agency_starts_its_numbers_at_01(world):
    _profiles(world)
    for _ in range(4):
        document_number_next(unit=world.department, year=2026, type_code="BC")
    successor = unit(code="SKHCN-TN", name="Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
                     kind=UnitKind.DEPARTMENT, parent=world.province)
    issuer_profile_create(acting_user=world.admin, unit=successor, valid_from=date(2025, 7, 1),
                          **{**THAI_NGUYEN, "agency_code": "SKHCN"})
    new_regime = regime(receiving_unit=successor, form_version=world.form_version, units=[world.unit_a],
                        code="BC-KHCN")
    report, draft = _build(world, "2026S1", regime_obj=new_regime, unit_obj=successor)
    version = consolidated_report_approve(version=draft, acting_user=world.admin, issued_on=date(2026, 7, 10))
    assert version.doc_number == 1
    tables, _ = read_docx(export_version(report=report, version=version, fmt="docx")[0])
    assert "Số: 01/BC-SKHCN" in tables
    answer = api_client(world.admin).get(f"/reports/{report.pk}/versions/1")
    assert answer.status_code == 200 and answer.json()["doc_number_label"] == "01/BC-SKHCN", answer.content
    # The predecessor's register goes on at 05.
    report_old, draft_old = _build(world, "2026S1")
    assert consolidated_report_approve(version=draft_old, acting_user=world.admin,
                                       issued_on=date(2026, 7, 11)).doc_number == 5


def test_the_page_lists_adds_and_refuses_in_vietnamese(world):
    _profiles(world)
    client = page_client(world.admin)
    url = f"/reports/issuers/{world.department.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in html and "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in html
    assert f'href="{url}"' in client.get(f"/units/{world.department.pk}/").content.decode()
    events = AuditEvent.objects.count()
    overlapping = {"new-valid_from": "2026-01-01", "new-agency_name": "SỞ MỚI", "new-agency_code": "SM",
                   "new-recipients": "Nơi A\nNơi B"}
    answer = client.post(url, overlapping)
    assert answer.status_code == 400 and "trùng với thông tin cơ quan ban hành" in answer.content.decode()
    answer = client.post(url, {"new-valid_from": "ngày mai", "new-agency_name": "", "new-agency_code": "X"})
    assert answer.status_code == 400
    assert "không đúng dạng ngày/tháng/năm" in answer.content.decode() and "Trường này là bắt buộc." in answer.content.decode()
    assert IssuerProfile.objects.count() == 2 and AuditEvent.objects.count() == events
    # End the current profile, then add the next one.
    current = issuer_profile_on(world.department, date(2026, 1, 1))
    edit = {f"p{current.pk}-{k}": v for k, v in {
        "valid_from": "2025-03-01", "valid_to": "2025-12-31", "parent_body": THAI_NGUYEN["parent_body"],
        "agency_name": THAI_NGUYEN["agency_name"], "agency_code": "SKHCN", "place_name": "Thái Nguyên",
        "signer_title": "GIÁM ĐỐC", "recipients": "Bộ Khoa học và Công nghệ (b/c)", "archive": "VT"}.items()}
    assert client.post(f"{url}{current.pk}/", edit).status_code == 302
    assert client.post(url, overlapping).status_code == 302
    added = issuer_profile_on(world.department, date(2026, 6, 1))
    assert added.agency_name == "SỞ MỚI" and added.recipients == ["Nơi A", "Nơi B"]
    assert page_client(world.compiler).get(url).status_code == 403
    assert page_client(world.admin).post(f"{url}{added.pk}/delete/").status_code == 302
    assert AuditEvent.objects.filter(action="issuer_profile.delete", entity_id=added.pk).exists()


def test_the_api(world):
    api = api_client(world.admin)
    url = f"/units/{world.department.pk}/issuer-profiles"
    created = api.post(url, {"valid_from": "2025-03-01", **THAI_NGUYEN})
    assert created.status_code == 201, created.content
    profile_id = created.json()["id"]
    assert api.get(url).json()[0]["agency_code"] == "SKHCN"
    events = AuditEvent.objects.count()
    refused = api.post(url, {"valid_from": "2025-06-01", **THAI_NGUYEN})
    assert refused.status_code == 400 and "trùng" in refused.json()["message"] and "extra" in refused.json()
    refused = api.post(url, {"valid_from": "2025-02-30", "agency_name": "X", "agency_code": "X"})
    assert refused.status_code == 400 and refused.json()["extra"]["fields"]["valid_from"].startswith("Ngày")
    refused = api.put(f"/issuer-profiles/{profile_id}", {"valid_to": "2020-01-01"})
    assert refused.status_code == 400 and "Ngày kết thúc" in refused.json()["message"]
    assert api_client(world.compiler).post(url, {"valid_from": "2030-01-01", **THAI_NGUYEN}).status_code == 403
    assert AuditEvent.objects.count() == events and IssuerProfile.objects.count() == 1
    assert api.put(f"/issuer-profiles/{profile_id}", {"place_name": "Phổ Yên"}).json()["place_name"] == "Phổ Yên"
    assert api.delete(f"/issuer-profiles/{profile_id}").status_code == 204
    assert not IssuerProfile.objects.exists()


def test_versions_approved_before_profiles_keep_their_outline_letterhead(world):
    """The data migration freezes what an approved version printed before headers were stored."""
    import importlib

    from django.apps import apps

    from baocao.consolidation.models import ReportVersion

    backfill = importlib.import_module("baocao.consolidation.migrations.0003_version_header_backfill").backfill
    ReportOutline.objects.create(regime=world.regime, parent_body="UBND TỈNH BẮC KẠN", issuer_name="SỞ CŨ",
                                 issuer_code="SC", place="Bắc Kạn", recipients=["Nơi A"], archive="VT, VP",
                                 signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", signer_name="A")
    approved(world, world.unit_a, "2022S1", {"A": 2, "B": 3, "PCT": 50})
    report, draft = _build(world, "2022S1")
    version = consolidated_report_approve(version=draft, acting_user=world.admin, issued_on=date(2022, 7, 5))
    ReportVersion.objects.filter(pk=version.pk).update(header={})
    backfill(apps, None)
    version.refresh_from_db()
    assert (version.header["issuer"], version.header["issuer_code"], version.header["recipients"]) == (
        "SỞ CŨ", "SC", ["Nơi A"])
    ReportOutline.objects.filter(regime=world.regime).update(issuer_name="", place="", issuer_code="")
    _profiles(world)
    tables, _ = read_docx(export_version(report=report, version=version, fmt="docx")[0])
    assert "SỞ CŨ" in tables and "Số: 01/BC-SC" in tables and "Bắc Kạn, ngày 05 tháng 7 năm 2022" in tables
