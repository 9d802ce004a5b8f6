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
    """What needs doing now: a reporter's own reports with deadlines; a receiver's completeness."""
    user = request.user
    today = today_vn()
    regimes = list(regime_list(user=user).filter(is_active=True))
    cards = []
    subs = submissions_for_user(user)
    if user.role == Role.REPORTER:
        mine = {(s.regime_id, s.period): s for s in subs.filter(regime__in=regimes)}
        for regime in regimes:
            rows = []
            for rp in regime_recent_periods(regime, today=today, count=2):
                s = mine.get((regime.pk, rp.code))
                rows.append({"rp": rp, "submission": s, "days_left": days_left(deadline=rp.deadline, today=today)})
            cards.append({"regime": regime, "rows": rows})
    else:
        counts: dict[tuple[int, str], dict[str, int]] = defaultdict(dict)
        agg = (
            subs.filter(regime__in=regimes)
            .values("regime_id", "period")
            .annotate(sent=Count("id", filter=Q(first_submitted_at__isnull=False)),
                      approved=Count("id", filter=Q(status="approved")))
        )
        for row in agg:
            counts[(row["regime_id"], row["period"])] = row
        for regime in regimes:
            rows = []
            for rp in regime_recent_periods(regime, today=today, count=2):
                c = counts.get((regime.pk, rp.code), {})
                rows.append({"rp": rp, "sent": c.get("sent", 0), "approved": c.get("approved", 0),
                             "days_left": days_left(deadline=rp.deadline, today=today)})
            expected = expected_units(regime=regime, day=today).count()
            cards.append({"regime": regime, "rows": rows, "expected": expected})
    recent = subs.select_related("regime", "unit").order_by("-updated_at")[:8]
    return render(request, "web/dashboard.html", {"cards": cards, "today": today, "recent": recent,
                                                  "is_reporter": user.role == Role.REPORTER})
