"""On time, late or missing: a report against its deadline (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime

from baocao.core.clock import local_date
from baocao.submissions.choices import Timeliness


def timeliness(*, first_submitted_at: datetime | None, deadline: date | None, today: date) -> Timeliness:
    """A report is on time when first sent on or before the deadline day (Vietnam time).

    Returned-and-resubmitted reports keep the timeliness of their first sending: the unit met the
    deadline, the correction is the receiving unit's review cycle.
    """
    if first_submitted_at is not None:
        if deadline is None or local_date(first_submitted_at) <= deadline:
            return Timeliness.ON_TIME
        return Timeliness.LATE
    if deadline is not None and today > deadline:
        return Timeliness.MISSING
    return Timeliness.PENDING


def days_left(*, deadline: date | None, today: date) -> int | None:
    return None if deadline is None else (deadline - today).days
