"""Pages of the case register: the list (a page, its table for HTMX requests, or CSV with
?format=csv), recording and editing a case, a case with its deadlines, actions (accept, extend,
resolve, refuse, forward), documents and history.

Reads go through cases.selectors: a case outside the user's scope is 404, and unit reporters get
404 on every page (the register does not exist for them). Changes go through cases.services, whose
refusals come back as Vietnamese messages next to the fields (400) or at the top (403 for a role
that only reads). A denunciator's identity is shown only as `selectors.submitter_display` allows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baocao.cases.choices import CaseKind, CaseStatus
from baocao.cases.forms import (
    AcceptForm,
    AttachmentForm,
    CaseForm,
    ExtendForm,
    ForwardForm,
    RefuseForm,
    ResolveForm,
)
from baocao.cases.selectors import (
    DEADLINE_LABELS,
    VIEW_DUE3,
    VIEW_OVERDUE,
    attachments_visible,
    can_see_cases,
    case_detail_row,
    case_get_for_user,
    case_history,
    case_identity_visible,
    case_limit_rules,
    case_list,
    extension_rule,
    officers_for_user,
    submitter_display,
)
from baocao.cases.services import (
    can_manage_case,
    can_write_cases,
    case_accept,
    case_actions,
    case_attachment_add,
    case_create,
    case_extend,
    case_forward,
    case_refuse,
    case_resolve,
    case_update,
)
from baocao.core.clock import today_vn
from baocao.core.downloads import content_disposition, stored_file_response
from baocao.core.errors import AppError
from baocao.core.listing import SortColumn, int_param, read_filters, render_list, sort_param
from baocao.core.text import csv_writer
from baocao.core.vietnamese import format_date, format_number
from baocao.reporting.models import Sector

TABS = (("", "Tất cả"), (VIEW_DUE3, "Đến hạn trong 3 ngày làm việc"), (VIEW_OVERDUE, "Quá hạn"))
FILTER_KEYS = ("kind", "status", "sector", "officer", "view", "q")
_STATUS_ORDER = {value: i for i, value in enumerate(CaseStatus.values)}
# Not the submitter: whose name sorts first would tell what a reader who may not see it is hidden.
SORT_COLUMNS = {
    "received": SortColumn("Ngày nhận", key=lambda r: r.case.received_on, descending_first=True),
    "deadline": SortColumn("Hạn", key=lambda r: r.alert[1] if r.alert else r.current_deadline),
    "status": SortColumn("Trạng thái", key=lambda r: _STATUS_ORDER.get(r.case.status, len(_STATUS_ORDER))),
}
CSV_HEADERS = [
    "Số hồ sơ", "Loại", "Lần khiếu nại", "Ngày nhận", "Nguồn", "Người gửi", "Địa chỉ, liên hệ người gửi",
    "Đối tượng", "Lĩnh vực", "Nội dung", "Đơn vị quản lý", "Đơn vị được giao", "Cán bộ thụ lý", "Ngày thụ lý",
    "Hạn thụ lý", "Hạn giải quyết", "Tình trạng thời hạn", "Trạng thái", "Ngày giải quyết / kết thúc",
    "Kết luận, kết quả", "Số quyết định xử phạt", "Số tiền xử phạt (đồng)", "Biện pháp khắc phục", "Ghi chú",
]


def _require_register(user) -> None:
    if not can_see_cases(user):
        raise Http404


def _case(user, case_id: int):
    _require_register(user)
    return case_get_for_user(user=user, case_id=case_id)


# ---------------------------------------------------------------------------
# List and CSV


@login_required
def case_list_view(request):
    """Cases in scope with filters, the "due within 3 working days" / "overdue" tabs and search."""
    user = request.user
    _require_register(user)
    filters = read_filters(request.GET, FILTER_KEYS, {"kind": CaseKind.values, "status": CaseStatus.values,
                                                      "view": (VIEW_DUE3, VIEW_OVERDUE)})
    today = today_vn()
    rows = case_list(user=user, kind=filters["kind"] or None, status=filters["status"] or None,
                     sector_id=int_param(filters["sector"]), officer_id=int_param(filters["officer"]),
                     view=filters["view"] or None, q=filters["q"], today=today)
    # The tabs of deadlines list the soonest first, the whole register the newest first.
    sort = sort_param(request.GET, SORT_COLUMNS, default="deadline" if filters["view"] else "-received",
                      target="#case-table", form="case-filters")
    if request.GET.get("format") == "csv":
        return _csv(sort.apply(rows), today=today)
    return render_list(request, rows, filters=filters, today=today, tabs=TABS, sort=sort,
                       table_template="cases/partials/_case_table.html", page_template="cases/case_list.html",
                       page_context=lambda: {
                           "kinds": CaseKind.choices, "statuses": CaseStatus.choices,
                           "sectors": Sector.objects.all(), "officers": officers_for_user(user),
                           "can_create": can_write_cases(user)})


def _csv(rows, *, today) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"so-vu-viec-{today.isoformat()}.csv")
    response.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
    writer = csv_writer(response)
    writer.writerow(CSV_HEADERS)
    for row in rows:
        case = row.case
        deadline_state = DEADLINE_LABELS.get(
            row.resolution_status if row.current_step == "resolution" else row.acceptance_status or "", "")
        writer.writerow([
            case.code, case.get_kind_display(), case.complaint_round if case.kind == CaseKind.COMPLAINT else "",
            format_date(case.received_on), case.get_channel_display(), row.shown_name, row.shown_contact,
            case.subject_org,
            case.sector.name if case.sector else "Khác", case.summary, case.owner.name,
            case.assigned_unit.name if case.assigned_unit else "",
            case.officer.display_name if case.officer else "", format_date(case.accepted_on),
            format_date(row.acceptance_deadline), format_date(row.resolution_deadline),
            deadline_state if row.is_open else "", case.get_status_display(), format_date(case.resolved_on),
            case.conclusion, case.sanction_decisions, format_number(case.sanction_amount),
            case.corrective_measures, case.note,
        ])
    return response


# ---------------------------------------------------------------------------
# Recording and editing


def _case_args(data: dict, *, with_identity: bool = True) -> dict:
    args = {key: data.get(key) for key in ("kind", "received_on", "channel", "subject_org", "sector", "summary",
                                           "assigned_unit", "officer", "code", "note")}
    args["complaint_round"] = data.get("complaint_round") or 1
    args["is_complex"] = bool(data.get("is_complex"))
    args["is_remote"] = bool(data.get("is_remote"))
    for key in ("subject_org", "code", "note"):
        args[key] = args[key] or ""
    if with_identity:
        args["submitter_name"] = data.get("submitter_name") or ""
        args["submitter_contact"] = data.get("submitter_contact") or ""
    return args


@login_required
def case_new(request):
    _require_register(request.user)
    if not can_write_cases(request.user):
        raise PermissionDenied
    form = CaseForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = case_create(acting_user=request.user, owner=form.cleaned_data["owner"],
                                   **_case_args(form.cleaned_data))
            except AppError as exc:
                form.add_service_errors(exc)
                status = exc.status
            else:
                messages.success(request, "Đã ghi sổ vụ việc.")
                return redirect("cases:detail", case.pk)
        else:
            status = 400
    return render(request, "cases/case_form.html", {"form": form, "case": None}, status=status)


@login_required
def case_edit(request, case_id: int):
    case = _case(request.user, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    with_identity = case_identity_visible(request.user, case)
    initial = {key: getattr(case, key) for key in ("kind", "complaint_round", "code", "received_on", "channel",
                                                   "subject_org", "summary", "is_complex", "is_remote", "note")}
    initial.update({"sector": case.sector_id, "assigned_unit": case.assigned_unit_id, "officer": case.officer_id})
    if with_identity:
        initial.update({"submitter_name": case.submitter_name, "submitter_contact": case.submitter_contact})
    form = CaseForm(request.POST or None, user=request.user, initial=initial, with_owner=False,
                    with_identity=with_identity)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case_update(acting_user=request.user, case=case,
                            **_case_args(form.cleaned_data, with_identity=with_identity))
            except AppError as exc:
                form.add_service_errors(exc)
                status = exc.status
            else:
                messages.success(request, "Đã lưu vụ việc.")
                return redirect("cases:detail", case.pk)
        else:
            status = 400
    return render(request, "cases/case_form.html", {"form": form, "case": case}, status=status)


# ---------------------------------------------------------------------------
# One case and its actions

ACTIONS = {
    "accept": (AcceptForm, "Đã ghi nhận thụ lý."),
    "extend": (ExtendForm, "Đã ghi nhận quyết định gia hạn."),
    "resolve": (ResolveForm, "Đã ghi nhận kết quả giải quyết."),
    "refuse": (RefuseForm, "Đã ghi nhận không thụ lý."),
    "forward": (ForwardForm, "Đã ghi nhận chuyển đơn."),
    "attach": (AttachmentForm, "Đã đính kèm tài liệu."),
}


def _detail_context(request, case, *, bound: dict | None = None) -> dict:
    user = request.user
    row = case_detail_row(case)
    name, contact = submitter_display(user, case)
    allowed = case_actions(user=user, case=case)
    manage = bool(allowed)
    today = today_vn()
    actions: dict[str, object] = {}
    if "accept" in allowed:
        actions["accept"] = AcceptForm(initial={"accepted_on": today})
    if "refuse" in allowed:
        actions["refuse"] = RefuseForm(initial={"decided_on": today})
    if "forward" in allowed:
        actions["forward"] = ForwardForm(initial={"decided_on": today})
    if "extend" in allowed:
        rule = extension_rule(case_limit_rules(), kind=case.kind, round=case.complaint_round)
        actions["extend"] = ExtendForm(initial={"decided_on": today, "days": (rule.max_days if rule else None) or ""})
    if "resolve" in allowed:
        actions["resolve"] = ResolveForm(initial={"resolved_on": today})
    if "attach" in allowed:
        actions["attach"] = AttachmentForm()
    actions.update(bound or {})
    return {
        "case": case, "row": row, "steps": row.steps(), "submitter_name": name, "submitter_contact": contact,
        "identity_visible": case_identity_visible(user, case), "extensions": list(case.extensions.all()),
        "attachments_visible": attachments_visible(user, case), "attachments": list(case.attachments.all()),
        "history": case_history(user=user, case=case), "can_manage": manage, "actions": actions,
    }


@login_required
def case_detail(request, case_id: int):
    case = _case(request.user, case_id)
    return render(request, "cases/case_detail.html", _detail_context(request, case))


def _run_action(request, case, name: str, form) -> None:
    data = form.cleaned_data
    user = request.user
    if name == "accept":
        case_accept(case=case, accepted_on=data["accepted_on"], acting_user=user)
    elif name == "extend":
        case_extend(case=case, decision_number=data.get("decision_number", ""), decided_on=data["decided_on"],
                    days=(data.get("days") or "").strip(), reason=data.get("reason", ""), acting_user=user)
    elif name == "resolve":
        case_resolve(case=case, resolved_on=data["resolved_on"], conclusion=data.get("conclusion", ""),
                     sanction_decisions=(data.get("sanction_decisions") or "0").strip(),
                     sanction_amount=(data.get("sanction_amount") or "0").strip(),
                     corrective_measures=data.get("corrective_measures", ""), acting_user=user)
    elif name == "refuse":
        case_refuse(case=case, decided_on=data["decided_on"], reason=data.get("text", ""), acting_user=user)
    elif name == "forward":
        case_forward(case=case, decided_on=data["decided_on"], to_agency=data.get("text", ""), acting_user=user)
    elif name == "attach":
        case_attachment_add(case=case, file=data["file"], title=data.get("title", ""), acting_user=user)


@login_required
@require_POST
def case_action(request, case_id: int, action: str):
    """One of ACTIONS posted from the detail page; the page comes back with the messages on the
    fields when the service refuses."""
    if action not in ACTIONS:
        raise Http404
    case = _case(request.user, case_id)
    if not can_manage_case(request.user, case):
        raise PermissionDenied
    form_class, done = ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            _run_action(request, case, action, form)
        except AppError as exc:
            form.add_service_errors(exc)
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, done)
            return redirect("cases:detail", case.pk)
    else:
        messages.error(request, "Thông tin chưa hợp lệ; xem thông báo ở từng ô.")
    ctx = _detail_context(request, _case(request.user, case_id), bound={action: form})
    return render(request, "cases/case_detail.html", ctx, status=status)


@login_required
def case_attachment(request, case_id: int, attachment_id: int):
    """A document of a case, to those who see the case (a denunciation's: the inspectorate only)."""
    case = _case(request.user, case_id)
    if not attachments_visible(request.user, case):
        raise Http404
    attachment = next((a for a in case.attachments.all() if a.pk == attachment_id), None)
    if attachment is None:
        raise Http404
    return stored_file_response(attachment.file)
