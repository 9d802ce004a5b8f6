"""Keeping the aggregates (`IndicatorAggregate`) equal to the approved values.

- A report approved: its numbers are added to the rows of its unit and of every ancestor, in one
  upsert whose arithmetic runs in the database (two reviewers approving sibling units at once
  both count: no read-modify-write in Python).
- A report reopened: the rows of its unit and ancestors for its indicators are locked; count and
  sum are decremented, and only the rows whose min, max or last was its number are recomputed
  from the values that remain approved (those cannot be decremented).
- Units moved (their paths rewritten): the ancestors change, so every regime and period with an
  approved report in a moved subtree is rebuilt.
- `aggregates_rebuild`: delete and recompute, in two statements, everything or one regime/period.

Everything runs inside the caller's transaction; the recomputation is one set-based query
(`_fresh_sql`) over the values joined to the ancestor closure computed from the units' paths.
`aggregates_differences` runs the same query and compares it with what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from baocao.analytics.models import IndicatorAggregate
from baocao.audit.actions import AuditAction
from baocao.audit.services import audit_record
from baocao.orgunits.models import OrgUnit, subtree_q
from baocao.reporting.models import Indicator, ReportingRegime
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission, SubmissionValue

AGG = IndicatorAggregate._meta.db_table
VALUES = SubmissionValue._meta.db_table
SUBMISSIONS = Submission._meta.db_table
INDICATORS = Indicator._meta.db_table
UNITS = OrgUnit._meta.db_table
COLUMNS = ("regime_id", "period", "unit_id", "indicator_code", "value_count", "value_sum", "value_min", "value_max",
           "value_last", "last_path", "updated_at")
# The figures a row holds, compared by `aggregates_differences`.
FIGURES = ("value_count", "value_sum", "value_min", "value_max", "value_last", "last_path")
_PLACES = Decimal("0.000001")
# Subtrees per query when finding what a move touches (SQLite limits an expression's depth).
_PATHS_PER_QUERY = 200


def _marks(items: Sequence[object]) -> str:
    return ", ".join(["%s"] * len(items))


def _fresh_sql(*, regime_id: int | None = None, period: str | None = None, unit_ids: Sequence[int] | None = None,
               codes: Sequence[str] | None = None) -> tuple[str, list[Any]]:
    """SELECT of the aggregate rows as the approved values make them, in the column order of
    COLUMNS without updated_at; restricted to a regime, a period, some aggregate units (`unit_ids`,
    the rows' units, not the reporting units) and some indicator codes when given.

    The ancestor closure pairs each reporting unit with itself and with every unit whose path is a
    prefix of its path (candidates: units with children), the rule of `OrgUnit.ancestor_ids` and
    `subtree_q`. `last` is the value of the unit with the greatest path, in the database's order
    of paths (the order `order_by("path")` gives the consolidation).
    """
    sub_where = ["s.status = %s"]
    sub_params: list[Any] = [SubmissionStatus.APPROVED.value]
    if regime_id is not None:
        sub_where.append("s.regime_id = %s")
        sub_params.append(regime_id)
    if period is not None:
        sub_where.append("s.period = %s")
        sub_params.append(period)
    reporters = f"SELECT s.unit_id FROM {SUBMISSIONS} s WHERE {' AND '.join(sub_where)}"  # noqa: S608
    self_extra = anc_extra = ""
    unit_params: list[Any] = []
    if unit_ids is not None:
        self_extra = f" AND u.id IN ({_marks(unit_ids)})"
        anc_extra = f" AND a.id IN ({_marks(unit_ids)})"
        unit_params = list(unit_ids)
    value_where = list(sub_where) + ["v.number IS NOT NULL"]
    value_params = list(sub_params)
    if codes is not None:
        value_where.append(f"i.code IN ({_marks(codes)})")
        value_params += list(codes)
    sql = f"""
        WITH closure (unit_id, anc_id, path) AS (
            SELECT u.id, u.id, u.path FROM {UNITS} u
            WHERE u.path <> '' AND u.id IN ({reporters}){self_extra}
            UNION ALL
            SELECT u.id, a.id, u.path FROM {UNITS} u
            JOIN {UNITS} a ON a.id <> u.id AND a.path <> '' AND substr(u.path, 1, length(a.path)) = a.path
            WHERE u.id IN ({reporters}) AND a.id IN (SELECT p.parent_id FROM {UNITS} p WHERE p.parent_id IS NOT NULL)
                {anc_extra}
        ),
        approved_values AS (
            SELECT s.regime_id, s.period, c.anc_id, i.code, v.number, c.path,
                   ROW_NUMBER() OVER (PARTITION BY s.regime_id, s.period, c.anc_id, i.code ORDER BY c.path DESC) AS rn
            FROM {VALUES} v
            JOIN {SUBMISSIONS} s ON s.id = v.submission_id
            JOIN {INDICATORS} i ON i.id = v.indicator_id
            JOIN closure c ON c.unit_id = s.unit_id
            WHERE {' AND '.join(value_where)}
        )
        SELECT regime_id, period, anc_id, code, COUNT(*), SUM(number), MIN(number), MAX(number),
               MAX(CASE WHEN rn = 1 THEN number END), MAX(CASE WHEN rn = 1 THEN path END)
        FROM approved_values
        GROUP BY regime_id, period, anc_id, code
    """  # noqa: S608 - table names from the models, values as parameters
    params = sub_params + unit_params + sub_params + unit_params + value_params
    return sql, params


def _scope_filter(*, regime_id: int | None, period: str | None, unit_ids: Sequence[int] | None = None,
                  codes: Sequence[str] | None = None) -> dict[str, object]:
    lookups: dict[str, object] = {}
    if regime_id is not None:
        lookups["regime_id"] = regime_id
    if period is not None:
        lookups["period"] = period
    if unit_ids is not None:
        lookups["unit_id__in"] = list(unit_ids)
    if codes is not None:
        lookups["indicator_code__in"] = list(codes)
    return lookups


def _recompute(*, regime_id: int | None, period: str | None, unit_ids: Sequence[int] | None = None,
               codes: Sequence[str] | None = None) -> int:
    """Replace the stored rows of the scope by fresh ones; returns how many rows there are now."""
    lookups = _scope_filter(regime_id=regime_id, period=period, unit_ids=unit_ids, codes=codes)
    rows = IndicatorAggregate.objects.filter(**lookups)
    if connection.features.has_select_for_update:
        # Lock first: an approval of another unit under the same ancestors waits for this
        # transaction, and this one's next statement sees what an earlier one committed.
        # Rows are taken in (unit, code) order, the order approvals upsert them in: two writers
        # never hold each other's rows (no deadlock).
        list(rows.select_for_update().order_by("unit_id", "indicator_code").values_list("pk", flat=True))
    rows.delete()
    fresh, params = _fresh_sql(regime_id=regime_id, period=period, unit_ids=unit_ids, codes=codes)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        # A row a concurrent approval inserted meanwhile is overwritten by the fresh figures, which
        # count that approval once it is committed (WHERE: SQLite's upsert after a SELECT needs one).
        cursor.execute(
            f"INSERT INTO {AGG} ({', '.join(COLUMNS)}) SELECT f.*, %s FROM ({fresh}) f WHERE 1 = 1"  # noqa: S608
            " ON CONFLICT (regime_id, period, unit_id, indicator_code) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[4:]),
            [now, *params])
    return IndicatorAggregate.objects.filter(**lookups).count()


def aggregates_add_submission(submission: Submission) -> None:
    """Add the numbers of an approved report to the rows of its unit and of every ancestor, in
    (unit, code) order so that concurrent approvals under one ancestor queue instead of
    deadlocking."""
    anc_ids = submission.unit.ancestor_ids()  # the unit itself included; read with the locked report
    if not anc_ids:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    old = AGG

    def least(column: str, op: str) -> str:
        return f"CASE WHEN excluded.{column} {op} {old}.{column} THEN excluded.{column} ELSE {old}.{column} END"

    later = f"excluded.last_path > {old}.last_path"
    sql = f"""
        INSERT INTO {AGG} ({', '.join(COLUMNS)})
        SELECT s.regime_id, s.period, a.id, i.code, 1, v.number, v.number, v.number, v.number, u.path, %s
        FROM {VALUES} v
        JOIN {SUBMISSIONS} s ON s.id = v.submission_id
        JOIN {INDICATORS} i ON i.id = v.indicator_id
        JOIN {UNITS} u ON u.id = s.unit_id
        JOIN {UNITS} a ON a.id IN ({_marks(anc_ids)})
        WHERE v.submission_id = %s AND v.number IS NOT NULL
        ORDER BY a.id, i.code
        ON CONFLICT (regime_id, period, unit_id, indicator_code) DO UPDATE SET
            value_count = {old}.value_count + excluded.value_count,
            value_sum = {old}.value_sum + excluded.value_sum,
            value_min = {least("value_min", "<")},
            value_max = {least("value_max", ">")},
            value_last = CASE WHEN {later} THEN excluded.value_last ELSE {old}.value_last END,
            last_path = CASE WHEN {later} THEN excluded.last_path ELSE {old}.last_path END,
            updated_at = excluded.updated_at
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *anc_ids, submission.pk])


def aggregates_remove_submission(submission: Submission) -> None:
    """Take a report that is no longer approved out of its unit's and ancestors' rows.

    The rows of its indicators are locked (in upsert order); a row it was the only number of is
    deleted; a row whose least, greatest or last value was its number is recomputed from the values
    still approved (one query per ancestor unit, for those codes only); every other row has its
    count and sum decremented (one bulk update). Under the lock no approval changes these rows
    meanwhile, so the arithmetic in Python is safe.
    """
    anc_ids = submission.unit.ancestor_ids()
    numbers: dict[str, Decimal] = {
        code: number for code, number in SubmissionValue.objects.filter(submission_id=submission.pk)
        .values_list("indicator__code", "number") if number is not None}
    if not anc_ids or not numbers:
        return
    rows = IndicatorAggregate.objects.filter(regime_id=submission.regime_id, period=submission.period,
                                             unit_id__in=anc_ids, indicator_code__in=list(numbers))
    if connection.features.has_select_for_update:
        rows = rows.select_for_update()
    path = submission.unit.path
    emptied: list[int] = []
    recompute: dict[int, list[str]] = {}
    decremented: list[IndicatorAggregate] = []
    now = timezone.now()
    for row in rows.order_by("unit_id", "indicator_code"):
        number = numbers[row.indicator_code]
        if row.value_count <= 1:
            emptied.append(row.pk)
        elif number in (row.value_min, row.value_max) or row.last_path == path:
            recompute.setdefault(row.unit_id, []).append(row.indicator_code)
        else:
            row.value_count -= 1
            row.value_sum -= number
            row.updated_at = now
            decremented.append(row)
    if emptied:
        IndicatorAggregate.objects.filter(pk__in=emptied).delete()
    if decremented:
        IndicatorAggregate.objects.bulk_update(decremented, ["value_count", "value_sum", "updated_at"])
    for unit_id, codes in recompute.items():
        _recompute(regime_id=submission.regime_id, period=submission.period, unit_ids=[unit_id], codes=codes)


def _rebuild(*, regime_id: int | None = None, period: str | None = None) -> int:
    return _recompute(regime_id=regime_id, period=period)


def aggregates_rebuild(*, acting_user=None, regime: ReportingRegime | None = None, period: str | None = None) -> int:
    """Recompute every aggregate (or those of one regime, of one period) from the approved values,
    in one transaction with its audit row; returns the number of rows now stored. For a database
    filled around the services (benchmarks, a restored dump) or after a repair."""
    with transaction.atomic():
        count = _rebuild(regime_id=regime.pk if regime else None, period=period)
        audit_record(actor=acting_user, action=AuditAction.ANALYTICS_REBUILD, entity="analytics",
                     entity_id=regime.pk if regime else 0, field=period or "",
                     new=str(count), comment=f"Dựng lại số liệu tổng hợp sẵn: {count} dòng.")
    return count


def _affected_scopes(paths: Sequence[str]) -> list[tuple[int, str]]:
    """(regime, period) pairs with an approved report of a unit under one of `paths`."""
    scopes: set[tuple[int, str]] = set()
    present = sorted({p for p in paths if p})
    for start in range(0, len(present), _PATHS_PER_QUERY):
        within = Q(pk__in=[])
        for path in present[start:start + _PATHS_PER_QUERY]:
            within |= subtree_q(OrgUnit(path=path), "unit")
        scopes |= set(Submission.objects.filter(within, status=SubmissionStatus.APPROVED)
                      .values_list("regime_id", "period").distinct())
    return sorted(scopes)


# Receivers, connected in AnalyticsConfig.ready; each runs in the sender's transaction.

def _serialise(submission: Submission) -> None:
    """Changes to one regime's aggregates wait for each other: take the regime's row lock. A
    removal recomputes min, max and last from the approved values, which under READ COMMITTED
    would still count a sibling whose reopening is not yet committed (and that sibling's own
    removal would then take it off twice). Approvals and reopenings are reviewers' acts, a few a
    minute; the reporters' saves and submissions do not come here and stay side by side."""
    if connection.features.has_select_for_update:
        ReportingRegime.objects.select_for_update().filter(pk=submission.regime_id).values_list("pk").first()


def on_submission_approved(sender, *, submission: Submission, **kwargs) -> None:
    _serialise(submission)
    aggregates_add_submission(submission)


def on_submission_reopened(sender, *, submission: Submission, **kwargs) -> None:
    _serialise(submission)
    aggregates_remove_submission(submission)


def on_unit_paths_changed(sender, *, paths: Sequence[str], **kwargs) -> None:
    """Units moved: their old ancestors lose their figures and the new ones gain them; each
    regime and period concerned is rebuilt (a move is rare, a rebuild of one period is one query)."""
    for regime_id, period in _affected_scopes(paths):
        _rebuild(regime_id=regime_id, period=period)


@dataclass(frozen=True)
class Difference:
    """A stored aggregate row that does not match the values: `stored` or `fresh` is None when
    the row is missing on that side."""

    key: tuple[int, str, int, str]  # regime id, period, unit id, indicator code
    stored: tuple | None
    fresh: tuple | None


def _normal(row: Sequence) -> tuple:
    count, total, low, high, last, last_path = row

    def dec(value) -> Decimal:
        return Decimal(str(value)).quantize(_PLACES)

    return (int(count), dec(total), dec(low), dec(high), dec(last), last_path)


def aggregates_differences(*, regime_id: int | None = None, period: str | None = None) -> list[Difference]:
    """Every stored row that differs from a fresh GROUP BY over the values (missing, extra or with
    other figures), in key order. Empty when the aggregates are consistent."""
    fresh_sql, params = _fresh_sql(regime_id=regime_id, period=period)
    lookups = _scope_filter(regime_id=regime_id, period=period)
    with connection.cursor() as cursor:
        cursor.execute(fresh_sql, params)
        fresh = {tuple(r[:4]): _normal(r[4:]) for r in cursor.fetchall()}
    stored = {
        tuple(r[:4]): _normal(r[4:])
        for r in IndicatorAggregate.objects.filter(**lookups).values_list(
            "regime_id", "period", "unit_id", "indicator_code", *FIGURES)
    }
    out = []
    for key in sorted(set(fresh) | set(stored)):
        if fresh.get(key) != stored.get(key):
            out.append(Difference(key=key, stored=stored.get(key), fresh=fresh.get(key)))
    return out
