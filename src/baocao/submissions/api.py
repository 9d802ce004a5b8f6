"""Units' reports: list, open a draft, save, submit, return, approve, history; and the
receiving unit's monitor of a regime's period.

Reads go through submissions.selectors (scoped: another unit's report is 404); every state
change is a service in submissions.services, which checks roles (403), states (400) and
concurrent edits (409).
"""

# No `from __future__ import annotations` here: ninja reads the handlers' annotations
# (Query[...], schemas) when the router is built.
from ninja import Query, Router, Status
from ninja.pagination import paginate

from baocao.accounts.choices import Role
from baocao.accounts.http import ApiRequest
from baocao.accounts.roles import can_review, has_receiver_scope
from baocao.core.api_types import BoundedPageNumberPagination, Id
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, NotFound
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.scope import units_for_user
from baocao.reporting.choices import ValueType
from baocao.reporting.periods import PeriodError, cutoff_window, parse_period
from baocao.reporting.schemas import json_number, regime_period_out, unit_ref
from baocao.reporting.selectors import RegimePeriod, regime_get_by_code, regime_get_for_user, regime_period
from baocao.submissions.models import Submission
from baocao.submissions.schemas import (
    ApproveIn,
    ApproveManyIn,
    ApproveManyOut,
    DraftIn,
    DraftOut,
    HistoryOut,
    MonitorFilters,
    MonitorOut,
    ReminderIn,
    ReminderOut,
    ReopenIn,
    ReturnIn,
    SubmissionCreateIn,
    SubmissionFilters,
    SubmissionListOut,
    SubmissionOut,
)
from baocao.submissions.selectors import (
    SUBMISSION_ACTIONS,
    monitor_rows,
    submission_actions,
    submission_entries,
    submission_get_for_user,
    submission_history,
    submission_list,
)
from baocao.submissions.services import (
    reminder_send,
    submission_approve,
    submission_check,
    submission_get_or_create,
    submission_reopen,
    submission_return,
    submission_save_draft,
    submission_structure,
    submission_submit,
    submissions_approve_many,
)
from baocao.submissions.timeliness import days_left, timeliness
from baocao.submissions.validation import display_value

router = Router(tags=["submissions"])


def _regime_ref(regime) -> dict:
    return {"id": regime.pk, "code": regime.code, "name": regime.name}


def _submission_period(submission: Submission) -> RegimePeriod:
    """The submission's period under its regime; if the regime has since dropped that frequency,
    the window still follows the regime's cut-off rule, without a deadline."""
    try:
        return regime_period(submission.regime, submission.period)
    except AppError:
        try:
            period = parse_period(submission.period)
        except PeriodError:
            raise AppError(f"Kỳ báo cáo «{submission.period}» không hợp lệ.") from None
        start, end = cutoff_window(period, submission.regime.cutoff_rule)
        return RegimePeriod(period, start, end, None)


def _allowed_actions(user, submission: Submission) -> list[str]:
    actions = submission_actions(user=user, submission=submission)
    return [a for a in SUBMISSION_ACTIONS if a in actions]


def _value_out(indicator, row) -> dict:
    if row is None:
        return {"value": None, "display": "", "changed_version": 0}
    if indicator.value_type == ValueType.TEXT:
        value = row.text or None
    elif row.number is None:
        value = None
    elif indicator.value_type == ValueType.YES_NO:
        value = bool(row.number)
    else:
        value = json_number(row.number)
    return {
        "value": value,
        "display": display_value(indicator, row.number, row.text),
        "changed_version": row.changed_version,
    }


def _issues_out(issues) -> list[dict]:
    return [issue.as_dict() for issue in issues]


def _submission_out(user, submission: Submission) -> dict:
    """Everything a client needs to show or edit a report, in a fixed number of queries (one for
    its values and texts once its form's structure is known)."""
    structure = submission_structure(submission)
    # submission_submit hands back the values and texts it has just checked: the same as stored.
    entries = getattr(submission, "checked_entries", None) or submission_entries(submission)
    rp = _submission_period(submission)
    today = today_vn()
    stored_values = entries.values
    stored_texts = entries.texts
    missing, issues = submission_check(submission, structure=structure, entries=entries)
    return {
        "id": submission.pk,
        "regime": _regime_ref(submission.regime),
        "unit": unit_ref(submission.unit),
        "form_version_id": submission.form_version_id,
        "status": submission.status,
        "status_label": submission.get_status_display(),
        "version": submission.version,
        "period": regime_period_out(rp),
        "days_left": days_left(deadline=rp.deadline, today=today),
        "timeliness": timeliness(first_submitted_at=submission.first_submitted_at, deadline=rp.deadline,
                                 today=today),
        "values": {ind.code: _value_out(ind, stored_values.get(ind.pk)) for ind in structure.indicators},
        "narratives": {
            nf.code: {
                "text": stored_texts[nf.pk].text if nf.pk in stored_texts else "",
                "changed_version": stored_texts[nf.pk].changed_version if nf.pk in stored_texts else 0,
            }
            for nf in structure.narratives
        },
        "issues": _issues_out(issues),
        "missing": missing,
        "return_comment": submission.return_comment,
        "created_at": submission.created_at,
        "updated_at": submission.updated_at,
        "first_submitted_at": submission.first_submitted_at,
        "submitted_at": submission.submitted_at,
        "reviewed_at": submission.reviewed_at,
        "allowed_actions": _allowed_actions(user, submission),
    }


def _reload(user, submission_id: int) -> dict:
    return _submission_out(user, submission_get_for_user(user=user, submission_id=submission_id))


@router.get("/submissions", response=list[SubmissionListOut], summary="Danh sách báo cáo của đơn vị")
@paginate(BoundedPageNumberPagination)
def submission_list_view(request: ApiRequest, filters: Query[SubmissionFilters]):
    return submission_list(
        user=request.auth, regime_id=filters.regime, period=filters.period, unit_id=filters.unit,
        status=filters.status,
    )


@router.post("/submissions", response={200: SubmissionOut, 201: SubmissionOut},
             summary="Mở (hoặc tạo) báo cáo nháp của đơn vị cho một kỳ")
def submission_open(request: ApiRequest, payload: SubmissionCreateIn):
    """Get-or-create the unit's report for the regime and period: 201 when it was created now,
    200 when it already existed. A reporter may leave `unit` out: their own unit is used."""
    user = request.auth
    regime = regime_get_by_code(user=user, code=payload.regime.strip())
    rp = regime_period(regime, payload.period)
    unit_code = (payload.unit or "").strip()
    if unit_code:
        unit = unit_by_code(unit_code, on=rp.window_start, until=rp.window_end, queryset=units_for_user(user))
        if unit is None:
            raise NotFound(f"Không tìm thấy đơn vị «{unit_code}».", {"unit": unit_code})
    elif user.unit_id and user.role == Role.REPORTER:
        unit = user.unit
    else:
        raise AppError("Hãy chọn đơn vị báo cáo.", {"fields": {"unit": "Bắt buộc"}})
    existed = Submission.objects.filter(regime=regime, period=rp.code, unit=unit).exists()
    submission = submission_get_or_create(regime=regime, period=rp.code, unit=unit, acting_user=user)
    return Status(200 if existed else 201, _reload(user, submission.pk))


@router.get("/submissions/{int:submission_id}", response=SubmissionOut, summary="Một báo cáo của đơn vị")
def submission_detail(request: ApiRequest, submission_id: Id):
    return _reload(request.auth, submission_id)


@router.put("/submissions/{int:submission_id}/draft", response=DraftOut, summary="Lưu nháp")
def submission_draft_save(request: ApiRequest, submission_id: Id, payload: DraftIn):
    """Save some or all values and texts. `version` is the version the client last read: a field
    someone else changed since then comes back as 409 with both texts in `extra.conflicts`.
    Invalid values: 400 with `extra.fields`; nothing is saved in either case."""
    user = request.auth
    submission = submission_get_for_user(user=user, submission_id=submission_id)
    result = submission_save_draft(
        submission=submission, acting_user=user, values=payload.values, narratives=payload.narratives,
        base_version=payload.version,
    )
    missing, issues = submission_check(submission, entries=result.entries)
    return {
        "version": result.version,
        "changed": result.changed,
        "field_versions": result.field_versions,
        "issues": _issues_out(issues),
        "missing": missing,
    }


@router.post("/submissions/approve", response=ApproveManyOut, summary="Duyệt nhiều báo cáo")
def submission_approve_many(request: ApiRequest, payload: ApproveManyIn):
    """Approve all listed reports or none: any unknown id (404) or report not awaiting approval
    (400) leaves every report as it was."""
    user = request.auth
    ids = sorted(set(payload.ids))
    submissions = list(submission_list(user=user).filter(pk__in=ids))
    missing = sorted(set(ids) - {s.pk for s in submissions})
    if missing:
        raise NotFound("Không tìm thấy báo cáo hoặc bạn không có quyền xem.", {"ids": missing})
    count = submissions_approve_many(submissions=submissions, acting_user=user)
    return {"approved": count, "ids": ids}


@router.post("/submissions/{int:submission_id}/submit", response=SubmissionOut, summary="Gửi báo cáo")
def submission_submit_view(request: ApiRequest, submission_id: Id):
    user = request.auth
    submission = submission_get_for_user(user=user, submission_id=submission_id)
    return _submission_out(user, submission_submit(submission=submission, acting_user=user))


@router.post("/submissions/{int:submission_id}/return", response=SubmissionOut, summary="Trả lại báo cáo")
def submission_return_view(request: ApiRequest, submission_id: Id, payload: ReturnIn):
    user = request.auth
    submission_return(submission=submission_get_for_user(user=user, submission_id=submission_id),
                      acting_user=user, comment=payload.comment)
    return _reload(user, submission_id)


@router.post("/submissions/{int:submission_id}/approve", response=SubmissionOut, summary="Duyệt báo cáo")
def submission_approve_view(request: ApiRequest, submission_id: Id, payload: ApproveIn | None = None):
    user = request.auth
    submission_approve(submission=submission_get_for_user(user=user, submission_id=submission_id),
                       acting_user=user, comment=payload.comment if payload else "")
    return _reload(user, submission_id)


@router.post("/submissions/{int:submission_id}/reopen", response=SubmissionOut, summary="Mở lại báo cáo đã duyệt")
def submission_reopen_view(request: ApiRequest, submission_id: Id, payload: ReopenIn):
    """A reviewer of the receiving unit reopens an approved report with a reason: it is returned
    to the unit (status `returned`, the reason as its comment), and the consolidated report
    versions that counted it are marked out of date."""
    user = request.auth
    submission_reopen(submission=submission_get_for_user(user=user, submission_id=submission_id),
                      acting_user=user, reason=payload.reason)
    return _reload(user, submission_id)


@router.post("/regimes/{int:regime_id}/reminders", response={201: ReminderOut}, tags=["monitoring"],
             summary="Nhắc đơn vị gửi báo cáo")
def regime_reminder_send(request: ApiRequest, regime_id: Id, payload: ReminderIn):
    """Remind a unit that has not sent its report of the period after the deadline (its reporters
    get a notification and an e-mail); at most once a day per regime, period and unit (400)."""
    user = request.auth
    regime = regime_get_for_user(user=user, regime_id=regime_id)
    unit = units_for_user(user).filter(pk=payload.unit).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.", {"unit": payload.unit})
    reminder = reminder_send(regime=regime, period=payload.period, unit=unit, acting_user=user)
    return Status(201, {"id": reminder.pk, "regime": regime.pk, "period": reminder.period, "unit": unit.pk,
                        "day": reminder.day.isoformat(), "sent_at": reminder.sent_at})


@router.get("/submissions/{int:submission_id}/history", response=list[HistoryOut], summary="Nhật ký báo cáo")
def submission_history_view(request: ApiRequest, submission_id: Id):
    """Every change to the report, newest first: `old`/`new` as stored, `text` the change in words
    as the report's page shows it («sửa · Kiến nghị đã giải quyết: 5 → 2»)."""
    submission = submission_get_for_user(user=request.auth, submission_id=submission_id)
    return [
        {
            "id": e.id,
            "at": e.at,
            "actor_id": e.event.actor_id,
            "actor": e.event.actor.display_name if e.event.actor else None,
            "action": e.action,
            "action_label": e.action_label,
            "field": e.field,
            "field_label": e.field_label,
            "old": e.old_value,
            "new": e.new_value,
            "comment": e.comment,
            "text": e.text,
        }
        for e in submission_history(submission=submission)
    ]


@router.get("/regimes/{int:regime_id}/monitor", response=MonitorOut, tags=["monitoring"],
            summary="Theo dõi tình hình gửi báo cáo của một kỳ")
def regime_monitor(request: ApiRequest, regime_id: Id, filters: Query[MonitorFilters]):
    """Every unit expected to report, with its report's status and timeliness. For reviewers
    and receiving roles only; summary figures count all expected units, before filters."""
    user = request.auth
    if not (can_review(user) or has_receiver_scope(user)):
        raise NotFound("Không tìm thấy chế độ báo cáo.")
    regime = regime_get_for_user(user=user, regime_id=regime_id)
    rp = regime_period(regime, filters.period)
    rows, summary = monitor_rows(
        regime=regime, rp=rp, kind=filters.kind or "", group_id=filters.group, status=filters.status or "",
        timeliness_filter=filters.timeliness or "", q=filters.q or "",
    )
    return {
        "regime": _regime_ref(regime),
        "period": regime_period_out(rp),
        "summary": {
            "expected": summary.expected,
            "submitted": summary.submitted,
            "approved": summary.approved,
            "on_time": summary.on_time,
            "late": summary.late,
            "missing": summary.missing,
            "completeness": round(summary.completeness, 1),
            "timeliness": round(summary.timeliness_rate, 1),
        },
        "rows": [
            {
                "unit": unit_ref(row.unit),
                "unit_kind": row.unit.kind,
                "submission_id": row.submission_id,
                "status": row.status,
                "status_label": row.status_label,
                "submitted_at": row.submitted_at,
                "timeliness": row.timeliness,
            }
            for row in rows
        ],
    }
