"""Benchmark of the national consolidation against DuckDB and the plain GROUP BY (issue 14).

Builds, on baocao's own tables in a throwaway test database: a ministry receiving one regime from
the 3,321 communes of 1 July 2025 (their real names and provinces, from
tests/data/reorg/wards-2025-with-predecessors.csv, under the 34 provinces), a form of 200 integer
indicators (10 sections × 20), monthly periods (--months, default 24) with every value of every
report; in the month measured 97 % of the reports are approved, 2 % sent but not approved, 1 %
missing, and 5 % were sent after the deadline. A second regime, received by a Sở of Hà Nội from
its 126 communes on the same form, is the small size. Values are written in bulk by the database
itself (INSERT … SELECT over submissions × indicators), so the build is fast.

Then, in one interleaved run (every round runs each measure once, in turn), for the month
(2026M11) against the same month last year:
  baocao       consolidation.selectors.compose_input + consolidation.compose.compose, in-process,
               split into compose input (queries) and composition (pure Python);
  DuckDB       the same data exported once (not timed with the runs; its time is printed): the
               totals per indicator of both months, and the whole content (totals, by-province
               tables of the key indicators of both months, missing and late units);
  GROUP BY     the database's own SQL on baocao's tables: sum/count/min/max per indicator of the
               approved reports, both months.
Prints median and p90 per measure, the ratios to DuckDB, the peak memory of the process
(getrusage maxrss) after one national compose, and the cost per expected unit from 126 to 3,321.

    .venv/bin/python bench/bench_national.py [--months 24] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench14 .venv/bin/python bench/bench_national.py --months 3

Runs on a throwaway test database (never the demo's).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")  # a developer tool: the development key
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchdata import national_tree, numeric_form, sub_department, throwaway_database  # noqa: E402

MONTH = "2026M11"
SECTIONS = 10
PER_SECTION = 20
KEYS_PER_SECTION = 3  # compose's default key indicators: the first three numeric ones of a section
CHUNK = 500_000


def maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def month_codes(count: int) -> list[str]:
    """The month measured, the same month last year, then the months before the one measured."""
    from baocao.reporting.periods import parse_period

    target = parse_period(MONTH)
    codes = [target.code, target.same_period_last_year().code]
    period = target
    while len(codes) < max(2, count):
        period = period.previous()
        if period.code not in codes:
            codes.append(period.code)
    return codes[:max(2, count)]


def _regime(*, code: str, name: str, receiving, form, members):
    from baocao.orgunits.models import OrgUnitGroup
    from baocao.reporting.models import ReportingRegime

    group = OrgUnitGroup.objects.create(code=f"G-{code}", name=f"Đơn vị báo cáo {code}")
    group.members.set(members)
    regime = ReportingRegime.objects.create(code=code, name=name, receiving_unit=receiving, form=form,
                                            frequencies=["monthly"],
                                            deadline_rules={"monthly": {"month_offset": 0, "day": 15}})
    regime.reporting_groups.set([group])
    return regime


def _submissions(regime, fv, units, months: list[str], rnd: random.Random) -> None:
    """Every unit's report of every month; the month measured in mixed states (see the docstring)."""
    from baocao.reporting.selectors import regime_period
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission

    tz = ZoneInfo(settings.TIME_ZONE)
    subs = []
    for code in months:
        deadline = regime_period(regime, code).deadline
        on_time = datetime.combine(deadline - timedelta(days=3), dtime(9), tzinfo=tz)
        late = datetime.combine(deadline + timedelta(days=2), dtime(9), tzinfo=tz)
        for u in units:
            status, sent = SubmissionStatus.APPROVED, on_time
            if code == MONTH:
                draw = rnd.random()
                if draw < 0.01:
                    continue
                if draw < 0.03:
                    status = SubmissionStatus.SUBMITTED
                if rnd.random() < 0.05:
                    sent = late
            subs.append(Submission(regime=regime, period=code, unit=u, form_version=fv, status=status,
                                   submitted_at=sent, first_submitted_at=sent,
                                   reviewed_at=sent if status == SubmissionStatus.APPROVED else None))
    Submission.objects.bulk_create(subs, batch_size=5000)


def _values(regime, fv, months: list[str]) -> int:
    """Every indicator of every report, written by the database (one statement per month)."""
    from baocao.reporting.models import Indicator
    from baocao.submissions.models import Submission, SubmissionValue

    v, s, i = SubmissionValue._meta.db_table, Submission._meta.db_table, Indicator._meta.db_table
    changed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = 0
    for code in months:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {v} (submission_id, indicator_id, number, text, changed_version, changed_at) "  # noqa: S608
                f"SELECT s.id, i.id, (s.id * 7 + i.id * 13) %% 1000, '', 1, %s FROM {s} s CROSS JOIN {i} i "
                "WHERE s.regime_id = %s AND s.period = %s AND i.form_version_id = %s",
                [changed_at, regime.pk, code, fv.pk])
            rows += cursor.rowcount
    return rows


def build(months: list[str]):
    from baocao.accounts.choices import Role
    from baocao.accounts.models import User

    rnd = random.Random(14)
    ministry, provinces, communes = national_tree()
    hanoi = provinces["T1"]
    sodept = sub_department(parent=hanoi, code="SKHCN-HN", name="Sở Khoa học và Công nghệ Thành phố Hà Nội")
    form, fv, indicators = numeric_form(owner=ministry, code="QG", sections=SECTIONS, per_section=PER_SECTION)
    national = _regime(code="BC-QG", name="Báo cáo tháng cấp xã", receiving=ministry, form=form, members=communes)
    hanoi_communes = [c for c in communes if c.parent_id == hanoi.pk]
    province = _regime(code="BC-HN", name="Báo cáo tháng cấp xã Hà Nội", receiving=sodept, form=form,
                       members=hanoi_communes)
    values = 0
    for regime, units in ((national, communes), (province, hanoi_communes)):
        _submissions(regime, fv, units, months, rnd)
        values += _values(regime, fv, months)
    User.objects.create(username="bench-compiler", role=Role.COMPILER, unit=ministry)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [("national", national, ministry, len(communes)), ("province", province, sodept, len(hanoi_communes))], \
        values, indicators


# --- the three ways of answering ----------------------------------------------------------------


def baocao_compose(regime, unit) -> tuple[float, float, object]:
    from baocao.consolidation.compose import compose
    from baocao.consolidation.selectors import compose_input

    t0 = time.perf_counter()
    inp = compose_input(regime=regime, period=MONTH, unit=unit)
    t1 = time.perf_counter()
    report = compose(inp)
    t2 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (inp, report)


def group_by(regime, previous: str) -> list[tuple]:
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission, SubmissionValue

    v, s = SubmissionValue._meta.db_table, Submission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.period, v.indicator_id, SUM(v.number), COUNT(v.number), MIN(v.number), MAX(v.number) "  # noqa: S608
            f"FROM {v} v JOIN {s} s ON s.id = v.submission_id "
            "WHERE s.regime_id = %s AND s.period IN (%s, %s) AND s.status = %s GROUP BY s.period, v.indicator_id",
            [regime.pk, MONTH, previous, SubmissionStatus.APPROVED])
        return cursor.fetchall()


def export_to_duckdb(regimes):
    """DuckDB tables (in memory) of what the report reads: values, submissions, units, indicators and
    each regime's expected units. Read once through the database's cursor, in chunks."""
    import duckdb
    import numpy as np

    from baocao.orgunits.models import OrgUnit
    from baocao.reporting.models import Indicator
    from baocao.submissions.models import Submission, SubmissionValue
    from baocao.submissions.selectors import expected_units

    db = duckdb.connect()
    v = SubmissionValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {v} WHERE number <> CAST(number AS BIGINT)")  # noqa: S608
        assert cursor.fetchone()[0] == 0, "the bench data are integers, exported as BIGINT"
    db.execute("CREATE TABLE value (submission_id BIGINT, indicator_id BIGINT, number BIGINT)")
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT submission_id, indicator_id, CAST(number AS BIGINT) FROM {v}")  # noqa: S608
        while rows := cursor.fetchmany(CHUNK):
            block = np.array(rows, dtype=np.int64)
            chunk = {"submission_id": block[:, 0], "indicator_id": block[:, 1], "number": block[:, 2]}
            db.register("chunk", chunk)
            db.execute("INSERT INTO value SELECT * FROM chunk")
            db.unregister("chunk")
    subs = [(pk, regime, period, unit, status, _utc(sent)) for pk, regime, period, unit, status, sent in
            Submission.objects.values_list("id", "regime_id", "period", "unit_id", "status", "first_submitted_at")]
    _load_csv(db, "submission", "id BIGINT, regime_id BIGINT, period VARCHAR, unit_id BIGINT, status VARCHAR, "
              "first_submitted_at TIMESTAMP", subs)
    _load_csv(db, "unit", "id BIGINT, code VARCHAR, name VARCHAR, parent_id BIGINT",
              OrgUnit.objects.values_list("id", "code", "name", "parent_id"))
    _load_csv(db, "indicator", "id BIGINT, code VARCHAR, section VARCHAR, position INTEGER",
              Indicator.objects.values_list("id", "code", "section__code", "order"))
    _load_csv(db, "expected", "regime_id BIGINT, unit_id BIGINT",
              [(regime.pk, pk) for _, regime, _, _ in regimes
               for pk in expected_units(regime=regime, day=_rp(regime).window_end).values_list("pk", flat=True)])
    return db


def _utc(moment: datetime | None) -> datetime | None:
    """A naive UTC timestamp (DuckDB's TIMESTAMP) of an aware datetime."""
    return None if moment is None else moment.astimezone(UTC).replace(tzinfo=None)


def _load_csv(db, table: str, columns: str, rows) -> None:
    """A DuckDB table of `rows` through a CSV file (DuckDB's own reader; executemany is slow)."""
    import csv
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
        f.flush()
        db.execute(f"CREATE TABLE {table} ({columns})")
        db.execute(f"COPY {table} FROM '{f.name}' (FORMAT csv, HEADER false)")


def _rp(regime):
    from baocao.reporting.selectors import regime_period

    return regime_period(regime, MONTH)


_TOTALS = """
SELECT s.period, v.indicator_id, SUM(v.number), COUNT(v.number), MIN(v.number), MAX(v.number)
FROM value v JOIN submission s ON s.id = v.submission_id JOIN expected e ON e.regime_id = s.regime_id AND e.unit_id = s.unit_id
WHERE s.regime_id = $regime AND s.period IN ($month, $previous) AND s.status = 'approved'
GROUP BY ALL
"""
_BY_AREA = """
SELECT u.parent_id, s.period, v.indicator_id, SUM(v.number)
FROM value v JOIN submission s ON s.id = v.submission_id JOIN expected e ON e.regime_id = s.regime_id AND e.unit_id = s.unit_id
JOIN unit u ON u.id = s.unit_id JOIN indicator i ON i.id = v.indicator_id
WHERE s.regime_id = $regime AND s.period IN ($month, $previous) AND s.status = 'approved' AND i.position < $keys
GROUP BY ALL
"""
_MISSING = """
SELECT u.id, u.code, u.name FROM expected e JOIN unit u ON u.id = e.unit_id
WHERE e.regime_id = $regime AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.regime_id = e.regime_id
  AND s.unit_id = e.unit_id AND s.period = $month AND s.status = 'approved')
ORDER BY u.code
"""
_LATE = """
SELECT u.id, u.code, u.name FROM submission s JOIN expected e ON e.regime_id = s.regime_id AND e.unit_id = s.unit_id
JOIN unit u ON u.id = s.unit_id
WHERE s.regime_id = $regime AND s.period = $month AND s.first_submitted_at >= $late_from
ORDER BY u.code
"""


def duck_params(regime) -> dict:
    rp = _rp(regime)
    late_from = _utc(datetime.combine(rp.deadline + timedelta(days=1), dtime(0), tzinfo=ZoneInfo(settings.TIME_ZONE)))
    return {"regime": regime.pk, "month": MONTH, "previous": rp.period.same_period_last_year().code,
            "keys": KEYS_PER_SECTION, "late_from": late_from}


def duck_totals(db, params: dict) -> list[tuple]:
    return db.execute(_TOTALS, {k: params[k] for k in ("regime", "month", "previous")}).fetchall()


def duck_full(db, params: dict) -> tuple:
    def run(sql: str, names: tuple[str, ...]) -> list[tuple]:
        return db.execute(sql, {k: params[k] for k in names}).fetchall()

    return (duck_totals(db, params), run(_BY_AREA, ("regime", "month", "previous", "keys")),
            run(_MISSING, ("regime", "month")), run(_LATE, ("regime", "month", "late_from")))


def check_same(regime, inp, totals, grouped) -> None:
    """The three answers agree: baocao's inputs, DuckDB's totals and the GROUP BY."""
    from baocao.reporting.models import Indicator

    code_of = dict(Indicator.objects.values_list("id", "code"))
    duck = {(p, code_of[i]): int(total) for p, i, total, *_ in totals}
    sql = {(p, code_of[i]): int(total) for p, i, total, *_ in grouped}
    assert duck == sql, "DuckDB and GROUP BY disagree"
    mine: dict[str, int] = {}
    for values in inp.approved.values():
        for code, number in values.items():
            mine[code] = mine.get(code, 0) + int(number)
    assert mine == {code: t for (p, code), t in duck.items() if p == MONTH}, "baocao and DuckDB disagree"
    previous = {code: t for (p, code), t in duck.items() if p != MONTH}
    assert {code: int(v) for code, v in inp.previous.items()} == previous, "last year's totals disagree"


def stats(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.9 + 0.5) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=24, help="monthly periods of data (at least 2)")
    parser.add_argument("--runs", type=int, default=5, help="interleaved rounds")
    args = parser.parse_args()
    settings.DEBUG = False
    months = month_codes(args.months)
    with throwaway_database():
        t0 = time.perf_counter()
        regimes, values, indicators = build(months)
        built = time.perf_counter() - t0
        rss_built = maxrss_mib()
        _, _, (inp, _) = baocao_compose(regimes[0][1], regimes[0][2])  # warm, and the peak memory of one national compose
        rss_compose = maxrss_mib()
        t0 = time.perf_counter()
        db = export_to_duckdb(regimes)
        exported = time.perf_counter() - t0
        rss_duck = maxrss_mib()
        params = {name: duck_params(regime) for name, regime, _, _ in regimes}
        for name, regime, unit, _ in regimes:  # warm each, and check that they agree
            inp = baocao_compose(regime, unit)[2][0]
            totals = duck_totals(db, params[name])
            duck_full(db, params[name])
            check_same(regime, inp, totals, group_by(regime, params[name]["previous"]))
        del inp
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.runs):
            for name, regime, unit, _ in regimes:
                a, b, _ = baocao_compose(regime, unit)
                times.setdefault((name, "input"), []).append(a)
                times.setdefault((name, "composition"), []).append(b)
                times.setdefault((name, "baocao"), []).append(a + b)
                t = time.perf_counter()
                duck_totals(db, params[name])
                times.setdefault((name, "duck_totals"), []).append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                duck_full(db, params[name])
                times.setdefault((name, "duck_full"), []).append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                group_by(regime, params[name]["previous"])
                times.setdefault((name, "group_by"), []).append((time.perf_counter() - t) * 1000)
        rss_end = maxrss_mib()

    import duckdb

    print(f"baocao bench_national — {connection.vendor}, Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cores; {len(months)} months × {len(indicators)} indicators, "
          f"{values:,} values; month {MONTH} against {params['national']['previous']}; runs={args.runs} (interleaved)")
    print(f"build {built:.1f} s; export to DuckDB (not in the runs) {exported:.1f} s; peak RSS: {rss_built:.0f} MiB "
          f"after the build, {rss_compose:.0f} MiB after one national compose (before DuckDB), "
          f"{rss_duck:.0f} MiB with DuckDB loaded, {rss_end:.0f} MiB at the end")
    labels = [("baocao", "baocao compose_input + compose"), ("input", "  of which compose input (queries)"),
              ("composition", "  of which composition (Python)"), ("duck_totals", "DuckDB totals (2 months)"),
              ("duck_full", "DuckDB whole content"), ("group_by", "GROUP BY on baocao's tables (2 months)")]
    print("| size | measure | median ms | p90 ms | × DuckDB totals | × DuckDB whole |")
    print("|---|---|---:|---:|---:|---:|")
    for name, _, _, expected in regimes:
        duck_t = stats(times[(name, "duck_totals")])[0]
        duck_w = stats(times[(name, "duck_full")])[0]
        for key, label in labels:
            med, p90 = stats(times[(name, key)])
            print(f"| {expected:,} units | {label} | {med:,.1f} | {p90:,.1f} | {med / duck_t:,.1f} | {med / duck_w:,.1f} |")
    (_, _, _, big), (_, _, _, small) = regimes
    print()
    print(f"| growth | median ms at {small:,} units | median ms at {big:,} units | ms per added unit | × |")
    print("|---|---:|---:|---:|---:|")
    for key, label in labels:
        b, s = stats(times[("national", key)])[0], stats(times[("province", key)])[0]
        print(f"| {label.strip()} | {s:,.1f} | {b:,.1f} | {(b - s) / (big - small):.3f} | {b / s:.1f} |")

if __name__ == "__main__":
    main()
