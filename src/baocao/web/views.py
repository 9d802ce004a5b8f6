from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render

from baocao.accounts.choices import Role
from baocao.accounts.http import AppRequest
from baocao.core.clock import today_vn
from baocao.reporting.selectors import regime_list, regime_recent_periods
from baocao.submissions.selectors import expected_units, submissions_for_user
from baocao.submissions.timeliness import days_left


@login_required
def dashboard(request: AppRequest) -> HttpResponse:
    """What needs doing now, by the tree of each period: a reporter's own reports for the periods its
    unit must report (not after the unit ended); a receiver's completeness against the units
    expected on each period's cut-off day, for the regimes its receiving unit still runs today."""
    user = request.user
    today = today_vn()
    regimes = list(regime_list(user=user).filter(is_active=True).select_related("receiving_unit"))
    cards = []
    ended_regimes = []
    subs = submissions_for_user(user)
    own_unit = user.unit if user.unit_id else None
    if user.role == Role.REPORTER:
        mine = {(s.regime_id, s.period): s for s in subs.filter(regime__in=regimes)}
        for regime in regimes:
            rows = []
            for rp in regime_recent_periods(regime, today=today, count=2):
                if own_unit is None or not expected_units(regime=regime, day=rp.window_end).filter(
                        pk=own_unit.pk).exists():
                    continue  # the tree of that period has no place for this unit
                s = mine.get((regime.pk, rp.code))
                rows.append({"rp": rp, "submission": s, "days_left": days_left(deadline=rp.deadline, today=today)})
            cards.append({"regime": regime, "rows": rows})
    else:
        counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
        running = [r for r in regimes if r.receiving_unit.is_valid_on(today)]
        ended_regimes = [r for r in regimes if not r.receiving_unit.is_valid_on(today)]
        agg = (
            subs.filter(regime__in=running)
            .values("regime_id", "period")
            .annotate(sent=Count("id", filter=Q(first_submitted_at__isnull=False)),
                      approved=Count("id", filter=Q(status="approved")))
        )
        for row in agg:
            counts[(row["regime_id"], row["period"])] = row
        for regime in running:
            rows = []
            for rp in regime_recent_periods(regime, today=today, count=2):
                c = counts.get((regime.pk, rp.code), {})
                rows.append({"rp": rp, "sent": c.get("sent", 0), "approved": c.get("approved", 0),
                             "expected": expected_units(regime=regime, day=rp.window_end).count(),
                             "days_left": days_left(deadline=rp.deadline, today=today)})
            cards.append({"regime": regime, "rows": rows})
    recent = subs.select_related("regime", "unit").order_by("-updated_at")[:8]
    unit_ended = own_unit is not None and own_unit.valid_to is not None and own_unit.valid_to < today
    return render(request, "web/dashboard.html", {
        "cards": cards, "today": today, "recent": recent, "is_reporter": user.role == Role.REPORTER,
        "ended_regimes": ended_regimes, "own_unit": own_unit, "unit_ended": unit_ended,
    })
