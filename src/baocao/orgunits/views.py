from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from baocao.orgunits.choices import UnitKind
from baocao.orgunits.selectors import orgunit_list


@login_required
def unit_list(request):
    """Units in the user's scope; accent-insensitive search ("bac kan" finds "Bắc Kạn")."""
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    active = None if request.GET.get("closed") == "1" else True
    qs = orgunit_list(user=request.user, q=q, kind=kind, active=active).select_related("parent")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "q": q, "kind": kind, "kinds": UnitKind.choices,
           "closed": request.GET.get("closed") == "1"}
    template = "orgunits/partials/_table.html" if request.htmx else "orgunits/list.html"
    return render(request, template, ctx)
