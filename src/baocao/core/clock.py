"""The one clock of business dates: deadlines, "today" on pages and in rules are calendar days in
Vietnam (Asia/Ho_Chi_Minh), whatever the server's time zone. Timestamps stay aware UTC datetimes
(`django.utils.timezone.now()`); this module turns them into Vietnamese days."""

from __future__ import annotations

from datetime import date, datetime

from baocao.core.vietnamese import VIETNAM_TZ


def now_vn() -> datetime:
    """The current moment, on Vietnam's clock (aware)."""
    return datetime.now(VIETNAM_TZ)


def today_vn() -> date:
    """Today's date in Vietnam."""
    return now_vn().date()


def local_date(moment: datetime) -> date:
    """The Vietnamese calendar day of an aware moment (23:30 in Hà Nội is still that day)."""
    return moment.astimezone(VIETNAM_TZ).date()
