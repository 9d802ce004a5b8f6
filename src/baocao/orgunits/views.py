from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from baocao.accounts.scope import units_for_user
from baocao.core.vietnamese import fold
from baocao.orgunits.choices import UnitKind


@login_required
def unit_list(request):
    """Units in the user's scope; accent-insensitive search ("bac kan" finds "Bắc Kạn")."""
    qs = units_for_user(request.user).select_related("parent")
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        qs = qs.filter(search_text__contains=fold(q))
    if kind:
        qs = qs.filter(kind=kind)
    if request.GET.get("closed") != "1":
        qs = qs.filter(valid_to__isnull=True)
    page = Paginator(qs.order_by("path"), 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "q": q, "kind": kind, "kinds": UnitKind.choices,
           "closed": request.GET.get("closed") == "1"}
    template = "orgunits/partials/_table.html" if request.htmx else "orgunits/list.html"
    return render(request, template, ctx)
