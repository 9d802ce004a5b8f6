from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baocao.accounts.choices import Role
from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.compose import format_value
from baocao.consolidation.selectors import (
    outline_get,
    report_get_for_user,
    report_versions,
    reporting_unit_for_user,
    reports_for_user,
    version_get,
)
from baocao.consolidation.services import (
    can_approve,
    can_compile,
    consolidated_report_approvable,
    consolidated_report_approve,
    consolidated_report_build,
    consolidated_report_recompute,
    consolidated_report_regroup,
    consolidated_report_return,
    consolidated_report_save,
    consolidated_report_send,
    part_texts,
    report_actions,
    target_set,
)
from baocao.core.clock import today_vn
from baocao.core.csp import document_styles
from baocao.core.downloads import content_disposition
from baocao.core.errors import AppError, ConflictError
from baocao.core.vietnamese import format_number, format_percent, parse_date, parse_number
from baocao.orgunits.choices import PreviousBasis
from baocao.reporting.selectors import regime_get_for_user, regime_list, regime_period
from baocao.submissions.selectors import annotate_period_order, period_order_fields, regime_period_choices


def _report(user, report_id: int):
    return report_get_for_user(user=user, report_id=report_id)


@login_required
def report_list(request):
    if request.user.role == Role.REPORTER:
        raise Http404
    year, rank = period_order_fields()
    reports = list(annotate_period_order(reports_for_user(request.user))
                   .order_by(year.desc(), rank.desc(), "regime__code", "unit__path"))
    latest = {}
    for v in report_versions_for(reports):
        latest.setdefault(v.report_id, v)
    rows = [{"report": r, "latest": latest.get(r.pk)} for r in reports]
    regimes = list(regime_list(user=request.user).filter(is_active=True))
    return render(request, "consolidation/list.html", {
        "rows": rows, "regimes": regimes, "can_compile": can_compile(request.user),
        "period_choices": regime_period_choices(regimes=regimes, today=today_vn()),
    })


def report_versions_for(reports):
    from baocao.consolidation.models import ReportVersion

    return ReportVersion.objects.filter(report__in=reports).order_by("report_id", "-number").only(
        "report_id", "number", "status", "doc_number", "created_at")


@login_required
@require_POST
def report_build(request):
    regime_id = request.POST.get("regime", "")
    if not regime_id.isdigit():
        messages.error(request, "Hãy chọn chế độ báo cáo.")
        return redirect("consolidation:list")
    regime = regime_get_for_user(user=request.user, regime_id=int(regime_id))
    unit_code = request.POST.get("unit") or regime.receiving_unit.code
    # The unit holding the code during the period (as the API and the command look it up): a 2022
    # report of a department that ended in 2025 is still built by its own unit.
    rp = regime_period(regime, request.POST.get("period", "").strip())
    unit = reporting_unit_for_user(user=request.user, code=unit_code, on=rp.window_start, until=rp.window_end)
    version = consolidated_report_build(regime=regime, period=rp.code, unit=unit, acting_user=request.user)
    messages.success(request, f"Đã lập báo cáo tổng hợp (phiên bản {version.number}).")
    return redirect("consolidation:detail", version.report_id)


# What the edit form calls the parts printed without a heading.
UNHEADED_PARTS = {"intro": "Mở đầu", "units": "Tình hình gửi báo cáo", "ending": "Đoạn kết"}


def _detail_context(request, report, version, *, posted: dict | None = None):
    from baocao.consolidation.rendering import official_document
    from baocao.documents.html_render import render_html

    outline = outline_get(report.regime)
    versions = list(report_versions(report))
    latest = versions[0] if versions else None
    approved = next((v for v in versions if v.status == VersionStatus.APPROVED), None)
    defaults = part_texts(version.composed)
    parts = []
    for p in version.composed.get("parts", []):
        key = p["key"]
        text = (posted or {}).get(key, (version.edits or {}).get(key, defaults.get(key, "")))
        parts.append({"key": key, "heading": p.get("heading") or UNHEADED_PARTS.get(key, "Mở đầu"),
                      "number": p.get("number", ""),
                      "text": text, "edited": key in (version.edits or {}), "figures": p.get("figures") or []})
    figures, lineage_rows = _basis_of(version.composed)
    groupings = _groupings_of(version.composed, open_part=request.GET.get("part", ""),
                              rules=outline.grouping_rules)
    doc = official_document(report=report, version=version, outline=outline)
    actions = report_actions(user=request.user, report=report, version=version, versions=versions)
    return {
        "report": report, "version": version, "versions": versions, "latest": latest, "approved": approved,
        "parts": parts, "preview": render_html(doc, standalone=False), "editable": "edit" in actions,
        "can_approve": "approve" in actions, "can_send": "send" in actions, "can_return": "return" in actions,
        "meta": version.composed.get("meta", {}),
        "today": today_vn(), "figures": figures, "lineage_rows": lineage_rows,
        "groupings": groupings,
    }


def _groupings_of(composed: dict, *, open_part: str = "", rules: dict | None = None) -> list[dict]:
    """Per part with units' texts: its groups of sentences (as the report writes them) and their
    members, for the compiler to split or merge."""
    from baocao.consolidation.grouping import Consolidation, Rules, group_texts

    regime_rules = Rules.from_mapping(rules)
    out = []
    for part in composed.get("parts", []):
        data = part.get("grouping") or {}
        if not data.get("sentences"):
            continue
        consolidation = Consolidation.from_dict(data, regime_rules)
        groups = []
        for g in group_texts(consolidation, rules=regime_rules):
            groups.append({
                "attribution": g.attribution.text, "sentence": g.sentence,
                "members": [{"index": m, "label": consolidation.speakers[consolidation.sentences[m].speaker].label,
                             "text": consolidation.sentences[m].text} for m in g.members],
            })
        out.append({"key": part["key"], "number": part.get("number", ""), "heading": part.get("heading", ""),
                    "groups": groups, "sentences": len(consolidation.sentences), "open": part["key"] == open_part})
    return out


BASIS_TITLES = {
    PreviousBasis.SAME_UNIT: "số liệu của chính các đơn vị",
    PreviousBasis.PREDECESSORS: "tổng hợp từ các đơn vị trước sắp xếp",
    PreviousBasis.ESTIMATE: "ước tính theo tỷ lệ từ các đơn vị trước sắp xếp",
}


def _basis_of(composed: dict) -> tuple[list[dict], list[dict]]:
    """Every figure's sentence with where its last-year value comes from (shown on hover), and the
    rows of the by-unit tables whose last-year value comes from predecessors."""
    figures, rows, seen = [], [], set()
    for part in composed.get("parts", []):
        for f in part.get("figures") or []:
            if f.get("line"):
                basis = f.get("previous_basis") or PreviousBasis.SAME_UNIT
                previous = f.get("previous")
                shown = format_value(Decimal(previous), f.get("value_type", "")) if previous is not None else "không có"
                figures.append({"code": f.get("code"), "line": f["line"], "basis": basis,
                                "title": f"Số cùng kỳ: {shown} — {BASIS_TITLES.get(basis, '')}"})
        for row in (part.get("table") or {}).get("raw") or []:
            if row.get("predecessors") and row.get("unit_id") not in seen:
                seen.add(row.get("unit_id"))
                names = "; ".join(
                    p["name"] + ("" if p.get("share") == 1 else f" ({format_percent(Decimal(str(p['share'])) * 100, 2)})")
                    for p in row["predecessors"])
                rows.append({"label": row.get("label"), "basis": row.get("previous_basis"), "predecessors": names,
                             "title": f"Số cùng kỳ: {BASIS_TITLES.get(row.get('previous_basis'), '')}"})
    return figures, rows


@login_required
@document_styles
def report_detail(request, report_id: int):
    report = _report(request.user, report_id)
    number = int(request.GET["v"]) if request.GET.get("v", "").isdigit() else None
    version = version_get(report=report, number=number)
    return render(request, "consolidation/detail.html", _detail_context(request, report, version))


@login_required
@require_POST
@document_styles
def report_save(request, report_id: int):
    report = _report(request.user, report_id)
    base = int(request.POST.get("base_version") or 0)
    edits = {k[5:]: v for k, v in request.POST.items() if k.startswith("part:")}
    try:
        version = consolidated_report_save(report=report, acting_user=request.user, base_version=base, edits=edits)
    except ConflictError as exc:
        # Show the newest version (theirs, in the preview) with this user's texts still in the
        # boxes, so nothing typed is lost and both can be compared before saving again.
        messages.error(request, exc.message)
        version = version_get(report=report)
        return render(request, "consolidation/detail.html",
                      _detail_context(request, report, version, posted=edits), status=409)
    messages.success(request, f"Đã lưu phiên bản {version.number}.")
    return redirect("consolidation:detail", report.pk)


@login_required
@require_POST
def report_regroup(request, report_id: int):
    report = _report(request.user, report_id)
    part = request.POST.get("part", "")
    split = request.POST.get("split", "")
    merge = [int(m) for m in request.POST.getlist("merge") if m.isdigit()]
    try:
        version = consolidated_report_regroup(
            report=report, acting_user=request.user, base_version=int(request.POST.get("base_version") or 0)
            if (request.POST.get("base_version") or "").isdigit() else 0, part=part,
            split=int(split) if split.isdigit() else None, merge=merge if not split.isdigit() else ())
    except ConflictError as exc:
        messages.error(request, exc.message)
        return redirect("consolidation:detail", report.pk)
    messages.success(request, f"Đã cập nhật nhóm câu (phiên bản {version.number}).")
    return redirect(reverse("consolidation:detail", args=[report.pk]) + f"?part={part}#groups-{part}")


@login_required
@require_POST
def report_recompute(request, report_id: int):
    report = _report(request.user, report_id)
    version = consolidated_report_recompute(report=report, acting_user=request.user,
                                            base_version=int(request.POST.get("base_version") or 0) or None)
    n = len([c for c in version.changes if c.get("kind") != "narrative"])
    messages.success(request, f"Đã tính lại số liệu (phiên bản {version.number}): {n} số liệu thay đổi.")
    return redirect("consolidation:detail", report.pk)


@login_required
@require_POST
def report_approve(request, report_id: int, number: int):
    """Approve a version, after a confirmation step: the first post (the detail page's button)
    shows what approving does with a «Xác nhận phê duyệt» button, which posts again with
    `confirm=1`."""
    report = _report(request.user, report_id)
    try:
        version = version_get(report=report, number=number)
        issued = request.POST.get("issued_on") or None
        issued_on = parse_date(issued) if issued else None
        if request.POST.get("confirm") != "1":
            consolidated_report_approvable(version=version, acting_user=request.user)
            return render(request, "consolidation/approve_confirm.html", {
                "report": report, "version": version, "issued_on": issued_on or today_vn(),
                "meta": version.composed.get("meta", {})})
        version = consolidated_report_approve(version=version, acting_user=request.user, issued_on=issued_on)
        messages.success(request, f"Đã phê duyệt phiên bản {version.number}, số {version.doc_number:02d}.")
    except ValueError:
        messages.error(request, "Ngày ban hành không hợp lệ.")
    return redirect("consolidation:detail", report.pk)


@login_required
@require_POST
def report_send(request, report_id: int, number: int):
    """The compiler sends the version to the leader for approval."""
    report = _report(request.user, report_id)
    version = consolidated_report_send(version=version_get(report=report, number=number), acting_user=request.user)
    messages.success(request, f"Đã trình lãnh đạo phê duyệt phiên bản {version.number}.")
    return redirect("consolidation:detail", report.pk)


@login_required
@require_POST
def report_return(request, report_id: int, number: int):
    """The leader returns a pending version to the compiler with a comment."""
    report = _report(request.user, report_id)
    try:
        version = consolidated_report_return(version=version_get(report=report, number=number),
                                             acting_user=request.user, comment=request.POST.get("comment", ""))
        messages.success(request, f"Đã trả lại phiên bản {version.number} cho chuyên viên tổng hợp.")
    except AppError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect(reverse("consolidation:detail", args=[report.pk]) + f"?v={number}")


@login_required
@document_styles
def report_download(request, report_id: int, number: int, fmt: str):
    from baocao.consolidation.exports import export_version

    report = _report(request.user, report_id)
    version = version_get(report=report, number=number)
    content, content_type, filename = export_version(report=report, version=version, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=fmt in ("html", "pdf"))
    return response


@login_required
def targets(request):
    """The year's planned values of the user's unit for the indicators of the regimes it receives."""
    user = request.user
    if user.unit is None or user.role == Role.REPORTER:
        raise Http404
    from baocao.consolidation.models import Target
    from baocao.reporting.models import Indicator

    year_text = request.GET.get("year") or request.POST.get("year") or str(today_vn().year)
    year = int(year_text) if year_text.isdigit() else today_vn().year
    regimes = regime_list(user=user).filter(receiving_unit=user.unit)
    versions = [r.form.current_version() for r in regimes]
    indicators = list(Indicator.objects.filter(form_version__in=[v for v in versions if v])
                      .select_related("section").order_by("form_version", "section__order", "order"))
    errors = {}
    if request.method == "POST":
        for ind in indicators:
            key = f"t:{ind.code}"
            if key not in request.POST:
                continue
            raw = request.POST[key].strip()
            try:
                value = parse_number(raw) if raw else None
                current = Target.objects.filter(unit=user.unit, year=year, indicator_code=ind.code).first()
                if (current.value if current else None) != value:
                    target_set(acting_user=user, unit=user.unit, year=year, indicator_code=ind.code, value=value)
            except ValueError as exc:
                errors[ind.code] = str(exc)
            except AppError as exc:
                errors[ind.code] = exc.message
        if errors:
            messages.error(request, "Một số chỉ tiêu chưa lưu được; xem thông báo bên cạnh từng ô.")
        else:
            messages.success(request, f"Đã lưu chỉ tiêu kế hoạch năm {year}.")
            return redirect(f"{request.path}?year={year}")
    values = {t.indicator_code: t.value for t in Target.objects.filter(unit=user.unit, year=year)}
    rows = [{"ind": i, "value": request.POST.get(f"t:{i.code}") if errors else
             (format_number(values[i.code]) if i.code in values else ""), "error": errors.get(i.code)}
            for i in indicators]
    return render(request, "consolidation/targets.html", {"rows": rows, "year": year, "unit": user.unit,
                                                           "editable": can_compile(user) or can_approve(user)})
