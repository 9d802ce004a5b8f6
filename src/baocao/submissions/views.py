from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from baocao.core.clock import today_vn
from baocao.core.errors import AppError, ConflictError
from baocao.core.listing import SortColumn, read_filters, render_list, sort_param
from baocao.core.vietnamese import collation_key
from baocao.reporting.choices import Severity
from baocao.reporting.selectors import FormStructure, regime_get_for_user, regime_period
from baocao.submissions.choices import EDITABLE_STATUSES, SubmissionStatus
from baocao.submissions.selectors import (
    annotate_period_order,
    period_order_fields,
    submission_actions,
    submission_entries,
    submission_get_for_user,
    submission_history,
    submission_list,
    submission_periods,
)
from baocao.submissions.services import (
    submission_approve,
    submission_check,
    submission_check_draft,
    submission_get_or_create,
    submission_reopen,
    submission_return,
    submission_save_draft,
    submission_structure,
    submission_submit,
)
from baocao.submissions.timeliness import days_left, timeliness
from baocao.submissions.validation import RuleIssue, display_value


def _get(user, submission_id: int):
    sub = submission_get_for_user(user=user, submission_id=submission_id)
    if user.unit_id == sub.unit_id:
        user.unit = sub.unit  # the top menu shows the user's unit: the report's unit, read with it
    return sub


_STATUS_RANK = Case(*(When(status=v, then=Value(i)) for i, v in enumerate(SubmissionStatus.values)),
                    default=Value(len(SubmissionStatus.values)), output_field=IntegerField())
SORT_COLUMNS = {
    "period": SortColumn("Kỳ", fields=period_order_fields(), then=("regime__code", "unit__path"),
                         descending_first=True),
    # No column holds names in Vietnamese order: the ids are put in order in Python (KeyOrdered).
    "unit": SortColumn("Đơn vị", key=lambda v: collation_key(v["unit__name"]), values=("unit__name",)),
    "regime": SortColumn("Chế độ báo cáo", fields=("regime__code",),
                         then=(*(f.desc() for f in period_order_fields()), "unit__path")),
    "status": SortColumn("Trạng thái", fields=(_STATUS_RANK,), then=("unit__path",)),
    "submitted": SortColumn("Gửi lúc", fields=("submitted_at",), descending_first=True),
}


@login_required
def submission_list_view(request):
    """The reports the user sees, newest period first (in time order: a year's halves before its
    annual report), filtered by period and status; sortable by each column."""
    user = request.user
    filters = read_filters(request.GET, ("period", "status"), {"status": SubmissionStatus.values})
    filters["period"] = filters["period"][:12].upper()
    qs = annotate_period_order(submission_list(user=user, status=filters["status"] or None,
                                               period=filters["period"] or None))
    sort = sort_param(request.GET, SORT_COLUMNS, default="-period", target="#submission-table",
                      form="submission-filters")
    return render_list(request, qs, filters=filters, today=today_vn(), tabs=(), sort=sort,
                       table_template="submissions/partials/_submission_table.html",
                       page_template="submissions/list.html",
                       page_context=lambda: {"statuses": SubmissionStatus.choices,
                                             "periods": submission_periods(user=user)})


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


def _issue_rows(issues: list[RuleIssue], names: dict[str, str]) -> list[dict]:
    """Rule issues as the page shows them: the indicators by name (the codes stay for placing
    each issue beside its fields)."""
    return [{"code": i.code, "severity": i.severity, "message": i.message, "indicators": list(i.indicators),
             "names": [names.get(c, c) for c in i.indicators],
             "fields": [{"code": c, "name": names.get(c, c)} for c in i.indicators],
             "label": "Lỗi" if i.severity == Severity.ERROR else "Cảnh báo"} for i in issues]


def _indicator_names(structure: FormStructure) -> dict[str, str]:
    return {ind.code: ind.name for ind in structure.indicators}


def _is_filled(value) -> bool:
    return bool(str(value or "").strip())


def entry_context(request, sub, *, posted: dict | None = None, field_errors: dict | None = None,
                  conflicts: dict | None = None):
    """Everything the data-entry page shows for a report; also used by the Excel upload page to
    show the report with the file's problems."""
    structure = submission_structure(sub)
    fv = structure.version
    entries = submission_entries(sub)
    values = entries.values
    texts = entries.texts
    posted = posted or {}
    field_errors = field_errors or {}
    conflicts = conflicts or {}
    rp = regime_period(sub.regime, sub.period)
    today = today_vn()
    missing, issues = (submission_check(sub, structure=structure, entries=entries)
                       if sub.status in EDITABLE_STATUSES else ({}, []))
    issue_rows = _issue_rows(issues, _indicator_names(structure))
    rules_by_field: dict[str, list[dict]] = {}
    for row in issue_rows:
        for code in row["indicators"]:
            rules_by_field.setdefault(code, []).append(row)
    sections = []
    for section in fv.sections.all():
        items = []
        for ind in section.indicators.all():
            v = values.get(ind.pk)
            shown = display_value(ind, v.number, v.text) if v else ""
            value = posted.get(ind.code, shown)
            items.append({"kind": "indicator", "obj": ind, "code": ind.code,
                          "value": value, "stored": shown, "filled": _is_filled(value),
                          "base": v.changed_version if v else 0, "rules": rules_by_field.get(ind.code, []),
                          "error": field_errors.get(ind.code), "conflict": conflicts.get(ind.code)})
        narratives = []
        for nf in section.narratives.all():
            t = texts.get(nf.pk)
            value = posted.get(nf.code, t.text if t else "")
            narratives.append({"kind": "narrative", "obj": nf, "code": nf.code,
                               "value": value, "filled": _is_filled(value),
                               "base": t.changed_version if t else 0,
                               "error": field_errors.get(nf.code), "conflict": conflicts.get(nf.code)})
        sections.append({"section": section, "items": items, "narratives": narratives,
                         "filled": sum(i["filled"] for i in items), "total": len(items),
                         "narratives_filled": sum(n["filled"] for n in narratives),
                         "narratives_total": len(narratives)})
    history = submission_history(submission=sub, limit=100, structure=structure)
    actions = submission_actions(user=request.user, submission=sub)
    editable = "save" in actions
    return {
        "sub": sub, "fv": fv, "sections": sections, "rp": rp, "editable": editable,
        "days_left": days_left(deadline=rp.deadline, today=today),
        "timeliness": timeliness(first_submitted_at=sub.first_submitted_at, deadline=rp.deadline, today=today),
        "issues": issue_rows, "missing": missing, "history": history,
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
    structure = submission_structure(sub)
    code = request.POST.get("field", "")
    is_narrative = code in structure.narrative_by_code
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
        sub.version = result.version
        ctx.update({"saved": bool(result.changed), "base": result.field_versions.get(code, bases.get(code, 0))})
        _, issues = submission_check(sub, structure=structure, entries=result.entries)
        ctx["issues"] = _issue_rows(issues, _indicator_names(structure))
        ctx["oob"] = True
        outcome = "saved" if result.changed else "unchanged"
    except ConflictError as exc:
        ctx["conflict"] = exc.extra["conflicts"].get(code)
        ctx["raw"] = raw
        outcome = "conflict"
    except AppError as exc:
        ctx["error"] = exc.extra.get("fields", {}).get(code) or exc.message
        status = 200 if "fields" in exc.extra else exc.status
        outcome = "invalid" if "fields" in exc.extra else "refused"
    response = render(request, "submissions/partials/_field_status.html", ctx, status=status)
    # entry.js reads this to know which edits kept in the browser the server has taken.
    response["X-Save-Outcome"] = outcome
    return response


@login_required
@require_POST
def submission_save(request, submission_id: int):
    """Save every field at once (the form's own button; also works without JavaScript)."""
    sub = _get(request.user, submission_id)
    structure = submission_structure(sub)
    values = {i.code: request.POST.get(f"v__{i.code}", "") for i in structure.indicators
              if f"v__{i.code}" in request.POST}
    narratives = {n.code: request.POST.get(f"v__{n.code}", "") for n in structure.narratives
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
    if request.POST.get("then") == "confirm":
        # "Gửi báo cáo" without JavaScript: saved, then the confirmation page before sending.
        return redirect("submissions:submit_confirm", sub.pk)
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


def _posted_fields(post, fv) -> tuple[dict[str, str], dict[str, str]]:
    """The indicator values and narrative texts a form posted (v__CODE), as typed."""
    values = {i.code: post[f"v__{i.code}"] for s in fv.sections.all() for i in s.indicators.all()
              if f"v__{i.code}" in post}
    narratives = {n.code: post[f"v__{n.code}"] for s in fv.sections.all() for n in s.narratives.all()
                  if f"v__{n.code}" in post}
    return values, narratives


def _draft_check(request, sub):
    structure = submission_structure(sub)
    values, narratives = _posted_fields(request.POST, structure.version) if request.method == "POST" else ({}, {})
    return structure, submission_check_draft(submission=sub, values=values, narratives=narratives)


@login_required
@require_POST
def submission_check_view(request, submission_id: int):
    """The form's rules on the values the page holds (saved or not), for the warnings shown beside
    the fields as the reporter types. Saves nothing."""
    sub = _get(request.user, submission_id)
    structure, check = _draft_check(request, sub)
    return JsonResponse({"issues": _issue_rows(check.issues, _indicator_names(structure)),
                         "missing": check.missing, "invalid": check.invalid})


@login_required
@require_http_methods(["GET", "POST"])
def submission_confirm_view(request, submission_id: int):
    """What «Gửi báo cáo» asks before sending: the empty required fields (by section) and the rule
    warnings. GET: the report as stored (the page without JavaScript, after saving); POST: the values
    the page holds, unsaved (the dialog of the data-entry page). Saves nothing."""
    sub = _get(request.user, submission_id)
    in_dialog = bool(request.htmx)
    if "submit" not in submission_actions(user=request.user, submission=sub):
        refusal = f"Báo cáo đang ở trạng thái «{sub.get_status_display()}» nên không gửi được."
        if in_dialog:
            return render(request, "submissions/partials/_confirm.html", {"sub": sub, "refusal": refusal,
                                                                          "in_dialog": True})
        messages.error(request, refusal)
        return redirect("submissions:detail", sub.pk)
    structure, check = _draft_check(request, sub)
    names = _indicator_names(structure)
    missing_groups = []
    for section in structure.version.sections.all():
        fields = [{"code": i.code, "name": i.name} for i in section.indicators.all() if i.code in check.missing]
        fields += [{"code": n.code, "name": n.label} for n in section.narratives.all() if n.code in check.missing]
        if fields:
            missing_groups.append({"title": section.title, "fields": fields})
    rows = _issue_rows(check.issues, names)
    errors = [r for r in rows if r["severity"] == Severity.ERROR]
    warnings = [r for r in rows if r["severity"] != Severity.ERROR]
    invalid = [{"code": code, "name": names.get(code, code), "message": message}
               for code, message in check.invalid.items()]
    ctx = {
        "sub": sub, "in_dialog": in_dialog, "missing_groups": missing_groups,
        "missing_count": len(check.missing), "errors": errors, "warnings": warnings, "invalid": invalid,
        "can_submit": not (check.missing or errors or invalid),
        "rp": regime_period(sub.regime, sub.period),
    }
    if in_dialog:
        return render(request, "submissions/partials/_confirm.html", ctx)
    return render(request, "submissions/confirm.html", ctx)


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
