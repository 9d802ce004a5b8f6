"""State changes of units' reports. Each runs in one transaction and writes its audit rows."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from baocao.accounts.choices import REVIEWER_ROLES
from baocao.accounts.roles import can_edit_unit_reports, can_review
from baocao.audit.actions import AuditAction
from baocao.audit.services import FieldChange, audit_record, audit_record_changes
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, ConflictError, NotFound, PermissionDeniedError
from baocao.core.vietnamese import format_date, format_number
from baocao.notifications.choices import NotificationKind
from baocao.notifications.services import notifications_create, unit_reporters, unit_users
from baocao.orgunits.scope import unit_in_subtree
from baocao.reporting.models import ReportingRegime
from baocao.reporting.selectors import FormStructure, form_version_structure, regime_period
from baocao.submissions.choices import EDITABLE_STATUSES, SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionReminder, SubmissionValue
from baocao.submissions.selectors import SubmissionEntries, expected_unit_ids, submission_entries
from baocao.submissions.signals import submission_approved, submission_reopened
from baocao.submissions.validation import (
    RuleIssue,
    ValueProblem,
    blocking,
    check_rules,
    display_value,
    parse_indicator_value,
)

MAX_NARRATIVE_LENGTH = 50000


@dataclass
class SaveResult:
    version: int
    changed: list[str] = field(default_factory=list)
    field_versions: dict[str, int] = field(default_factory=dict)
    issues: list[RuleIssue] = field(default_factory=list)
    # The report's values and texts as this save left them (for checking them without a re-read).
    entries: SubmissionEntries | None = field(default=None, repr=False)


def _lock(submission: Submission) -> Submission:
    """Re-read the submission under a row lock so concurrent saves serialise. The lock takes the
    report's row only, not its regime's nor its unit's: the reports of every unit under one regime
    are saved side by side, and an approval's aggregates (analytics) reference the unit and its
    ancestors, which a lock on a sibling's unit row would make deadlock (FOR KEY SHARE of the
    foreign key against FOR UPDATE). The form version read with `submission`, if it was, comes along."""
    locked = (Submission.objects.select_for_update(of=("self",)).select_related("regime", "unit")
              .get(pk=submission.pk))
    if Submission.form_version.is_cached(submission) and submission.form_version_id == locked.form_version_id:
        locked.form_version = submission.form_version
    return locked


def submission_structure(submission: Submission) -> FormStructure:
    """The structure of the report's form version (no query for a published version read recently)."""
    return form_version_structure(submission.form_version)


def submission_get_or_create(*, regime: ReportingRegime, period: str, unit, acting_user) -> Submission:
    """The unit's report for the period, created as a draft on the form's current version."""
    if not can_edit_unit_reports(acting_user, unit.pk):
        raise PermissionDeniedError("Bạn chỉ được lập báo cáo của đơn vị mình.")
    rp = regime_period(regime, period)
    existing = Submission.objects.filter(regime=regime, period=rp.code, unit=unit).first()
    if existing:
        return existing
    if unit.pk not in expected_unit_ids(regime=regime, day=rp.window_end):
        raise AppError(
            f"Đơn vị «{unit.name}» không thuộc danh sách đơn vị báo cáo của «{regime.code}» kỳ {rp.code}.",
            {"unit": unit.code, "regime": regime.code, "period": rp.code},
        )
    version = regime.form.current_version()
    if version is None:
        raise AppError("Biểu mẫu của chế độ báo cáo chưa có phiên bản đã ban hành.", {"form": regime.form.code})
    try:
        with transaction.atomic():
            submission = Submission.objects.create(regime=regime, period=rp.code, unit=unit, form_version=version)
            audit_record(actor=acting_user, action=AuditAction.SUBMISSION_CREATE, entity="submission",
                         entity_id=submission.pk, unit=unit, new=SubmissionStatus.DRAFT)
    except IntegrityError:
        # Someone created it a moment ago: theirs is the one.
        return Submission.objects.get(regime=regime, period=rp.code, unit=unit)
    return submission


class _Stale(Exception):
    """The report may have changed since the caller read it: decide again under the row lock."""


def _require_editable(submission: Submission, acting_user, *, optimistic: bool = False) -> None:
    if not can_edit_unit_reports(acting_user, submission.unit_id):
        raise PermissionDeniedError("Bạn không có quyền sửa báo cáo này.")
    if submission.status not in EDITABLE_STATUSES:
        if optimistic:
            raise _Stale
        raise AppError(
            f"Báo cáo đang ở trạng thái «{submission.get_status_display()}» nên không sửa được.",
            {"status": submission.status},
        )


def submission_save_draft(
    *,
    submission: Submission,
    acting_user,
    values: Mapping[str, object] | None = None,
    narratives: Mapping[str, str] | None = None,
    base_version: int | None = None,
    field_bases: Mapping[str, int] | None = None,
) -> SaveResult:
    """Save some or all values and narrative texts of a draft.

    Optimistic concurrency per field: a field counts as a conflict when someone else changed it
    after the version the client started from (`base_version` for the whole report, or
    `field_bases[code]` per field) and the client's text differs from theirs. Nothing is saved
    when any value is invalid or in conflict: the caller gets every problem at once.

    The save first trusts the report as the caller read it and writes the new version only if
    the stored one is still that one (status still editable); when it is not, or when the answer
    would be a refusal, a conflict or "nothing changed", everything is decided again under the
    report's row lock, as if the save had waited for it. `submission` itself is left as it was.
    """
    values = dict(values or {})
    narratives = dict(narratives or {})
    field_bases = dict(field_bases or {})
    try:
        with transaction.atomic():
            return _save_draft(submission, acting_user, values, narratives, base_version, field_bases,
                               optimistic=True)
    except _Stale:
        with transaction.atomic():
            return _save_draft(_lock(submission), acting_user, values, narratives, base_version, field_bases,
                               optimistic=False)


def _save_draft(submission: Submission, acting_user, values: dict[str, object], narratives: dict[str, str],
                base_version: int | None, field_bases: dict[str, int], *, optimistic: bool) -> SaveResult:
    _require_editable(submission, acting_user, optimistic=optimistic)
    structure = submission_structure(submission)
    indicators = structure.indicator_by_code
    fields = structure.narrative_by_code
    unknown = sorted(set(values) - set(indicators)) + sorted(set(narratives) - set(fields))
    if unknown:
        raise AppError(f"Mã không có trong biểu mẫu: {', '.join(unknown[:10])}.", {"unknown": unknown})

    errors: dict[str, str] = {}
    parsed = {}
    for code, raw in values.items():
        try:
            parsed[code] = parse_indicator_value(indicators[code], raw)
        except ValueProblem as exc:
            errors[code] = str(exc)
    for code, text in narratives.items():
        if not isinstance(text, str):
            errors[code] = "Nội dung phải là văn bản."
        elif len(text) > MAX_NARRATIVE_LENGTH:
            errors[code] = f"Nội dung dài quá {format_number(MAX_NARRATIVE_LENGTH)} ký tự."
    if errors:
        raise AppError("Một số giá trị không hợp lệ, chưa lưu gì.", {"fields": errors})

    # Every stored value and text in one query: the caller checks the rules on them afterwards.
    entries = submission_entries(submission)
    existing_values = entries.values
    existing_texts = entries.texts

    def base_for(code: str) -> int | None:
        return field_bases.get(code, base_version)

    conflicts: dict[str, dict] = {}
    new_version = submission.version + 1
    value_creates: list[SubmissionValue] = []
    value_updates: list[SubmissionValue] = []
    text_creates: list[SubmissionNarrative] = []
    text_updates: list[SubmissionNarrative] = []
    changes: list[FieldChange] = []
    result = SaveResult(version=submission.version)

    for code, pv in parsed.items():
        ind = indicators[code]
        row = existing_values.get(ind.pk)
        old_number, old_text = (row.number, row.text) if row else (None, "")
        if _same_number(old_number, pv.number) and old_text == pv.text:
            continue
        base = base_for(code)
        if row and base is not None and row.changed_version > base:
            conflicts[code] = {
                "label": ind.name,
                "yours": display_value(ind, pv.number, pv.text),
                "theirs": display_value(ind, row.number, row.text),
                "their_version": row.changed_version,
            }
            continue
        changes.append(FieldChange(code, display_value(ind, old_number, old_text), display_value(ind, pv.number, pv.text)))
        result.changed.append(code)
        result.field_versions[code] = new_version
        # Rows go through one upsert keyed on (submission, indicator); no pk, so existing and
        # new rows take the same path on every database.
        (value_updates if row else value_creates).append(
            SubmissionValue(submission=submission, indicator=ind, number=pv.number, text=pv.text,
                            changed_version=new_version))

    for code, text in narratives.items():
        nf = fields[code]
        text = text.replace("\r\n", "\n")
        text_row = existing_texts.get(nf.pk)
        old = text_row.text if text_row else ""
        if old == text:
            continue
        base = base_for(code)
        if text_row and base is not None and text_row.changed_version > base:
            conflicts[code] = {"label": nf.label, "yours": text, "theirs": old,
                               "their_version": text_row.changed_version}
            continue
        changes.append(FieldChange(code, old, text))
        result.changed.append(code)
        result.field_versions[code] = new_version
        (text_updates if text_row else text_creates).append(
            SubmissionNarrative(submission=submission, field=nf, text=text, changed_version=new_version))

    if optimistic and (conflicts or not changes):
        raise _Stale  # the answer names the current version: read it under the lock
    if conflicts:
        raise ConflictError(
            "Người khác vừa sửa cùng nội dung này. Chưa lưu: hãy xem cả hai bản và chọn nội dung đúng.",
            {"conflicts": conflicts, "version": submission.version},
        )
    if changes:
        now = timezone.now()
        # The report's row first, as every writer of its values takes it (here, under the lock or
        # not, and the imports): compare-and-set on the version read when not under the lock.
        current = Submission.objects.filter(pk=submission.pk)
        if optimistic:
            current = current.filter(version=submission.version, status__in=EDITABLE_STATUSES)
        if not current.update(version=new_version, updated_at=now):
            raise _Stale  # changed since it was read (under the lock it cannot be)
        # One upsert per table: much cheaper than bulk_update's CASE expressions.
        if value_creates or value_updates:
            SubmissionValue.objects.bulk_create(
                value_creates + value_updates, update_conflicts=True, unique_fields=["submission", "indicator"],
                update_fields=["number", "text", "changed_version", "changed_at"],
            )
        if text_creates or text_updates:
            SubmissionNarrative.objects.bulk_create(
                text_creates + text_updates, update_conflicts=True, unique_fields=["submission", "field"],
                update_fields=["text", "changed_version", "changed_at"],
            )
        result.version = new_version
        audit_record_changes(actor=acting_user, action=AuditAction.SUBMISSION_SAVE, entity="submission",
                             entity_id=submission.pk, unit=submission.unit, changes=changes)
        for value_row in value_creates + value_updates:
            existing_values[value_row.indicator_id] = value_row
        for saved_text in text_creates + text_updates:
            existing_texts[saved_text.field_id] = saved_text
    result.entries = entries
    return result


def _same_number(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b


def submission_check(submission: Submission, *, structure: FormStructure | None = None,
                     entries: SubmissionEntries | None = None) -> tuple[dict[str, str], list[RuleIssue]]:
    """Required fields that are empty, and rule issues, for the submission as stored (its form's
    `structure` and stored `entries` when the caller has them already; read otherwise)."""
    if structure is None:
        structure = submission_structure(submission)
    if entries is None:
        entries = submission_entries(submission)
    stored = entries.values
    texts = {field_id: n.text for field_id, n in entries.texts.items()}
    missing: dict[str, str] = {}
    for ind in structure.indicators:
        v = stored.get(ind.pk)
        if ind.required and (v is None or (v.number is None and not v.text.strip())):
            missing[ind.code] = "Chỉ tiêu bắt buộc chưa nhập."
    for nf in structure.narratives:
        if nf.required and not texts.get(nf.pk, "").strip():
            missing[nf.code] = "Nội dung bắt buộc chưa nhập."
    return missing, check_rules(structure.rules, entries.numbers(structure))


@dataclass
class DraftCheck:
    """What submission_check says of the values a page holds, saved or not."""

    missing: dict[str, str]
    issues: list[RuleIssue]
    invalid: dict[str, str]


def submission_check_draft(*, submission: Submission, values: Mapping[str, str],
                           narratives: Mapping[str, str]) -> DraftCheck:
    """The checks of submission_check on the stored report overlaid with what the reporter has typed
    and not saved yet (`values` and `narratives` as typed, keyed by code; unknown codes are ignored).
    A value that cannot be read is reported in `invalid` and counts as no number for the rules.
    Reads only: nothing is saved."""
    structure = submission_structure(submission)
    indicators = structure.indicator_by_code
    fields = structure.narrative_by_code
    required = [i.code for i in indicators.values() if i.required] + [n.code for n in fields.values() if n.required]
    indicator_code = {i.pk: i.code for i in indicators.values()}
    field_code = {n.pk: n.code for n in fields.values()}
    numbers: dict[str, Decimal | None] = {}
    filled: set[str] = set()
    entries = submission_entries(submission)
    for row in entries.values.values():
        code = indicator_code[row.indicator_id]
        numbers[code] = row.number
        if row.number is not None or row.text.strip():
            filled.add(code)
    for text_row in entries.texts.values():
        if text_row.text.strip():
            filled.add(field_code[text_row.field_id])
    invalid: dict[str, str] = {}
    for code, raw in values.items():
        ind = indicators.get(code)
        if ind is None:
            continue
        filled.discard(code)
        numbers[code] = None
        try:
            pv = parse_indicator_value(ind, raw)
        except ValueProblem as exc:
            invalid[code] = str(exc)
            filled.add(code)  # something is typed: wrong, not missing
            continue
        numbers[code] = pv.number
        if pv.number is not None or pv.text.strip():
            filled.add(code)
    for code, text in narratives.items():
        if code not in fields:
            continue
        if str(text).strip():
            filled.add(code)
        else:
            filled.discard(code)
    missing = {code: "Chỉ tiêu bắt buộc chưa nhập." if code in indicators else "Nội dung bắt buộc chưa nhập."
               for code in required if code not in filled}
    return DraftCheck(missing=missing, issues=check_rules(structure.rules, numbers), invalid=invalid)


def submission_submit(*, submission: Submission, acting_user) -> Submission:
    """Send the report to the receiving unit; blocked by empty required fields and rule errors.

    As submission_save_draft, it first trusts the report as the caller read it (the status is set
    only if the stored version and status are still those), and decides again under the row lock
    when they are not or when the report cannot be sent. Returns the report as sent (a copy:
    `submission` is left as it was), with `checked_entries`, the values and texts it checked."""
    try:
        with transaction.atomic():
            return _submit(copy.copy(submission), acting_user, optimistic=True)
    except _Stale:
        with transaction.atomic():
            return _submit(_lock(submission), acting_user, optimistic=False)


def _submit(submission: Submission, acting_user, *, optimistic: bool) -> Submission:
    _require_editable(submission, acting_user, optimistic=optimistic)
    entries = submission_entries(submission)
    missing, issues = submission_check(submission, entries=entries)
    errors = blocking(issues)
    if (missing or errors) and optimistic:
        raise _Stale
    if missing or errors:
        raise AppError(
            "Báo cáo chưa gửi được: còn chỉ tiêu bắt buộc chưa nhập hoặc số liệu chưa hợp lệ.",
            {"fields": missing, "rules": [i.as_dict() for i in errors]},
        )
    old = submission.status
    now = timezone.now()
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.submitted_by = acting_user
    if submission.first_submitted_at is None:
        submission.first_submitted_at = now
    submission.updated_at = now
    sent = {"status": submission.status, "submitted_at": now, "submitted_by": acting_user,
            "first_submitted_at": submission.first_submitted_at, "updated_at": now}
    current = Submission.objects.filter(pk=submission.pk)
    if optimistic:
        current = current.filter(version=submission.version, status=old)
    if not current.update(**sent):
        raise _Stale  # changed since it was read (under the lock it cannot be)
    audit_record(actor=acting_user, action=AuditAction.SUBMISSION_SUBMIT, entity="submission", entity_id=submission.pk,
                 unit=submission.unit, field="status", old=old, new=submission.status)
    _notify_reviewers(submission, acting_user, resubmitted=old == SubmissionStatus.RETURNED)
    submission.checked_entries = entries  # type: ignore[attr-defined]
    return submission


def _report_name(submission: Submission) -> str:
    """«báo cáo BC-TTTT 6 tháng đầu năm 2022» for notification titles."""
    from baocao.reporting.periods import parse_period

    try:
        label = parse_period(submission.period).label
    except Exception:  # a stored code always parses; the title must never fail
        label = submission.period
    return f"báo cáo {submission.regime.code} {label}"


def _report_title(submission: Submission) -> str:
    name = _report_name(submission)
    return name[0].upper() + name[1:]


def _submission_url(submission: Submission) -> str:
    return f"/submissions/{submission.pk}/"


def _notify_reviewers(submission: Submission, acting_user, *, resubmitted: bool) -> None:
    """Tell the receiving unit's compilers, leaders and admins that a report arrived."""
    unit = submission.unit
    if resubmitted:
        kind, title = (NotificationKind.SUBMISSION_RESUBMITTED,
                       f"{unit.name} đã gửi lại {_report_name(submission)} sau khi sửa")
    else:
        kind, title = NotificationKind.SUBMISSION_SUBMITTED, f"{unit.name} đã gửi {_report_name(submission)}"
    notifications_create(
        recipients=unit_users(unit_id=submission.regime.receiving_unit_id, roles=REVIEWER_ROLES, email_kind=kind),
        kind=kind, title=title, body=f"Người gửi: {acting_user.display_name}. Đề nghị xem xét, duyệt hoặc trả lại.",
        url=_submission_url(submission), actor=acting_user)


def _notify_unit(submission: Submission, acting_user, kind: NotificationKind, title: str, body: str) -> None:
    """Tell the unit's reporters what happened to their report."""
    notifications_create(recipients=unit_reporters(submission.unit_id), kind=kind, title=title, body=body,
                         url=_submission_url(submission), actor=acting_user)


def _require_reviewer(submission: Submission, acting_user) -> None:
    if not can_review(acting_user):
        raise PermissionDeniedError("Chỉ chuyên viên tổng hợp hoặc lãnh đạo được trả lại hoặc duyệt báo cáo.")
    if not unit_in_subtree(acting_user, submission.regime.receiving_unit):
        raise NotFound()


def submission_return(*, submission: Submission, acting_user, comment: str) -> Submission:
    """Send a submitted report back to its unit with a comment saying what to correct."""
    comment = (comment or "").strip()
    if not comment:
        raise AppError("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì.", {"fields": {"comment": "Bắt buộc"}})
    if len(comment) > 5000:
        raise AppError("Lý do trả lại quá dài (tối đa 5.000 ký tự).", {"fields": {"comment": "Quá dài"}})
    with transaction.atomic():
        submission = _lock(submission)
        _require_reviewer(submission, acting_user)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise AppError(
                f"Chỉ trả lại được báo cáo đã gửi; báo cáo này đang «{submission.get_status_display()}».",
                {"status": submission.status},
            )
        submission.status = SubmissionStatus.RETURNED
        submission.return_comment = comment
        submission.reviewed_at = timezone.now()
        submission.reviewed_by = acting_user
        submission.save(update_fields=["status", "return_comment", "reviewed_at", "reviewed_by", "updated_at"])
        audit_record(actor=acting_user, action=AuditAction.SUBMISSION_RETURN, entity="submission", entity_id=submission.pk,
                     unit=submission.unit, field="status", old=SubmissionStatus.SUBMITTED,
                     new=SubmissionStatus.RETURNED, comment=comment)
        _notify_unit(submission, acting_user, NotificationKind.SUBMISSION_RETURNED,
                     f"{_report_title(submission)} của {submission.unit.name} bị trả lại",
                     f"Lý do trả lại: {comment}\nNgười trả lại: {acting_user.display_name}. "
                     f"Đề nghị đơn vị sửa và gửi lại.")
        return submission


def submission_approve(*, submission: Submission, acting_user, comment: str = "") -> Submission:
    """Accept a submitted report; it is read-only from now on."""
    with transaction.atomic():
        submission = _lock(submission)
        _require_reviewer(submission, acting_user)
        _approve_locked(submission, acting_user, comment)
        return submission


def _approve_locked(submission: Submission, acting_user, comment: str) -> None:
    if submission.status != SubmissionStatus.SUBMITTED:
        raise AppError(
            f"Chỉ duyệt được báo cáo đã gửi; báo cáo của «{submission.unit.name}» đang "
            f"«{submission.get_status_display()}».",
            {"status": submission.status, "submission": submission.pk},
        )
    submission.status = SubmissionStatus.APPROVED
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = acting_user
    submission.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    audit_record(actor=acting_user, action=AuditAction.SUBMISSION_APPROVE, entity="submission", entity_id=submission.pk,
                 unit=submission.unit, field="status", old=SubmissionStatus.SUBMITTED,
                 new=SubmissionStatus.APPROVED, comment=(comment or "").strip())
    submission_approved.send(sender=Submission, submission=submission, acting_user=acting_user)
    body = f"Người duyệt: {acting_user.display_name}."
    if (comment or "").strip():
        body += f"\nÝ kiến: {comment.strip()}"
    _notify_unit(submission, acting_user, NotificationKind.SUBMISSION_APPROVED,
                 f"{_report_title(submission)} của {submission.unit.name} đã được duyệt", body)


def submissions_approve_many(*, submissions: Iterable[Submission], acting_user) -> int:
    """Approve several reports at once: all of them, or none when any cannot be approved."""
    ids = [s.pk for s in submissions]
    if not ids:
        raise AppError("Chưa chọn báo cáo nào để duyệt.")
    with transaction.atomic():
        locked = list(
            Submission.objects.select_for_update().select_related("regime__receiving_unit", "unit").filter(pk__in=ids)
        )
        if len(locked) != len(set(ids)):
            raise NotFound("Có báo cáo không tồn tại hoặc ngoài phạm vi của bạn.", {"ids": ids})
        for sub in locked:
            _require_reviewer(sub, acting_user)
            _approve_locked(sub, acting_user, "")
        return len(locked)


def submission_reopen(*, submission: Submission, acting_user, reason: str) -> Submission:
    """A reviewer of the receiving unit reopens an approved report for correction.

    The report goes back to RETURNED with the reason as its review comment: the unit edits it and
    sends it again, and the usual review follows (no separate "reopened" state, so every page, the
    API and the consolidation treat it as any returned report). It is no longer approved, so the
    consolidated report versions that counted it are marked out of date (through the
    `submission_reopened` signal: consolidation sits above this app) inside this transaction.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AppError("Hãy ghi lý do mở lại báo cáo để đơn vị biết cần sửa gì.", {"fields": {"reason": "Bắt buộc"}})
    if len(reason) > 5000:
        raise AppError("Lý do mở lại quá dài (tối đa 5.000 ký tự).", {"fields": {"reason": "Quá dài"}})
    with transaction.atomic():
        submission = _lock(submission)
        _require_reviewer(submission, acting_user)
        if submission.status != SubmissionStatus.APPROVED:
            raise AppError(
                f"Chỉ mở lại được báo cáo đã duyệt; báo cáo này đang «{submission.get_status_display()}».",
                {"status": submission.status},
            )
        submission.status = SubmissionStatus.RETURNED
        submission.return_comment = reason
        submission.reviewed_at = timezone.now()
        submission.reviewed_by = acting_user
        submission.save(update_fields=["status", "return_comment", "reviewed_at", "reviewed_by", "updated_at"])
        audit_record(actor=acting_user, action=AuditAction.SUBMISSION_REOPEN, entity="submission",
                     entity_id=submission.pk, unit=submission.unit, field="status", old=SubmissionStatus.APPROVED,
                     new=SubmissionStatus.RETURNED, comment=reason)
        submission_reopened.send(sender=Submission, submission=submission, acting_user=acting_user, reason=reason)
        _notify_unit(submission, acting_user, NotificationKind.SUBMISSION_REOPENED,
                     f"{_report_title(submission)} của {submission.unit.name} đã duyệt được mở lại để sửa",
                     f"Lý do mở lại: {reason}\nNgười mở lại: {acting_user.display_name}. "
                     f"Đề nghị đơn vị sửa và gửi lại.")
        return submission


def reminder_status(*, regime: ReportingRegime, period: str, unit_id: int) -> str | None:
    """Why the unit cannot be reminded now (a Vietnamese message), or None when it can: its report
    for the period is not sent (none, a draft, or returned) and the deadline has passed."""
    rp = regime_period(regime, period)
    status = Submission.objects.filter(regime=regime, period=rp.code, unit_id=unit_id).values_list(
        "status", flat=True).first()
    if status in (SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED):
        return "Đơn vị đã gửi báo cáo kỳ này; không cần nhắc."
    if rp.deadline is None or today_vn() <= rp.deadline:
        shown = f" (hạn {format_date(rp.deadline)})" if rp.deadline else ""
        return f"Kỳ {rp.code} chưa quá hạn gửi báo cáo{shown}; chưa cần nhắc."
    return None


def reminder_send(*, regime: ReportingRegime, period: str, unit, acting_user) -> SubmissionReminder:
    """A compiler or leader of the receiving unit reminds a unit that has not sent its report of
    the period after the deadline: its reporters get a notification (inbox and e-mail). At most
    once a day (Vietnam's day) per regime, period and unit; audited."""
    if not can_review(acting_user):
        raise PermissionDeniedError("Chỉ chuyên viên tổng hợp hoặc lãnh đạo được nhắc đơn vị gửi báo cáo.")
    if not unit_in_subtree(acting_user, regime.receiving_unit):
        raise NotFound("Không tìm thấy chế độ báo cáo hoặc bạn không có quyền xem.")
    rp = regime_period(regime, period)
    if unit.pk not in expected_unit_ids(regime=regime, day=rp.window_end):
        raise NotFound("Đơn vị không thuộc danh sách đơn vị báo cáo kỳ này.", {"unit": unit.pk})
    refused = reminder_status(regime=regime, period=rp.code, unit_id=unit.pk)
    if refused:
        raise AppError(refused, {"unit": unit.pk, "period": rp.code})
    today = today_vn()
    with transaction.atomic():
        if SubmissionReminder.objects.filter(regime=regime, period=rp.code, unit=unit, day=today).exists():
            raise AppError(f"Hôm nay đã nhắc «{unit.name}» gửi báo cáo kỳ {rp.code}; mỗi ngày chỉ nhắc một lần.",
                           {"unit": unit.pk, "period": rp.code})
        try:
            with transaction.atomic():
                reminder = SubmissionReminder.objects.create(regime=regime, period=rp.code, unit=unit, day=today,
                                                             sent_by=acting_user)
        except IntegrityError:
            raise AppError(f"Hôm nay đã nhắc «{unit.name}» gửi báo cáo kỳ {rp.code}; mỗi ngày chỉ nhắc một lần.",
                           {"unit": unit.pk, "period": rp.code}) from None
        audit_record(actor=acting_user, action=AuditAction.REMINDER_SEND, entity="regime", entity_id=regime.pk,
                     unit=unit, field=rp.code, comment=f"Nhắc {unit.name} gửi báo cáo kỳ {rp.code}")
        existing = Submission.objects.filter(regime=regime, period=rp.code, unit=unit).values_list("pk", flat=True).first()
        deadline = format_date(rp.deadline) if rp.deadline else ""
        notifications_create(
            recipients=unit_reporters(unit.pk), kind=NotificationKind.SUBMISSION_REMINDER,
            title=f"Nhắc gửi báo cáo {regime.code} kỳ {rp.period.label} (đã quá hạn {deadline})",
            body=f"{regime.receiving_unit.name} đề nghị {unit.name} khẩn trương hoàn thành và gửi báo cáo "
                 f"«{regime.name}» kỳ {rp.period.label}. Người nhắc: {acting_user.display_name}.",
            url=f"/submissions/{existing}/" if existing else "/", actor=acting_user)
        return reminder
