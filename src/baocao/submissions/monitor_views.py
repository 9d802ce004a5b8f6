"""The receiving unit's monitoring page of a regime (`/regimes/<id>/monitor/`): every expected unit
with its report's status, time and timeliness for a period, with filters, CSV and bulk approval.

The page sits under the regime's URLs and namespace (`reporting:monitor`, `reporting:monitor_approve`,
mounted by `config.urls`), but it shows and approves submissions, so it lives here, above `reporting`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from baocao.accounts.choices import Role
from baocao.accounts.roles import can_review
from baocao.core.clock import today_vn
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, NotFound
from baocao.core.listing import SortColumn, int_param, sort_param
from baocao.core.text import csv_writer
from baocao.core.vietnamese import collation_key, format_datetime
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnitGroup
from baocao.orgunits.scope import units_for_user
from baocao.reporting.selectors import regime_get_for_user, regime_period, regime_recent_periods
from baocao.submissions.choices import SubmissionStatus, Timeliness
from baocao.submissions.selectors import monitor_periods, monitor_rows, reminded_unit_ids, submission_list
from baocao.submissions.services import reminder_send, submissions_approve_many

MONITOR_PAGE_SIZE = 100
_STATUS_ORDER = {value: i for i, value in enumerate(SubmissionStatus.values)}
_TIMELINESS_ORDER = {value: i for i, value in enumerate(Timeliness.values)}
SORT_COLUMNS = {
    "unit": SortColumn("Đơn vị", key=lambda r: collation_key(r.unit.name)),
    # Not yet drafted first, then the workflow's order.
    "status": SortColumn("Trạng thái", key=lambda r: _STATUS_ORDER.get(r.status, -1)),
    "submitted": SortColumn("Thời điểm gửi", key=lambda r: r.submitted_at, descending_first=True),
    "timeliness": SortColumn("Đúng hạn", key=lambda r: _TIMELINESS_ORDER.get(r.timeliness, len(_TIMELINESS_ORDER))),
}


def _monitor_context(request, regime):
    today = today_vn()
    period_code = (request.GET.get("period") or "").strip().upper()
    recent = regime_recent_periods(regime, today=today, count=6)
    if not period_code:
        past = [rp for rp in recent if rp.deadline and rp.deadline <= today] or recent
        period_code = past[0].code
    try:
        rp = regime_period(regime, period_code)
    except AppError as exc:
        return {"error": exc.message, "regime": regime, "recent": recent, "period_code": period_code}
    group_id = request.GET.get("group") or ""
    group_id_int = int(group_id) if group_id.isdigit() else None
    filters = {
        "kind": request.GET.get("kind", ""), "group": group_id, "status": request.GET.get("status", ""),
        "timeliness": request.GET.get("timeliness", ""), "q": request.GET.get("q", ""),
    }
    rows, summary = monitor_rows(regime=regime, rp=rp, kind=filters["kind"], group_id=group_id_int,
                                 status=filters["status"], timeliness_filter=filters["timeliness"],
                                 q=filters["q"], today=today)
    sort = sort_param(request.GET, SORT_COLUMNS, default="unit", target="#monitor-table", form="monitor-filters")
    sort = sort.with_links(request.path, {**filters, "period": rp.code})
    periods = monitor_periods(regime=regime, recent=recent)
    return {"regime": regime, "rp": rp, "rows": sort.apply(rows), "summary": summary, "filters": filters,
            "recent": recent, "periods": periods, "period_code": rp.code, "sort": sort,
            "rp_in_periods": any(r.code == rp.code for r in periods)}


@login_required
def monitor(request, regime_id: int):
    """Who has reported: every expected unit with status, time and timeliness; filters; CSV."""
    regime = regime_get_for_user(user=request.user, regime_id=regime_id)
    if request.user.role == Role.REPORTER:
        raise Http404
    ctx = _monitor_context(request, regime)
    if "error" in ctx:
        return render(request, "submissions/monitor.html", ctx, status=400)
    if request.GET.get("format") == "csv":
        return _monitor_csv(ctx)
    paginator = Paginator(ctx["rows"], MONITOR_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in ctx["filters"].items() if v}
    query["period"] = ctx["rp"].code
    query.update(ctx["sort"].query())
    ctx.update({
        "page": page, "query": urlencode(query), "can_review": can_review(request.user),
        "can_remind": can_review(request.user), "today": today_vn(),
        "reminded": reminded_unit_ids(regime=regime, period=ctx["rp"].code) if can_review(request.user) else set(),
        "kinds": UnitKind.choices, "groups": OrgUnitGroup.objects.filter(reporting_regimes=regime),
        "statuses": [("none", "Chưa lập"), *SubmissionStatus.choices], "timeliness_choices": Timeliness.choices,
    })
    template = "submissions/partials/_monitor_table.html" if request.htmx else "submissions/monitor.html"
    return render(request, template, ctx)


def _monitor_csv(ctx) -> HttpResponse:
    rp = ctx["rp"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"theo-doi-{ctx['regime'].code}-{rp.code}.csv")
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv_writer(response)
    writer.writerow(["Mã đơn vị", "Tên đơn vị", "Loại", "Trạng thái", "Thời điểm gửi", "Đúng hạn"])
    kinds = dict(UnitKind.choices)
    labels = dict(Timeliness.choices)
    for row in ctx["rows"]:
        writer.writerow([row.unit.code, row.unit.name, kinds.get(row.unit.kind, row.unit.kind), row.status_label,
                         format_datetime(row.submitted_at) if row.submitted_at else "", labels[row.timeliness]])
    s = ctx["summary"]
    writer.writerow([])
    writer.writerow(["Tổng số đơn vị phải báo cáo", s.expected])
    writer.writerow(["Đã gửi", s.submitted])
    writer.writerow(["Tỷ lệ đầy đủ (%)", f"{s.completeness:.1f}".replace(".", ",")])
    writer.writerow(["Tỷ lệ đúng hạn (%)", f"{s.timeliness_rate:.1f}".replace(".", ",")])
    return response


@login_required
@require_POST
def monitor_approve(request, regime_id: int):
    """Approve the ticked reports (all or none)."""
    regime = regime_get_for_user(user=request.user, regime_id=regime_id)
    if not can_review(request.user):
        raise Http404
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    period = request.POST.get("period", "")
    subs = list(submission_list(user=request.user, regime_id=regime.pk).filter(pk__in=ids))
    try:
        if len(subs) != len(set(ids)):
            raise AppError("Có báo cáo không tồn tại hoặc ngoài phạm vi của bạn.")
        n = submissions_approve_many(submissions=subs, acting_user=request.user)
        messages.success(request, f"Đã duyệt {n} báo cáo.")
    except AppError as exc:
        messages.error(request, exc.message)
    return redirect(f"{request.path.rsplit('approve/', 1)[0]}?{urlencode({'period': period})}")


@login_required
@require_POST
def remind(request):
    """Remind one unit to send its report (`notifications:remind`): form fields `regime` (id),
    `period` (code), `unit` (id) and `next` (a path on this site to go back to)."""
    target = request.POST.get("next", "")
    if not (target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
            and target.startswith("/")):
        target = "/"
    regime_id, unit_id = int_param(request.POST.get("regime")), int_param(request.POST.get("unit"))
    if regime_id is None or unit_id is None:
        raise NotFound("Không tìm thấy chế độ báo cáo hoặc đơn vị.")
    regime = regime_get_for_user(user=request.user, regime_id=regime_id)
    unit = units_for_user(request.user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.")
    try:
        reminder_send(regime=regime, period=request.POST.get("period", ""), unit=unit, acting_user=request.user)
        messages.success(request, f"Đã nhắc {unit.name} gửi báo cáo.")
    except AppError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.message)
    return redirect(target)
