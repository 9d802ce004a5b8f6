"""The case register's services: who may write, every allowed and refused transition, the rules of
BRIEF §4 and issue 5 ("bad input": a resolution before acceptance, an extension without a decision,
a negative or non-numeric sanction amount), nothing written on refusal, audit rows that never hold
a denunciator's identity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baocao.audit.models import AuditEvent
from baocao.cases.choices import CaseKind, CaseStatus, Channel
from baocao.cases.models import Case, CaseAttachment, CaseExtension
from baocao.cases.selectors import case_detail_row
from baocao.cases.services import (
    case_accept,
    case_attachment_add,
    case_create,
    case_extend,
    case_forward,
    case_refuse,
    case_resolve,
    case_update,
    parse_amount,
)
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, NotFound, PermissionDeniedError
from tests.cases.case_fixtures import SECRET_CONTACT, SECRET_NAME, case_world, make_case, make_denunciation
from tests.factories import user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return case_world()


def snapshot() -> tuple:
    """Everything the services write, to check that a refusal wrote nothing."""
    return (list(Case.objects.values()), list(CaseExtension.objects.values()),
            list(CaseAttachment.objects.values()), AuditEvent.objects.count())


def refused(call, *, kind=AppError, match: str | None = None):
    before = snapshot()
    with pytest.raises(kind) as excinfo:
        call()
    assert snapshot() == before, "a refused change wrote something"
    if match is not None:
        assert match in excinfo.value.message, excinfo.value.message
    return excinfo.value


def audit_text() -> str:
    return " ".join(f"{e.field} {e.old_value} {e.new_value} {e.comment}" for e in AuditEvent.objects.all())


# ---------------------------------------------------------------------------
# case_create


class TestCaseCreate:
    def test_inspector_records_a_case_of_its_unit_with_an_audit_row(self, world):
        case = make_case(world, code="KN-01", subject_org="Bưu điện tỉnh", sector=world.sector,
                         channel=Channel.POST, officer=world.inspector, assigned_unit=world.department)
        assert (case.owner, case.status, case.created_by) == (world.department, CaseStatus.RECEIVED, world.inspector)
        event = AuditEvent.objects.get(action="case.create")
        assert (event.actor, event.entity, event.entity_id, event.unit) == (
            world.inspector, "case", case.pk, world.department)
        assert "01/03/2022" in event.comment and "Qua bưu chính" in event.comment

    def test_admin_records_for_any_unit(self, world):
        case = make_case(world, by=world.admin, owner=world.other_department)
        assert case.owner == world.other_department

    @pytest.mark.parametrize("role", ["compiler", "leader", "viewer", "reporter_a"])
    def test_roles_that_only_read_are_refused_403(self, world, role):
        refused(lambda: make_case(world, by=getattr(world, role)), kind=PermissionDeniedError,
                match="Chỉ thanh tra hoặc quản trị")

    def test_unit_outside_the_inspectors_subtree_is_404(self, world):
        refused(lambda: make_case(world, by=world.other_inspector, owner=world.department), kind=NotFound)

    def test_assigned_unit_out_of_scope_is_404(self, world):
        refused(lambda: make_case(world, by=world.other_inspector, assigned_unit=world.unit_b), kind=NotFound)

    def test_officer_must_belong_to_the_owner(self, world):
        exc = refused(lambda: make_case(world, officer=world.other_inspector))
        assert "officer" in exc.extra["fields"]

    @pytest.mark.parametrize("fields,key", [
        ({"kind": "lawsuit"}, "kind"),
        ({"kind": CaseKind.COMPLAINT, "complaint_round": 3}, "complaint_round"),
        ({"channel": "pigeon"}, "channel"),
        ({"summary": "   "}, "summary"),
        ({"received_on": None}, "received_on"),
        ({"code": "x" * 41}, "code"),
    ])
    def test_bad_fields_are_refused_with_a_message_per_field(self, world, fields, key):
        args = {"kind": CaseKind.PETITION, "received_on": date(2022, 3, 1), "summary": "Nội dung"} | fields
        exc = refused(lambda: case_create(acting_user=world.inspector, **args))
        assert key in exc.extra["fields"]

    def test_received_in_the_future_is_refused(self, world):
        exc = refused(lambda: make_case(world, received_on=today_vn() + timedelta(days=1)))
        assert "không được sau hôm nay" in exc.extra["fields"]["received_on"]

    def test_the_message_never_repeats_the_submitter(self, world):
        long_name = SECRET_NAME + " " + "x" * 200
        exc = refused(lambda: make_case(world, kind=CaseKind.DENUNCIATION, submitter_name=long_name))
        assert exc.extra["fields"]["submitter_name"] == "Họ tên người gửi dài quá 200 ký tự."
        assert SECRET_NAME not in exc.message and SECRET_NAME not in str(exc.extra)

    def test_round_counts_for_complaints_only(self, world):
        assert make_case(world, kind=CaseKind.COMPLAINT, complaint_round=2).complaint_round == 2
        assert make_case(world, kind=CaseKind.PETITION, complaint_round=2).complaint_round == 1

    def test_identity_is_never_written_into_the_audit_log(self, world):
        make_denunciation(world)
        make_case(world, submitter_name="Trần Văn Kiến Nghị")
        text = audit_text()
        assert SECRET_NAME not in text and SECRET_CONTACT not in text and "Kiến Nghị" not in text


# ---------------------------------------------------------------------------
# case_update


class TestCaseUpdate:
    def test_changes_fields_with_one_audit_row_each(self, world):
        case = make_case(world)
        case_update(acting_user=world.inspector, case=case, subject_org="VNPT Bắc Kạn", is_complex=True,
                    officer=world.inspector)
        case.refresh_from_db()
        assert (case.subject_org, case.is_complex, case.officer) == ("VNPT Bắc Kạn", True, world.inspector)
        rows = {e.field: (e.old_value, e.new_value) for e in AuditEvent.objects.filter(action="case.update")}
        assert rows == {"subject_org": ("", "VNPT Bắc Kạn"), "is_complex": ("không", "có"),
                        "officer": ("", "Hoàng Thị Thanh")}

    def test_nothing_changed_writes_nothing(self, world):
        case = make_case(world)
        before = AuditEvent.objects.count()
        case_update(acting_user=world.inspector, case=case, summary=case.summary)
        assert AuditEvent.objects.count() == before

    def test_submitter_change_is_audited_without_the_values(self, world):
        case = make_denunciation(world)
        case_update(acting_user=world.inspector, case=case, submitter_name="Lê Thị Đổi Tên")
        event = AuditEvent.objects.get(action="case.update")
        assert (event.field, event.old_value, event.new_value) == ("submitter_name", "[bảo mật]", "[bảo mật]")
        assert "Đổi Tên" not in audit_text()

    def test_only_the_inspectorate_changes_a_denunciators_identity(self, world):
        case = make_denunciation(world)
        refused(lambda: case_update(acting_user=world.admin, case=case, submitter_name="Ai đó"),
                kind=PermissionDeniedError, match="Chỉ thanh tra")
        case_update(acting_user=world.admin, case=case, note="Đã vào sổ")  # other fields: yes

    def test_reclassifying_as_a_denunciation_with_a_name_is_for_the_inspectorate(self, world):
        case = make_case(world)
        refused(lambda: case_update(acting_user=world.admin, case=case, kind=CaseKind.DENUNCIATION,
                                    submitter_name="Ai đó"), kind=PermissionDeniedError)

    def test_only_the_inspectorate_reclassifies_a_denunciation(self, world):
        # Otherwise an admin could turn it into a petition and read who sent it.
        case = make_denunciation(world)
        refused(lambda: case_update(acting_user=world.admin, case=case, kind=CaseKind.PETITION),
                kind=PermissionDeniedError, match="phân loại lại")
        case_update(acting_user=world.inspector, case=case, kind=CaseKind.PETITION)
        assert Case.objects.get(pk=case.pk).kind == CaseKind.PETITION

    @pytest.mark.parametrize("role", ["compiler", "leader", "viewer"])
    def test_readers_403(self, world, role):
        case = make_case(world)
        refused(lambda: case_update(acting_user=getattr(world, role), case=case, note="x"),
                kind=PermissionDeniedError)

    def test_other_departments_inspector_403(self, world):
        case = make_case(world)
        refused(lambda: case_update(acting_user=world.other_inspector, case=case, note="x"),
                kind=PermissionDeniedError)

    def test_kind_changes_only_before_acceptance(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        exc = refused(lambda: case_update(acting_user=world.inspector, case=case, kind=CaseKind.COMPLAINT))
        assert "trước khi thụ lý" in exc.extra["fields"]["kind"]
        received = make_case(world)
        case_update(acting_user=world.inspector, case=received, kind=CaseKind.COMPLAINT, complaint_round=2)
        received.refresh_from_db()
        assert (received.kind, received.complaint_round) == (CaseKind.COMPLAINT, 2)

    def test_received_after_acceptance_is_refused(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        refused(lambda: case_update(acting_user=world.inspector, case=case, received_on=date(2022, 3, 5)))

    def test_state_fields_are_not_updated_here(self, world):
        case = make_case(world)
        exc = refused(lambda: case_update(acting_user=world.inspector, case=case, status=CaseStatus.RESOLVED))
        assert exc.extra["fields"] == {"status": "Không sửa được"}


# ---------------------------------------------------------------------------
# case_accept


class TestCaseAccept:
    def test_accepts_and_audits(self, world):
        case = case_accept(case=make_case(world), accepted_on=date(2022, 3, 4), acting_user=world.inspector)
        assert (case.status, case.accepted_on) == (CaseStatus.ACCEPTED, date(2022, 3, 4))
        event = AuditEvent.objects.get(action="case.accept")
        assert (event.field, event.new_value) == ("accepted_on", "04/03/2022")

    def test_before_receipt_is_refused(self, world):
        case = make_case(world)
        exc = refused(lambda: case_accept(case=case, accepted_on=date(2022, 2, 28), acting_user=world.inspector))
        assert "không được trước ngày nhận (01/03/2022)" in exc.message

    def test_in_the_future_is_refused(self, world):
        case = make_case(world)
        refused(lambda: case_accept(case=case, accepted_on=today_vn() + timedelta(days=1),
                                    acting_user=world.inspector))

    def test_twice_is_refused(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        refused(lambda: case_accept(case=case, accepted_on=date(2022, 3, 3), acting_user=world.inspector),
                match="Đã thụ lý")

    def test_compiler_403(self, world):
        case = make_case(world)
        refused(lambda: case_accept(case=case, accepted_on=date(2022, 3, 2), acting_user=world.compiler),
                kind=PermissionDeniedError)

    def test_admin_may(self, world):
        case = case_accept(case=make_case(world), accepted_on=date(2022, 3, 2), acting_user=world.admin)
        assert case.status == CaseStatus.ACCEPTED


# ---------------------------------------------------------------------------
# case_extend (Law on Denunciations 2018, art. 30)


def extend(world, case, **overrides):
    args = {"decision_number": "12/QĐ-TTr", "decided_on": date(2022, 3, 20), "days": 30,
            "reason": "Vụ việc phức tạp, cần xác minh thêm", "acting_user": world.inspector} | overrides
    return case_extend(case=case, **args)


class TestCaseExtend:
    def test_art30_extension_adds_to_the_resolution_limit(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        before = case_detail_row(case).resolution_deadline
        extension = extend(world, case)
        assert (extension.decision_number, extension.days) == ("12/QĐ-TTr", 30)
        case = Case.objects.get(pk=case.pk)
        after = case_detail_row(case).resolution_deadline
        # 02/03 + 60 days = Sunday 01/05/2022; 02/05 and 03/05 were days off in lieu of 30/4-1/5.
        assert before == date(2022, 4, 1) and after == date(2022, 5, 4)
        event = AuditEvent.objects.get(action="case.extend")
        assert event.new_value == "+30 ngày" and "12/QĐ-TTr" in event.comment

    def test_art30_an_extension_without_a_decision_is_refused(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        exc = refused(lambda: extend(world, case, decision_number="  "))
        assert "quyết định bằng văn bản" in exc.extra["fields"]["decision_number"]

    def test_art30_longer_than_30_days_is_refused(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        exc = refused(lambda: extend(world, case, days=31))
        assert "không quá 30 ngày" in exc.extra["fields"]["days"]

    @pytest.mark.parametrize("days", [0, -5, "ba mươi", True])
    def test_days_must_be_a_positive_whole_number(self, world, days):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        assert "days" in refused(lambda: extend(world, case, days=days)).extra["fields"]

    def test_art30_at_most_twice(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        extend(world, case, decision_number="12/QĐ-TTr", decided_on=date(2022, 3, 20))
        extend(world, case, decision_number="20/QĐ-TTr", decided_on=date(2022, 4, 20))
        exc = refused(lambda: extend(world, case, decision_number="25/QĐ-TTr", decided_on=date(2022, 5, 2)))
        assert "quá số lần được gia hạn (2 lần" in exc.extra["fields"]["extensions"]

    @pytest.mark.parametrize("kind", [CaseKind.COMPLAINT, CaseKind.PETITION, CaseKind.CHECK,
                                      CaseKind.MISINFORMATION, CaseKind.INSPECTION])
    def test_kinds_without_extensions_in_their_rule_are_refused(self, world, kind):
        case = make_case(world, kind=kind, accepted_on=date(2022, 3, 2))
        refused(lambda: extend(world, case), match="không được gia hạn")

    def test_before_acceptance_is_refused(self, world):
        case = make_denunciation(world)
        refused(lambda: extend(world, case), match="Mới tiếp nhận")

    def test_decided_after_the_limit_ran_out_is_refused(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        exc = refused(lambda: extend(world, case, decided_on=date(2022, 4, 4)))
        assert "trước khi hết thời hạn giải quyết (01/04/2022)" in exc.extra["fields"]["decided_on"]

    def test_decided_before_acceptance_is_refused(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        assert "decided_on" in refused(lambda: extend(world, case, decided_on=date(2022, 3, 1))).extra["fields"]

    def test_compiler_403(self, world):
        case = make_denunciation(world, accepted_on=date(2022, 3, 2))
        refused(lambda: extend(world, case, acting_user=world.compiler), kind=PermissionDeniedError)


# ---------------------------------------------------------------------------
# case_resolve


def resolve(world, case, **overrides):
    args = {"resolved_on": date(2022, 3, 25), "conclusion": "Đã trả lời công dân.", "acting_user": world.inspector}
    return case_resolve(case=case, **(args | overrides))


class TestCaseResolve:
    def test_resolves_with_the_outcome_and_audits(self, world):
        case = make_case(world, kind=CaseKind.INSPECTION, accepted_on=date(2022, 3, 2))
        case = resolve(world, case, sanction_decisions=2, sanction_amount="15.000.000",
                       corrective_measures="Nộp lại khoản thu sai")
        case.refresh_from_db()
        assert (case.status, case.resolved_on, case.sanction_decisions, case.sanction_amount) == (
            CaseStatus.RESOLVED, date(2022, 3, 25), 2, Decimal(15000000))
        rows = {e.field: e.new_value for e in AuditEvent.objects.filter(action="case.resolve")}
        assert rows == {"status": "Đã giải quyết / kết thúc", "resolved_on": "25/03/2022",
                        "sanction_decisions": "2", "sanction_amount": "15.000.000"}

    def test_resolution_before_acceptance_is_refused(self, world):
        case = make_case(world)
        refused(lambda: resolve(world, case), match="chưa được thụ lý")

    def test_resolution_date_before_the_acceptance_date_is_refused(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 10))
        exc = refused(lambda: resolve(world, case, resolved_on=date(2022, 3, 9)))
        assert exc.extra["fields"]["resolved_on"] == ("Ngày giải quyết (09/03/2022) không được trước ngày thụ lý "
                                                      "(10/03/2022).")

    @pytest.mark.parametrize("amount,message", [
        (-1, "không được âm"), ("-500.000", "không được âm"), ("abc", "phải là một số"), ("12,5", "không có phần lẻ"),
        (Decimal("NaN"), "phải là một số"), (True, "phải là một số"), ("1" * 19, "quá lớn"),
    ])
    def test_bad_sanction_amounts_are_refused(self, world, amount, message):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        exc = refused(lambda: resolve(world, case, sanction_decisions=1, sanction_amount=amount))
        assert message in exc.extra["fields"]["sanction_amount"]

    def test_an_amount_without_a_sanction_decision_is_refused(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        exc = refused(lambda: resolve(world, case, sanction_amount=5000000))
        assert "ít nhất một quyết định xử phạt" in exc.extra["fields"]["sanction_amount"]

    @pytest.mark.parametrize("decisions", [-1, "hai", 1.5])
    def test_bad_decision_counts_are_refused(self, world, decisions):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        assert "sanction_decisions" in refused(
            lambda: resolve(world, case, sanction_decisions=decisions)).extra["fields"]

    def test_decisions_without_an_amount_are_fine(self, world):  # a warning (cảnh cáo) has no fine
        case = resolve(world, make_case(world, accepted_on=date(2022, 3, 2)), sanction_decisions=1)
        assert case.sanction_amount == 0

    def test_conclusion_is_required(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        assert "conclusion" in refused(lambda: resolve(world, case, conclusion=" ")).extra["fields"]

    def test_future_date_is_refused(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        refused(lambda: resolve(world, case, resolved_on=today_vn() + timedelta(days=1)))

    def test_twice_is_refused(self, world):
        case = resolve(world, make_case(world, accepted_on=date(2022, 3, 2)))
        refused(lambda: resolve(world, case), match="Đã giải quyết")

    @pytest.mark.parametrize("role", ["compiler", "leader", "viewer", "other_inspector"])
    def test_others_403(self, world, role):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        refused(lambda: resolve(world, case, acting_user=getattr(world, role)), kind=PermissionDeniedError)


class TestParseAmount:
    @pytest.mark.parametrize("value,expected", [
        (0, 0), ("", 0), (None, 0), ("1.500.000", 1500000), ("1500000", 1500000), ("15 000 000 đ", 15000000),
        (Decimal("2000000"), 2000000), (2000000.0, 2000000),
    ])
    def test_reads_whole_dong(self, value, expected):
        assert parse_amount(value) == Decimal(expected)


# ---------------------------------------------------------------------------
# case_refuse, case_forward (Law on Citizen Reception 2013, art. 28)


class TestRefuseForward:
    def test_art28_refusal_answers_the_acceptance_step(self, world):
        case = make_case(world)
        case = case_refuse(case=case, decided_on=date(2022, 3, 8), reason="Đơn nặc danh", acting_user=world.inspector)
        assert (case.status, case.resolved_on, case.conclusion) == (CaseStatus.REFUSED, date(2022, 3, 8), "Đơn nặc danh")
        row = case_detail_row(Case.objects.get(pk=case.pk), today=date(2022, 6, 1))
        assert (row.acceptance_status, row.resolution_status) == ("done_on_time", None)
        assert AuditEvent.objects.get(action="case.refuse").new_value == "Không thụ lý"

    def test_art28_forwarding_records_the_agency(self, world):
        case = case_forward(case=make_case(world), decided_on=date(2022, 3, 20), to_agency="UBND huyện Ba Bể",
                            acting_user=world.inspector)
        assert case.status == CaseStatus.FORWARDED
        row = case_detail_row(Case.objects.get(pk=case.pk), today=date(2022, 6, 1))
        assert row.acceptance_status == "done_late"  # 10 working days from 01/03/2022 end on 15/03/2022

    def test_only_a_received_case(self, world):
        case = make_case(world, accepted_on=date(2022, 3, 2))
        refused(lambda: case_refuse(case=case, decided_on=date(2022, 3, 3), reason="x", acting_user=world.inspector))
        refused(lambda: case_forward(case=case, decided_on=date(2022, 3, 3), to_agency="x",
                                     acting_user=world.inspector))

    def test_reason_and_date_are_required(self, world):
        case = make_case(world)
        exc = refused(lambda: case_refuse(case=case, decided_on=date(2022, 2, 1), reason="", acting_user=world.inspector))
        assert set(exc.extra["fields"]) == {"decided_on", "text"}

    def test_viewer_403(self, world):
        case = make_case(world)
        refused(lambda: case_forward(case=case, decided_on=date(2022, 3, 3), to_agency="x", acting_user=world.viewer),
                kind=PermissionDeniedError)


# ---------------------------------------------------------------------------
# Attachments


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


class TestAttachment:
    def test_adds_a_document_without_naming_it_in_the_log(self, world, media):
        case = make_denunciation(world)
        attachment = case_attachment_add(case=case, file=SimpleUploadedFile("don-to-cao.pdf", b"%PDF-1.4"),
                                         title=f"Đơn của {SECRET_NAME}", acting_user=world.inspector)
        assert attachment.file.read() == b"%PDF-1.4"
        event = AuditEvent.objects.get(action="case.attachment")
        assert event.new_value == f"Tài liệu số {attachment.pk}" and SECRET_NAME not in audit_text()

    def test_too_large_is_refused(self, world, media):
        big = SimpleUploadedFile("big.pdf", b"x")
        big.size = 21 * 1024 * 1024
        case = make_case(world)
        refused(lambda: case_attachment_add(case=case, file=big, acting_user=world.inspector), match="20 MB")

    def test_compiler_403(self, world, media):
        case = make_case(world)
        refused(lambda: case_attachment_add(case=case, file=SimpleUploadedFile("a.pdf", b"x"),
                                            acting_user=world.compiler), kind=PermissionDeniedError)


def test_a_user_without_a_unit_may_not_write(world):
    nobody = user(username="lac", role="inspectorate")
    refused(lambda: make_case(world, by=nobody), kind=PermissionDeniedError)
