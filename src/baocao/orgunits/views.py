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
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.forms import UnitCloseForm, UnitEditForm
from baocao.orgunits.selectors import orgunit_get_for_user, orgunit_list
from baocao.orgunits.services import orgunit_close, orgunit_update

EDIT_FIELDS = ("code", "name", "short_name", "kind", "valid_from", "note")


@login_required
def unit_list(request):
    """Units in the user's scope; accent-insensitive search ("bac kan" finds "Bắc Kạn")."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    active = None if request.GET.get("closed") == "1" else True
    qs = orgunit_list(user=request.user, q=q, kind=kind, active=active).select_related("parent")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "q": q, "kind": kind, "kinds": UnitKind.choices,
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
