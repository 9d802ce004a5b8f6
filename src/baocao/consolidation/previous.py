"""Last year's figures of units that did not exist last year: taken from their predecessors.

For each unit of the report, `orgunits.lineage.lineage_sources` names the units of last year's
cut-off day it is made of, with the share of each. A figure summed over units (rule `sum`) takes
share × value of each predecessor, and is an estimate when a share is below 1 (a divided
commune). A figure of another rule (average, min, max, last) applies the rule to the
predecessors' values themselves: a rate or a maximum is not apportioned; with a part among them
it is an estimate too. The report total applies the same rules over every predecessor once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from baocao.core.aggregate import INTEGER, SUM, YES_NO, aggregate, trim
from baocao.core.vietnamese import format_number
from baocao.orgunits.choices import PreviousBasis, ShareMethod, UnitKind
from baocao.orgunits.lineage import lineage_sources
from baocao.orgunits.models import OrgUnit, UnitLink
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import SubmissionValue

ONE = Decimal(1)


@dataclass
class PreviousFigures:
    by_unit: dict[int, dict[str, Decimal | None]]
    total: dict[str, Decimal | None]
    basis: str  # of the report as a whole
    rows: dict[int, dict[str, Any]] = field(default_factory=dict)  # unit id -> {"basis", "predecessors"}
    note: str = ""
    figure_basis: Mapping[str, str] = field(default_factory=dict)  # indicator code -> basis of its total


def _estimate(value: Decimal, value_type: str) -> Decimal:
    places = Decimal(1) if value_type == INTEGER else Decimal("0.01")
    return trim(value.quantize(places, rounding=ROUND_HALF_UP))


def previous_from_lineage(*, regime, period: str, on: date, unit_ids: Sequence[int],
                          indicators: Mapping[str, tuple[str, str]], previous_year: int) -> PreviousFigures:
    """Last year's values of `unit_ids` (the report's units, in report order) from their sources on
    `on` (the cut-off day of last year's period). `indicators`: code -> (aggregation rule, value
    type). Like is compared with like: last year's total covers what today's units were made of,
    so a unit that ended without successors is not in it, and a unit formed from nothing has no
    previous value."""
    sources = lineage_sources(unit_ids, on=on)
    source_ids = sorted({pk for s in sources.values() for pk in s.shares})
    values: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    for unit_id, code, number in SubmissionValue.objects.filter(
            submission__regime=regime, submission__period=period, submission__status=SubmissionStatus.APPROVED,
            submission__unit_id__in=source_ids).values_list("submission__unit_id", "indicator__code", "number"):
        values[unit_id][code] = number
    changed = any(s.basis != PreviousBasis.SAME_UNIT for s in sources.values())
    units: dict[int, OrgUnit] = {}
    methods: dict[int, str] = {}
    estimated = sorted({pk for s in sources.values() for pk in s.estimated})
    if changed:
        units = {u.pk: u for u in OrgUnit.objects.filter(pk__in=source_ids).only("pk", "code", "name", "kind", "path")}
        methods = dict(UnitLink.objects.filter(predecessor_id__in=estimated, effective__gt=on)
                       .exclude(method=ShareMethod.WHOLE).values_list("predecessor_id", "method"))
    path = {pk: (units[pk].path if pk in units else "") for pk in source_ids}

    by_unit: dict[int, dict[str, Decimal | None]] = {}
    rows: dict[int, dict[str, Any]] = {}
    for unit_id in unit_ids:
        shares = sources[unit_id].shares
        if shares == {unit_id: ONE}:  # the unit itself: its own values as they were approved
            by_unit[unit_id] = {code: values[unit_id].get(code) for code in indicators}
            continue
        mine = sorted(shares, key=lambda pk: (path[pk], pk))
        whole = all(shares[pk] == ONE for pk in mine)
        figures: dict[str, Decimal | None] = {}
        for code, (rule, value_type) in indicators.items():
            if rule == SUM and value_type != YES_NO:
                parts: list[Decimal | None] = [shares[pk] * v for pk in mine if (v := values[pk].get(code)) is not None]
                summed = aggregate(parts, SUM)
                figures[code] = None if summed is None else (summed if whole else _estimate(summed, value_type))
            else:
                figures[code] = aggregate([values[pk].get(code) for pk in mine], rule)
        by_unit[unit_id] = figures
        basis = sources[unit_id].basis
        if changed and basis != PreviousBasis.SAME_UNIT:
            rows[unit_id] = {"basis": basis, "predecessors": [
                {"code": units[pk].code, "name": units[pk].name, "share": float(shares[pk]),
                 "method": ShareMethod.WHOLE if shares[pk] == ONE else methods.get(pk, ShareMethod.MANUAL)}
                for pk in mine if pk in units]}
    # The total: each source once, with the whole of it that the report's units took.
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for unit_id in unit_ids:
        for pk, share in sources[unit_id].shares.items():
            taken[pk] += share
    order = sorted(taken, key=lambda pk: (path[pk], pk))
    all_taken = all(taken[pk] >= ONE for pk in order)
    total: dict[str, Decimal | None] = {}
    for code, (rule, value_type) in indicators.items():
        if rule == SUM and value_type != YES_NO:
            found = aggregate([min(taken[pk], ONE) * v for pk in order if (v := values[pk].get(code)) is not None], SUM)
            total[code] = None if found is None else (found if all_taken else _estimate(found, value_type))
        else:
            total[code] = aggregate([values[pk].get(code) for pk in order], rule)
    if not changed:
        basis = PreviousBasis.SAME_UNIT
    elif estimated:
        basis = PreviousBasis.ESTIMATE
    else:
        basis = PreviousBasis.PREDECESSORS
    # A figure is an estimate only where its own total is: a sum whose sources were all taken whole
    # is exact even when some row of the table was apportioned.
    figure_basis = {code: (PreviousBasis.PREDECESSORS if basis == PreviousBasis.ESTIMATE and rule == SUM
                           and value_type != YES_NO and all_taken else basis)
                    for code, (rule, value_type) in indicators.items()}
    note = _note(previous_year, [units[pk] for pk in order if pk in units and pk not in unit_ids], estimated,
                 methods) if changed else ""
    return PreviousFigures(by_unit=by_unit, total=total, basis=basis, rows=rows, note=note,
                           figure_basis=figure_basis)


def _note(previous_year: int, predecessors: list[OrgUnit], estimated: list[int], methods: dict[int, str]) -> str:
    """"Số liệu cùng kỳ năm 2025 tổng hợp từ 108 xã, phường, thị trấn trước sắp xếp; 3 đơn vị ước tính
    theo tỷ lệ dân số." """
    if not predecessors:
        return ""
    kinds = {u.kind for u in predecessors}
    what = UnitKind(kinds.pop()).label.lower() if len(kinds) == 1 else "đơn vị"
    sentence = f"Số liệu cùng kỳ năm {previous_year} tổng hợp từ {format_number(len(predecessors))} {what} trước sắp xếp"
    if estimated:
        by_method: dict[str, int] = defaultdict(int)
        for pk in estimated:
            by_method[methods.get(pk, ShareMethod.MANUAL)] += 1
        parts = [f"{format_number(n)} đơn vị ước tính {ShareMethod(m).label.lower()}"
                 for m, n in sorted(by_method.items())]
        sentence += "; " + ", ".join(parts)
    return sentence + "."


def targets_from_lineage(*, unit: OrgUnit, year: int,
                         indicators: Mapping[str, tuple[str, str]]) -> dict[str, Decimal]:
    """The year's targets of a unit formed during the year, from the targets its predecessors had
    for that year (as of 1 January): summed by share for `sum` indicators, the rule over the
    predecessors' targets otherwise. Empty when the unit is its own predecessor."""
    from baocao.consolidation.models import Target

    sources = lineage_sources([unit.pk], on=date(year, 1, 1))[unit.pk]
    if sources.basis == PreviousBasis.SAME_UNIT or not sources.shares:
        return {}
    by_code: dict[str, list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for unit_id, code, value in Target.objects.filter(unit_id__in=list(sources.shares), year=year).values_list(
            "unit_id", "indicator_code", "value"):
        by_code[code].append((sources.shares[unit_id], value))
    found: dict[str, Decimal] = {}
    for code, pairs in by_code.items():
        rule, value_type = indicators.get(code, (SUM, ""))
        if rule == SUM and value_type != YES_NO:
            total = aggregate([share * value for share, value in pairs], SUM)
            estimated = any(share != ONE for share, _ in pairs)
            result = None if total is None else (_estimate(total, value_type) if estimated else trim(total))
        else:
            result = aggregate([value for _, value in pairs], rule)
        if result is not None:
            found[code] = result
    return found
