"""Reorganisation pages for admins: the events, one event with what its carry would move, and a
new event previewed (recorded and carried inside a transaction that is rolled back) before it
is applied for real."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from baocao.accounts.roles import is_admin
from baocao.core.errors import AppError
from baocao.core.listing import date_param
from baocao.orgunits.events import reorg_event_record
from baocao.orgunits.models import ReorgEvent
from baocao.transition.forms import ReorgForm, parse_links
from baocao.transition.services import CarryPlan, carry_apply, carry_preview, dangling_references


class _Rollback(Exception):
    def __init__(self, plan: CarryPlan, links: list):
        self.plan, self.links = plan, links


def _admin(request) -> None:
    if not is_admin(request.user):
        raise PermissionDenied


@login_required
def event_list(request):
    _admin(request)
    events = (ReorgEvent.objects.annotate(link_count=Count("links")).order_by("-effective", "-id"))[:200]
    pending = (ReorgEvent.objects.filter(applied_at__isnull=True).values("effective").annotate(count=Count("id"))
               .order_by("effective"))
    return render(request, "transition/list.html", {"events": events, "total": ReorgEvent.objects.count(),
                                                    "dangling": dangling_references(), "pending": pending})


@login_required
def carry_day(request):
    """Every event of one day not yet carried through: GET previews what moves, POST carries."""
    _admin(request)
    day = date_param(request.GET.get("effective") or request.POST.get("effective"))
    if day is None:
        raise Http404
    events = list(ReorgEvent.objects.filter(applied_at__isnull=True, effective=day).order_by("id"))
    if request.method == "POST":
        try:
            plan = carry_apply(acting_user=request.user, events=events)
        except AppError as exc:
            messages.error(request, " ".join([exc.message, *exc.extra.get("blockers", [])[:5]]))
            return redirect(f"{reverse('transition:carry')}?effective={day.isoformat()}")
        messages.success(request, f"Đã chuyển giao {len(plan.moves)} mục của {len(events)} sự kiện ngày "
                                  f"{day:%d/%m/%Y}.")
        return redirect("transition:list")
    plan = carry_preview(events) if events else None
    return render(request, "transition/carry.html", {"day": day, "events": events, "plan": plan})


@login_required
def event_detail(request, event_id: int):
    _admin(request)
    event = ReorgEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    links = list(event.links.select_related("predecessor", "successor").order_by("id"))
    plan = carry_preview([event]) if event.applied_at is None else None
    return render(request, "transition/detail.html", {"event": event, "links": links, "plan": plan})


@login_required
@require_POST
def event_apply(request, event_id: int):
    _admin(request)
    event = ReorgEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    try:
        plan = carry_apply(acting_user=request.user, events=[event])
    except AppError as exc:
        messages.error(request, " ".join([exc.message, *exc.extra.get("blockers", [])[:5]]))
    else:
        messages.success(request, f"Đã chuyển giao {len(plan.moves)} mục sang đơn vị kế thừa.")
    return redirect("transition:detail", event.pk)


@login_required
def event_new(request):
    """GET: the form. POST with `preview`: the event and its carry done and rolled back, shown.
    POST with `apply`: done for real, in one transaction."""
    _admin(request)
    form = ReorgForm(request.POST or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            links, ends = parse_links(data["links"], data["effective"])

            def record() -> ReorgEvent:
                return reorg_event_record(acting_user=request.user, kind=data["kind"], effective=data["effective"],
                                          links=links, ends=ends, legal_basis=data["legal_basis"])

            if "apply" in request.POST:
                with transaction.atomic():
                    event = record()
                    plan = carry_apply(acting_user=request.user, events=[event])
                messages.success(request, f"Đã ghi sự kiện sắp xếp và chuyển giao {len(plan.moves)} mục.")
                return redirect("transition:detail", event.pk)
            try:
                with transaction.atomic():
                    raise _Rollback(carry_preview([record()]), links)
            except _Rollback as preview:
                context.update(plan=preview.plan, links=preview.links, ends=ends, previewed=True)
        except AppError as exc:
            context.update(error=exc.message, blockers=exc.extra.get("blockers", []))
            return render(request, "transition/new.html", context, status=400)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "transition/new.html", context, status=status)
