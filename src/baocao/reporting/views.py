"""The regime pages: the list of regimes the user sees and one regime's form, units and recent
periods. Its monitoring page (`reporting:monitor`) shows submissions, so it lives in
`submissions.monitor_views`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from baocao.accounts.choices import Role
from baocao.core.clock import today_vn
from baocao.reporting.periods import FREQUENCY_LABELS, Frequency
from baocao.reporting.selectors import (
    form_version_detail,
    regime_get_for_user,
    regime_list,
    regime_recent_periods,
)


@login_required
def regime_list_view(request):
    regimes = regime_list(user=request.user)
    return render(request, "reporting/regime_list.html", {"regimes": regimes})


@login_required
def regime_detail(request, regime_id: int):
    regime = regime_get_for_user(user=request.user, regime_id=regime_id)
    version = regime.form.current_version()
    fv = form_version_detail(version.pk) if version else None
    periods = regime_recent_periods(regime, today=today_vn(), count=4)
    frequencies = [FREQUENCY_LABELS[Frequency(f)] for f in regime.frequencies]
    return render(request, "reporting/regime_detail.html", {
        "regime": regime, "form_version": fv, "periods": periods, "frequencies": frequencies,
        "reporting_units": regime.reporting_units.all().order_by("path"),
        "reporting_groups": regime.reporting_groups.all(),
        "can_monitor": request.user.role != Role.REPORTER,
    })
