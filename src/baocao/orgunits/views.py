"""The units page: the list of units in the user's scope and, for admins, a unit's edit and close
forms (one URL serves the page and, for HTMX requests, the forms' fragment). Changes go through
orgunits.services; an id outside the user's scope is 404, a unit in scope for a non-admin 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from baocao.accounts.roles import is_admin
from baocao.core.errors import AppError, NotFound
from baocao.core.listing import date_param
from baocao.orgunits.choices import ReorgKind, UnitKind
from baocao.orgunits.forms import UnitCloseForm, UnitEditForm
from baocao.orgunits.lineage import unit_history
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.selectors import orgunit_get_for_user, orgunit_list
from baocao.orgunits.services import orgunit_close, orgunit_update

EDIT_FIELDS = ("code", "name", "short_name", "kind", "valid_from", "note")


@login_required
def unit_list(request):
    """Units in the user's scope; accent-insensitive search ("bac kan" finds "Bắc Kạn")."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    on = date_param(request.GET.get("on"))
    # The tree of a day shows the units of that day, ended later or not; otherwise today's units
    # (and, when asked, the ended ones too).
    active = None if on is not None or request.GET.get("closed") == "1" else True
    qs = orgunit_list(user=request.user, q=q, kind=kind, active=active, on=on).select_related("parent")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    if on is not None:
        # The parent of that day, which a re-parenting since may have changed: one query per page.
        parent_ids = {u.parent_on for u in page.object_list} - {None}
        names = dict(OrgUnit.objects.filter(pk__in=parent_ids).values_list("pk", "name"))
        for unit in page.object_list:
            unit.parent_name_on = names.get(unit.parent_on, "")
    ctx = {"page": page, "q": q, "kind": kind, "kinds": UnitKind.choices, "on": on,
           "closed": request.GET.get("closed") == "1", "can_edit": is_admin(request.user)}
    template = "orgunits/partials/_table.html" if request.htmx else "orgunits/list.html"
    return render(request, template, ctx)


def _editable_unit(user, unit_id: int):
    try:
        unit = orgunit_get_for_user(user=user, unit_id=unit_id)
    except NotFound:
        raise Http404 from None
    if not is_admin(user):
        raise PermissionDenied
    return unit


def _render_forms(request, unit, *, edit_form=None, close_form=None, status: int = 200, success: str = ""):
    ctx = {
        "unit": unit, "success": success,
        "edit_form": edit_form or UnitEditForm(initial={name: getattr(unit, name) for name in EDIT_FIELDS}),
        "close_form": close_form or UnitCloseForm(),
    }
    template = "orgunits/partials/_unit_forms.html" if request.htmx else "orgunits/unit_edit.html"
    return render(request, template, ctx, status=status)


@login_required
def unit_edit(request, unit_id: int):
    unit = _editable_unit(request.user, unit_id)
    if request.method != "POST":
        return _render_forms(request, unit)
    form = UnitEditForm(request.POST)
    if not form.is_valid():
        return _render_forms(request, unit, edit_form=form, status=400)
    try:
        unit = orgunit_update(acting_user=request.user, unit=unit,
                              **{name: form.cleaned_data[name] for name in EDIT_FIELDS})
    except AppError as exc:
        form.add_service_errors(exc)
        return _render_forms(request, unit, edit_form=form, status=exc.status)
    if not request.htmx:
        messages.success(request, f"Đã lưu đơn vị «{unit.name}».")
        return redirect("orgunits:edit", unit.pk)
    return _render_forms(request, unit, success=f"Đã lưu đơn vị «{unit.name}».")


@login_required
@require_POST
def unit_close(request, unit_id: int):
    unit = _editable_unit(request.user, unit_id)
    form = UnitCloseForm(request.POST)
    if not form.is_valid():
        return _render_forms(request, unit, close_form=form, status=400)
    try:
        unit = orgunit_close(acting_user=request.user, unit=unit, valid_to=form.cleaned_data["valid_to"])
    except AppError as exc:
        form.add_service_errors(exc)
        return _render_forms(request, unit, close_form=form, status=exc.status)
    message = f"Đơn vị «{unit.name}» hết hiệu lực từ ngày {unit.valid_to:%d/%m/%Y}."
    if not request.htmx:
        messages.success(request, message)
        return redirect("orgunits:edit", unit.pk)
    return _render_forms(request, unit, success=message)


@login_required
def unit_history_page(request, unit_id: int):
    """A unit's history, for whoever may see the unit: its validity, former names and codes, and
    the events that made it and ended it, with each predecessor's and successor's share."""
    try:
        unit = orgunit_get_for_user(user=request.user, unit_id=unit_id)
    except NotFound:
        raise Http404 from None
    history = unit_history(unit)
    events = sorted({(n.effective, n.event_id, n.kind, n.legal_basis) for n in history.predecessors + history.successors})
    timeline = [{"effective": e, "kind": ReorgKind(k).label, "legal_basis": basis,
                 "predecessors": [n for n in history.predecessors if n.event_id == event_id],
                 "successors": [n for n in history.successors if n.event_id == event_id]}
                for e, event_id, k, basis in events]
    return render(request, "orgunits/unit_history.html", {
        "unit": unit, "history": history, "timeline": timeline, "can_edit": is_admin(request.user)})
