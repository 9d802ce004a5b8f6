"""Service tests for units' reports: every allowed and forbidden transition, on the real database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError, ConflictError, PermissionDeniedError
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionValue
from baocao.submissions.services import (
    submission_approve,
    submission_get_or_create,
    submission_return,
    submission_save_draft,
    submission_submit,
    submissions_approve_many,
)
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


def draft(world, unit=None, period="2022S2"):
    unit = unit or world.unit_a
    reporter = world.reporter_a if unit == world.unit_a else world.reporter_b
    return submission_get_or_create(regime=world.regime, period=period, unit=unit, acting_user=reporter)


def filled(world, unit=None):
    sub = draft(world, unit)
    reporter = world.reporter_a if sub.unit == world.unit_a else world.reporter_b
    submission_save_draft(submission=sub, acting_user=reporter, values={"A": "2", "B": "3", "PCT": "12,5"},
                          narratives={"RESULTS": "Hoàn thành kế hoạch."})
    return sub


class TestCreate:
    def test_creates_draft_on_current_form_version_with_audit(self, world):
        sub = draft(world)
        assert sub.status == SubmissionStatus.DRAFT
        assert sub.form_version == world.form_version
        assert AuditEvent.objects.filter(entity="submission", entity_id=sub.pk, action="submission.create").count() == 1

    def test_second_call_returns_same(self, world):
        assert draft(world).pk == draft(world).pk

    def test_period_not_in_regime(self, world):
        with pytest.raises(AppError, match="không thuộc chế độ báo cáo"):
            draft(world, period="2022Q1")
        assert Submission.objects.count() == 0

    def test_bad_period_code(self, world):
        with pytest.raises(AppError):
            draft(world, period="2022X9")

    def test_reporter_cannot_open_other_unit(self, world):
        with pytest.raises(PermissionDeniedError):
            submission_get_or_create(regime=world.regime, period="2022S2", unit=world.unit_b,
                                     acting_user=world.reporter_a)

    def test_unit_not_expected(self, world):
        with pytest.raises(AppError, match="không thuộc danh sách"):
            submission_get_or_create(regime=world.regime, period="2022S2", unit=world.department,
                                     acting_user=world.admin)


class TestSaveDraft:
    def test_saves_values_and_audits_each_change(self, world):
        sub = draft(world)
        result = submission_save_draft(submission=sub, acting_user=world.reporter_a,
                                       values={"A": "1.234", "PCT": "12,5", "NOTE": "ghi chú"},
                                       narratives={"RESULTS": "Kết quả"})
        assert result.version == 1
        assert sorted(result.changed) == ["A", "NOTE", "PCT", "RESULTS"]
        stored = {v.indicator.code: v for v in SubmissionValue.objects.filter(submission=sub).select_related("indicator")}
        assert stored["A"].number == Decimal(1234)
        assert stored["PCT"].number == Decimal("12.5")
        assert stored["NOTE"].text == "ghi chú"
        events = AuditEvent.objects.filter(entity_id=sub.pk, action="submission.save")
        assert {(e.field, e.old_value, e.new_value) for e in events} >= {("A", "", "1.234"), ("PCT", "", "12,5")}

    def test_unchanged_values_do_not_bump_version(self, world):
        sub = draft(world)
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": "5"})
        result = submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": "5"})
        assert result.version == 1 and result.changed == []

    @pytest.mark.parametrize("code,raw,message", [
        ("A", "abc", "không phải là số"),
        ("A", "1,5", "số nguyên"),
        ("A", "-1", "nhỏ hơn"),
        ("PCT", "101", "từ 0 đến 100"),
    ])
    def test_invalid_value_writes_nothing(self, world, code, raw, message):
        sub = draft(world)
        with pytest.raises(AppError) as exc:
            submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"B": "3", code: raw})
        assert message in exc.value.extra["fields"][code]
        assert SubmissionValue.objects.filter(submission=sub).count() == 0
        sub.refresh_from_db()
        assert sub.version == 0

    def test_unknown_code(self, world):
        with pytest.raises(AppError, match="Mã không có"):
            submission_save_draft(submission=draft(world), acting_user=world.reporter_a, values={"ZZZ": 1})

    def test_other_unit_reporter_cannot_edit(self, world):
        sub = draft(world)
        with pytest.raises(PermissionDeniedError):
            submission_save_draft(submission=sub, acting_user=world.reporter_b, values={"A": 1})
        with pytest.raises(PermissionDeniedError):
            submission_save_draft(submission=sub, acting_user=world.compiler, values={"A": 1})

    def test_concurrent_edit_of_same_field_is_a_conflict_keeping_both_texts(self, world):
        sub = draft(world)
        submission_save_draft(submission=sub, acting_user=world.reporter_a, narratives={"RESULTS": "Bản đầu"})
        # Two people load version 1; the first saves, the second's save must not overwrite.
        submission_save_draft(submission=sub, acting_user=world.reporter_a, narratives={"RESULTS": "Bản của An"},
                              base_version=1)
        with pytest.raises(ConflictError) as exc:
            submission_save_draft(submission=sub, acting_user=world.admin,
                                  narratives={"RESULTS": "Bản của quản trị"}, base_version=1)
        conflict = exc.value.extra["conflicts"]["RESULTS"]
        assert conflict["theirs"] == "Bản của An" and conflict["yours"] == "Bản của quản trị"
        assert sub.narratives.get().text == "Bản của An"

    def test_concurrent_edit_of_different_fields_merges(self, world):
        sub = draft(world)
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 1}, base_version=0)
        submission_save_draft(submission=sub, acting_user=world.admin, values={"B": 2}, base_version=0)
        assert {v.indicator.code: v.number for v in sub.values.select_related("indicator")} == {"A": 1, "B": 2}


class TestWorkflow:
    def test_submit_return_resubmit_approve(self, world):
        sub = filled(world)
        sub = submission_submit(submission=sub, acting_user=world.reporter_a)
        assert sub.status == SubmissionStatus.SUBMITTED and sub.first_submitted_at
        first = sub.first_submitted_at
        with pytest.raises(AppError, match="không sửa được"):
            submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 1})
        sub = submission_return(submission=sub, acting_user=world.compiler, comment="Bổ sung số liệu B")
        assert sub.status == SubmissionStatus.RETURNED and sub.return_comment == "Bổ sung số liệu B"
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"B": "4"})
        sub = submission_submit(submission=sub, acting_user=world.reporter_a)
        assert sub.first_submitted_at == first
        sub = submission_approve(submission=sub, acting_user=world.leader)
        assert sub.status == SubmissionStatus.APPROVED
        actions = list(AuditEvent.objects.filter(entity_id=sub.pk).exclude(action="submission.save")
                       .values_list("action", flat=True))
        assert actions == ["submission.create", "submission.submit", "submission.return", "submission.submit",
                           "submission.approve"]

    def test_submit_blocked_by_required_and_rule_errors(self, world):
        sub = draft(world)
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": "5", "B": "3"})
        with pytest.raises(AppError) as exc:
            submission_submit(submission=sub, acting_user=world.reporter_a)
        assert "RESULTS" in exc.value.extra["fields"]
        assert exc.value.extra["rules"][0]["code"] == "R1"
        sub.refresh_from_db()
        assert sub.status == SubmissionStatus.DRAFT

    def test_forbidden_transitions(self, world):
        sub = filled(world)
        with pytest.raises(AppError):
            submission_approve(submission=sub, acting_user=world.compiler)  # still a draft
        with pytest.raises(AppError):
            submission_return(submission=sub, acting_user=world.compiler, comment="x")
        submission_submit(submission=sub, acting_user=world.reporter_a)
        with pytest.raises(AppError):
            submission_submit(submission=sub, acting_user=world.reporter_a)  # already submitted
        with pytest.raises(AppError, match="lý do"):
            submission_return(submission=sub, acting_user=world.compiler, comment="  ")
        for user in (world.reporter_a, world.viewer, world.inspector):
            with pytest.raises(PermissionDeniedError):
                submission_approve(submission=sub, acting_user=user)
        submission_approve(submission=sub, acting_user=world.compiler)
        with pytest.raises(AppError):
            submission_approve(submission=sub, acting_user=world.compiler)
        with pytest.raises(AppError):
            submission_submit(submission=sub, acting_user=world.reporter_a)
        with pytest.raises(AppError):
            submission_return(submission=sub, acting_user=world.compiler, comment="muộn")

    def test_reviewer_of_other_department_cannot_act(self, world):
        sub = filled(world)
        submission_submit(submission=sub, acting_user=world.reporter_a)
        from baocao.core.errors import NotFound

        with pytest.raises(NotFound):
            submission_approve(submission=sub, acting_user=world.other_compiler)

    def test_approve_many_is_all_or_nothing(self, world):
        a, b = filled(world, world.unit_a), filled(world, world.unit_b)
        submission_submit(submission=a, acting_user=world.reporter_a)
        with pytest.raises(AppError):
            submissions_approve_many(submissions=[a, b], acting_user=world.compiler)
        a.refresh_from_db()
        assert a.status == SubmissionStatus.SUBMITTED
        submission_submit(submission=b, acting_user=world.reporter_b)
        assert submissions_approve_many(submissions=[a, b], acting_user=world.compiler) == 2


class TestStaleCopies:
    """Saves and submits first trust the caller's copy of the report and decide again under the row
    lock when the stored report has moved on: the outcome is the one of a save that waited."""

    def test_a_save_from_an_old_copy_lands_on_the_current_version(self, world):
        old = draft(world)
        submission_save_draft(submission=Submission.objects.get(pk=old.pk), acting_user=world.reporter_a,
                              values={"A": "1"})
        result = submission_save_draft(submission=old, acting_user=world.reporter_a, values={"B": "2"})
        assert (result.version, result.changed, result.field_versions) == (2, ["B"], {"B": 2})
        fresh = Submission.objects.get(pk=old.pk)
        assert fresh.version == 2 and old.version == 0
        assert {v.indicator.code: (v.number, v.changed_version)
                for v in fresh.values.select_related("indicator")} == {"A": (1, 1), "B": (2, 2)}
        assert AuditEvent.objects.filter(entity_id=old.pk, action="submission.save").count() == 2

    def test_a_conflict_found_from_an_old_copy_names_the_current_version(self, world):
        old = draft(world)
        submission_save_draft(submission=Submission.objects.get(pk=old.pk), acting_user=world.admin,
                              values={"A": "7"})
        with pytest.raises(ConflictError) as exc:
            submission_save_draft(submission=old, acting_user=world.reporter_a, values={"A": "8"}, base_version=0)
        assert exc.value.extra["version"] == 1
        assert exc.value.extra["conflicts"]["A"]["theirs"] == "7"

    def test_an_old_copy_of_a_sent_report_saves_and_sends_nothing(self, world):
        old = filled(world)
        sent = submission_submit(submission=Submission.objects.get(pk=old.pk), acting_user=world.reporter_a)
        assert old.status == SubmissionStatus.DRAFT  # the caller's copy is left as it was
        with pytest.raises(AppError, match="không sửa được"):
            submission_save_draft(submission=old, acting_user=world.reporter_a, values={"A": "1"})
        with pytest.raises(AppError, match="không sửa được"):
            submission_submit(submission=old, acting_user=world.reporter_a)
        fresh = Submission.objects.get(pk=old.pk)
        assert (fresh.status, fresh.version, fresh.submitted_at) == (SubmissionStatus.SUBMITTED, 1, sent.submitted_at)
        assert AuditEvent.objects.filter(entity_id=old.pk, action="submission.submit").count() == 1

    def test_a_submit_checks_the_values_stored_now(self, world):
        old = filled(world)
        submission_save_draft(submission=Submission.objects.get(pk=old.pk), acting_user=world.reporter_a,
                              values={"A": "9"})  # A > B breaks R1
        with pytest.raises(AppError) as exc:
            submission_submit(submission=old, acting_user=world.reporter_a)
        assert [r["code"] for r in exc.value.extra["rules"]] == ["R1"]
        assert Submission.objects.get(pk=old.pk).status == SubmissionStatus.DRAFT
