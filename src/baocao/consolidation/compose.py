"""The consolidated report, composed from plain data (no database): figures aggregated over the
units' approved reports, compared with the same period last year and the year's target, a
by-unit table and chart per section, and the units' narratives merged and attributed.

`compose` is deterministic: the same input gives the same `ComposedReport`, whose `to_dict()`
is JSON (Decimals as strings, dates ISO) and `from_dict` reads back. `figure_changes` lists the
figures that differ between two compositions, to show what a recompute changed.

Parts, in the outline's order (an empty ``Outline.parts`` means `default_parts`):

* ``intro``: one opening sentence (``Outline.intro_template``): the regime's legal basis, what is
  reported and the cut-off window;
* ``units``: the units' reporting status, said once: how many sent an approved report, who has
  none yet and who sent late;
* ``section:<code>``: the section's figures (one rendered line each), its by-unit table and
  chart, and the units' "results" (and "other") narratives; unknown section codes are skipped;
* ``tasks``: the period's tasks by status and sector, the overdue key tasks;
* ``assessment``: "Đánh giá chung", strengths ("Ưu điểm") and shortcomings ("Hạn chế, nguyên
  nhân") drafted from the figures, targets, reporting, tasks, cases and difficulties
  (``Outline.assessment_templates``); left out when there is nothing to say;
* ``closing:difficulties``, ``closing:next_tasks``, ``closing:proposals``: that kind of
  narrative from every section, merged per unit; the next tasks add the tasks set for the next
  period (by plan, by conference conclusion) under "Phương hướng, nhiệm vụ <next period>". A
  closing part with nothing in it is left out.

The body always ends with the part ``ending`` (no heading): "Trên đây là báo cáo …./."
(``Outline.closing_template``). The title and the ending speak of the next period when
``Outline.next_period_mode`` says so ("auto": six-monthly reports of the first half, and yearly ones).

Parts with a heading are numbered I, II, III… in order (consecutively, left-out parts take no
number); the others (by default the intro, the units statement and the ending) are not numbered.

Numbers: whole counts of counted things from 1 to 9 take a leading zero in running text ("01
cuộc thanh tra", "03 nhiệm vụ"), as official documents write them; unit counts of the reporting
status do not ("Đã có 25/25 đơn vị"), nor tables; a count of nothing is said in words, never "00".
Days in the text follow Decree 30 (`format_document_day`: "07/7/2022").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from baocao.consolidation import grouping
from baocao.consolidation.narratives import join_labels
from baocao.consolidation.templates import (
    ASSESSMENT_TEMPLATES,
    DEFAULT_CLOSING,
    DEFAULT_INDICATOR_LINE,
    DEFAULT_INTRO,
    DEFAULT_NEXT_HEADING,
    DEFAULT_SUMMARY,
    render_summary,
    render_template,
)
from baocao.core.aggregate import (
    DECIMAL,
    INTEGER,
    NUMERIC_TYPES,
    PERCENT,
    SUM,
    TEXT,
    YES_NO,
    achievement_pct,
    aggregate_indicator,
    compare,
    trim,
)
from baocao.core.errors import AppError
from baocao.core.vietnamese import format_document_day, format_number, format_percent, lower_first
from baocao.reporting.periods import Frequency, PeriodError, parse_period

INTRO = "intro"
UNITS = "units"
TASKS = "tasks"
ASSESSMENT = "assessment"
ENDING = "ending"
# Outline.next_period_mode values (`consolidation.choices.NextPeriodMode`).
NEXT_AUTO, NEXT_ALWAYS, NEXT_NEVER = "auto", "always", "never"
NEXT_PERIOD_FALLBACK = "kỳ tới"
# How many figures the assessment names among the largest rises, falls, targets met or missed.
ASSESSMENT_TOP = 3
# Words that open a legal basis ("Căn cứ …", "Thực hiện …"); otherwise the report says "Căn cứ".
BASIS_VERBS = ("căn cứ", "thực hiện", "theo", "triển khai", "thi hành")
# Task statuses (`baocao.work.choices.TaskStatus`), in the table's column order.
TASK_STATUS_COLUMNS = (
    ("done_on_time", "Hoàn thành đúng hạn"),
    ("done_late", "Hoàn thành quá hạn"),
    ("in_progress", "Đang thực hiện"),
    ("not_started", "Chưa thực hiện"),
    ("overdue", "Quá hạn"),
)
SECTION_PREFIX = "section:"
# Narrative kinds (`baocao.reporting.choices.NarrativeKind`).
RESULTS, OTHER = "results", "other"
DIFFICULTIES, NEXT_TASKS, PROPOSALS = "difficulties", "next_tasks", "proposals"
CLOSING_PARTS: dict[str, str] = {
    "closing:difficulties": DIFFICULTIES,
    "closing:next_tasks": NEXT_TASKS,
    "closing:proposals": PROPOSALS,
}
DEFAULT_HEADINGS: dict[str, str] = {
    TASKS: "Tình hình thực hiện nhiệm vụ",
    ASSESSMENT: "Đánh giá chung",
    "closing:difficulties": "Khó khăn, vướng mắc",
    "closing:next_tasks": "Phương hướng, nhiệm vụ kỳ tới",
    "closing:proposals": "Đề xuất, kiến nghị",
}
KEY_INDICATORS_DEFAULT = 3
DISPLAY_PLACES = 2
TREND_WORDS = {1: "tăng", -1: "giảm", 0: "bằng"}
PREVIOUS_PERIOD_FALLBACK = "cùng kỳ năm trước"
YES_NO_UNIT = "đơn vị"
UNIT_COLUMN = "Đơn vị"
MIN_COMPARED_UNITS = 2
MAX_CHART_UNITS = 20
# A report over units of several provinces tabulates by province beyond this many units; the units
# themselves are in the annex.
MAX_TABLE_UNITS = 40


# ---------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    name: str
    unit_of_measure: str
    value_type: str
    aggregation: str


@dataclass(frozen=True)
class SectionDef:
    code: str
    title: str
    indicators: tuple[IndicatorDef, ...]
    # Codes for the by-unit table and chart; empty means the first three numeric indicators.
    key_indicators: tuple[str, ...] = ()


@dataclass(frozen=True)
class UnitRef:
    id: int
    code: str
    name: str
    label: str  # for attribution: "Huyện Ba Bể", "Phòng Văn hóa và Thông tin huyện Ba Bể"
    kind: str = ""  # orgunits.choices.UnitKind
    # The receiving unit's direct child holding the unit (a province in a national report), "" when
    # the unit is one itself; also qualifies a label that another unit of the report shares.
    area: str = ""
    parent_name: str = ""


@dataclass(frozen=True)
class Outline:
    summary_template: str = DEFAULT_SUMMARY  # the title under "BÁO CÁO"
    next_period_mode: str = NEXT_AUTO  # whether the title and the ending speak of the next period
    intro_template: str = DEFAULT_INTRO
    assessment_templates: Mapping[str, str] = field(default_factory=dict)  # key -> template ("" = none)
    next_heading_template: str = DEFAULT_NEXT_HEADING
    closing_template: str = DEFAULT_CLOSING
    indicator_template: str = DEFAULT_INDICATOR_LINE
    indicator_templates: Mapping[str, str] = field(default_factory=dict)  # indicator code -> template
    parts: tuple[str, ...] = ()  # empty: default_parts(sections)
    headings: Mapping[str, str] = field(default_factory=dict)  # part key -> heading ("" = none)
    key_indicators: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # section code -> codes
    # Overrides of consolidation/data/grouping.json (grouping.Rules field -> value).
    grouping_rules: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ComposeInput:
    regime_name: str
    unit_name: str
    period_code: str
    period_label: str
    previous_period_label: str
    window_start: date
    window_end: date
    sections: tuple[SectionDef, ...]
    units: tuple[UnitRef, ...]  # expected units, in report order
    # unit id -> indicator code -> value, approved reports only; units not in `units` are ignored.
    approved: Mapping[int, Mapping[str, Decimal | None]] = field(default_factory=dict)
    # indicator code -> last year's same period, already aggregated by the caller.
    previous: Mapping[str, Decimal | None] = field(default_factory=dict)
    previous_by_unit: Mapping[int, Mapping[str, Decimal | None]] = field(default_factory=dict)
    # Where last year's figures come from (orgunits.choices.PreviousBasis values): "same_unit", or
    # "predecessors"/"estimate" when units were reorganised since; per unit id {"basis",
    # "predecessors": [{"code", "name", "share", "method"}]}; the sentence the report says it in.
    previous_basis: str = "same_unit"
    previous_rows: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    previous_note: str = ""
    previous_figure_basis: Mapping[str, str] = field(default_factory=dict)  # code -> basis of its total
    # unit id -> (section code, narrative kind) -> text, approved reports only.
    narratives: Mapping[int, Mapping[tuple[str, str], str]] = field(default_factory=dict)
    targets: Mapping[str, Decimal] = field(default_factory=dict)  # indicator code -> the year's target
    missing: tuple[UnitRef, ...] = ()  # expected units without an approved report
    late: tuple[UnitRef, ...] = ()
    outline: Outline = field(default_factory=Outline)
    # The tasks of the period (work.selectors.task_report_summary): counts by status per sector,
    # overdue key tasks, tasks set for the next period (each with its "plan" {"title", "number",
    # "issued_on"} and "conclusion" {"meeting", "date"} when it came from one). None when the caller
    # has no task data.
    tasks: Mapping[str, Any] | None = None
    # Figures counted from the case register (cases.reporting.report_cases): {"values": {code: Decimal},
    # "previous": {code: Decimal}, "sources": {code: [{"id", "label"}]}, "rows": [case rows],
    # "overdue": [cases beyond their legal time limits: {"id", "kind", "received_on", "subject",
    # "step"}]}. The values replace the units' typed values for those indicators.
    cases: Mapping[str, Any] | None = None
    # The regime's legal basis as written (ReportingRegime.legal_basis: one document a line, or
    # several in one line), and the next period's label ("6 tháng cuối năm 2022").
    legal_basis: str = ""
    next_period_label: str = ""


def default_parts(sections: Sequence[SectionDef]) -> tuple[str, ...]:
    return (INTRO, UNITS, *(SECTION_PREFIX + s.code for s in sections), TASKS, ASSESSMENT, *CLOSING_PARTS)


# ---------------------------------------------------------------------------
# Outputs


_FIGURE_DECIMALS = ("value", "previous", "change", "change_pct", "target", "achieved_pct")


@dataclass
class Figure:
    code: str
    name: str
    unit_of_measure: str
    value_type: str
    aggregation: str
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    change_pct: Decimal | None
    target: Decimal | None
    achieved_pct: Decimal | None
    sources: int  # units that reported a value (or cases counted, for a case-fed figure)
    line: str  # the rendered sentence
    # For figures counted from the case register: the cases behind the value ({"id", "label"}).
    cases: list[dict[str, Any]] = field(default_factory=list)
    previous_basis: str = "same_unit"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "unit_of_measure": self.unit_of_measure,
            "value_type": self.value_type, "aggregation": self.aggregation,
            **{name: _dec_out(getattr(self, name)) for name in _FIGURE_DECIMALS},
            "sources": self.sources, "line": self.line, "cases": _copy_json(self.cases),
            "previous_basis": self.previous_basis,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Figure:
        return cls(
            code=d["code"], name=d["name"], unit_of_measure=d.get("unit_of_measure", ""),
            value_type=d.get("value_type", ""), aggregation=d.get("aggregation", ""),
            **{name: _dec_in(d.get(name)) for name in _FIGURE_DECIMALS},
            sources=int(d.get("sources", 0)), line=d.get("line", ""), cases=_copy_json(d.get("cases") or []),
            previous_basis=d.get("previous_basis") or "same_unit",
        )


@dataclass
class UnitTable:
    columns: list[str]
    rows: list[list[str]]  # formatted; the first cell is the unit label
    total: list[str]
    raw: list[dict[str, Any]]  # per row: unit_id, code, label, values / previous (code -> Decimal string)
    caption: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows], "total": list(self.total),
                "raw": [dict(r) for r in self.raw], "caption": self.caption}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> UnitTable:
        return cls(columns=list(d["columns"]), rows=[list(r) for r in d["rows"]], total=list(d.get("total") or []),
                   raw=[dict(r) for r in d.get("raw") or []], caption=d.get("caption", ""))


@dataclass
class Part:
    key: str
    number: str  # "I", "II", … ; "" when the part has no heading
    heading: str
    figures: list[Figure] = field(default_factory=list)
    table: UnitTable | None = None
    narrative: list[str] = field(default_factory=list)  # paragraphs
    # {"title", "labels", "values" (Decimal strings), "value_labels", "unit"} for the first key indicator
    chart: dict[str, Any] | None = None
    # The register's cases counted in this part's figures, listed as a table in the report.
    cases: list[dict[str, Any]] = field(default_factory=list)
    # The units' sentences behind the narrative and their groups (grouping.Consolidation.to_dict),
    # for the compiler to split or merge groups; None when the part has no units' texts.
    grouping: dict[str, Any] | None = None
    # Attributions summarised as a count ("42 xã, phường"): {"attribution", "sentence", "units"}.
    annex: list[dict[str, Any]] = field(default_factory=list)
    # Paragraphs of the narrative that are sub-headings ("1. Ưu điểm"), printed as such.
    subheadings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "number": self.number, "heading": self.heading,
            "figures": [f.to_dict() for f in self.figures],
            "table": self.table.to_dict() if self.table is not None else None,
            "narrative": list(self.narrative),
            "chart": _copy_json(self.chart),
            "cases": _copy_json(self.cases),
            "grouping": _copy_json(self.grouping),
            "annex": _copy_json(self.annex),
            "subheadings": list(self.subheadings),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Part:
        return cls(
            key=d["key"], number=d.get("number", ""), heading=d.get("heading", ""),
            figures=[Figure.from_dict(f) for f in d.get("figures") or []],
            table=UnitTable.from_dict(d["table"]) if d.get("table") else None,
            narrative=list(d.get("narrative") or []), chart=_copy_json(d.get("chart")),
            cases=_copy_json(d.get("cases") or []), grouping=_copy_json(d.get("grouping")),
            annex=_copy_json(d.get("annex") or []), subheadings=list(d.get("subheadings") or []),
        )


@dataclass
class ComposedReport:
    parts: list[Part]
    meta: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"parts": [p.to_dict() for p in self.parts], "meta": _copy_json(self.meta)}

    @staticmethod
    def from_dict(d: Mapping[str, Any]) -> ComposedReport:
        return ComposedReport(parts=[Part.from_dict(p) for p in d.get("parts") or []],
                              meta=_copy_json(dict(d.get("meta") or {})))


def _dec_out(value: Decimal | None) -> str | None:
    # Trimmed, so "2.000000" from a DECIMAL column is stored (and compared) as "2".
    return None if value is None else format(trim(value), "f")


def _dec_in(value: Any) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _copy_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy_json(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# Formatting


_WIDE = Context(prec=60)


def _display(value: Decimal) -> Decimal:
    return trim(value.quantize(Decimal(1).scaleb(-DISPLAY_PLACES), rounding=ROUND_HALF_UP, context=_WIDE))


def format_change_pct(pct: Decimal) -> str:
    """A relative change as "12,5%" (one decimal; two when one would show a real change as 0%)."""
    text = format_percent(pct)
    if text in ("0%", "-0%") and pct != 0:
        text = format_percent(pct, 2)
    return text


def format_value(value: Decimal | None, value_type: str) -> str:
    """A figure as Vietnamese text: "1.234.567", "1.234,5", percent "12,5%"; at most 2 decimals."""
    if value is None:
        return ""
    text = format_number(_display(value))
    return text + "%" if value_type == PERCENT else text


def _formatted(value: Decimal | None, value_type: str) -> str | None:
    return None if value is None else format_value(value, value_type)


def format_cell(value: Decimal | None, value_type: str) -> str:
    """A unit's own value in the by-unit table: like `format_value`, yes/no as "Có"/"Không"."""
    if value is not None and value_type == YES_NO:
        return "Có" if value != 0 else "Không"
    return format_value(value, value_type)


def roman(number: int) -> str:
    """1 -> "I", 4 -> "IV", 14 -> "XIV"."""
    if number <= 0:
        raise ValueError("Roman numerals start at 1")
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


NOTHING_WORDS = "không phát sinh"


def _count(n: int) -> str:
    """Counts in official documents take a leading zero below 10: "01 cuộc thanh tra" (never "00":
    a count of nothing is said in words by the caller)."""
    return f"{n:02d}" if 0 < n < 10 else str(n)


def _official_count(value: Decimal | None) -> str | None:
    """Whole counts from 1 to 9 as "01".."09" (as the seed writes "01 cuộc thanh tra"), others as usual."""
    if value is not None and 0 < value < 10 and value == value.to_integral_value():
        return _count(int(value))
    return _formatted(value, INTEGER)


def _amount(value: Decimal | None, value_type: str) -> str | None:
    """A figure's amount in a sentence: counts of things padded ("02 đơn"), other values as usual."""
    return _official_count(value) if value_type == INTEGER else _formatted(value, value_type)


# ---------------------------------------------------------------------------
# Composition


@dataclass(frozen=True)
class _Context:
    inp: ComposeInput
    rows: tuple[tuple[UnitRef, Mapping[str, Decimal | None] | None], ...]  # expected units, approved values
    previous_label: str  # in running text: "6 tháng đầu năm 2021", "năm 2021"
    rules: grouping.Rules
    speakers: Mapping[int, grouping.Speaker]
    period_text: str = ""  # the period in running text ("năm 2022", never "Năm 2022" mid-sentence)
    next_text: str = ""  # the next period in running text; "" when unknown
    with_next: bool = False  # the title and the ending speak of the next period
    summary: str = ""  # the title, continuing a sentence ("kết quả … 6 tháng đầu năm 2022 và …")
    title: str = ""  # the title as printed under "BÁO CÁO"


def _figure(ind: IndicatorDef, ctx: _Context) -> Figure:
    inp = ctx.inp
    values = [row.get(ind.code) if row else None for _, row in ctx.rows]
    value = aggregate_indicator(values, ind.aggregation, ind.value_type)
    previous = inp.previous.get(ind.code)
    case_data = inp.cases or {}
    from_cases = ind.code in (case_data.get("values") or {})
    if from_cases:
        value = case_data["values"][ind.code]
        previous = (case_data.get("previous") or {}).get(ind.code, previous)
    comparison = compare(value, previous)
    target = inp.targets.get(ind.code)
    achieved = achievement_pct(value, target)
    sources = sum(1 for v in values if v is not None)
    case_sources = list((case_data.get("sources") or {}).get(ind.code) or []) if from_cases else []
    if from_cases:
        sources = len(case_sources)
    # Percent values carry their own "%"; yes/no figures count units.
    uom = "" if ind.value_type == PERCENT else ind.unit_of_measure.strip()
    if ind.value_type == YES_NO and not uom:
        uom = YES_NO_UNIT
    change, pct = comparison.change, comparison.change_pct
    trend = None if comparison.direction is None else TREND_WORDS[comparison.direction]
    if change is None:
        phrase = None
    elif change == 0:
        phrase = f"bằng {ctx.previous_label}"
    elif ind.value_type == PERCENT:
        phrase = f"{trend} {format_value(abs(change), '')} điểm phần trăm so với {ctx.previous_label}"
    elif pct is not None:
        phrase = f"{trend} {format_change_pct(abs(pct))} so với {ctx.previous_label}"
    else:  # last year's figure was 0: a rise from nothing says so, never "tăng 100%"
        phrase = "cùng kỳ chưa có" if value is not None and value > 0 else (
            f"{trend} {_amount(abs(change), ind.value_type)} {uom} so với {ctx.previous_label}")
    # Nothing this period is said in words, never "0 đồng, giảm 100%": "không phát sinh", with last
    # year's figure when there was one.
    nothing = value is not None and value == 0 and ind.value_type in (INTEGER, DECIMAL)
    if nothing:
        phrase = (f"cùng kỳ {_amount(previous, ind.value_type)} {uom}".strip()
                  if previous is not None and previous != 0 else None)
    # None marks a missing value: "…" in the sentence, or its optional segment dropped.
    fields = {
        "name": ind.name,
        "value": NOTHING_WORDS if nothing else _amount(value, ind.value_type),
        "unit_of_measure": "" if nothing else uom,
        "previous": _amount(previous, ind.value_type),
        "change": _amount(abs(change), ind.value_type) if change is not None else None,
        "change_pct": format_change_pct(abs(pct)) if pct is not None else None,
        "target": _amount(target, ind.value_type),
        "achieved_pct": format_percent(achieved) if achieved is not None else None,
        "previous_period": ctx.previous_label,
        "trend": trend,
        "comparison": phrase,
        "sources": str(sources),
    }
    template = inp.outline.indicator_templates.get(ind.code) or inp.outline.indicator_template \
        or DEFAULT_INDICATOR_LINE
    return Figure(
        code=ind.code, name=ind.name, unit_of_measure=ind.unit_of_measure, value_type=ind.value_type,
        aggregation=ind.aggregation, value=value, previous=previous, change=change, change_pct=pct,
        target=target, achieved_pct=achieved, sources=sources,
        # No figure, no sentence: the value stays in the data (and the table) as missing.
        line=render_template(template, fields) if value is not None else "",
        cases=case_sources,
        previous_basis="same_unit" if from_cases or previous is None else inp.previous_figure_basis.get(
            ind.code, inp.previous_basis),
    )


def _key_indicators(section: SectionDef, outline: Outline) -> list[IndicatorDef]:
    numeric = [i for i in section.indicators if i.value_type in NUMERIC_TYPES]
    by_code = {i.code: i for i in numeric}
    for codes in (outline.key_indicators.get(section.code), section.key_indicators):
        chosen: list[IndicatorDef] = []
        for code in codes or ():
            if code in by_code and by_code[code] not in chosen:
                chosen.append(by_code[code])
        if chosen:
            return chosen
    return numeric[:KEY_INDICATORS_DEFAULT]


def _column(ind: IndicatorDef) -> str:
    uom = ind.unit_of_measure.strip()
    return f"{ind.name} ({uom})" if uom and ind.value_type != PERCENT else ind.name


def _by_area(keys: Sequence[IndicatorDef], ctx: _Context) -> list[tuple[str, dict[str, Decimal | None]]] | None:
    """The key indicators aggregated per province, when the report spans provinces and has more units
    than a table can show; None otherwise."""
    areas: dict[str, list[Mapping[str, Decimal | None]]] = {}
    for unit, values in ctx.rows:
        areas.setdefault(unit.area, [])
        if values:
            areas[unit.area].append(values)
    if len(ctx.rows) <= MAX_TABLE_UNITS or len(areas) < 2 or "" in areas:
        return None
    out = []
    for area, rows in areas.items():
        out.append((area, {ind.code: aggregate_indicator([r.get(ind.code) for r in rows], ind.aggregation,
                                                         ind.value_type) for ind in keys}))
    return out


def _area_table(keys: list[IndicatorDef], figures: Mapping[str, Figure], ctx: _Context,
                areas: list[tuple[str, dict[str, Decimal | None]]]) -> UnitTable:
    sums_only = all(ind.aggregation == SUM or ind.value_type == YES_NO for ind in keys)
    columns = ["Tỉnh, thành phố", *(_column(ind) for ind in keys)]
    rows = [[area, *(format_cell(values.get(ind.code), ind.value_type) for ind in keys)]
            for area, values in areas if any(values.get(ind.code) is not None for ind in keys)]
    total = ["Tổng cộng" if sums_only else "Tổng hợp", *(format_value(figures[ind.code].value, ind.value_type)
                                                         for ind in keys)]
    raw = [{"area": area, "values": {ind.code: _dec_out(values.get(ind.code)) for ind in keys}}
           for area, values in areas]
    return UnitTable(columns=columns, rows=rows, total=total, raw=raw,
                     caption=f"Một số chỉ tiêu chính theo tỉnh, thành phố, {ctx.inp.period_label}")


def _table(section: SectionDef, keys: list[IndicatorDef], figures: Mapping[str, Figure],
           ctx: _Context) -> UnitTable | None:
    inp = ctx.inp
    if not keys or not ctx.rows:
        return None
    areas = _by_area(keys, ctx)
    if areas is not None:
        return _area_table(keys, figures, ctx, areas)
    # Last year's column for the first key indicator only: more would crowd an A4 page.
    with_previous = {
        ind.code for ind in keys[:1]
        if any((inp.previous_by_unit.get(unit.id) or {}).get(ind.code) is not None for unit, _ in ctx.rows)
    }
    columns = [UNIT_COLUMN]
    for ind in keys:
        columns.append(_column(ind))
        if ind.code in with_previous:
            columns.append(f"{ind.name} – {ctx.previous_label}")
    sums_only = all(ind.aggregation == SUM or ind.value_type == YES_NO for ind in keys)
    total = ["Tổng cộng" if sums_only else "Tổng hợp"]
    for ind in keys:
        total.append(format_value(figures[ind.code].value, ind.value_type))
        if ind.code in with_previous:
            total.append(format_value(inp.previous.get(ind.code), ind.value_type))
    rows: list[list[str]] = []
    raw: list[dict[str, Any]] = []
    for unit, values in ctx.rows:
        if not values or all(values.get(ind.code) is None for ind in keys):
            continue  # units with nothing to say in this sector do not fill the table with blanks
        before = inp.previous_by_unit.get(unit.id) or {}
        row = [unit.label]
        current_raw: dict[str, str | None] = {}
        previous_raw: dict[str, str | None] = {}
        for ind in keys:
            value = values.get(ind.code) if values else None
            row.append(format_cell(value, ind.value_type))
            current_raw[ind.code] = _dec_out(value)
            if ind.code in with_previous:
                row.append(format_cell(before.get(ind.code), ind.value_type))
                previous_raw[ind.code] = _dec_out(before.get(ind.code))
        rows.append(row)
        lineage = inp.previous_rows.get(unit.id) or {}
        raw.append({"unit_id": unit.id, "code": unit.code, "label": unit.label, "approved": values is not None,
                    "values": current_raw, "previous": previous_raw,
                    "previous_basis": lineage.get("basis", "same_unit"),
                    "predecessors": [dict(p) for p in lineage.get("predecessors") or []]})
    if len(rows) < MIN_COMPARED_UNITS:
        return None  # one unit's figures are already in the lines above; a table would repeat them
    caption = f"Một số chỉ tiêu chính theo đơn vị, {inp.period_label}"
    return UnitTable(columns=columns, rows=rows, total=total, raw=raw, caption=caption)


def _chart(keys: list[IndicatorDef], ctx: _Context) -> dict[str, Any] | None:
    ind = next((i for i in keys if i.value_type != YES_NO), None)
    if ind is None:
        return None
    labels: list[str] = []
    values: list[str] = []
    value_labels: list[str] = []
    areas = _by_area([ind], ctx)
    rows = [(label, row) for label, row in areas] if areas is not None else [(u.label, row) for u, row in ctx.rows]
    for label, row in rows:
        value = row.get(ind.code) if row else None
        if value is None:
            continue
        labels.append(label)
        values.append(format(value, "f"))
        value_labels.append(format_value(value, ind.value_type))
    if len(values) < MIN_COMPARED_UNITS:
        return None  # a chart compares units; one bar compares nothing
    title = f"{ind.name} theo đơn vị, {ctx.inp.period_label}"
    if len(values) > MAX_CHART_UNITS:
        # A hundred bars compare nothing either: the leading units, in order, and say so.
        order = sorted(range(len(values)), key=lambda i: Decimal(values[i]), reverse=True)[:MAX_CHART_UNITS]
        labels, values, value_labels = ([seq[i] for i in order] for seq in (labels, values, value_labels))
        title = f"{ind.name}: {MAX_CHART_UNITS} đơn vị cao nhất, {ctx.inp.period_label}"
    uom = "%" if ind.value_type == PERCENT else ind.unit_of_measure.strip()
    return {"title": title, "code": ind.code, "labels": labels,
            "values": values, "value_labels": value_labels, "unit": uom}


def _narrative_items(ctx: _Context, keys: Sequence[tuple[str, str]]) -> list[tuple[grouping.Speaker, str]]:
    items = []
    for unit, _ in ctx.rows:
        texts = ctx.inp.narratives.get(unit.id) or {}
        joined = "\n".join(t for t in (texts.get(key) for key in keys) if t and t.strip())
        if joined:
            items.append((ctx.speakers[unit.id], joined))
    return items


def _consolidated(part: Part, ctx: _Context, items: Sequence[tuple[grouping.Speaker, str]]) -> None:
    """The part's narrative from the units' texts: sentences grouped, named, in paragraphs."""
    if not items:
        return
    # Units are named against those that reported: a unit without an approved report is not an
    # exception to what the others wrote ("trừ …"), it is listed as missing elsewhere.
    reported = [ctx.speakers[u.id] for u, values in ctx.rows if values is not None or u.id in ctx.inp.narratives]
    consolidation = grouping.consolidate(items, ctx.rules, population=reported)
    paragraphs, groups = grouping.render(consolidation, rules=ctx.rules)
    part.narrative = paragraphs
    part.grouping = {**consolidation.to_dict(), "paragraphs": len(paragraphs)}
    part.annex = grouping.annex_of(consolidation, groups)


def _section_part(section: SectionDef, ctx: _Context) -> Part:
    figures = [_figure(ind, ctx) for ind in section.indicators if ind.value_type != TEXT]
    by_code = {f.code: f for f in figures}
    keys = _key_indicators(section, ctx.inp.outline)
    case_values = (ctx.inp.cases or {}).get("values") or {}
    cases = list((ctx.inp.cases or {}).get("rows") or []) if any(f.code in case_values for f in figures) else []
    part = Part(key=SECTION_PREFIX + section.code, number="", heading=section.title, figures=figures,
                table=_table(section, keys, by_code, ctx), chart=_chart(keys, ctx), cases=cases)
    _consolidated(part, ctx, _narrative_items(ctx, [(section.code, RESULTS), (section.code, OTHER)]))
    return part


def basis_phrase(legal_basis: str) -> str:
    """The regime's legal basis as the opening phrase of the report: the documents as written, one a
    line (or several in one line), joined by "; ", opened by "Căn cứ" unless the text opens with its
    own verb ("Thực hiện Kế hoạch số …"); "" when there is none."""
    items = []
    for line in (legal_basis or "").splitlines():
        text = line.strip().lstrip("-–•+*").strip().rstrip(" .;,")
        if text:
            items.append(text)
    out = []
    for i, text in enumerate(items):
        has_verb = any(text.lower().startswith(verb + " ") for verb in BASIS_VERBS)
        if i == 0:
            out.append(text if has_verb else f"Căn cứ {text}")
        else:
            out.append(text[:1].lower() + text[1:] if has_verb else text)
    return "; ".join(out)


def speaks_of_next_period(period_code: str, mode: str) -> bool:
    """Whether the title and the ending add "và phương hướng, nhiệm vụ <next period>": always,
    never, or ("auto") for a six-monthly report of the first half and a yearly one."""
    if mode == NEXT_ALWAYS:
        return True
    if mode == NEXT_NEVER:
        return False
    try:
        period = parse_period(period_code)
    except PeriodError:
        return False
    return period.frequency is Frequency.ANNUAL or (period.frequency is Frequency.SIX_MONTH and period.number == 1)


def _intro_text(ctx: _Context, approved: int) -> str:
    inp = ctx.inp
    template = inp.outline.intro_template or DEFAULT_INTRO
    return render_template(template, {
        "regime": inp.regime_name, "period": ctx.period_text, "period_code": inp.period_code,
        "window_start": format_document_day(inp.window_start), "window_end": format_document_day(inp.window_end),
        "unit": inp.unit_name, "expected": str(len(inp.units)), "approved": str(approved),
        "missing": str(len(inp.missing)) if inp.missing else None,
        "late": str(len(inp.late)) if inp.late else None,
        "previous_period": ctx.previous_label,
        "legal_basis": basis_phrase(inp.legal_basis) or None,
        "summary": ctx.summary,
        "next_period": ctx.next_text if ctx.with_next and ctx.next_text else None,
    })


def _units_statement(inp: ComposeInput, approved: int) -> list[str]:
    """The reporting status, once. Unit counts are not padded ("Đã có 25/25 đơn vị")."""
    if not inp.units:
        return ["Kỳ này không có đơn vị nào phải gửi báo cáo."]
    expected = len(inp.units)
    if not inp.missing and not inp.late:
        return [f"Đã có {approved}/{expected} đơn vị gửi báo cáo đúng hạn và được duyệt."]
    paragraphs = [f"Đã có {approved}/{expected} đơn vị gửi báo cáo được duyệt." if approved
                  else f"Chưa có đơn vị nào trong số {expected} đơn vị có báo cáo được duyệt."]
    if inp.late:
        labels = join_labels([u.label for u in inp.late], sentence_start=False)
        paragraphs.append(f"Có {len(inp.late)} đơn vị gửi báo cáo chậm so với thời hạn: {labels}.")
    if inp.missing and approved:
        labels = join_labels([u.label for u in inp.missing], sentence_start=False)
        paragraphs.append(f"Còn {len(inp.missing)} đơn vị chưa có báo cáo được duyệt: {labels}.")
    return paragraphs


def _task_details(task: Mapping[str, Any]) -> str:
    details = []
    if task.get("lead_unit"):
        details.append(f"chủ trì: {task['lead_unit']}")
    deadline = task.get("deadline")
    if deadline:
        details.append(f"hạn: {format_document_day(date.fromisoformat(str(deadline)))}")
    return f" ({'; '.join(details)})" if details else ""


def _task_title(task: Mapping[str, Any]) -> str:
    return " ".join(str(task.get("title", "")).split()).rstrip(".")


def _task_line(task: Mapping[str, Any]) -> str:
    return f"{_task_title(task)}{_task_details(task)}."


def _tasks_sentence(grand: int, done: int, totals: Mapping[str, int]) -> str:
    """The period's tasks in one sentence; a count of nothing is left out or said in words, never "00"."""
    clauses = []
    if done:
        on_time = totals["done_on_time"]
        clauses.append(f"đã hoàn thành {_count(done)} nhiệm vụ" + (f" ({_count(on_time)} đúng hạn)" if on_time else ""))
    if totals["in_progress"]:
        clauses.append(f"đang thực hiện {_count(totals['in_progress'])}")
    if totals["not_started"]:
        clauses.append(f"chưa thực hiện {_count(totals['not_started'])}")
    clauses.append(f"quá hạn {_count(totals['overdue'])} nhiệm vụ" if totals["overdue"]
                   else "không có nhiệm vụ quá hạn")
    return f"Trong kỳ, các đơn vị thực hiện {_count(grand)} nhiệm vụ; {', '.join(clauses)}."


def _tasks_part(inp: ComposeInput) -> Part:
    """Task execution in the period: a table of counts by status per sector, the overdue key tasks."""
    data = inp.tasks or {}
    by_sector = list(data.get("by_sector") or [])
    table = None
    narrative: list[str] = []
    if by_sector:
        columns = ["Lĩnh vực", *(label for _, label in TASK_STATUS_COLUMNS), "Tổng số"]
        rows = []
        totals = dict.fromkeys([key for key, _ in TASK_STATUS_COLUMNS], 0)
        grand = 0
        for row in by_sector:
            counts = row.get("counts") or {}
            rows.append([str(row.get("sector") or "Khác"),
                         *(format_number(counts.get(key, 0)) for key, _ in TASK_STATUS_COLUMNS),
                         format_number(row.get("total", 0))])
            for key, _ in TASK_STATUS_COLUMNS:
                totals[key] += int(counts.get(key, 0))
            grand += int(row.get("total", 0))
        total = ["Tổng cộng", *(format_number(totals[key]) for key, _ in TASK_STATUS_COLUMNS),
                 format_number(grand)]
        table = UnitTable(columns=columns, rows=rows, total=total, raw=[dict(r) for r in by_sector],
                          caption="Tình hình thực hiện nhiệm vụ theo lĩnh vực")
        done = totals["done_on_time"] + totals["done_late"]
        narrative.append(_tasks_sentence(grand, done, totals))
    else:
        narrative.append("Trong kỳ không có nhiệm vụ nào được theo dõi.")
    overdue = list(data.get("overdue_key") or [])
    if overdue:
        narrative.append(f"Các nhiệm vụ trọng tâm quá hạn ({_count(len(overdue))}):")
        narrative.extend(f"- {_task_line(t)}" for t in overdue)
    return Part(key=TASKS, number="", heading=DEFAULT_HEADINGS[TASKS], table=table, narrative=narrative)


def _plan_label(plan: Mapping[str, Any]) -> str:
    """"Kế hoạch hoạt động … năm 2022 (số 45/KH-UBND ngày 10/3/2022)"."""
    label = " ".join(str(plan.get("title") or "").split()).rstrip(".")
    number, issued = str(plan.get("number") or "").strip(), plan.get("issued_on")
    if number:
        day = f" ngày {format_document_day(date.fromisoformat(str(issued)))}" if issued else ""
        label += f" (số {number}{day})"
    return label


def _next_period_tasks(inp: ComposeInput, ctx: _Context) -> list[str]:
    """The tasks set for the next period: those of the plans, programmes and schemes being carried
    out (one line a plan), those set by a conference's conclusions, then the others."""
    tasks = list((inp.tasks or {}).get("next_period") or [])
    if not tasks:
        return []
    by_plan: dict[str, list[Mapping[str, Any]]] = {}
    by_meeting: dict[str, list[Mapping[str, Any]]] = {}
    others: list[Mapping[str, Any]] = []
    for task in tasks:
        plan, conclusion = task.get("plan"), task.get("conclusion")
        if conclusion:
            meeting = " ".join(str(conclusion.get("meeting") or "").split()).rstrip(".") or "Hội nghị"
            if conclusion.get("date"):
                meeting += f" ngày {format_document_day(date.fromisoformat(str(conclusion['date'])))}"
            by_meeting.setdefault(meeting, []).append(task)
        elif plan and plan.get("title"):
            by_plan.setdefault(_plan_label(plan), []).append(task)
        else:
            others.append(task)
    lines: list[str] = []
    if by_plan:
        lines.append("Tiếp tục thực hiện các nhiệm vụ theo kế hoạch, chương trình, đề án đã ban hành:")
        for label, planned in by_plan.items():
            items = "; ".join(lower_first(_task_title(t)) + _task_details(t) for t in planned)
            lines.append(f"- {label}: {items}.")
    for meeting, set_there in by_meeting.items():
        lines.append(f"Thực hiện kết luận của {lower_first(meeting)}:")
        lines.extend(f"- {_task_line(t)}" for t in set_there)
    if others:
        lines.append("Các nhiệm vụ khác đã giao:" if lines else
                     f"Các nhiệm vụ đã giao cho {ctx.next_text or NEXT_PERIOD_FALLBACK}:")
        lines.extend(f"- {_task_line(t)}" for t in others)
    return lines


def _next_heading(ctx: _Context) -> str:
    template = ctx.inp.outline.next_heading_template or DEFAULT_NEXT_HEADING
    return render_template(template, {"period": ctx.period_text,
                                      "next_period": ctx.next_text or NEXT_PERIOD_FALLBACK})


# ---------------------------------------------------------------------------
# The assessment ("Đánh giá chung")


def _sentence(ctx: _Context, key: str, values: Mapping[str, Any]) -> str:
    """One assessment sentence: the outline's template for ``key`` (the default when it has none);
    "" when the outline left the sentence out."""
    overrides = ctx.inp.outline.assessment_templates
    template = overrides[key] if key in overrides else ASSESSMENT_TEMPLATES[key][0]
    return render_template(template, values) if template.strip() else ""


def _figure_name(fig: Figure) -> str:
    return lower_first(" ".join(fig.name.split()))


def _figure_amount(fig: Figure) -> str:
    uom = "" if fig.value_type == PERCENT else fig.unit_of_measure.strip()
    return f"{_amount(fig.value, fig.value_type)} {uom}".strip()


def _changes(figures: Sequence[Figure], ctx: _Context) -> tuple[list[Figure], list[Figure]]:
    """The figures that rose and fell against last year, largest relative change first. Counts and
    amounts only (a rate's change is in points, a yes/no counts units); a figure of nothing is said in
    its part ("không phát sinh"), and the register's figures count cases, whose rise is no merit."""
    from_cases = set((ctx.inp.cases or {}).get("values") or {})
    compared = [f for f in figures
                if f.value_type in (INTEGER, DECIMAL) and f.code not in from_cases and f.change_pct is not None
                and f.value is not None and f.value != 0 and f.change]
    order = {id(f): i for i, f in enumerate(figures)}
    rises = sorted((f for f in compared if f.change and f.change > 0),
                   key=lambda f: (-(f.change_pct or 0), order[id(f)]))
    falls = sorted((f for f in compared if f.change and f.change < 0),
                   key=lambda f: ((f.change_pct or 0), order[id(f)]))
    return rises, falls


def _change_items(figures: Sequence[Figure], word: str) -> str:
    return "; ".join(
        f"{_figure_name(f)} ({_figure_amount(f)}, {word} {format_change_pct(abs(f.change_pct or Decimal(0)))})"
        for f in figures[:ASSESSMENT_TOP])


def _listing(items: Sequence[str], things: str) -> str:
    """At most ASSESSMENT_TOP items, then "và 02 chỉ tiêu khác"."""
    text = "; ".join(items[:ASSESSMENT_TOP])
    rest = len(items) - ASSESSMENT_TOP
    return f"{text} và {_count(rest)} {things} khác" if rest > 0 else text


def _target_sentences(figures: Sequence[Figure], ctx: _Context) -> tuple[str, str]:
    planned = [f for f in figures if f.achieved_pct is not None and f.value is not None]
    met = sorted((f for f in planned if (f.achieved_pct or 0) >= 100), key=lambda f: -(f.achieved_pct or 0))
    missed = sorted((f for f in planned if (f.achieved_pct or 0) < 100), key=lambda f: f.achieved_pct or 0)

    def items(chosen: list[Figure]) -> str:
        return _listing([f"{_figure_name(f)} (đạt {format_percent(f.achieved_pct)})" for f in chosen], "chỉ tiêu")

    return (_sentence(ctx, "targets_met", {"items": items(met), "count": _count(len(met))}) if met else "",
            _sentence(ctx, "targets_missed", {"items": items(missed), "count": _count(len(missed))}) if missed else "")


def _task_counts(inp: ComposeInput) -> tuple[int, int] | None:
    """(tasks of the period, of which overdue), None without task data."""
    by_sector = list((inp.tasks or {}).get("by_sector") or [])
    if not by_sector:
        return None
    total = sum(int(row.get("total", 0)) for row in by_sector)
    overdue = sum(int((row.get("counts") or {}).get("overdue", 0)) for row in by_sector)
    return total, overdue


def _case_item(case: Mapping[str, Any]) -> str:
    text = f"{lower_first(str(case.get('kind') or 'vụ việc'))} ngày "
    text += format_document_day(date.fromisoformat(str(case["received_on"])))
    if case.get("subject"):
        text += f" – {' '.join(str(case['subject']).split())}"
    step = {"acceptance": "thụ lý", "resolution": "giải quyết"}.get(str(case.get("step") or ""))
    return text + (f" (quá hạn {step})" if step else "")


def _difficulty_units(ctx: _Context) -> list[str]:
    labels = []
    for unit, values in ctx.rows:
        texts = ctx.inp.narratives.get(unit.id) or {}
        if values is not None and any(kind == DIFFICULTIES and text and text.strip()
                                      for (_, kind), text in texts.items()):
            labels.append(unit.label)
    return labels


def _assessment(ctx: _Context, figures: Sequence[Figure], reference: str | None) -> tuple[list[str], list[str]]:
    """The assessment's paragraphs and sub-headings: strengths, then shortcomings and their causes.
    Each sentence only when the data has something to say; ([], []) when nothing at all."""
    inp = ctx.inp
    rises, falls = _changes(figures, ctx)
    met, missed = _target_sentences(figures, ctx)
    strengths: list[str] = []
    shortcomings: list[str] = []
    if rises:
        strengths.append(_sentence(ctx, "rises", {"previous_period": ctx.previous_label,
                                                  "items": _change_items(rises, "tăng"), "count": _count(len(rises))}))
    if falls:
        shortcomings.append(_sentence(ctx, "falls", {"previous_period": ctx.previous_label,
                                                     "items": _change_items(falls, "giảm"),
                                                     "count": _count(len(falls))}))
    strengths.append(met)
    shortcomings.append(missed)
    if inp.units and not inp.missing and not inp.late:
        strengths.append(_sentence(ctx, "reports_on_time", {}))
    elif inp.units:
        details = []
        if inp.late:
            details.append(f"{len(inp.late)} đơn vị gửi báo cáo chậm")
        if inp.missing:
            details.append(f"{len(inp.missing)} đơn vị chưa có báo cáo được duyệt")
        shortcomings.append(_sentence(ctx, "reports_late", {
            "details": ", ".join(details), "late": str(len(inp.late)) if inp.late else None,
            "missing": str(len(inp.missing)) if inp.missing else None}))
    counts = _task_counts(inp)
    if counts is not None:
        _, overdue = counts
        if overdue:
            key_tasks = "; ".join(
                lower_first(_task_title(t)) + (
                    f", hạn {format_document_day(date.fromisoformat(str(t['deadline'])))}" if t.get("deadline") else "")
                for t in (inp.tasks or {}).get("overdue_key") or [])
            shortcomings.append(_sentence(ctx, "tasks_overdue", {"overdue": _count(overdue),
                                                                 "key_tasks": key_tasks or None}))
        else:
            strengths.append(_sentence(ctx, "tasks_on_schedule", {}))
    if inp.cases is not None:
        late_cases = list(inp.cases.get("overdue") or [])
        if late_cases:
            shortcomings.append(_sentence(ctx, "cases_overdue", {
                "count": _count(len(late_cases)), "items": _listing([_case_item(c) for c in late_cases], "vụ việc")}))
        elif inp.cases.get("rows"):
            strengths.append(_sentence(ctx, "cases_on_time", {}))
    troubled = _difficulty_units(ctx)
    if troubled:
        units = (join_labels(troubled, sentence_start=True) if len(troubled) <= ASSESSMENT_TOP
                 else f"Có {len(troubled)} đơn vị")
        shortcomings.append(_sentence(ctx, "difficulties", {"units": units, "count": str(len(troubled)),
                                                            "reference": reference}))
    paragraphs: list[str] = []
    subheadings: list[str] = []
    for key, sentences in (("strengths_heading", strengths), ("shortcomings_heading", shortcomings)):
        sentences = [text for text in sentences if text]
        if not sentences:
            continue
        title = _sentence(ctx, key, {})
        if title:
            title = f"{len(subheadings) + 1}. {title.rstrip('.:')}"
            subheadings.append(title)
            paragraphs.append(title)
        paragraphs.extend(sentences)
    return paragraphs, subheadings


def _ending(ctx: _Context) -> str:
    inp = ctx.inp
    template = inp.outline.closing_template or DEFAULT_CLOSING
    return render_template(template, {
        "regime": inp.regime_name, "period": ctx.period_text, "period_code": inp.period_code,
        "unit": inp.unit_name, "summary": ctx.summary,
        "next_period": ctx.next_text if ctx.with_next and ctx.next_text else None,
    })


def _unit_dict(unit: UnitRef) -> dict[str, Any]:
    return {"id": unit.id, "code": unit.code, "name": unit.name, "label": unit.label, "kind": unit.kind,
            "area": unit.area}


def unique_labels(inp: ComposeInput) -> ComposeInput:
    """Labels unique within the report: a label two units share is qualified by the unit's parent
    ("Xã Tân Thành (tỉnh Thái Nguyên)"), then by its code if that is not enough. Units are told
    apart by id everywhere; the label is only how the text names them."""
    counts: dict[str, int] = {}
    for unit in inp.units:
        counts[unit.label] = counts.get(unit.label, 0) + 1
    if all(n == 1 for n in counts.values()):
        return inp
    renamed: dict[int, str] = {}
    for unit in inp.units:
        if counts[unit.label] > 1:
            parent = unit.area or unit.parent_name
            renamed[unit.id] = f"{unit.label} ({grouping.lower_prefix(parent)})" if parent else unit.label
    again: dict[str, int] = {}
    for unit in inp.units:
        label = renamed.get(unit.id, unit.label)
        again[label] = again.get(label, 0) + 1
    for unit in inp.units:
        label = renamed.get(unit.id, unit.label)
        if again[label] > 1:
            renamed[unit.id] = f"{label} – {unit.code}"

    def relabel(units: Sequence[UnitRef]) -> tuple[UnitRef, ...]:
        return tuple(replace(u, label=renamed[u.id]) if u.id in renamed else u for u in units)

    return replace(inp, units=relabel(inp.units), missing=relabel(inp.missing), late=relabel(inp.late))


def _context(inp: ComposeInput) -> _Context:
    rows = tuple((unit, inp.approved.get(unit.id)) for unit in inp.units)
    with_next = bool(inp.next_period_label.strip()) and speaks_of_next_period(inp.period_code,
                                                                              inp.outline.next_period_mode)
    summary = render_summary(inp.outline.summary_template or DEFAULT_SUMMARY, regime=inp.regime_name,
                             period=inp.period_label, period_code=inp.period_code, unit=inp.unit_name,
                             next_period=inp.next_period_label if with_next else None)
    rules = grouping.Rules.from_mapping(inp.outline.grouping_rules)
    speakers = {u.id: grouping.speaker_for(id=u.id, label=u.label, name=u.name, kind=u.kind, area=u.area, rules=rules)
                for u in inp.units}
    return _Context(inp=inp, rows=rows, rules=rules, speakers=speakers,
                    previous_label=lower_first(inp.previous_period_label) or PREVIOUS_PERIOD_FALLBACK,
                    period_text=lower_first(inp.period_label), next_text=lower_first(inp.next_period_label),
                    with_next=with_next, summary=lower_first(summary), title=summary)


def compose(inp: ComposeInput) -> ComposedReport:
    """The consolidated report of ``inp`` (see the module docstring for its parts)."""
    inp = unique_labels(inp)
    ctx = _context(inp)
    rows = ctx.rows
    approved = sum(1 for _, values in rows if values is not None)
    sections = {s.code: s for s in inp.sections}
    headings = inp.outline.headings
    parts: list[Part] = []
    for key in inp.outline.parts or default_parts(inp.sections):
        if key == INTRO:
            part = Part(key=key, number="", heading="", narrative=[_intro_text(ctx, approved)])
        elif key == UNITS:
            part = Part(key=key, number="", heading="", narrative=_units_statement(inp, approved)
                        + ([inp.previous_note] if inp.previous_note else []))
        elif key == TASKS:
            part = _tasks_part(inp)
        elif key == ASSESSMENT:
            # Drafted once every other part is known (it names the part of the difficulties).
            part = Part(key=key, number="", heading=DEFAULT_HEADINGS[ASSESSMENT])
        elif key in CLOSING_PARTS:
            kind = CLOSING_PARTS[key]
            part = Part(key=key, number="", heading=DEFAULT_HEADINGS[key])
            _consolidated(part, ctx, _narrative_items(ctx, [(s.code, kind) for s in inp.sections]))
            if kind == NEXT_TASKS:
                part.narrative += _next_period_tasks(inp, ctx)
            part.heading = _next_heading(ctx) if kind == NEXT_TASKS else DEFAULT_HEADINGS[key]
            if not part.narrative:
                continue  # nothing to say: no heading over nothing, and the numbering stays consecutive
        elif key.startswith(SECTION_PREFIX):
            section = sections.get(key[len(SECTION_PREFIX):])
            if section is None:
                continue  # the form no longer has this section
            part = _section_part(section, ctx)
        else:
            raise AppError(f"Đề cương báo cáo có phần không hợp lệ: «{key}».", {"part": key})
        if key in headings:
            part.heading = (headings[key] or "").strip()
        parts.append(part)
    figures = [f for p in parts if p.key.startswith(SECTION_PREFIX) for f in p.figures]
    assessment = next((p for p in parts if p.key == ASSESSMENT), None)
    if assessment is not None:
        assessment.narrative, assessment.subheadings = _assessment(ctx, figures, None)
        if not assessment.narrative:
            parts.remove(assessment)
    ending = _ending(ctx)
    if ending:
        parts.append(Part(key=ENDING, number="", heading="", narrative=[ending]))
    number = 0
    for part in parts:
        if part.heading:
            number += 1
            part.number = roman(number)
    difficulties = next((p for p in parts if p.key == "closing:difficulties" and p.number), None)
    if assessment is not None and assessment in parts and difficulties is not None:
        assessment.narrative, assessment.subheadings = _assessment(ctx, figures, f"Mục {difficulties.number}")
    meta = {
        "regime": inp.regime_name,
        "unit": inp.unit_name,
        "period": inp.period_code,
        "period_label": inp.period_label,
        "previous_period_label": inp.previous_period_label,
        "next_period_label": inp.next_period_label,
        "with_next_period": ctx.with_next,
        "summary": ctx.title,
        "window_start": inp.window_start.isoformat(),
        "window_end": inp.window_end.isoformat(),
        "expected_count": len(inp.units),
        "approved_count": approved,
        "missing_count": len(inp.missing),
        "late_count": len(inp.late),
        "previous_basis": inp.previous_basis,
        "previous_note": inp.previous_note,
        "expected": [_unit_dict(u) for u in inp.units],
        "missing": [_unit_dict(u) for u in inp.missing],
        "late": [_unit_dict(u) for u in inp.late],
    }
    return ComposedReport(parts=parts, meta=meta)


# ---------------------------------------------------------------------------
# What changed between two compositions

_COMPARED_FIELDS = (("value", ""), ("previous", " (số cùng kỳ)"), ("target", " (kế hoạch)"))


def _figures_of(report: ComposedReport | Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    data = report.to_dict() if isinstance(report, ComposedReport) else report
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for part in data.get("parts") or []:
        for fig in part.get("figures") or []:
            found[(part["key"], fig["code"])] = fig
    return found


def figure_changes(old: ComposedReport | Mapping[str, Any], new: ComposedReport | Mapping[str, Any]) -> list[dict]:
    """The figures whose value, last year's value or target differ between two compositions.

    One entry per changed field, in the new report's order (figures that disappeared last):
    ``{"kind": "figure", "part", "code", "name", "field", "old", "new", "old_value", "new_value"}``
    where old/new are Vietnamese display texts ("" when absent) and old_value/new_value Decimal
    strings or None. Values are compared as numbers ("1.0" equals "1").
    """
    before, after = _figures_of(old), _figures_of(new)
    changes: list[dict] = []
    keys = list(after) + [k for k in before if k not in after]
    for key in keys:
        was, now = before.get(key) or {}, after.get(key) or {}
        reference = now or was
        value_type = reference.get("value_type", "")
        for name, suffix in _COMPARED_FIELDS:
            old_value, new_value = _dec_in(was.get(name)), _dec_in(now.get(name))
            if old_value == new_value:
                continue
            changes.append({
                "kind": "figure", "part": key[0], "code": key[1], "name": reference.get("name", key[1]) + suffix,
                "field": name, "old": format_value(old_value, value_type), "new": format_value(new_value, value_type),
                "old_value": _dec_out(old_value), "new_value": _dec_out(new_value),
            })
    return changes
