"""Benchmark of the 2025 reorganisation (issue 11).

(a) The national import on the official files: `orgunits_import_gso` of every province (10,794 units),
    then `reorganisation_import_2025` (34 provinces, 3,321 communes, ~11,000 links) as a dry run, for
    real, and once more (nothing left to change). Wall time and SQL query count of each.
(b) The cost of comparing successors with their predecessors at national scale: a six-month regime of
    the national department whose reporting units are all 3,321 new communes (and, before 1 July 2025,
    their 10,040 predecessors), 20 indicators of every aggregation rule, approved values for 2025S1
    (the predecessors), 2025S2, 2026S1 and 2026S2 (the new communes). `compose_input`,
    `previous_from_lineage` and `lineage_sources` of 2026S1 (last year's figures from the
    predecessors) against the same calls for 2026S2 (last year's units are the units themselves),
    median/p90 of N runs, query counts and the ratio, in one run.

Reads the full files from ../shared/data when present, else the committed copies in tests/data.

    .venv/bin/python bench/bench_reorganisation.py [--runs 10] [--import-runs 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_reorganisation.py

Runs on a throwaway test database (never the demo's).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")  # a developer tool: the development key
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
COMMITTED = ROOT / "tests" / "data"
CHUNK = 5000
# (code prefix, how many, aggregation rule, value type)
INDICATOR_PLAN = (
    ("SL", 12, "sum", "integer"),
    ("KP", 3, "sum", "decimal"),
    ("TL", 2, "average", "percent"),
    ("MX", 1, "max", "integer"),
    ("MN", 1, "min", "integer"),
    ("CK", 1, "last", "integer"),
)
SUCCESSOR_PERIOD, SUCCESSOR_PREVIOUS, SUCCESSOR_ON = "2026S1", "2025S1", date(2025, 6, 14)
UNCHANGED_PERIOD, UNCHANGED_PREVIOUS, UNCHANGED_ON = "2026S2", "2025S2", date(2025, 12, 14)


def data_files() -> tuple[str, dict[str, Path]]:
    names = {
        "districts": "gso-districts-legacy-2025-07-18.csv",
        "wards": "gso-wards-legacy-2025-07-18.csv",
        "provinces": "provinces-2025-merger.csv",
        "new_wards": "wards-2025-with-predecessors.csv",
        "mapping": "wards-legacy-to-2025.csv",
    }
    if all((SHARED / name).is_file() for name in names.values()):
        return str(SHARED), {key: SHARED / name for key, name in names.items()}
    folders = {"districts": "gso", "wards": "gso", "provinces": "reorg", "new_wards": "reorg", "mapping": "reorg"}
    return str(COMMITTED), {key: COMMITTED / folders[key] / name for key, name in names.items()}


def timed(fn):
    """One call: (result, seconds, SQL queries)."""
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - t0
    return result, seconds, len(ctx.captured_queries)


def measure(fn, runs: int):
    """Median and p90 ms of `runs` calls after one warm-up, and the largest query count."""
    fn()
    times, queries = [], []
    for _ in range(runs):
        _, seconds, count = timed(fn)
        times.append(seconds * 1000)
        queries.append(count)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.9) - 1)], max(queries)


def wipe_units() -> None:
    from baocao.audit.models import AuditEvent
    from baocao.orgunits.models import OrgUnit, OrgUnitGroup, ReorgEvent, UnitLink, UnitName

    for model in (AuditEvent, UnitLink, UnitName, ReorgEvent, OrgUnitGroup.members.through, OrgUnit):
        model.objects.all()._raw_delete(model.objects.db)


def national_import(files: dict[str, Path], runs: int) -> list[tuple[str, float, float, int, str]]:
    """(label, median s, max s, queries, what it did) of each step, over `runs` fresh imports."""
    from baocao.orgunits.models import OrgUnit, UnitLink
    from baocao.orgunits.reorganisation import reorganisation_import_2025
    from baocao.orgunits.services import orgunits_import_gso

    def reorganise(dry_run: bool):
        return reorganisation_import_2025(acting_user=None, provinces_file=files["provinces"],
                                          wards_file=files["new_wards"], mapping_file=files["mapping"],
                                          dry_run=dry_run)

    steps: dict[str, list[tuple[float, int, str]]] = defaultdict(list)
    for run in range(runs):
        if run:
            wipe_units()
        gso, seconds, queries = timed(lambda: orgunits_import_gso(
            acting_user=None, districts_file=files["districts"], wards_file=files["wards"]))
        steps["import-gso, every province"].append(
            (seconds, queries, f"{gso.created:,} units created"))
        dry, seconds, queries = timed(lambda: reorganise(True))
        steps["import-reorganisation --dry-run"].append(
            (seconds, queries, f"{dry.communes_created:,} communes, {dry.links_created:,} links planned"))
        real, seconds, queries = timed(lambda: reorganise(False))
        steps["import-reorganisation"].append(
            (seconds, queries, f"{real.provinces_created + real.provinces_kept} provinces, "
                               f"{real.communes_created:,} communes, {real.units_ended:,} units ended, "
                               f"{real.links_created:,} links ({real.estimated_links:,} apportioned)"))
        again, seconds, queries = timed(lambda: reorganise(False))
        assert not again.changed, "a second run changed something"
        steps["import-reorganisation again (nothing to change)"].append((seconds, queries, "no change"))
    assert OrgUnit.objects.filter(kind="commune", valid_from=date(2025, 7, 1)).count() == 3321
    assert UnitLink.objects.count() > 10_000
    return [(label, statistics.median(s for s, _, _ in found), max(s for s, _, _ in found),
             max(q for _, q, _ in found), found[-1][2]) for label, found in steps.items()]


def build_comparison():
    """The regime, its receiving unit and the new communes, with approved values in bulk."""
    from baocao.orgunits.choices import UnitKind
    from baocao.orgunits.models import OrgUnit, UnitLink
    from baocao.reporting.choices import FormVersionStatus
    from baocao.reporting.models import Form, FormSection, FormVersion, Indicator, ReportingRegime
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission, SubmissionValue

    rnd = random.Random(11)
    new_communes = list(OrgUnit.objects.filter(kind=UnitKind.COMMUNE, valid_from=date(2025, 7, 1)).order_by("pk"))
    predecessor_ids = sorted(set(UnitLink.objects.filter(successor__in=new_communes)
                                 .values_list("predecessor_id", flat=True)))
    predecessors = list(OrgUnit.objects.filter(pk__in=predecessor_ids).order_by("pk"))
    ministry = OrgUnit.objects.create(code="BKHCN-BENCH", name="Bộ Khoa học và Công nghệ", kind=UnitKind.DEPARTMENT)
    ministry.path = f"/{ministry.pk}/"
    ministry.save(update_fields=["path"])
    form = Form.objects.create(code="BENCH-XA", name="Báo cáo của xã (thử)", owner=ministry)
    fv = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED,
                                    published_at=timezone.now())
    section = FormSection.objects.create(form_version=fv, code="S1", title="Khoa học, công nghệ và chuyển đổi số",
                                         order=0)
    plan = [(f"{prefix}{i:02d}", rule, value_type)
            for prefix, n, rule, value_type in INDICATOR_PLAN for i in range(1, n + 1)]
    indicators = Indicator.objects.bulk_create([
        Indicator(section=section, form_version=fv, code=code, name=f"Chỉ tiêu {code}", aggregation=rule,
                  value_type=value_type, order=order)
        for order, (code, rule, value_type) in enumerate(plan)
    ])
    regime = ReportingRegime.objects.create(code="BENCH-XA", name="Báo cáo sáu tháng của xã (thử)",
                                            receiving_unit=ministry, form=form, frequencies=["six_month"],
                                            deadline_rules={"six_month": {"month_offset": 0, "day": 20}})
    regime.reporting_units.set(predecessors + new_communes)

    def value(value_type: str) -> Decimal:
        if value_type == "percent":
            return Decimal(rnd.randint(0, 10000)) / 100
        if value_type == "decimal":
            return Decimal(rnd.randint(0, 10_000_000)) / 100
        return Decimal(rnd.randint(0, 5000))

    now = timezone.now()
    written = 0
    for period, units in ((SUCCESSOR_PREVIOUS, predecessors), (UNCHANGED_PREVIOUS, new_communes),
                          (SUCCESSOR_PERIOD, new_communes), (UNCHANGED_PERIOD, new_communes)):
        subs = Submission.objects.bulk_create([
            Submission(regime=regime, period=period, unit=u, form_version=fv, status=SubmissionStatus.APPROVED,
                       submitted_at=now, first_submitted_at=now) for u in units
        ], batch_size=CHUNK // 10)
        rows = [SubmissionValue(submission=s, indicator=i, number=value(i.value_type)) for s in subs for i in indicators]
        SubmissionValue.objects.bulk_create(rows, batch_size=CHUNK // 10)
        written += len(rows)
    return regime, ministry, new_communes, predecessors, plan, written


def check_totals(regime, ministry, predecessors, plan) -> str:
    """Not a timing: the successors' 2025S1 total of every summed integer indicator is the sum of the
    predecessors' values (each once)."""
    from baocao.consolidation.selectors import compose_input
    from baocao.submissions.models import SubmissionValue

    found = compose_input(regime=regime, period=SUCCESSOR_PERIOD, unit=ministry)
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for code, number in SubmissionValue.objects.filter(
            submission__regime=regime, submission__period=SUCCESSOR_PREVIOUS,
            submission__unit__in=predecessors).values_list("indicator__code", "number"):
        sums[code] += number
    summed = [code for code, rule, value_type in plan if rule == "sum" and value_type == "integer"]
    wrong = [code for code in summed if found.previous[code] != sums[code]]
    assert not wrong, f"previous totals differ from the predecessors' sums: {wrong}"
    bases: dict[str, int] = defaultdict(int)
    for row in found.previous_rows.values():
        bases[str(row["basis"])] += 1
    return (f"report basis {found.previous_basis}; rows {dict(sorted(bases.items()))}; "
            f"{len(summed)} summed totals = predecessors' sums; note: {found.previous_note}")


def comparison(runs: int):
    from baocao.consolidation.previous import previous_from_lineage
    from baocao.consolidation.selectors import compose_input
    from baocao.orgunits.lineage import lineage_sources

    t0 = time.perf_counter()
    regime, ministry, communes, predecessors, plan, written = build_comparison()
    build_s = time.perf_counter() - t0
    ids = [u.pk for u in communes]
    indicators = {code: (rule, value_type) for code, rule, value_type in plan}
    check = check_totals(regime, ministry, predecessors, plan)

    def cases(period: str, previous: str, on: date):
        year = int(previous[:4])
        return [
            ("compose_input (whole country)",
             lambda: compose_input(regime=regime, period=period, unit=ministry)),
            ("previous_from_lineage",
             lambda: previous_from_lineage(regime=regime, period=previous, on=on, unit_ids=ids,
                                           indicators=indicators, previous_year=year)),
            ("lineage_sources",
             lambda: lineage_sources(ids, on=on)),
        ]

    rows = []
    for (label, succ), (_, same) in zip(cases(SUCCESSOR_PERIOD, SUCCESSOR_PREVIOUS, SUCCESSOR_ON),
                                        cases(UNCHANGED_PERIOD, UNCHANGED_PREVIOUS, UNCHANGED_ON), strict=True):
        rows.append((label, measure(succ, runs), measure(same, runs)))
    return rows, build_s, written, len(communes), len(predecessors), len(plan), check


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10, help="timed calls of each comparison measure")
    parser.add_argument("--import-runs", type=int, default=1, help="fresh national imports (median)")
    args = parser.parse_args()
    setup_test_environment()
    source, files = data_files()
    if connection.vendor == "postgresql":
        # Its own throwaway database: autoclobber must never drop the test database of a test run
        # going on beside it (pytest-django's test_<name>).
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_reorganisation_{os.getpid()}"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        imports = national_import(files, args.import_runs)
        compared, build_s, written, communes, predecessors, n_indicators, check = comparison(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"baocao bench_reorganisation — {connection.vendor}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores; files from {source}")
    print(f"(a) national import, {args.import_runs} fresh run(s)")
    print("| step | s | max s | SQL queries | result |")
    print("|---|---:|---:|---:|---|")
    for label, med, worst, queries, what in imports:
        print(f"| {label} | {med:.1f} | {worst:.1f} | {queries:,} | {what} |")
    print()
    print(f"(b) {communes:,} new communes (2026S1 vs 2025S1: {predecessors:,} predecessors) against the same "
          f"communes unchanged (2026S2 vs 2025S2), {n_indicators} indicators, runs={args.runs} (warm); "
          f"fixture: {written:,} values in {build_s:.1f} s")
    print("| measure | successors: median ms | p90 ms | SQL | unchanged: median ms | p90 ms | SQL | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, (s_med, s_p90, s_q), (u_med, u_p90, u_q) in compared:
        print(f"| {label} | {s_med:.0f} | {s_p90:.0f} | {s_q} | {u_med:.0f} | {u_p90:.0f} | {u_q} | "
              f"{s_med / u_med:.1f}× |")
    print(f"check: {check}")


if __name__ == "__main__":
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    main()
