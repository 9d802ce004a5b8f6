from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from baocao.accounts.http import AppRequest
from baocao.core.clock import today_vn
from baocao.web.desks import DESK_TEMPLATES, desk_build


def _remind_url() -> str | None:
    """The reminder action of the notifications app, when it is installed (its button shows then)."""
    try:
        return reverse("notifications:remind")
    except NoReverseMatch:
        return None


@login_required
def dashboard(request: AppRequest) -> HttpResponse:
    """The desk of the user's role (web/desks.py): what waits for them today, each item one click
    from the page that acts on it."""
    user = request.user
    today = today_vn()
    desk = desk_build(user, today=today)
    own_unit = desk.own_unit
    unit_ended = own_unit is not None and own_unit.valid_to is not None and own_unit.valid_to < today
    # The charts are SVG text escaped by web/svgcharts.py, which writes every label through html.escape.
    completeness_svg = mark_safe(desk.completeness_svg) if desk.completeness_svg else None  # noqa: S308
    for sector in desk.trends:
        for trend in sector.indicators:
            trend.chart = mark_safe(trend.chart)  # noqa: S308
    return render(request, DESK_TEMPLATES[desk.kind], {
        "desk": desk, "today": today, "own_unit": own_unit, "unit_ended": unit_ended,
        "is_reporter": desk.kind == "reporter", "remind_url": _remind_url() if desk.can_remind else None,
        "completeness_svg": completeness_svg, "desk_path": request.path,
    })
