"""What both parts of the demo share (loader.py, reorganisation_demo.py): where the committed data
lies, the demo password and note, logins, and plausible working-day moments for backdated reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from baocao.accounts.models import User
from baocao.core.vietnamese import VIETNAM_TZ
from baocao.orgunits.models import OrgUnit

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "baocao2022"
ILLUSTRATIVE_NOTE = "Số liệu minh họa (không phải số liệu thực tế)."


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    unit_code: str
    full_name: str
    staff: bool = False


def _local(day: date, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VIETNAM_TZ)


def _working_day_before(day: date, days: int) -> date:
    day -= timedelta(days=days)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _working_day_after(day: date, days: int) -> date:
    day += timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _ensure_user(login: DemoLogin, *, unit: OrgUnit | None) -> User:
    """The demo login, created with the demo password; an existing account is left as it is."""
    user = User.objects.filter(username=login.username).first()
    if user is not None:
        return user
    # Addresses on the reserved .test domain: reminders show in the console backend, never leave.
    user = User(username=login.username, full_name=login.full_name, role=login.role, unit=unit,
                is_staff=login.staff, is_superuser=login.staff, email=f"{login.username}@demo.baocao.test")
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
