"""The desk of each role, the home page (issue 13): what waits for the user today, read through
the apps' own scoped selectors and status rules, each item with the address of the page that acts
on it.

- leader: consolidated reports waiting for approval, units' reports to review, completeness and
  timeliness of the current periods by regime, the key indicators of each sector over the last
  periods against the year's target, overdue and due-soon tasks by lead unit, cases near or past
  their legal time limits;
- compiler (and admin): the current periods of each regime, the units late or missing with a
  reminder button, reports to review, the consolidated report's state;
- reporter: what is due with the days left, returned reports with their comment, own tasks;
- inspectorate: cases due within 3 working days and overdue;
- viewer: the current periods of each regime.

Queries: a fixed number per regime and period shown (counts are GROUP BY/aggregates in SQL, lists
are capped in SQL), never one per unit, report, task or case: a desk costs the same for 25 units
as for 3,321 (tests/web/test_desks.py counts them; bench/bench_desk.py times them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum

from baocao.accounts.choices import Role
from baocao.accounts.roles import can_review, is_admin
from baocao.cases.selectors import VIEW_DUE3, CaseRow, can_see_cases, case_list
from baocao.cases.selectors import VIEW_OVERDUE as CASES_OVERDUE
from baocao.consolidation.choices import VersionStatus
from baocao.consolidation.compose import KEY_INDICATORS_DEFAULT
from baocao.consolidation.models import ReportOutline, ReportVersion, Target
from baocao.consolidation.selectors import reports_for_user
from baocao.core.aggregate import AVERAGE, MAX, MIN, NUMERIC_TYPES, SUM, YES_NO
from baocao.core.vietnamese import VIETNAM_TZ, format_number
from baocao.orgunits.models import OrgUnit
from baocao.reporting.choices import FormVersionStatus
from baocao.reporting.models import FormSection, FormVersion, Indicator, ReportingRegime
from baocao.reporting.periods import Frequency, Period, PeriodError, parse_period
from baocao.reporting.selectors import RegimePeriod, regime_list, regime_recent_periods
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionValue
from baocao.submissions.selectors import expected_units, regime_period_choices, submissions_for_user
from baocao.submissions.timeliness import days_left
from baocao.web.svgcharts import Series, column_chart, hbar_chart, percent_text
from baocao.work.selectors import VIEW_DUE7, TaskRow, task_list
from baocao.work.selectors import VIEW_OVERDUE as TASKS_OVERDUE

# A consolidated report version sent to the leader for approval ("Chờ phê duyệt").
PENDING_APPROVAL_STATUS = VersionStatus.PENDING
# How many items a list of the desk shows; the page that acts on them has the rest.
DESK_LIMIT = 10
UNIT_LIMIT = 15  # late or missing units listed per period
CURRENT_PERIODS = 2  # the open period and the one before, per regime
TREND_PERIODS = 4

DESK_TEMPLATES = {
    "leader": "web/desk_leader.html",
    "compiler": "web/desk_compiler.html",
    "reporter": "web/desk_reporter.html",
    "inspectorate": "web/desk_inspectorate.html",
    "viewer": "web/desk_compiler.html",
}


def desk_kind(user) -> str:
    if is_admin(user):
        return "compiler"
    return {Role.LEADER: "leader", Role.COMPILER: "compiler", Role.REPORTER: "reporter",
            Role.INSPECTORATE: "inspectorate"}.get(user.role, "viewer")


def _end_of_day(day: date) -> datetime:
    """The first moment after `day` in Vietnam: a report first sent before it is on time."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=VIETNAM_TZ)


# ---------------------------------------------------------------------------
# Regimes and their current periods


@dataclass
class PeriodFigures:
    """A period of a regime as its receiving unit sees it: expected units and where they stand."""

    regime: ReportingRegime
    rp: RegimePeriod
    expected: int
    sent: int = 0
    on_time: int = 0
    approved: int = 0
    to_review: int = 0
    days_left: int | None = None
    not_sent_units: list[OrgUnit] = field(default_factory=list)
    late: list[Submission] = field(default_factory=list)
    late_count: int = 0

    @property
    def code(self) -> str:
        return self.rp.code

    @property
    def not_sent(self) -> int:
        return self.expected - self.sent

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def completeness(self) -> float | None:
        return 100.0 * self.sent / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return 100.0 * self.on_time / self.expected if self.expected else None


@dataclass
class RegimeCard:
    regime: ReportingRegime
    periods: list[PeriodFigures]


def _regimes(user, today: date) -> tuple[list[ReportingRegime], list[ReportingRegime]]:
    """Active regimes the user sees: those whose receiving unit still exists today, and the others."""
    regimes = list(regime_list(user=user).filter(is_active=True).select_related("receiving_unit", "form"))
    running = [r for r in regimes if r.receiving_unit.is_valid_on(today)]
    ended = [r for r in regimes if not r.receiving_unit.is_valid_on(today)]
    return running, ended


def period_figures(*, regime: ReportingRegime, rp: RegimePeriod, today: date,
                   with_units: bool = False) -> PeriodFigures:
    """Counts over the units expected on the period's cut-off day, in two queries (four with the
    capped lists of units not sent and sent late)."""
    expected = expected_units(regime=regime, day=rp.window_end)
    subs = Submission.objects.filter(regime=regime, period=rp.code, unit__in=expected.values("pk"))
    sent_q = Q(first_submitted_at__isnull=False)
    on_time_q = sent_q if rp.deadline is None else Q(first_submitted_at__lt=_end_of_day(rp.deadline))
    agg = subs.aggregate(
        sent=Count("id", filter=sent_q), on_time=Count("id", filter=on_time_q),
        approved=Count("id", filter=Q(status=SubmissionStatus.APPROVED)),
        to_review=Count("id", filter=Q(status=SubmissionStatus.SUBMITTED)),
    )
    figures = PeriodFigures(regime=regime, rp=rp, expected=expected.count(), sent=agg["sent"],
                            on_time=agg["on_time"], approved=agg["approved"], to_review=agg["to_review"],
                            days_left=days_left(deadline=rp.deadline, today=today))
    figures.late_count = figures.sent - figures.on_time
    if with_units:
        sent_ids = Submission.objects.filter(regime=regime, period=rp.code, first_submitted_at__isnull=False)
        figures.not_sent_units = list(
            expected.exclude(pk__in=sent_ids.values("unit_id")).only("id", "name", "short_name", "code")
            .order_by("name", "id")[:UNIT_LIMIT])
        figures.late = list(subs.exclude(on_time_q).filter(sent_q).select_related("unit")
                            .order_by("first_submitted_at")[:UNIT_LIMIT])
    return figures


def regime_cards(*, regimes: list[ReportingRegime], today: date, with_units: bool = False) -> list[RegimeCard]:
    return [RegimeCard(regime=r, periods=[period_figures(regime=r, rp=rp, today=today, with_units=with_units)
                                          for rp in regime_recent_periods(r, today=today, count=CURRENT_PERIODS)])
            for r in regimes]


# ---------------------------------------------------------------------------
# Lists shared by several desks


@dataclass
class Capped:
    """The first items of a list and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def reports_to_review(user) -> Capped:
    qs = submissions_for_user(user).filter(status=SubmissionStatus.SUBMITTED)
    items = list(qs.select_related("regime", "unit").order_by("submitted_at", "id")[:DESK_LIMIT])
    return Capped(items, qs.count())


def approvals_waiting(user) -> Capped:
    """Consolidated report versions sent to the leader (PENDING_APPROVAL_STATUS), oldest first."""
    qs = ReportVersion.objects.filter(status=PENDING_APPROVAL_STATUS, report__in=reports_for_user(user).values("pk"))
    items = list(qs.select_related("report__regime", "report__unit", "created_by")
                 .order_by("created_at", "id")[:DESK_LIMIT])
    return Capped(items, qs.count())


@dataclass
class ConsolidatedState:
    regime: ReportingRegime
    rp: RegimePeriod
    report_id: int | None
    number: int | None
    status: str | None

    @property
    def status_label(self) -> str:
        return {"draft": "Dự thảo", "approved": "Đã phê duyệt", PENDING_APPROVAL_STATUS: "Chờ phê duyệt",
                "returned": "Bị trả lại"}.get(self.status or "", "Chưa lập")


def consolidated_states(user, cards: list[RegimeCard]) -> list[ConsolidatedState]:
    """The receiving unit's consolidated report of each current period with its latest version, in
    one query."""
    pairs = [(c.regime, f.rp) for c in cards for f in c.periods]
    if not pairs:
        return []
    latest = ReportVersion.objects.filter(report=OuterRef("pk")).order_by("-number")
    found = {
        (r.regime_id, r.period, r.unit_id): r
        for r in reports_for_user(user).filter(regime__in=[c.regime for c in cards],
                                               period__in={rp.code for _, rp in pairs})
        .annotate(latest_number=Max("versions__number"),
                  latest_status=Subquery(latest.values("status")[:1]))
    }
    out = []
    for regime, rp in pairs:
        report = found.get((regime.pk, rp.code, regime.receiving_unit_id))
        out.append(ConsolidatedState(regime=regime, rp=rp, report_id=report.pk if report else None,
                                     number=getattr(report, "latest_number", None),
                                     status=getattr(report, "latest_status", None)))
    return out


@dataclass
class LeadUnitTasks:
    unit: OrgUnit
    overdue: list[TaskRow] = field(default_factory=list)
    due_soon: list[TaskRow] = field(default_factory=list)


def tasks_by_lead_unit(user, today: date) -> tuple[list[LeadUnitTasks], int, int]:
    """Overdue and due-within-7-days tasks grouped by lead unit (most overdue first): four queries."""
    overdue = task_list(user=user, view=TASKS_OVERDUE, today=today)
    due = task_list(user=user, view=VIEW_DUE7, today=today)
    groups: dict[int, LeadUnitTasks] = {}
    for attr, rows in (("overdue", overdue), ("due_soon", due)):
        for row in rows:
            group = groups.setdefault(row.task.lead_unit_id, LeadUnitTasks(unit=row.task.lead_unit))
            getattr(group, attr).append(row)
    ordered = sorted(groups.values(), key=lambda g: (-len(g.overdue), -len(g.due_soon), g.unit.name))
    return ordered, len(overdue), len(due)


@dataclass
class CasesNearLimits:
    overdue: list[CaseRow]
    due_soon: list[CaseRow]


def cases_near_limits(user, today: date) -> CasesNearLimits | None:
    if not can_see_cases(user):
        return None
    return CasesNearLimits(overdue=case_list(user=user, view=CASES_OVERDUE, today=today),
                           due_soon=case_list(user=user, view=VIEW_DUE3, today=today))


# ---------------------------------------------------------------------------
# Key indicators of each sector


@dataclass
class IndicatorTrend:
    code: str
    name: str
    unit_of_measure: str
    value_type: str
    values: list[Decimal | None]
    target: Decimal | None
    chart: str = ""  # the SVG, drawn by desk_build

    @property
    def latest(self) -> Decimal | None:
        return self.values[-1] if self.values else None

    @property
    def achieved(self) -> Decimal | None:
        """The latest period's figure as a percentage of the year's target."""
        if self.target in (None, 0) or self.latest is None:
            return None
        return (Decimal(self.latest) * 100 / Decimal(self.target)).quantize(Decimal("0.1"))


@dataclass
class SectorTrends:
    regime: ReportingRegime
    section_code: str
    title: str
    periods: list[Period]
    indicators: list[IndicatorTrend]
    year: int | None


def _trend_frequency(regime: ReportingRegime) -> Frequency | None:
    """The regime's most frequent periodic frequency: the trend is drawn like with like."""
    order = [Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.SIX_MONTH, Frequency.NINE_MONTH, Frequency.ANNUAL]
    present = [f for f in order if f in regime.frequency_set]
    return present[0] if present else None


def _key_indicators(section: FormSection, outline: ReportOutline | None) -> list[Indicator]:
    """The section's key indicators as the consolidated report chooses them (compose._key_indicators):
    the outline's list where it names numeric indicators of the section, else the first three."""
    numeric = [i for i in section.indicators.all() if i.value_type in NUMERIC_TYPES]
    by_code = {i.code: i for i in numeric}
    chosen = []
    for code in ((outline.key_indicators or {}).get(section.code, ()) if outline else ()):
        if code in by_code and by_code[code] not in chosen:
            chosen.append(by_code[code])
    return chosen or numeric[:KEY_INDICATORS_DEFAULT]


def _figure(row: dict, aggregation: str, value_type: str) -> Decimal | None:
    """The consolidated figure of one indicator from its SQL aggregates, as aggregate_indicator
    computes it; the rule "last" (the last unit's figure) has no aggregate and is not drawn."""
    if not row or not row["n"]:
        return None
    if value_type == YES_NO:
        return Decimal(row["yes"])
    if aggregation == SUM:
        return Decimal(row["total"])
    if aggregation == AVERAGE:
        return (Decimal(row["total"]) / row["n"]).quantize(Decimal("0.01"))
    if aggregation == MIN:
        return Decimal(row["lo"])
    if aggregation == MAX:
        return Decimal(row["hi"])
    return None


def sector_trends(regimes: list[ReportingRegime], *, today: date) -> list[SectorTrends]:
    """For each regime: the last TREND_PERIODS periods (of its most frequent frequency) with approved
    reports, and per section its key indicators aggregated over the approved reports of each period
    (SQL aggregates by period and indicator), with the receiving unit's target for the latest
    period's year. Three queries for all regimes, then three per regime."""
    if not regimes:
        return []
    versions: dict[int, FormVersion] = {}
    for version in FormVersion.objects.filter(form__in={r.form_id for r in regimes},
                                              status=FormVersionStatus.PUBLISHED).order_by("form_id", "number"):
        versions[version.form_id] = version  # the latest published version wins
    sections_by_version: dict[int, list[FormSection]] = defaultdict(list)
    for s in (FormSection.objects.filter(form_version__in=[v.pk for v in versions.values()])
              .select_related("sector").prefetch_related("indicators").order_by("order", "id")):
        sections_by_version[s.form_version_id].append(s)
    outlines = {o.regime_id: o for o in ReportOutline.objects.filter(regime__in=regimes)}
    out: list[SectorTrends] = []
    for regime in regimes:
        found = versions.get(regime.form_id)
        frequency = _trend_frequency(regime)
        if found is None or frequency is None:
            continue
        fv = found
        keyed = [(s, _key_indicators(s, outlines.get(regime.pk))) for s in sections_by_version[fv.pk]]
        keyed = [(s, keys) for s, keys in keyed if keys]
        if not keyed:
            continue
        periods = _trend_periods(regime, frequency, today)
        if not periods:
            continue
        codes = {i.code for _, keys in keyed for i in keys}
        figures = _figures(regime, [p.code for p in periods], codes)
        year = periods[-1].year
        targets = {t.indicator_code: t.value for t in Target.objects.filter(
            unit_id=regime.receiving_unit_id, year=year, indicator_code__in=codes)}
        for section, keys in keyed:
            trends = [IndicatorTrend(
                code=i.code, name=i.name, unit_of_measure=i.unit_of_measure, value_type=i.value_type,
                values=[_figure(figures.get((p.code, i.code), {}), i.aggregation, i.value_type) for p in periods],
                target=targets.get(i.code)) for i in keys]
            out.append(SectorTrends(regime=regime, section_code=section.code,
                                    title=section.sector.name if section.sector else section.title,
                                    periods=periods, indicators=trends, year=year))
    return out


def _trend_periods(regime: ReportingRegime, frequency: Frequency, today: date) -> list[Period]:
    """The last periods of `frequency` up to today's with an approved report, oldest first."""
    codes = (Submission.objects.filter(regime=regime, status=SubmissionStatus.APPROVED)
             .values_list("period", flat=True).distinct())
    periods = []
    for code in codes:
        try:
            period = parse_period(code)
        except PeriodError:
            continue
        if period.frequency == frequency and period.year <= today.year:
            periods.append(period)
    return sorted(periods)[-TREND_PERIODS:]


def _figures(regime: ReportingRegime, periods: list[str], codes: set[str]) -> dict[tuple[str, str], Any]:
    """(period, indicator code) -> the SQL aggregates of the approved reports' values: one query.
    Indicators are matched by id (every version of the form), so the values' unique index serves it."""
    indicator_ids = Indicator.objects.filter(form_version__form_id=regime.form_id, code__in=codes).values("pk")
    rows = (
        SubmissionValue.objects.filter(
            submission__regime=regime, submission__period__in=periods,
            submission__status=SubmissionStatus.APPROVED, indicator_id__in=indicator_ids, number__isnull=False)
        .values("submission__period", "indicator__code")
        .annotate(total=Sum("number"), n=Count("id"), lo=Min("number"), hi=Max("number"),
                  yes=Count("id", filter=~Q(number=0)))
    )
    return {(r["submission__period"], r["indicator__code"]): dict(r) for r in rows}


# ---------------------------------------------------------------------------
# The desks


@dataclass
class Desk:
    kind: str
    today: date
    cards: list[RegimeCard] = field(default_factory=list)
    ended_regimes: list[ReportingRegime] = field(default_factory=list)
    to_review: Capped | None = None
    approvals: Capped | None = None
    consolidated: list[ConsolidatedState] = field(default_factory=list)
    task_groups: list[LeadUnitTasks] = field(default_factory=list)
    tasks_overdue: int = 0
    tasks_due_soon: int = 0
    cases: CasesNearLimits | None = None
    trends: list[SectorTrends] = field(default_factory=list)
    # reporter
    reporter_cards: list[dict] = field(default_factory=list)
    returned: list[Submission] = field(default_factory=list)
    own_tasks: list[TaskRow] = field(default_factory=list)
    own_unit: OrgUnit | None = None
    recent: QuerySet | None = None
    can_remind: bool = False
    completeness_svg: str | None = None


def desk_build(user, *, today: date) -> Desk:
    kind = desk_kind(user)
    desk = Desk(kind=kind, today=today, own_unit=user.unit if user.unit_id else None)
    if kind == "reporter":
        _reporter(desk, user, today)
        return desk
    if kind == "inspectorate":
        desk.cases = cases_near_limits(user, today)
        return desk
    running, desk.ended_regimes = _regimes(user, today)
    if kind == "leader":
        desk.cards = regime_cards(regimes=running, today=today)
        desk.approvals = approvals_waiting(user)
        desk.to_review = reports_to_review(user)
        desk.task_groups, desk.tasks_overdue, desk.tasks_due_soon = tasks_by_lead_unit(user, today)
        desk.cases = cases_near_limits(user, today)
        desk.trends = sector_trends(running + desk.ended_regimes, today=today)
        desk.completeness_svg = completeness_chart(desk.cards)
        for sector in desk.trends:
            for index, trend in enumerate(sector.indicators):
                trend.chart = trend_chart(sector, trend, index)
        return desk
    # compiler, admin, viewer
    reviewer = can_review(user)
    desk.cards = regime_cards(regimes=running, today=today, with_units=reviewer)
    if reviewer:
        desk.can_remind = True
        desk.to_review = reports_to_review(user)
        desk.consolidated = consolidated_states(user, desk.cards)
    desk.recent = submissions_for_user(user).select_related("regime", "unit").order_by("-updated_at")[:8]
    return desk


def _reporter(desk: Desk, user, today: date) -> None:
    """Each regime's recent periods the reporter's unit must report (not after the unit ended),
    its returned reports with their comment, its open tasks."""
    regimes = list(regime_list(user=user).filter(is_active=True).select_related("receiving_unit"))
    subs = submissions_for_user(user)
    own = desk.own_unit
    mine = {(s.regime_id, s.period): s for s in subs.filter(regime__in=regimes)}
    # «Kỳ khác»: any period of the regime back to the unit's first report, picked from a list.
    choices = {r.pk: periods for r, periods in regime_period_choices(regimes=regimes, today=today, reports=subs)}
    for regime in regimes:
        rows = []
        for rp in regime_recent_periods(regime, today=today, count=CURRENT_PERIODS):
            if own is None or not expected_units(regime=regime, day=rp.window_end).filter(pk=own.pk).exists():
                continue  # the tree of that period has no place for this unit
            rows.append({"rp": rp, "submission": mine.get((regime.pk, rp.code)),
                         "days_left": days_left(deadline=rp.deadline, today=today)})
        desk.reporter_cards.append({"regime": regime, "rows": rows, "periods": choices.get(regime.pk, [])})
    desk.returned = list(subs.filter(status=SubmissionStatus.RETURNED).select_related("regime", "reviewed_by")
                         .order_by("-reviewed_at", "-id")[:DESK_LIMIT])
    desk.own_tasks = [r for r in task_list(user=user, today=today) if not r.is_done][:DESK_LIMIT]
    desk.recent = subs.select_related("regime", "unit").order_by("-updated_at")[:8]


# ---------------------------------------------------------------------------
# Charts (server-side SVG, web/svgcharts.py), each with the table the template prints beside it


def completeness_chart(cards: list[RegimeCard]) -> str | None:
    figures = [f for c in cards for f in c.periods if f.expected]
    if not figures:
        return None
    categories = [f"{f.regime.code} · {f.rp.period.label}" for f in figures]
    completeness = [f.completeness for f in figures]
    timeliness = [f.timeliness for f in figures]
    words = "; ".join(f"{c}: đầy đủ {percent_text(a)}, đúng hạn {percent_text(b)}"
                      for c, a, b in zip(categories, completeness, timeliness, strict=True))
    return hbar_chart(chart_id="chart-completeness", title="Tính đầy đủ và kịp thời của các kỳ báo cáo hiện tại",
                      desc=f"Tỷ lệ đơn vị đã gửi và gửi đúng hạn trên số đơn vị phải báo cáo. {words}.",
                      categories=categories,
                      series=[Series("Đầy đủ (đã gửi)", completeness, "s1"),
                              Series("Đúng hạn", timeliness, "s2")])


def trend_chart(sector: SectorTrends, trend: IndicatorTrend, index: int) -> str:
    labels = [p.code for p in sector.periods]
    uom = f" ({trend.unit_of_measure})" if trend.unit_of_measure and trend.value_type != "percent" else ""
    words = "; ".join(f"{p.label}: {format_number(v) if v is not None else 'chưa có số liệu'}"
                      for p, v in zip(sector.periods, trend.values, strict=True))
    target = (f"; kế hoạch năm {sector.year}: {format_number(trend.target)}" if trend.target is not None else "")
    return column_chart(chart_id=f"chart-{sector.regime.pk}-{sector.section_code}-{index}",
                        title=f"{trend.name}{uom}", desc=f"{words}{target}.", labels=labels, values=trend.values,
                        target=trend.target, target_label=f"KH {sector.year}")
