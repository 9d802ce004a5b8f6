"""Reads of units' reports, scoped to the user, and the receiving unit's monitoring view."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Case, CharField, DecimalField, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Substr

from baocao.accounts.choices import RECEIVER_ROLES, Role
from baocao.accounts.roles import can_edit_unit_reports, can_review, is_admin
from baocao.audit.history import (
    Formatter,
    HistoryEntry,
    HistoryVocabulary,
    describe_events,
    show_bool,
    show_choice,
    show_number,
    show_text,
)
from baocao.audit.models import AuditEvent
from baocao.core.clock import today_vn
from baocao.core.errors import AppError, NotFound
from baocao.core.vietnamese import collation_key
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import in_user_subtree
from baocao.reporting.choices import ValueType
from baocao.reporting.models import Indicator, NarrativeField, ReportingRegime
from baocao.reporting.periods import (
    Frequency,
    Period,
    PeriodError,
    parse_period,
    period_order,
    periods_in_year,
)
from baocao.reporting.selectors import FormStructure, RegimePeriod, regime_period, regime_recent_periods
from baocao.submissions.choices import EDITABLE_STATUSES, SubmissionStatus, Timeliness
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionReminder, SubmissionValue
from baocao.submissions.timeliness import timeliness


def submissions_for_user(user) -> QuerySet:
    """Admins every report; a reporter their unit's; receiving roles the reports of the regimes
    received in their subtree."""
    qs = Submission.objects.all()
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id:
        return qs.none()
    if user.role == Role.REPORTER:
        return qs.filter(unit_id=user.unit_id)
    if user.role in RECEIVER_ROLES:
        return qs.filter(in_user_subtree(user, "regime__receiving_unit"))
    return qs.none()


# ---------------------------------------------------------------------------
# Periods in time order


def _suffix_rank(period: Period) -> int:
    return period.last_month * 100 - period.first_month


def period_order_fields(field: str = "period") -> tuple:
    """`period_order` as database expressions on a period code column: the year, then the rank of
    the code's suffix ("S1", "Q3", "" for the year; an unknown one first)."""
    whens = [When(**{f"{field}_suffix": p.code[4:]}, then=Value(_suffix_rank(p)))
             for frequency in Frequency if frequency != Frequency.AD_HOC
             for p in periods_in_year(2000, frequency)]
    rank = Case(*whens, default=Value(0), output_field=IntegerField())
    return Substr(field, 1, 4), rank


def annotate_period_order(qs: QuerySet, field: str = "period") -> QuerySet:
    """`qs` with the code suffix that `period_order_fields(field)` reads."""
    return qs.annotate(**{f"{field}_suffix": Substr(field, 5)})


def _parsed(codes) -> list[Period]:
    periods = []
    for code in set(codes):
        try:
            periods.append(parse_period(code))
        except PeriodError:
            continue
    return sorted(periods, key=period_order, reverse=True)


def submission_periods(*, user) -> list[Period]:
    """The periods of the reports the user sees, newest first (one query)."""
    return _parsed(submissions_for_user(user).order_by().values_list("period", flat=True).distinct())


def monitor_periods(*, regime: ReportingRegime, recent: list[RegimePeriod]) -> list[RegimePeriod]:
    """The periods the monitoring page offers: `recent` and every period of the regime that has a
    report (one query), newest first. A stored code the regime no longer reports is left out."""
    codes = Submission.objects.filter(regime=regime).order_by().values_list("period", flat=True).distinct()
    return _with_reported(regime, recent, codes)


PERIOD_CHOICES_MAX = 240  # per frequency: twenty years of monthly reports


def _with_reported(regime: ReportingRegime, recent: list[RegimePeriod], codes) -> list[RegimePeriod]:
    """`recent` and every period of the regime back to its earliest with a report (of each of its
    frequencies), so a period that has data is always offered and the list has no holes."""
    by_code = {rp.code: rp for rp in recent}

    def add(period: Period) -> None:
        if period.code not in by_code:
            try:
                by_code[period.code] = regime_period(regime, period.code)
            except AppError:  # a stored code the regime no longer reports
                pass

    earliest: dict[Frequency, Period] = {}
    for period in _parsed(codes):  # newest first: the last one seen is the earliest
        add(period)
        if period.frequency in regime.frequency_set:
            earliest[period.frequency] = period
    for frequency, first in earliest.items():
        own = [rp.period for rp in recent if rp.period.frequency == frequency]
        period = min(own, key=period_order) if own else first
        for _ in range(PERIOD_CHOICES_MAX):
            if period_order(period) < period_order(first):
                break
            add(period)
            period = period.previous()
    return sorted(by_code.values(), key=lambda rp: period_order(rp.period), reverse=True)


def regime_period_choices(*, regimes, today: date, count: int = 6,
                          reports: QuerySet | None = None) -> list[tuple[ReportingRegime, list[RegimePeriod]]]:
    """For a period picker beside a regime picker: each regime with its recent periods and every
    period back to its earliest report among `reports` (every report by default), newest first,
    in one query whatever the number of regimes."""
    regimes = list(regimes)
    codes: dict[int, list[str]] = {r.pk: [] for r in regimes}
    reports = Submission.objects.all() if reports is None else reports
    for regime_id, code in (reports.filter(regime__in=regimes).order_by()
                            .values_list("regime_id", "period").distinct()):
        codes[regime_id].append(code)
    return [(r, _with_reported(r, regime_recent_periods(r, today=today, count=count), codes[r.pk]))
            for r in regimes]


SUBMISSION_ACTIONS = ("save", "submit", "return", "approve", "reopen")


def submission_actions(*, user, submission: Submission) -> set[str]:
    """What the user may do with the report now: the page's buttons and the API's
    `allowed_actions` both read this (the services check the same rules, with their messages)."""
    actions = set()
    if submission.status in EDITABLE_STATUSES and can_edit_unit_reports(user, submission.unit_id):
        actions |= {"save", "submit"}
    if submission.status == SubmissionStatus.SUBMITTED and can_review(user):
        actions |= {"return", "approve"}
    if submission.status == SubmissionStatus.APPROVED and can_review(user):
        actions.add("reopen")
    return actions


def expected_units(*, regime: ReportingRegime, day: date) -> QuerySet[OrgUnit]:
    """Units that must report under the regime on `day`: listed units and group members valid then."""
    direct = ReportingRegime.reporting_units.through.objects.filter(reportingregime_id=regime.pk).values("orgunit_id")
    grouped = OrgUnit.unit_groups.through.objects.filter(
        orgunitgroup__reporting_regimes=regime.pk
    ).values("orgunit_id")
    return OrgUnit.objects.valid_on(day).filter(Q(pk__in=direct) | Q(pk__in=grouped))


def expected_unit_ids(*, regime: ReportingRegime, day: date) -> set[int]:
    return set(expected_units(regime=regime, day=day).values_list("pk", flat=True))


def submission_list(*, user, regime_id: int | None = None, period: str | None = None,
                    unit_id: int | None = None, status: str | None = None) -> QuerySet[Submission]:
    qs = submissions_for_user(user).select_related("regime", "unit")
    if regime_id:
        qs = qs.filter(regime_id=regime_id)
    if period:
        qs = qs.filter(period=period.strip().upper())
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period", "regime__code", "unit__path")


def submission_get_for_user(*, user, submission_id: int) -> Submission:
    sub = (
        submissions_for_user(user)
        .select_related("regime__receiving_unit", "regime__form", "unit", "form_version__form",
                        "submitted_by", "reviewed_by")
        .filter(pk=submission_id)
        .first()
    )
    if sub is None:
        raise NotFound("Không tìm thấy báo cáo hoặc bạn không có quyền xem.")
    return sub


@dataclass
class SubmissionEntries:
    """What a report holds: its values by indicator id and its narrative texts by field id."""

    values: dict[int, SubmissionValue]
    texts: dict[int, SubmissionNarrative]

    def numbers(self, structure: FormStructure) -> dict[str, Decimal | None]:
        """Indicator code -> stored number, for rule checks."""
        code = {i.pk: i.code for i in structure.indicators}
        return {code[v.indicator_id]: v.number for v in self.values.values() if v.indicator_id in code}


def submission_entries(submission: Submission) -> SubmissionEntries:
    """The report's stored values and narrative texts, in one query."""
    columns = ("pk", "changed_version", "changed_at", "text")
    values = SubmissionValue.objects.filter(submission_id=submission.pk).order_by().values_list(
        Value(0, output_field=IntegerField()), *columns, "indicator_id", "number")
    texts = SubmissionNarrative.objects.filter(submission_id=submission.pk).order_by().values_list(
        Value(1, output_field=IntegerField()), *columns, "field_id",
        Value(None, output_field=DecimalField(max_digits=24, decimal_places=6)))
    entries = SubmissionEntries({}, {})
    for kind, pk, changed_version, changed_at, text, target, number in values.union(texts, all=True):
        if kind == 0:
            entries.values[target] = SubmissionValue(
                pk=pk, submission=submission, indicator_id=target, number=number, text=text,
                changed_version=changed_version, changed_at=changed_at)
        else:
            entries.texts[target] = SubmissionNarrative(
                pk=pk, submission=submission, field_id=target, text=text, changed_version=changed_version,
                changed_at=changed_at)
    return entries


HISTORY_TEXT_LIMIT = 120


def submission_history_vocabulary(submission: Submission,
                                  structure: FormStructure | None = None) -> HistoryVocabulary:
    """A report's fields are its form version's indicators and narrative parts, named as the form
    names them (one query for all, none when the form's `structure` is given); a code the form no
    longer has shows its code."""
    fields: Iterable[tuple[str, str, str]]
    if structure is not None:
        fields = [*((i.code, i.name, i.value_type) for i in structure.indicators),
                  *((n.code, n.label, ValueType.TEXT) for n in structure.narratives)]
    else:
        indicators = Indicator.objects.filter(form_version_id=submission.form_version_id).order_by().values_list(
            "code", "name", "value_type")
        narratives = NarrativeField.objects.filter(form_version_id=submission.form_version_id).order_by().values_list(
            "code", "label", Value(ValueType.TEXT, output_field=CharField()))
        fields = indicators.union(narratives, all=True)
    text = show_text(HISTORY_TEXT_LIMIT)
    by_type: dict[str, Formatter] = {ValueType.TEXT: text, ValueType.YES_NO: show_bool}
    labels: dict[str, str] = {"status": "trạng thái"}
    formatters: dict[str, Formatter] = {"status": show_choice(dict(SubmissionStatus.choices))}
    for code, name, value_type in fields:
        labels[code] = name
        formatters[code] = by_type.get(value_type, show_number)
    return HistoryVocabulary(field_labels=labels, formatters=formatters, default=text, values_without_field=False)


def submission_history(*, submission: Submission, limit: int | None = None,
                       structure: FormStructure | None = None) -> list[HistoryEntry]:
    """The report's audit rows in words, newest first (at most `limit`); one query when the form's
    `structure` is given."""
    events = (
        AuditEvent.objects.filter(entity="submission", entity_id=submission.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    )
    if limit is not None:
        events = events[:limit]
    return describe_events(events, vocabulary=submission_history_vocabulary(submission, structure))


@dataclass
class MonitorRow:
    unit: OrgUnit
    submission_id: int | None
    status: str | None
    status_label: str
    submitted_at: object
    timeliness: Timeliness


@dataclass
class MonitorSummary:
    expected: int
    submitted: int
    approved: int
    on_time: int
    late: int
    missing: int

    @property
    def completeness(self) -> float:
        return 100.0 * self.submitted / self.expected if self.expected else 0.0

    @property
    def timeliness_rate(self) -> float:
        return 100.0 * self.on_time / self.expected if self.expected else 0.0


STATUS_LABELS = dict(SubmissionStatus.choices)


def monitor_rows(*, regime: ReportingRegime, rp: RegimePeriod, kind: str = "", group_id: int | None = None,
                 status: str = "", timeliness_filter: str = "", q: str = "",
                 today: date | None = None) -> tuple[list[MonitorRow], MonitorSummary]:
    """Every expected unit with its report's status and timeliness, in two queries whatever
    the number of units. Summary figures cover all expected units, before filters."""
    today = today or today_vn()
    units = list(
        expected_units(regime=regime, day=rp.window_end)
        .only("id", "code", "name", "short_name", "kind", "path", "search_text")
        .prefetch_related(None)
    )
    subs = {
        s["unit_id"]: s
        for s in Submission.objects.filter(regime=regime, period=rp.code).values(
            "id", "unit_id", "status", "submitted_at", "first_submitted_at"
        )
    }
    group_members: set[int] | None = None
    if group_id:
        group_members = set(
            OrgUnit.unit_groups.through.objects.filter(orgunitgroup_id=group_id).values_list("orgunit_id", flat=True)
        )
    rows: list[MonitorRow] = []
    summary = MonitorSummary(len(units), 0, 0, 0, 0, 0)
    folded_q = ""
    if q:
        from baocao.core.vietnamese import fold

        folded_q = fold(q)
    for unit in units:
        s = subs.get(unit.pk)
        sent = s is not None and s["first_submitted_at"] is not None
        t = timeliness(first_submitted_at=s["first_submitted_at"] if s else None, deadline=rp.deadline, today=today)
        if sent:
            summary.submitted += 1
        if s and s["status"] == SubmissionStatus.APPROVED:
            summary.approved += 1
        if t == Timeliness.ON_TIME:
            summary.on_time += 1
        elif t == Timeliness.LATE:
            summary.late += 1
        elif t == Timeliness.MISSING:
            summary.missing += 1
        st = s["status"] if s else None
        if kind and unit.kind != kind:
            continue
        if group_members is not None and unit.pk not in group_members:
            continue
        if status and (st or "none") != status:
            continue
        if timeliness_filter and t != timeliness_filter:
            continue
        if folded_q and folded_q not in unit.search_text:
            continue
        rows.append(MonitorRow(unit, s["id"] if s else None, st,
                               STATUS_LABELS.get(st, "Chưa lập") if st else "Chưa lập",
                               s["submitted_at"] if s else None, t))
    rows.sort(key=lambda r: collation_key(r.unit.name))
    return rows, summary


def reminded_unit_ids(*, regime: ReportingRegime, period: str, day: date | None = None) -> set[int]:
    """Units already reminded of the regime's period on `day` (today in Vietnam), one query."""
    return set(SubmissionReminder.objects.filter(regime=regime, period=period, day=day or today_vn())
               .values_list("unit_id", flat=True))
