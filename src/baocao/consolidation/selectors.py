"""Reads for the consolidated report: its inputs in a fixed number of queries, and scoped lookups."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from baocao.accounts.choices import RECEIVER_ROLES
from baocao.accounts.roles import is_admin
from baocao.consolidation import compose as c
from baocao.consolidation.models import ConsolidatedReport, ReportOutline, ReportVersion, Target
from baocao.consolidation.outline import outline_for_compose
from baocao.consolidation.previous import previous_from_lineage, targets_from_lineage
from baocao.core.clock import local_date, today_vn
from baocao.core.errors import AppError, NotFound
from baocao.orgunits.lineage import unit_by_code
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.scope import in_user_subtree, units_for_user
from baocao.reporting.models import FormVersion, ReportingRegime
from baocao.reporting.selectors import RegimePeriod, form_version_detail, regime_period
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue
from baocao.submissions.selectors import expected_units


def outline_get(regime: ReportingRegime) -> ReportOutline:
    """The regime's outline, or an unsaved default one built from the regime."""
    outline = ReportOutline.objects.filter(regime=regime).first()
    if outline is None:
        from baocao.consolidation.outline import default_outline

        outline = default_outline(regime)
    return outline


def unit_label(unit: OrgUnit) -> str:
    return unit.short_name or unit.name


def _unit_ref(unit: OrgUnit, *, area: str = "", parent_name: str = "") -> c.UnitRef:
    return c.UnitRef(id=unit.pk, code=unit.code, name=unit.name, label=unit_label(unit), kind=unit.kind,
                     area=area, parent_name=parent_name)


def unit_refs(units: list[OrgUnit]) -> dict[int, c.UnitRef]:
    """The units as the report names them, with their parent's name and, when they span several
    provinces, their province (one query for all ancestors)."""
    from baocao.orgunits.choices import UnitKind

    ancestor_ids = {a for u in units for a in u.ancestor_ids() if a != u.pk}
    ancestors = {a.pk: a for a in OrgUnit.objects.filter(pk__in=ancestor_ids).only("id", "name", "short_name", "kind")}
    province_of: dict[int, OrgUnit | None] = {}
    for u in units:
        found = [ancestors[a] for a in u.ancestor_ids() if a in ancestors and ancestors[a].kind == UnitKind.PROVINCE]
        province_of[u.pk] = found[-1] if found else None
    provinces = {p.pk for p in province_of.values() if p is not None}
    refs = {}
    for u in units:
        province = province_of[u.pk]
        parent = ancestors.get(u.parent_id) if u.parent_id else None
        refs[u.pk] = _unit_ref(u, area=province.name if province is not None and len(provinces) > 1 else "",
                               parent_name=parent.name if parent is not None else "")
    return refs


def _scoped(qs, unit: OrgUnit, regime: ReportingRegime, field: str = "path"):
    """Units of the report: all the regime's units for its receiving unit, else the unit's subtree."""
    if unit.pk == regime.receiving_unit_id:
        return qs
    return qs.filter(**{f"{field}__startswith": unit.path})


def _form_version_for(regime: ReportingRegime, period: str) -> FormVersion:
    """The version most approved submissions of the period used; else the current one."""
    used = (
        Submission.objects.filter(regime=regime, period=period, status=SubmissionStatus.APPROVED)
        .values_list("form_version_id", flat=True).order_by("-form_version_id").first()
    )
    version_id: int | None
    if used:
        version_id = used
    else:
        current = regime.form.current_version()
        version_id = current.pk if current else None
    if version_id is None:
        raise AppError("Biểu mẫu của chế độ báo cáo chưa có phiên bản đã ban hành.")
    return form_version_detail(version_id)


def compose_input(*, regime: ReportingRegime, period: str, unit: OrgUnit) -> c.ComposeInput:
    """Everything the report needs, in a fixed number of queries whatever the number of units."""
    rp: RegimePeriod = regime_period(regime, period)
    previous_period = rp.period.same_period_last_year()
    outline = outline_get(regime)
    fv = _form_version_for(regime, rp.code)

    sections = []
    for s in fv.sections.all():
        indicators = tuple(
            c.IndicatorDef(code=i.code, name=i.name, unit_of_measure=i.unit_of_measure, value_type=i.value_type,
                           aggregation=i.aggregation)
            for i in s.indicators.all()
        )
        sections.append(c.SectionDef(code=s.code, title=s.title, indicators=indicators,
                                     key_indicators=tuple(outline.key_indicators.get(s.code, ()))))

    units = list(_scoped(expected_units(regime=regime, day=rp.window_end), unit, regime).order_by("path"))
    subs = list(
        _scoped(Submission.objects.filter(regime=regime, period=rp.code), unit, regime, "unit__path")
        .values("id", "unit_id", "status", "first_submitted_at")
    )
    approved_ids = {s["id"]: s["unit_id"] for s in subs if s["status"] == SubmissionStatus.APPROVED}
    approved: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for sub_id, code, number in SubmissionValue.objects.filter(submission_id__in=list(approved_ids)).values_list(
        "submission_id", "indicator__code", "number"
    ):
        approved[approved_ids[sub_id]][code] = number
    narratives: dict[int, dict[tuple[str, str], str]] = defaultdict(dict)
    for sub_id, section_code, kind, text in SubmissionNarrative.objects.filter(
        submission_id__in=list(approved_ids)
    ).values_list("submission_id", "field__section__code", "field__kind", "text"):
        if text.strip():
            narratives[approved_ids[sub_id]][(section_code, kind)] = text

    # Last year's same period, like with like: what today's units were made of on last year's
    # cut-off day (themselves, or their predecessors before a reorganisation).
    from baocao.reporting.periods import cutoff_window

    lineage = previous_from_lineage(
        regime=regime, period=previous_period.code, on=cutoff_window(previous_period, regime.cutoff_rule)[1],
        unit_ids=[u.pk for u in units], previous_year=previous_period.year,
        indicators={i.code: (i.aggregation, i.value_type) for s in sections for i in s.indicators})
    previous_by_unit = {unit_id: {code: v for code, v in figures.items() if v is not None}
                        for unit_id, figures in lineage.by_unit.items()}
    previous = {code: v for code, v in lineage.total.items() if v is not None}

    targets = {
        t.indicator_code: t.value
        for t in Target.objects.filter(unit=unit, year=rp.period.year)
    } or targets_from_lineage(unit=unit, year=rp.period.year,
                              indicators={i.code: (i.aggregation, i.value_type) for s in sections for i in s.indicators})
    by_id = {u.pk: u for u in units}
    refs = unit_refs(units)
    approved_units = set(approved_ids.values())
    missing = tuple(refs[u.pk] for u in units if u.pk not in approved_units)
    late = tuple(
        refs[s["unit_id"]] for s in subs
        if s["unit_id"] in by_id and s["first_submitted_at"] and rp.deadline
        and local_date(s["first_submitted_at"]) > rp.deadline
    )
    tasks = _task_summary(regime=regime, rp=rp, unit=unit)
    cases = _case_figures(regime=regime, rp=rp, unit=unit)
    return c.ComposeInput(
        regime_name=regime.name, unit_name=unit.name, period_code=rp.code, period_label=rp.period.label,
        legal_basis=regime.legal_basis, next_period_label=rp.period.next().label,
        previous_period_label=previous_period.label, window_start=rp.window_start, window_end=rp.window_end,
        sections=tuple(sections), units=tuple(refs[u.pk] for u in units),
        approved={k: dict(v) for k, v in approved.items()}, previous=previous,
        previous_by_unit={k: dict(v) for k, v in previous_by_unit.items()},
        previous_basis=lineage.basis, previous_rows=lineage.rows, previous_note=lineage.note,
        previous_figure_basis=lineage.figure_basis,
        narratives={k: dict(v) for k, v in narratives.items()}, targets=targets,
        missing=missing, late=late, outline=outline_for_compose(outline, sections), tasks=tasks, cases=cases,
    )


def _case_figures(*, regime: ReportingRegime, rp: RegimePeriod, unit: OrgUnit) -> dict | None:
    """Figures the regime takes from the case register, over this window and last year's, and the
    cases that went beyond their legal time limits in the window (as of its end, or today)."""
    from baocao.cases.reporting import cases_beyond_limits, report_cases
    from baocao.reporting.periods import cutoff_window

    previous_start, previous_end = cutoff_window(rp.period.same_period_last_year(), regime.cutoff_rule)
    found = report_cases(regime=regime, owner=unit, start=rp.window_start, end=rp.window_end,
                         previous_start=previous_start, previous_end=previous_end)
    if found is None:
        return None
    overdue = cases_beyond_limits(owner=unit, start=rp.window_start, end=rp.window_end,
                                  as_of=min(today_vn(), rp.window_end))
    return {"values": found.values, "previous": found.previous, "sources": found.sources, "rows": found.rows,
            "overdue": overdue}


def _task_summary(*, regime: ReportingRegime, rp: RegimePeriod, unit: OrgUnit) -> dict:
    """The unit's tasks as of the end of the period (or today, for a period still running), and the
    tasks set for the next period."""
    from baocao.reporting.periods import cutoff_window
    from baocao.work.selectors import task_report_summary

    next_start, next_end = cutoff_window(rp.period.next(), regime.cutoff_rule)
    return task_report_summary(owner=unit, window_start=rp.window_start, window_end=rp.window_end,
                               next_start=next_start, next_end=next_end,
                               today=min(today_vn(), rp.window_end))


def reports_for_user(user) -> QuerySet[ConsolidatedReport]:
    qs = ConsolidatedReport.objects.select_related("regime", "unit")
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.unit_id or user.role not in RECEIVER_ROLES:
        return qs.none()
    return qs.filter(in_user_subtree(user, "unit"))


def report_get_for_user(*, user, report_id: int) -> ConsolidatedReport:
    report = reports_for_user(user).filter(pk=report_id).first()
    if report is None:
        raise NotFound("Không tìm thấy báo cáo tổng hợp hoặc bạn không có quyền xem.")
    return report


def report_versions(report: ConsolidatedReport) -> QuerySet[ReportVersion]:
    return report.versions.select_related("created_by", "approved_by", "sent_by", "returned_by").order_by("-number")


def version_get(*, report: ConsolidatedReport, number: int | None = None) -> ReportVersion:
    qs = report_versions(report)
    version = qs.filter(number=number).first() if number is not None else qs.first()
    if version is None:
        raise NotFound("Không tìm thấy phiên bản này của báo cáo tổng hợp.")
    return version


def target_list(*, user, unit_id: int, year: int) -> QuerySet[Target]:
    """The year's targets of a unit in the user's scope (404 otherwise)."""
    if not units_for_user(user).filter(pk=unit_id).exists():
        raise NotFound("Không tìm thấy đơn vị hoặc bạn không có quyền xem.")
    return Target.objects.filter(unit_id=unit_id, year=year).order_by("indicator_code")


def reporting_unit_for_user(*, user, code: str, on: date | None = None, until: date | None = None) -> OrgUnit:
    """A consolidating unit by code — the one holding it on `on`, or from `on` to `until` (today
    when not given) — within the user's scope."""
    unit = unit_by_code(code, on=on, until=until, queryset=units_for_user(user))
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị «{code}» hoặc bạn không có quyền xem.", {"unit": code})
    return unit
