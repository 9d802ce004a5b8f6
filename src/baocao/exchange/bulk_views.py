"""The /exchange/ page: bulk import (with a dry run showing the summary) and export, for the
receiving roles, admins, and unit reporters (whose imports and exports reach their own unit only).
Every action goes through the same services as the API and command."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import render

from baocao.accounts.roles import has_receiver_scope, is_admin
from baocao.core.clock import today_vn
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError
from baocao.core.listing import int_param
from baocao.exchange.bulk import bulk_import, can_bulk_import
from baocao.exchange.export import CONTENT_TYPES, EXTENSIONS, export_values
from baocao.exchange.formats import FORMAT_LABELS, FORMATS, READ_FORMATS, check_size, read_file
from baocao.exchange.management.commands.exchange import summary_lines
from baocao.exchange.rows import STRATEGIES, STRATEGY_LABELS
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.scope import units_for_user
from baocao.orgunits.widgets import picker_units
from baocao.reporting.selectors import regime_get_by_code, regime_list, regime_period
from baocao.submissions.selectors import regime_period_choices


def _allowed(user) -> bool:
    return is_admin(user) or has_receiver_scope(user) or can_bulk_import(user)


def _export_unit(user, params, rp):
    """The unit to export: the picker's `unit_id`, else a unit code `unit` (links and scripts written
    before the picker), looked up among the units of the period; None for every unit in scope. A unit
    not found or outside the user's scope is refused with the same message (nothing is revealed)."""
    raw_id = params.get("unit_id", "").strip()
    if raw_id:
        try:
            pk = int_param(raw_id)
        except BadRequest:
            pk = None
        unit = units_for_user(user).filter(pk=pk).first() if pk is not None else None
        if unit is None:
            raise AppError("Không tìm thấy đơn vị đã chọn hoặc đơn vị ngoài phạm vi của bạn.")
        return unit
    code = params.get("unit", "").strip()
    if code:
        unit = unit_by_code(code, on=rp.window_start, until=rp.window_end, queryset=units_for_user(user))
        if unit is None:
            raise AppError(f"Không tìm thấy đơn vị «{code[:40]}».")
        return unit
    return None


@login_required
def exchange_page(request):
    if not _allowed(request.user):
        raise Http404
    regimes = list(regime_list(user=request.user).filter(is_active=True))
    context = {"read_formats": [(f, FORMAT_LABELS[f]) for f in READ_FORMATS],
               "formats": [(f, FORMAT_LABELS[f]) for f in FORMATS],
               "strategies": [(s, f"{STRATEGY_LABELS[s]} ({s})") for s in STRATEGIES],
               "regimes": regimes, "period_choices": regime_period_choices(regimes=regimes, today=today_vn()),
               "units": picker_units(units_for_user(request.user)),
               "chosen_unit": request.GET.get("unit_id", "") if request.GET.get("export") else "",
               "can_import": can_bulk_import(request.user), "summary": None, "error": "", "lines": []}
    if request.method == "POST" and context["can_import"]:
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise AppError("Hãy chọn tệp cần nhập.")
            check_size(upload.size)
            parsed = read_file(upload.read(), fmt=request.POST.get("format", "auto"), filename=upload.name)
            summary = bulk_import(rows=parsed.rows, acting_user=request.user,
                                  dry_run=request.POST.get("dry_run") == "on",
                                  strategy=request.POST.get("strategy", "CREATE_AND_UPDATE"),
                                  regime=request.POST.get("regime") or None, first_row=parsed.first_row,
                                  lines=parsed.lines)
            context["summary"] = summary
            context["lines"] = summary_lines(summary)
        except AppError as exc:
            context["error"] = exc.message
    elif request.GET.get("export"):
        try:
            regime = regime_get_by_code(user=request.user, code=request.GET.get("regime", "").strip())
            rp = regime_period(regime, request.GET.get("period", "").strip())
            fmt = request.GET.get("format", "csv")
            unit = _export_unit(request.user, request.GET, rp)
            content = export_values(user=request.user, regime=regime, period=rp.code, unit=unit,
                                    subtree=request.GET.get("subtree") == "on", fmt=fmt)
            response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = content_disposition(f"{regime.code}-{rp.code}.{EXTENSIONS[fmt]}")
            return response
        except AppError as exc:
            context["error"] = exc.message
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers: the refused file's message must come back as 200 to be seen.
        return render(request, "exchange/partials/_summary.html", context)
    return render(request, "exchange/page.html", context, status=400 if context["error"] else 200)
