"""One clock for business dates: "today" is the calendar day in Vietnam (UTC+7), whatever the
server's time zone, and nothing else in the tree reads a clock for a date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import baocao
from baocao.core.clock import local_date, now_vn, today_vn


def test_a_late_evening_utc_is_the_next_day_in_vietnam():
    assert local_date(datetime(2022, 7, 20, 17, 30, tzinfo=UTC)) == date(2022, 7, 21)
    assert local_date(datetime(2022, 7, 20, 16, 59, tzinfo=UTC)) == date(2022, 7, 20)


def test_today_is_the_vietnamese_day_of_now():
    before = datetime.now(UTC)
    today = today_vn()
    assert today in {local_date(before), local_date(before + timedelta(seconds=5))}
    assert now_vn().utcoffset() == timedelta(hours=7)


def test_no_other_clock_gives_business_dates():
    """`date.today()`, `timezone.localdate()` and naive `datetime.now()` follow the server's zone
    (UTC in deployments): a page at 06:30 in Hà Nội would still show yesterday."""
    root = Path(baocao.__file__).parent
    pattern = re.compile(r"date\.today\(\)|localdate\(|datetime\.now\(|ZoneInfo\(\"Asia")
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if path.name not in {"clock.py", "vietnamese.py"} and "migrations" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if pattern.search(line)
    ]
    assert offenders == []
