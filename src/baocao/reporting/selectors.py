"""Reads of regimes, forms and periods, always scoped to the user."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from baocao.accounts.choices import RECEIVER_ROLES, Role
from baocao.accounts.roles import can_review, is_admin
from baocao.core.errors import AppError, NotFound
from baocao.orgunits.scope import in_user_subtree
from baocao.reporting.choices import FormVersionStatus
from baocao.reporting.models import (
    FormSection,
    FormVersion,
    Indicator,
    NarrativeField,
    ReportingRegime,
    ValidationRule,
)
from baocao.reporting.periods import (
    FREQUENCY_LABELS,
    Frequency,
    Period,
    PeriodError,
    cutoff_window,
    deadline_for,
    parse_period,
)


@dataclass(frozen=True)
class RegimePeriod:
    """A period as a regime sees it: Decree 09 cut-off window and the regime's deadline."""

    period: Period
    window_start: date
    window_end: date
    deadline: date | None

    @property
    def code(self) -> str:
        return self.period.code


def regimes_for_user(user) -> QuerySet[ReportingRegime]:
    """Admins every regime; a reporter the regimes their unit reports to (directly or in a group);
    receiving roles the regimes received in their subtree."""
    qs = ReportingRegime.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    if user.role == Role.REPORTER:
        return qs.filter(
            Q(reporting_units=user.unit_id) | Q(reporting_groups__members=user.unit_id)
        ).distinct()
    if user.role in RECEIVER_ROLES:
        return qs.filter(in_user_subtree(user, "receiving_unit"))
    return qs.none()


def regime_list(*, user) -> QuerySet[ReportingRegime]:
    return regimes_for_user(user).select_related("receiving_unit", "form").order_by("code")


def regime_get_for_user(*, user, regime_id: int) -> ReportingRegime:
    regime = regime_list(user=user).filter(pk=regime_id).first()
    if regime is None:
        raise NotFound("Không tìm thấy chế độ báo cáo.")
    return regime


def regime_get_by_code(*, user, code: str) -> ReportingRegime:
    regime = regime_list(user=user).filter(code=code).first()
    if regime is None:
        raise NotFound(f"Không tìm thấy chế độ báo cáo «{code}».", {"regime": code})
    return regime


def regime_period(regime: ReportingRegime, code: str) -> RegimePeriod:
    """Parse `code` and check it belongs to one of the regime's frequencies."""
    try:
        period = parse_period(code)
    except PeriodError as exc:
        raise AppError(str(exc), {"period": code}) from None
    if period.frequency not in regime.frequency_set:
        allowed = ", ".join(FREQUENCY_LABELS[Frequency(f)].lower() for f in regime.frequencies)
        raise AppError(
            f"Kỳ {period.code} không thuộc chế độ báo cáo «{regime.code}» (tần suất: {allowed}).",
            {"period": period.code, "regime": regime.code},
        )
    start, end = cutoff_window(period, regime.cutoff_rule)
    rules = regime.deadline_rule_map
    deadline = deadline_for(period, rules) if period.frequency in rules else None
    return RegimePeriod(period, start, end, deadline)


def regime_recent_periods(regime: ReportingRegime, *, today: date, count: int = 6) -> list[RegimePeriod]:
    """The regime's periods around today, newest first: the open one and the previous ones."""
    from baocao.reporting.periods import latest_period

    result: list[RegimePeriod] = []
    for freq in sorted(regime.frequency_set, key=list(Frequency).index):
        if freq == Frequency.AD_HOC:
            continue
        period = latest_period(today, freq, regime.cutoff_rule)
        for _ in range(count):
            result.append(regime_period(regime, period.code))
            period = period.previous()
    result.sort(key=lambda rp: (rp.window_end, rp.period.frequency != Frequency.ANNUAL), reverse=True)
    return result


def form_version_list(*, user) -> QuerySet[FormVersion]:
    """Versions of forms used by a regime the user sees; drafts only for reviewers. Admins: all."""
    from baocao.reporting.choices import FormVersionStatus

    qs = FormVersion.objects.all()
    if is_admin(user):
        return qs
    qs = qs.filter(form__in=regimes_for_user(user).values("form_id"))
    if not can_review(user):
        qs = qs.exclude(status=FormVersionStatus.DRAFT)
    return qs


def form_version_detail(form_version_id: int) -> FormVersion:
    """A form version with its sections, indicators, narratives and rules in four queries."""
    return (
        FormVersion.objects.select_related("form")
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=FormSection.objects.select_related("sector").prefetch_related("indicators", "narratives"),
            ),
            "rules",
        )
        .get(pk=form_version_id)
    )


@dataclass(frozen=True)
class FormStructure:
    """A form version read whole: `version` (with its form, and its sections with their sector,
    indicators and narrative parts prefetched, as form_version_detail gives it), and the same
    indicators, narrative parts and rules as flat tuples in the form's order. Shared between
    requests when the version is published: read it, never change it."""

    version: FormVersion
    indicators: tuple[Indicator, ...]
    narratives: tuple[NarrativeField, ...]
    rules: tuple[ValidationRule, ...]
    indicator_by_code: dict[str, Indicator] = field(repr=False)
    narrative_by_code: dict[str, NarrativeField] = field(repr=False)


# Published versions are never edited (a change makes a new version), so each process keeps the
# structures it read last, keyed by id and publication time; drafts are read every time. A save or
# delete of a version or of anything in it drops its entry all the same (the admin and the tests
# write through the ORM).
STRUCTURE_CACHE_SIZE = 64
_structures: OrderedDict[tuple[int, datetime], FormStructure] = OrderedDict()
_structures_lock = threading.Lock()


def _structure_read(form_version_id: int) -> FormStructure:
    fv = form_version_detail(form_version_id)
    sections = list(fv.sections.all())
    order = {s.pk: (s.order, s.pk) for s in sections}
    indicators = sorted((i for s in sections for i in s.indicators.all()),
                        key=lambda i: (order[i.section_id][0], i.order, i.pk))
    narratives = sorted((n for s in sections for n in s.narratives.all()),
                        key=lambda n: (order[n.section_id][0], n.order, n.pk))
    return FormStructure(fv, tuple(indicators), tuple(narratives), tuple(fv.rules.all()),
                         {i.code: i for i in indicators}, {n.code: n for n in narratives})


def form_version_structure(version: FormVersion) -> FormStructure:
    """The structure of `version` (a FormVersion as read, e.g. joined to its submission): no query
    for a published version read recently by this process, five otherwise."""
    if version.status != FormVersionStatus.PUBLISHED or version.published_at is None:
        return _structure_read(version.pk)
    key = (version.pk, version.published_at)
    with _structures_lock:
        found = _structures.get(key)
        if found is not None:
            _structures.move_to_end(key)
            return found
    found = _structure_read(version.pk)
    with _structures_lock:
        _structures[key] = found
        while len(_structures) > STRUCTURE_CACHE_SIZE:
            _structures.popitem(last=False)
    return found


def _structure_forget(sender, instance, **kwargs) -> None:
    version_id = instance.pk if sender is FormVersion else getattr(instance, "form_version_id", None)
    with _structures_lock:
        for key in [k for k in _structures if k[0] == version_id]:
            del _structures[key]


for _model in (FormVersion, FormSection, Indicator, NarrativeField, ValidationRule):
    post_save.connect(_structure_forget, sender=_model, dispatch_uid=f"structure_forget_save_{_model.__name__}")
    post_delete.connect(_structure_forget, sender=_model, dispatch_uid=f"structure_forget_delete_{_model.__name__}")
