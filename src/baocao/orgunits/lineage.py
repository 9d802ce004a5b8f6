"""Reads of the units' history: which unit held a code on a day, what a unit came from and became,
and the set-based walk that says which units of an earlier day a unit's figures are made of.

A code is never enough to find a unit across a reorganisation (a commune formed on 1 July 2025
usually keeps the code of one of its predecessors), so every lookup by code takes a day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db.models import BigIntegerField, Case, Exists, F, OuterRef, Q, QuerySet, Subquery, When

from baocao.core.clock import today_vn
from baocao.orgunits.choices import PreviousBasis, ShareMethod
from baocao.orgunits.models import OrgUnit, UnitLink, UnitName

ONE = Decimal(1)
_Units = TypeVar("_Units", bound=QuerySet)
# A chain of reorganisations longer than this is a data error (cycles are refused when written).
MAX_GENERATIONS = 32


def unit_by_code(code: str, *, on: date | None = None, until: date | None = None,
                 queryset: QuerySet[OrgUnit] | None = None) -> OrgUnit | None:
    """The unit that held `code` on `on` (today when None) — or, with `until`, at some time from `on`
    to `until`, the latest to take it — within `queryset` (every unit when None): its current code,
    else a former code it carried then (UnitName)."""
    found = units_by_code([code], on=on, until=until, queryset=queryset)
    return found.get((code or "").strip())


def units_by_code(codes: Iterable[str], *, on: date | None = None, until: date | None = None,
                  queryset: QuerySet[OrgUnit] | None = None, chunk: int = 500) -> dict[str, OrgUnit]:
    """`unit_by_code` for many codes in a fixed number of queries per `chunk` codes."""
    first = on or today_vn()
    last = until or first
    base = queryset if queryset is not None else OrgUnit.objects.all()
    wanted = sorted({(c or "").strip() for c in codes} - {""})
    found: dict[str, OrgUnit] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start:start + chunk]
        held = (base.filter(code__in=part).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first)))
        for unit in sorted(held, key=_latest_first):
            found.setdefault(unit.code, unit)
        missing = [c for c in part if c not in found]
        if missing:
            former = (UnitName.objects.filter(code__in=missing, valid_to__gte=first)
                      .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last))
                      .order_by("-valid_to").values_list("code", "unit_id"))
            by_id = {u.pk: u for u in base.filter(pk__in=[unit_id for _, unit_id in former])}
            for former_code, unit_id in former:
                if unit_id in by_id:
                    found.setdefault(former_code, by_id[unit_id])
    return found


def _latest_first(unit: OrgUnit) -> tuple[int, int]:
    return (-(unit.valid_from or date.min).toordinal(), unit.pk)


@dataclass(frozen=True)
class Neighbour:
    """One link of a unit's history, seen from the unit: the unit on the other side, how much of
    the predecessor went across, how that share was set, when and by what act."""

    unit: OrgUnit
    share: Decimal
    method: str
    effective: date
    kind: str
    legal_basis: str
    event_id: int

    @property
    def method_label(self) -> str:
        return ShareMethod(self.method).label

    @property
    def percent(self) -> Decimal:
        return self.share * 100

    def as_json(self) -> dict:
        return {"code": self.unit.code, "name": self.unit.name, "share": float(self.share), "method": self.method,
                "effective": self.effective.isoformat(), "legal_basis": self.legal_basis}


@dataclass
class History:
    unit: OrgUnit
    predecessors: list[Neighbour] = field(default_factory=list)
    successors: list[Neighbour] = field(default_factory=list)
    former_names: list[UnitName] = field(default_factory=list)

    def as_json(self) -> dict:
        unit = self.unit
        return {
            "code": unit.code, "name": unit.name,
            "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
            "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
            "predecessors": [n.as_json() for n in self.predecessors],
            "successors": [n.as_json() for n in self.successors],
            "former_names": [{"code": n.code, "name": n.name, "valid_to": n.valid_to.isoformat()}
                             for n in self.former_names],
        }


def unit_history(unit: OrgUnit) -> History:
    """A unit's direct predecessors and successors (links to itself, which record a re-parenting or
    the part a unit kept, are left out) and its former names, in three queries."""
    links = (UnitLink.objects.filter(Q(successor=unit) | Q(predecessor=unit)).exclude(predecessor=unit, successor=unit)
             .select_related("predecessor", "successor", "event").order_by("effective", "id"))
    history = History(unit=unit, former_names=list(unit.former_names.order_by("valid_to")))
    for link in links:
        other = link.predecessor if link.successor_id == unit.pk else link.successor
        neighbour = Neighbour(unit=other, share=link.share, method=link.method, effective=link.effective,
                              kind=link.event.kind, legal_basis=link.event.legal_basis, event_id=link.event_id)
        (history.predecessors if link.successor_id == unit.pk else history.successors).append(neighbour)
    return history


def with_parent_on(qs: _Units, day: date) -> _Units:
    """`qs` annotated with `parent_on`: each unit's parent on `day` — its parent today, unless a
    re-parenting after `day` moved it: then the parent before the earliest such move (None when it
    was a root). The one place the rule is written, in SQL."""
    moves = UnitLink.objects.filter(predecessor=OuterRef("pk"), successor=OuterRef("pk"), parent_after__isnull=False,
                                    effective__gt=day)
    before = moves.order_by("effective", "id").values("parent_before")[:1]
    return qs.annotate(parent_on=Case(When(Exists(moves), then=Subquery(before)), default=F("parent_id"),
                                      output_field=BigIntegerField()))


def parents_on(units: Iterable[OrgUnit], day: date) -> dict[int, int | None]:
    """The parent of each unit on `day` (`with_parent_on`), in one query."""
    pks = [u.pk for u in units]
    found = with_parent_on(OrgUnit.objects.filter(pk__in=pks).only("pk", "parent_id"), day)
    return {unit.pk: getattr(unit, "parent_on") for unit in found}  # noqa: B009 - an annotation


@dataclass(frozen=True)
class Sources:
    """What a unit's figures of an earlier day are made of: units valid on that day, each with the
    share of it that went into the unit (1 for a whole unit)."""

    unit_id: int
    shares: dict[int, Decimal]

    @property
    def basis(self) -> str:
        if not self.shares or self.shares == {self.unit_id: ONE}:
            return PreviousBasis.SAME_UNIT  # itself, or nothing to compare with (formed from nothing)
        if all(share == ONE for share in self.shares.values()):
            return PreviousBasis.PREDECESSORS
        return PreviousBasis.ESTIMATE

    @property
    def estimated(self) -> list[int]:
        return sorted(unit_id for unit_id, share in self.shares.items() if share != ONE)


def lineage_sources(unit_ids: Iterable[int], *, on: date) -> dict[int, Sources]:
    """For each unit, the units valid on `on` whose figures make up its comparable figure.

    Walks the links backwards, one query per generation for all units together: a link after `on`
    into a unit brings in `share` of its predecessor (recursively, through links before that one);
    a unit valid on `on` counts for itself, times the share it kept when it gave parts away. A
    unit that did not exist on `on` and has no predecessors has no sources (nothing to compare).
    """
    targets = sorted(set(unit_ids))
    result: dict[int, dict[int, Decimal]] = {t: defaultdict(Decimal) for t in targets}
    # (target, unit, multiplier, links strictly before this day only)
    frontier: list[tuple[int, int, Decimal, date | None]] = [(t, t, ONE, None) for t in targets]
    validity: dict[int, tuple[date | None, date | None]] = {}
    for _ in range(MAX_GENERATIONS):
        if not frontier:
            break
        unit_ids_now = {unit for _, unit, _, _ in frontier}
        unknown = unit_ids_now - set(validity)
        if unknown:
            validity.update((pk, (vf, vt)) for pk, vf, vt in
                            OrgUnit.objects.filter(pk__in=unknown).values_list("pk", "valid_from", "valid_to"))
        incoming: dict[int, list[tuple[int, Decimal, date]]] = defaultdict(list)
        for successor_id, predecessor_id, share, effective in (
                UnitLink.objects.filter(successor_id__in=unit_ids_now, effective__gt=on)
                .values_list("successor_id", "predecessor_id", "share", "effective")):
            incoming[successor_id].append((predecessor_id, share, effective))
        next_frontier: list[tuple[int, int, Decimal, date | None]] = []
        for target, unit, multiplier, before in frontier:
            # Latest first; on one day the parts coming in before the share the unit kept, which
            # scales only what the unit was made of until then.
            links = sorted((link for link in incoming.get(unit, ()) if before is None or link[2] < before),
                           key=lambda link: (link[2], link[0] != unit), reverse=True)
            for predecessor_id, share, effective in links:
                if predecessor_id == unit:
                    multiplier *= share
                else:
                    next_frontier.append((target, predecessor_id, multiplier * share, effective))
            valid_from, valid_to = validity.get(unit, (None, None))
            if (valid_from is None or valid_from <= on) and (valid_to is None or valid_to >= on):
                result[target][unit] += multiplier
        frontier = next_frontier
    return {t: Sources(unit_id=t, shares={u: s.quantize(Decimal("1e-8")) for u, s in shares.items() if s})
            for t, shares in result.items()}
