"""Cases counted into the consolidated report: each metric over a period's cut-off window, with
the cases it came from, for the indicators a regime maps to the register (CaseIndicator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from baocao.cases.choices import CaseKind, CaseMetric, CaseStatus
from baocao.cases.models import Case, CaseIndicator
from baocao.core.vietnamese import format_date
from baocao.orgunits.models import OrgUnit, subtree_q

LETTERS = (CaseKind.COMPLAINT, CaseKind.DENUNCIATION, CaseKind.PETITION)
# Keyed by str: the metrics stored on CaseIndicator come back from the database as plain strings.
RECEIVED: dict[str, tuple[CaseKind, ...]] = {
    CaseMetric.INSPECTIONS_HELD: (CaseKind.INSPECTION,),
    CaseMetric.CHECKS_HELD: (CaseKind.CHECK,),
    CaseMetric.COMPLAINTS_RECEIVED: (CaseKind.COMPLAINT,),
    CaseMetric.DENUNCIATIONS_RECEIVED: (CaseKind.DENUNCIATION,),
    CaseMetric.PETITIONS_RECEIVED: (CaseKind.PETITION,),
    CaseMetric.LETTERS_RECEIVED: LETTERS,
}
RESOLVED: dict[str, tuple[CaseKind, ...]] = {
    CaseMetric.COMPLAINTS_RESOLVED: (CaseKind.COMPLAINT,),
    CaseMetric.DENUNCIATIONS_RESOLVED: (CaseKind.DENUNCIATION,),
    CaseMetric.PETITIONS_RESOLVED: (CaseKind.PETITION,),
    CaseMetric.LETTERS_RESOLVED: LETTERS,
    CaseMetric.MISINFORMATION_HANDLED: (CaseKind.MISINFORMATION,),
}
# Sanctions count where the case ended in the window (all kinds).
SUMS = {CaseMetric.SANCTION_DECISIONS: "sanction_decisions", CaseMetric.SANCTION_AMOUNT: "sanction_amount"}


@dataclass
class MetricValue:
    value: Decimal = Decimal(0)
    cases: list[int] = field(default_factory=list)


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def case_metrics(cases: list[Case], *, start: date, end: date) -> dict[str, MetricValue]:
    """Every metric over [start, end] (pure over already loaded cases)."""
    result = {metric: MetricValue() for metric in CaseMetric.values}
    resolved_statuses = {CaseStatus.RESOLVED}
    for case in cases:
        received = _in(case.received_on, start, end)
        resolved = case.status in resolved_statuses and _in(case.resolved_on, start, end)
        for metric, kinds in RECEIVED.items():
            if received and case.kind in kinds:
                result[metric].value += 1
                result[metric].cases.append(case.pk)
        for metric, kinds in RESOLVED.items():
            if resolved and case.kind in kinds:
                result[metric].value += 1
                result[metric].cases.append(case.pk)
        if resolved:
            for metric, attribute in SUMS.items():
                amount = Decimal(getattr(case, attribute) or 0)
                result[metric].value += amount
                if amount:
                    result[metric].cases.append(case.pk)
    return result


def case_label(case: Case, *, identity_visible: bool = False) -> str:
    """A case as the report lists it: kind, date, subject and summary — never the submitter."""
    parts = [case.get_kind_display(), format_date(case.received_on)]
    if case.subject_org:
        parts.append(case.subject_org)
    return " – ".join(parts)


@dataclass
class ReportCases:
    """For compose: indicator code -> value now and in the previous window, the cases behind each
    figure, and the rows of the case table."""

    values: dict[str, Decimal]
    previous: dict[str, Decimal]
    sources: dict[str, list[dict]]
    rows: list[dict]


def report_cases(*, regime, owner: OrgUnit, start: date, end: date, previous_start: date,
                 previous_end: date) -> ReportCases | None:
    """Two queries: the regime's case-fed indicators, and the cases of both windows."""
    mapping: Mapping[str, str] = dict(
        CaseIndicator.objects.filter(regime=regime).values_list("indicator_code", "metric"))
    if not mapping:
        return None
    cases = list(
        Case.objects.filter(subtree_q(owner, "owner"))
        .filter(received_on__lte=end)
        .exclude(resolved_on__lt=previous_start)
        .select_related("sector")
        .order_by("received_on", "id")
    )
    now = case_metrics(cases, start=start, end=end)
    before = case_metrics(cases, start=previous_start, end=previous_end)
    by_id = {c.pk: c for c in cases}
    values, previous, sources = {}, {}, {}
    for code, metric in mapping.items():
        values[code] = now[metric].value
        previous[code] = before[metric].value
        sources[code] = [{"id": pk, "label": case_label(by_id[pk])} for pk in now[metric].cases]
    shown = sorted({pk for m in mapping.values() for pk in now[m].cases},
                   key=lambda pk: (by_id[pk].received_on, pk))
    rows = [{
        "id": pk, "kind": by_id[pk].get_kind_display(), "received_on": by_id[pk].received_on.isoformat(),
        "subject": by_id[pk].subject_org, "summary": by_id[pk].summary,
        "status": by_id[pk].get_status_display(),
        "outcome": by_id[pk].conclusion,
    } for pk in shown]
    return ReportCases(values=values, previous=previous, sources=sources, rows=rows)


def cases_beyond_limits(*, owner: OrgUnit, start: date, end: date, as_of: date) -> list[dict]:
    """The cases of `owner`'s subtree that went beyond a legal time limit in [start, end], judged as
    of `as_of` (the end of the period, or today while it runs): a step (acceptance, resolution) whose
    deadline passed before `as_of` and that was not done by then, or that was done in the window
    after its deadline. Three queries: the cases, their extensions, the rules.

    One row a case, in order of receipt: {"id", "kind", "received_on", "subject", "step", "deadline"}
    (the first step beyond its limit; never the submitter)."""
    from baocao.cases.selectors import _acceptance_done, case_limit_rules, case_rows

    cases = (Case.objects.filter(subtree_q(owner, "owner")).filter(received_on__lte=end)
             .exclude(resolved_on__lt=start).order_by("received_on", "id"))
    rows = case_rows(cases, rules=case_limit_rules(), today=as_of)
    found = []
    for row in rows:
        case = row.case
        closed_unresolved = case.status in (CaseStatus.REFUSED, CaseStatus.FORWARDED)
        steps = (
            ("acceptance", row.acceptance_deadline, _acceptance_done(case)),
            ("resolution", None if closed_unresolved else row.resolution_deadline,
             case.resolved_on if case.status == CaseStatus.RESOLVED else None),
        )
        for step, deadline, done in steps:
            if deadline is None:
                continue
            done_by = done if done is not None and done <= as_of else None
            late_open = done_by is None and as_of > deadline
            late_done = done_by is not None and done_by >= start and done_by > deadline
            if late_open or late_done:
                found.append({"id": case.pk, "kind": case.get_kind_display(),
                              "received_on": case.received_on.isoformat(), "subject": case.subject_org,
                              "step": step, "deadline": deadline.isoformat()})
                break
    return found


def kinds_with_indicators(owner) -> set[str] | None:
    """The case kinds the regimes received by `owner` (or a unit above it) count into their
    report; None when no regime there takes figures from the register (then anything goes)."""
    ancestors = owner.ancestor_ids() or [owner.pk]
    metrics = set(CaseIndicator.objects.filter(regime__receiving_unit_id__in=ancestors)
                  .values_list("metric", flat=True))
    if not metrics:
        return None
    kinds: set[str] = set()
    for metric in metrics:
        kinds.update(RECEIVED.get(metric, ()))
        kinds.update(RESOLVED.get(metric, ()))
    return kinds


def case_indicator_problem(*, regime, indicator_code: str) -> str | None:
    """Why an indicator cannot take figures from the register, or None."""
    version = regime.form.current_version()
    codes = set(version.indicators.values_list("code", flat=True)) if version else set()
    if indicator_code not in codes:
        return f"Biểu mẫu của «{regime.code}» không có chỉ tiêu mã «{indicator_code}»."
    return None
