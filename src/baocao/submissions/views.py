from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from baocao.core.clock import today_vn
from baocao.core.errors import AppError, ConflictError
from baocao.reporting.models import NarrativeField
from baocao.reporting.selectors import form_version_detail, regime_get_for_user, regime_period
from baocao.submissions.choices import EDITABLE_STATUSES, SubmissionStatus
from baocao.submissions.selectors import (
    submission_actions,
    submission_get_for_user,
    submission_history,
    submission_list,
)
from baocao.submissions.services import (
    submission_approve,
    submission_check,
    submission_get_or_create,
    submission_reopen,
    submission_return,
    submission_save_draft,
    submission_submit,
)
from baocao.submissions.timeliness import days_left, timeliness
from baocao.submissions.validation import display_value


def _get(user, submission_id: int):
    return submission_get_for_user(user=user, submission_id=submission_id)


@login_required
def submission_list_view(request):
    qs = submission_list(user=request.user, status=request.GET.get("status") or None,
                         period=request.GET.get("period") or None)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "submissions/list.html", {"page": page, "statuses": SubmissionStatus.choices,
                                                     "filters": request.GET})


@login_required
@require_POST
def submission_open_by_code(request, regime_id: int):
    """The same as submission_open, with the period typed in a form (any past or future period)."""
    return submission_open(request, regime_id, request.POST.get("period", ""))


@login_required
@require_POST
def submission_open(request, regime_id: int, period: str):
    """A reporter opens (creating if needed) their unit's report for a period."""
    regime = regime_get_for_user(user=request.user, regime_id=regime_id)
    if request.user.unit is None:
        raise Http404
    sub = submission_get_or_create(regime=regime, period=period, unit=request.user.unit, acting_user=request.user)
    return redirect("submissions:detail", sub.pk)


def entry_context(request, sub, *, posted: dict | None = None, field_errors: dict | None = None,
                   conflicts: dict | None = None):
    """Everything the data-entry page shows for a report; also used by the Excel upload page to
    show the report with the file's problems."""
    fv = form_version_detail(sub.form_version_id)
    values = {v.indicator_id: v for v in sub.values.all()}
    texts = {n.field_id: n for n in sub.narratives.all()}
    posted = posted or {}
    field_errors = field_errors or {}
    conflicts = conflicts or {}
    sections = []
    for section in fv.sections.all():
        items = []
        for ind in section.indicators.all():
            v = values.get(ind.pk)
            shown = display_value(ind, v.number, v.text) if v else ""
            items.append({"kind": "indicator", "obj": ind, "code": ind.code,
                          "value": posted.get(ind.code, shown), "stored": shown,
                          "base": v.changed_version if v else 0,
                          "error": field_errors.get(ind.code), "conflict": conflicts.get(ind.code)})
        narratives = []
        for nf in section.narratives.all():
            t = texts.get(nf.pk)
            narratives.append({"kind": "narrative", "obj": nf, "code": nf.code,
                               "value": posted.get(nf.code, t.text if t else ""),
                               "base": t.changed_version if t else 0,
                               "error": field_errors.get(nf.code), "conflict": conflicts.get(nf.code)})
        sections.append({"section": section, "items": items, "narratives": narratives})
    rp = regime_period(sub.regime, sub.period)
    today = today_vn()
    missing, issues = submission_check(sub) if sub.status in EDITABLE_STATUSES else ({}, [])
    history = list(submission_history(submission=sub)[:100])
    actions = submission_actions(user=request.user, submission=sub)
    editable = "save" in actions
    return {
        "sub": sub, "fv": fv, "sections": sections, "rp": rp, "editable": editable,
        "days_left": days_left(deadline=rp.deadline, today=today),
        "timeliness": timeliness(first_submitted_at=sub.first_submitted_at, deadline=rp.deadline, today=today),
        "issues": issues, "missing": missing, "history": history,
        "can_review": "approve" in actions, "can_reopen": "reopen" in actions,
    }


@login_required
def submission_detail(request, submission_id: int):
    sub = _get(request.user, submission_id)
    return render(request, "submissions/detail.html", entry_context(request, sub))


def _field_bases(post) -> dict[str, int]:
    bases = {}
    for key, val in post.items():
        if key.startswith("base__") and val.isdigit():
            bases[key[6:]] = int(val)
    return bases


@login_required
@require_POST
def submission_save_field(request, submission_id: int):
    """HTMX autosave of one field as the reporter types: answers with the field's status line,
    its new base version and the refreshed rule panel (out-of-band swaps)."""
    sub = _get(request.user, submission_id)
    code = request.POST.get("field", "")
    is_narrative = NarrativeField.objects.filter(form_version_id=sub.form_version_id, code=code).exists()
    raw = request.POST.get(f"v__{code}", "")
    bases = _field_bases(request.POST)
    if request.POST.get("force_base", "").isdigit():
        bases[code] = int(request.POST["force_base"])
    ctx = {"code": code, "sub": sub}
    status = 200
    try:
        result = submission_save_draft(submission=sub, acting_user=request.user, field_bases=bases,
                                       values=None if is_narrative else {code: raw},
                                       narratives={code: raw} if is_narrative else None)
        sub.refresh_from_db()
        ctx.update({"saved": bool(result.changed), "base": result.field_versions.get(code, bases.get(code, 0))})
        _, ctx["issues"] = submission_check(sub)
        ctx["oob"] = True
    except ConflictError as exc:
        ctx["conflict"] = exc.extra["conflicts"].get(code)
        ctx["raw"] = raw
    except AppError as exc:
        ctx["error"] = exc.extra.get("fields", {}).get(code) or exc.message
        status = 200 if "fields" in exc.extra else exc.status
    return render(request, "submissions/partials/_field_status.html", ctx, status=status)


@login_required
@require_POST
def submission_save(request, submission_id: int):
    """Save every field at once (the form's own button; also works without JavaScript)."""
    sub = _get(request.user, submission_id)
    fv = form_version_detail(sub.form_version_id)
    values = {i.code: request.POST.get(f"v__{i.code}", "") for i in fv.indicators.all() if f"v__{i.code}" in request.POST}
    narratives = {n.code: request.POST.get(f"v__{n.code}", "") for n in fv.narratives.all()
                  if f"v__{n.code}" in request.POST}
    posted = {**values, **narratives}
    try:
        submission_save_draft(submission=sub, acting_user=request.user, values=values, narratives=narratives,
                              field_bases=_field_bases(request.POST))
    except ConflictError as exc:
        messages.error(request, exc.message)
        sub.refresh_from_db()
        return render(request, "submissions/detail.html",
                      entry_context(request, sub, posted=posted, conflicts=exc.extra["conflicts"]), status=409)
    except AppError as exc:
        messages.error(request, exc.message)
        sub.refresh_from_db()
        return render(request, "submissions/detail.html",
                      entry_context(request, sub, posted=posted, field_errors=exc.extra.get("fields")), status=400)
    if request.POST.get("then") == "submit":
        return _submit(request, sub)
    messages.success(request, "Đã lưu bản nháp.")
    return redirect("submissions:detail", sub.pk)


def _submit(request, sub):
    try:
        submission_submit(submission=sub, acting_user=request.user)
    except AppError as exc:
        messages.error(request, exc.message)
        sub.refresh_from_db()
        ctx = entry_context(request, sub, field_errors=exc.extra.get("fields"))
        return render(request, "submissions/detail.html", ctx, status=400)
    messages.success(request, "Đã gửi báo cáo tới cơ quan nhận báo cáo.")
    return redirect("submissions:detail", sub.pk)


@login_required
@require_POST
def submission_submit_view(request, submission_id: int):
    return _submit(request, _get(request.user, submission_id))


def _review(request, submission_id: int, service, done: str):
    """Run a reviewer's action (return/approve) and go back where it came from."""
    sub = _get(request.user, submission_id)
    try:
        service(submission=sub, acting_user=request.user, comment=request.POST.get("comment", ""))
        messages.success(request, f"{done} {sub.unit.name}.")
    except AppError as exc:
        messages.error(request, exc.message)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("submissions:detail", sub.pk)


@login_required
@require_POST
def submission_return_view(request, submission_id: int):
    return _review(request, submission_id, submission_return, "Đã trả lại báo cáo của")


@login_required
@require_POST
def submission_approve_view(request, submission_id: int):
    return _review(request, submission_id, submission_approve, "Đã duyệt báo cáo của")


@login_required
@require_POST
def submission_reopen_view(request, submission_id: int):
    """A reviewer reopens an approved report with a reason (the detail page's «Mở lại» form)."""
    sub = _get(request.user, submission_id)
    try:
        submission_reopen(submission=sub, acting_user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, f"Đã mở lại báo cáo của {sub.unit.name}; đơn vị sẽ sửa và gửi lại.")
    except AppError as exc:
        messages.error(request, exc.message)
    return redirect("submissions:detail", sub.pk)
