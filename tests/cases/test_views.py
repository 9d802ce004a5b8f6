"""The register's pages: scope per role (another unit's case and every page for a reporter are
404, a role that only reads gets 403 on writes), HTMX fragments, tabs, CSV, forms with Vietnamese
messages and nothing written on refusal, uploads, and list pages whose query count does not grow."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.audit.actions import AuditAction
from baocao.audit.models import AuditEvent
from baocao.audit.services import audit_record
from baocao.cases import limits
from baocao.cases.choices import CaseKind, CaseStatus, Channel
from baocao.cases.models import Case, CaseAttachment, CaseExtension
from baocao.cases.services import case_resolve, case_update
from baocao.core import workdays
from baocao.core.clock import today_vn
from tests.cases.case_fixtures import SECRET_NAME, case_world, logged, make_case, make_denunciation

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "other_compiler", "other_inspector"]
SEES = {r: 200 for r in ROLES} | {"reporter_a": 404, "other_compiler": 404, "other_inspector": 404}
WRITES = {"admin": True, "inspector": True}


@pytest.fixture
def world():
    return case_world()


@pytest.fixture
def case(world):
    return make_case(world, code="KN-07", summary="Kiến nghị về dịch vụ chuyển phát chậm", sector=world.sector)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def received_for(status: str, *, today: date) -> date:
    """A receipt date whose petition answer deadline (10 working days) has `status` today."""
    for back in range(0, 60):
        received = today - timedelta(days=back)
        if limits.deadline_status(workdays.add_working_days(received, 10), today) == status:
            return received
    raise AssertionError(status)


def test_anonymous_goes_to_login(world, case):
    for path in ("/cases/", f"/cases/{case.pk}/", "/cases/new/", f"/cases/{case.pk}/edit/"):
        r = Client().get(path)
        assert r.status_code == 302 and r["Location"].startswith("/login/"), path
    r = Client().post(f"/cases/{case.pk}/accept/", {"accepted_on": "2022-03-02"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(world, case, role):
    c = logged(getattr(world, role))
    list_status = 404 if role == "reporter_a" else 200
    r = c.get("/cases/")
    assert r.status_code == list_status
    if list_status == 200:
        assert ("KN-07" in r.content.decode()) == (SEES[role] == 200)
        assert ('id="new-case"' in r.content.decode()) == (role in ("admin", "inspector", "other_inspector"))
    assert c.get(f"/cases/{case.pk}/").status_code == SEES[role]
    new = {"reporter_a": 404, "admin": 200, "inspector": 200, "other_inspector": 200}.get(role, 403)
    assert c.get("/cases/new/").status_code == new
    edit = c.get(f"/cases/{case.pk}/edit/").status_code
    assert edit == (SEES[role] if SEES[role] == 404 else 200 if role in WRITES else 403)


@pytest.mark.parametrize("role", ROLES)
def test_actions_by_role(world, case, role):
    r = logged(getattr(world, role)).post(f"/cases/{case.pk}/accept/", {"accepted_on": "2022-03-02"})
    expected = 302 if role in WRITES else SEES[role] if SEES[role] == 404 else 403
    assert r.status_code == expected
    assert (Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED) == (role in WRITES)


def test_nav_link_for_everyone_but_reporters(world):
    assert 'href="/cases/">Thanh tra, đơn thư</a>' in logged(world.compiler).get("/").content.decode()
    assert 'href="/cases/"' not in logged(world.reporter_a).get("/").content.decode()


def test_detail_shows_deadlines_with_badges_and_forms(world, case):
    html = logged(world.inspector).get(f"/cases/{case.pk}/").content.decode()
    assert "Hạn thụ lý" in html and "15/03/2022" in html and "Quá hạn" in html
    for form in ("accept-form", "refuse-form", "forward-form", "attach-form", "edit-case"):
        assert f'id="{form}"' in html
    assert 'id="resolve-form"' not in html and 'id="extend-form"' not in html
    html = logged(world.compiler).get(f"/cases/{case.pk}/").content.decode()
    assert "15/03/2022" in html and 'id="accept-form"' not in html and 'id="edit-case"' not in html


def test_accept_then_resolve_through_the_page(world, case):
    c = logged(world.inspector)
    r = c.post(f"/cases/{case.pk}/accept/", {"accepted_on": "2022-03-02"})
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert "Đã ghi nhận thụ lý." in html and 'id="resolve-form"' in html
    assert 'id="extend-form"' not in html  # petitions are not extended
    r = c.post(f"/cases/{case.pk}/resolve/", {"resolved_on": "2022-03-20", "conclusion": "Đã trả lời",
                                               "sanction_decisions": "1", "sanction_amount": "7.500.000"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.sanction_amount) == (CaseStatus.RESOLVED, 7500000)
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert "7.500.000 đồng" in html and 'id="outcome"' in html and "giải quyết" in html


def test_refused_resolution_shows_messages_and_writes_nothing(world, case):
    c = logged(world.inspector)
    c.post(f"/cases/{case.pk}/accept/", {"accepted_on": "2022-03-02"})
    before = AuditEvent.objects.count()
    r = c.post(f"/cases/{case.pk}/resolve/", {"resolved_on": "2022-03-01", "conclusion": "",
                                               "sanction_decisions": "0", "sanction_amount": "-5"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "không được trước ngày thụ lý" in html and "Số tiền xử phạt không được âm." in html
    assert "Hãy nhập kết luận" in html and 'id="action-resolve" open' in html
    assert AuditEvent.objects.count() == before and Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED


def test_extension_without_a_decision_is_refused_on_the_page(world):
    case = make_denunciation(world, accepted_on=date(2022, 3, 2))
    c = logged(world.inspector)
    assert 'id="extend-form"' in c.get(f"/cases/{case.pk}/").content.decode()
    r = c.post(f"/cases/{case.pk}/extend/", {"decision_number": "", "decided_on": "2022-03-20", "days": "30"})
    assert r.status_code == 400 and "quyết định bằng văn bản" in r.content.decode()
    assert not CaseExtension.objects.exists()
    r = c.post(f"/cases/{case.pk}/extend/", {"decision_number": "5/QĐ-TTr", "decided_on": "2022-03-20",
                                              "days": "30", "reason": "Phức tạp"})
    assert r.status_code == 302
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert "Quyết định số 5/QĐ-TTr ngày 20/03/2022: gia hạn 30 ngày" in html


def test_refuse_and_forward_pages(world):
    c = logged(world.inspector)
    first, second = make_case(world), make_case(world)
    assert c.post(f"/cases/{first.pk}/refuse/", {"decided_on": "2022-03-05", "text": "Đơn nặc danh"}).status_code == 302
    assert c.post(f"/cases/{second.pk}/forward/", {"decided_on": "2022-03-05",
                                                    "text": "UBND huyện Ba Bể"}).status_code == 302
    assert Case.objects.get(pk=first.pk).status == CaseStatus.REFUSED
    assert "UBND huyện Ba Bể" in c.get(f"/cases/{second.pk}/").content.decode()
    assert c.post(f"/cases/{first.pk}/nonsense/", {}).status_code == 404


def test_bad_date_in_an_action_form_is_400(world, case):
    r = logged(world.inspector).post(f"/cases/{case.pk}/accept/", {"accepted_on": "hôm qua"})
    assert r.status_code == 400 and Case.objects.get(pk=case.pk).status == CaseStatus.RECEIVED


def test_create_page(world):
    c = logged(world.inspector)
    html = c.get("/cases/new/").content.decode()
    assert 'name="submitter_name"' in html and 'name="owner"' in html
    r = c.post("/cases/new/", {"owner": world.department.pk, "kind": CaseKind.COMPLAINT, "complaint_round": "2",
                               "received_on": "16/01/2023", "channel": "post", "summary": "Khiếu nại lần hai",
                               "sector": world.sector.pk, "officer": world.inspector.pk})
    assert r.status_code == 302, r.content.decode()
    case = Case.objects.get()
    assert (case.kind, case.complaint_round, case.received_on, case.officer) == (
        CaseKind.COMPLAINT, 2, date(2023, 1, 16), world.inspector)
    assert r["Location"] == f"/cases/{case.pk}/"


def test_create_page_refusals(world):
    c = logged(world.inspector)
    r = c.post("/cases/new/", {"owner": world.department.pk, "kind": CaseKind.PETITION, "channel": "direct",
                               "received_on": (today_vn() + timedelta(days=3)).isoformat(), "summary": "x"})
    assert r.status_code == 400 and "không được sau hôm nay" in r.content.decode()
    r = c.post("/cases/new/", {"owner": world.department.pk, "kind": CaseKind.PETITION, "channel": "direct"})
    assert r.status_code == 400
    assert not Case.objects.exists()


def test_edit_page_hides_identity_from_admin_on_a_denunciation(world):
    case = make_denunciation(world)
    html = logged(world.admin).get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'name="submitter_name"' not in html and "được giữ bí mật" in html
    r = logged(world.admin).post(f"/cases/{case.pk}/edit/", {
        "kind": CaseKind.DENUNCIATION, "complaint_round": "1", "received_on": "2022-03-01", "channel": "direct",
        "summary": case.summary, "note": "Đã phân loại", "submitter_name": "Người khác"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.note == "Đã phân loại" and case.submitter_name != "Người khác"
    html = logged(world.inspector).get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'name="submitter_name"' in html


def test_list_fragment_tabs_and_search(world):
    today = today_vn()
    late = make_case(world, received_on=received_for("overdue", today=today), summary="Đơn quá hạn")
    soon = make_case(world, received_on=received_for("due_soon", today=today), summary="Đơn sắp đến hạn")
    c = logged(world.compiler)
    html = c.get("/cases/", {"view": "overdue"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "Đơn quá hạn" in html and "Đơn sắp đến hạn" not in html
    html = c.get("/cases/", {"view": "due3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Đơn quá hạn" not in html and "Đơn sắp đến hạn" in html
    html = c.get("/cases/", {"q": "sap den han"}).content.decode()
    assert "<html" in html and "Đơn sắp đến hạn" in html and "Đơn quá hạn" not in html
    for label in ("Tất cả", "Đến hạn trong 3 ngày làm việc", "Quá hạn"):
        assert label in html
    assert {late.pk, soon.pk} == set(Case.objects.values_list("pk", flat=True))


def test_list_filters_ignore_nonsense(world, case):
    html = logged(world.compiler).get("/cases/", {"kind": "x", "status": "y", "view": "z", "sector": "abc",
                                                  "officer": "-1"}).content.decode()
    assert "KN-07" in html


def test_csv_export(world, case):
    r = logged(world.compiler).get("/cases/", {"format": "csv", "kind": CaseKind.PETITION})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment;" in r["Content-Disposition"]
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeffSố hồ sơ,Loại,Lần khiếu nại,Ngày nhận")
    assert "KN-07,\"Kiến nghị, phản ánh\",,01/03/2022" in text and "15/03/2022" in text


def test_pagination(world):
    for i in range(52):
        make_case(world, code=f"P-{i:02d}")
    html = logged(world.compiler).get("/cases/").content.decode()
    assert "52 vụ việc" in html and "Trang 1/2" in html and "page=2" in html
    assert "Trang 2/2" in logged(world.compiler).get("/cases/", {"page": 2}).content.decode()


def test_attachments_upload_and_download(world, case, media):
    c = logged(world.inspector)
    r = c.post(f"/cases/{case.pk}/attach/", {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF"),
                                              "title": "Biên bản làm việc"})
    assert r.status_code == 302
    attachment = CaseAttachment.objects.get()
    assert "Biên bản làm việc" in logged(world.viewer).get(f"/cases/{case.pk}/").content.decode()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"
    assert b"".join(logged(world.viewer).get(url).streaming_content) == b"%PDF"
    assert logged(world.other_inspector).get(url).status_code == 404
    assert logged(world.reporter_a).get(url).status_code == 404
    assert logged(world.viewer).post(f"/cases/{case.pk}/attach/", {
        "file": SimpleUploadedFile("x.pdf", b"x")}).status_code == 403


def test_denunciation_documents_are_for_the_inspectorate(world, media):
    case = make_denunciation(world)
    logged(world.inspector).post(f"/cases/{case.pk}/attach/", {"file": SimpleUploadedFile("don.pdf", b"%PDF"),
                                                                "title": "Đơn tố cáo"})
    attachment = CaseAttachment.objects.get()
    url = f"/cases/{case.pk}/attachments/{attachment.pk}/"
    assert logged(world.inspector).get(url).status_code == 200
    for role in ("admin", "compiler", "leader", "viewer"):
        assert logged(getattr(world, role)).get(url).status_code == 404, role
        html = logged(getattr(world, role)).get(f"/cases/{case.pk}/").content.decode()
        assert "Đơn tố cáo" not in html and "1 tài liệu" in html


def test_history_on_the_detail_page(world, case):
    logged(world.inspector).post(f"/cases/{case.pk}/accept/", {"accepted_on": "2022-03-02"})
    html = logged(world.leader).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="history"' in html and "ghi sổ" in html and "thụ lý · ngày thụ lý" in html and "02/03/2022" in html


def history_text(client, case) -> str:
    html = client.get(f"/cases/{case.pk}/").content.decode()
    block = re.search(r'<section class="card" id="history">(.*?)</section>', html, re.S)
    assert block, "no history on the page"
    return "\n".join(re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", block[1], re.S))


def test_history_reads_in_words(world):
    case = make_case(world, accepted_on=date(2022, 3, 2))
    case_update(acting_user=world.inspector, case=case, is_complex=True, channel=Channel.POST)
    case_resolve(case=case, resolved_on=date(2022, 3, 10), conclusion="Đã trả lời người kiến nghị.",
                 sanction_decisions=2, sanction_amount=1500000, acting_user=world.inspector)
    # Rows as an older version wrote them: choice codes, ISO dates, raw numbers.
    for field, old, new in (("status", "received", "accepted"), ("received_on", "2022-03-01", "2022-02-28"),
                            ("sanction_amount", "", "2500000.5")):
        audit_record(actor=world.admin, action=AuditAction.CASE_UPDATE, entity="case", entity_id=case.pk,
                     unit=case.owner, field=field, old=old, new=new)
    text = history_text(logged(world.leader), case)
    assert "thụ lý · ngày thụ lý: — → 02/03/2022" in text
    assert "sửa · phức tạp: Không → Có" in text
    assert "sửa · nguồn: Trực tiếp → Qua bưu chính" in text
    assert "giải quyết · trạng thái: Đã thụ lý / đang thực hiện → Đã giải quyết / kết thúc" in text
    assert "giải quyết · ngày giải quyết: — → 10/03/2022" in text
    assert "giải quyết · số tiền xử phạt: — → 1.500.000" in text
    assert "sửa · trạng thái: Mới tiếp nhận → Đã thụ lý / đang thực hiện" in text
    assert "sửa · ngày nhận: 01/03/2022 → 28/02/2022" in text
    assert "sửa · số tiền xử phạt: — → 2.500.000,5" in text
    assert "received" not in text and "2022-03" not in text and "1500000" not in text


def test_history_keeps_the_denunciator_hidden(world):
    case = make_denunciation(world)
    audit_record(actor=world.admin, action=AuditAction.CASE_UPDATE, entity="case", entity_id=case.pk,
                 unit=case.owner, field="submitter_name", old="", new=SECRET_NAME)
    text = history_text(logged(world.compiler), case)
    assert "người gửi: — → [bảo mật]" in text and SECRET_NAME not in text
    assert f"người gửi: — → {SECRET_NAME}" in history_text(logged(world.inspector), case)


def test_detail_query_count_does_not_grow_with_history(world, case):
    c = logged(world.leader)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/cases/{case.pk}/").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(8):
        case_update(acting_user=world.inspector, case=case, note=f"Ghi chú {i}", is_remote=bool(i % 2))
    assert history_text(c, case).count("ghi chú") >= 8
    assert count() == before


def test_list_query_count_does_not_grow(world):
    c = logged(world.compiler)

    def count(params=None) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = c.get("/cases/", params or {})
        assert r.status_code == 200
        return len(ctx.captured_queries)

    for i in range(3):
        make_denunciation(world, accepted_on=date(2022, 3, 2), code=f"A{i}", officer=world.inspector,
                          assigned_unit=world.department)
    few = [count(), count({"view": "overdue"}), count({"format": "csv"})]
    for i in range(27):
        make_case(world, code=f"B{i}", kind=CaseKind.COMPLAINT, accepted_on=date(2022, 3, 2), sector=world.sector,
                  officer=world.inspector, assigned_unit=world.unit_a)
    assert [count(), count({"view": "overdue"}), count({"format": "csv"})] == few


def test_admin_edits_time_limits_checked_as_the_rules_read_them(world):
    from baocao.cases.models import TimeLimitRule

    rule = TimeLimitRule.objects.get(kind=CaseKind.PETITION, step="acceptance")
    url = f"/admin/cases/timelimitrule/{rule.pk}/change/"
    c = logged(world.admin)
    assert c.get(url).status_code == 200
    data = {"kind": rule.kind, "step": rule.step, "round": 3, "day_type": rule.day_type, "days": 12,
            "complex_days": "", "remote_days": "", "remote_complex_days": "", "counted_from": "received",
            "max_extensions": 0, "legal_basis": rule.legal_basis}
    r = c.post(url, data)
    assert r.status_code == 200 and "lần giải quyết phải là 0" in r.content.decode()
    assert TimeLimitRule.objects.get(pk=rule.pk).days == 10
    assert c.post(url, data | {"round": 0}).status_code == 302
    case = make_case(world, received_on=date(2022, 3, 1))
    assert "17/03/2022" in logged(world.compiler).get(f"/cases/{case.pk}/").content.decode()


def test_csv_link_follows_the_filters(world, case):
    html = logged(world.compiler).get("/cases/", {"view": "overdue", "q": "chuyen phat"},
                                      HTTP_HX_REQUEST="true").content.decode()
    assert 'href="/cases/?view=overdue&amp;q=chuyen+phat&amp;format=csv"' in html
