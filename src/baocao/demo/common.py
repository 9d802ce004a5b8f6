"""What both parts of the demo share (loader.py, reorganisation_demo.py): where the committed data
lies, the demo password and note, logins, and plausible working-day moments for backdated reports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Protocol

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


class IndicatorLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def unit_of_measure(self) -> str: ...
    @property
    def value_type(self) -> str: ...
    @property
    def aggregation(self) -> str: ...
    @property
    def max_value(self) -> int | None: ...


def add_sections(version, sections: Iterable[tuple[str, int, Any, str, Sequence[IndicatorLike]]],
                 narratives: Sequence[tuple[str, str, str]]) -> None:
    """The form version's sections (code, order, sector, title, indicator specs), each with its
    indicators and the same narrative fields (suffix, kind, label), in three bulk statements."""
    from baocao.reporting.models import FormSection, Indicator, NarrativeField

    indicators: list[Indicator] = []
    fields: list[NarrativeField] = []
    for section_code, order, sector, title, specs in sections:
        section = FormSection.objects.create(form_version=version, code=section_code, order=order, sector=sector,
                                             title=title)
        indicators += [
            Indicator(section=section, form_version=version, code=spec.code, name=spec.name,
                      unit_of_measure=spec.unit_of_measure, value_type=spec.value_type, aggregation=spec.aggregation,
                      min_value=0, max_value=spec.max_value, required=False, order=position)
            for position, spec in enumerate(specs, start=1)
        ]
        fields += [
            NarrativeField(section=section, form_version=version, code=f"{section_code}_{suffix}", kind=kind,
                           label=label, required=False, order=position)
            for position, (suffix, kind, label) in enumerate(narratives, start=1)
        ]
    Indicator.objects.bulk_create(indicators)
    NarrativeField.objects.bulk_create(fields)
