"""Benchmark of bulk import (issue 6): parse + validate + write, in values per second.

Builds UNITS reporting units and a regime whose form has INDICATORS integer indicators, writes
a CSV of every unit × indicator for one period in memory (200,000 values by default), then
measures `read_file` + `bulk_import` into empty reports (creates every draft: the migration case)
and again over the stored values with every value changed (the update case). Peak memory is
measured in a separate run under tracemalloc, which slows Python down.

    .venv/bin/python bench/bench_exchange.py [--units 2000 --indicators 100 --runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_exchange.py

Runs on a throwaway test database (never the demo's).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")  # a developer tool: the development key
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def build(units: int, indicators: int):
    from decimal import Decimal

    from baocao.accounts.choices import Role
    from baocao.accounts.models import User
    from baocao.orgunits.choices import UnitKind
    from baocao.orgunits.models import OrgUnit
    from baocao.reporting.choices import FormVersionStatus
    from baocao.reporting.models import Form, FormSection, FormVersion, Indicator, ReportingRegime

    province = OrgUnit(code="P", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE)
    province.save()
    OrgUnit.objects.filter(pk=province.pk).update(path=f"/{province.pk}/")
    OrgUnit.objects.bulk_create([
        OrgUnit(code=f"X{i:05d}", name=f"Xã Thử {i}", kind=UnitKind.PEOPLES_COMMITTEE, parent=province, depth=1,
                path=f"/{province.pk}/x{i}/")
        for i in range(units)
    ])
    form = Form.objects.create(code="F", name="Biểu mẫu", owner=province)
    fv = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED)
    section = FormSection.objects.create(form_version=fv, code="I", title="I. Phần một", order=1)
    Indicator.objects.bulk_create([
        Indicator(section=section, form_version=fv, code=f"I{i:03d}", name=f"Chỉ tiêu {i}", min_value=Decimal(0),
                  order=i)
        for i in range(indicators)
    ])
    regime = ReportingRegime.objects.create(code="BC", name="Chế độ", receiving_unit=province, form=form,
                                            frequencies=["six_month", "annual"])
    regime.reporting_units.set(OrgUnit.objects.filter(code__startswith="X"))
    admin = User(username="admin", role=Role.ADMIN, is_superuser=True)
    admin.set_password("x")
    admin.save()
    return admin


def csv_bytes(units: int, indicators: int, offset: int) -> bytes:
    out = io.StringIO()
    out.write("regime,period,unit,code,value\n")
    for u in range(units):
        unit = f"X{u:05d}"
        for i in range(indicators):
            out.write(f"BC,2022S1,{unit},I{i:03d},{(u * 7 + i) % 5000 + offset}\n")
    return out.getvalue().encode()


def run_import(content: bytes, admin):
    from baocao.exchange.bulk import bulk_import
    from baocao.exchange.formats import read_file

    t0 = time.perf_counter()
    parsed = read_file(content, filename="bench.csv")
    t1 = time.perf_counter()
    summary = bulk_import(rows=parsed.rows, acting_user=admin, first_row=parsed.first_row)
    t2 = time.perf_counter()
    assert not summary.conflicts, summary.conflicts[:3]
    return t1 - t0, t2 - t1, summary


def database_floor(admin, content: bytes) -> float:
    """Seconds the database alone takes to store the same values in the same table: the rows
    prepared in memory beforehand, one executemany (SQLite) or one COPY (PostgreSQL), committed.
    No parsing, no validation, no drafts or audit rows: the ceiling the importer works under."""
    from django.db import transaction
    from django.utils import timezone

    from baocao.submissions.models import SubmissionValue

    reset_values()
    run_import(content, admin)
    rows = list(SubmissionValue.objects.values_list("submission_id", "indicator_id", "number"))
    SubmissionValue.objects.all().delete()
    now = timezone.now()
    columns = "(submission_id, indicator_id, number, text, changed_version, changed_at)"
    if connection.vendor == "postgresql":
        stamp = now.isoformat()
        buffer = "".join(f"{s}\t{i}\t{n}\t\t1\t{stamp}\n" for s, i, n in rows)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY submissions_submissionvalue {columns} FROM STDIN") as copy:
                copy.write(buffer)
    else:
        stamp = connection.ops.adapt_datetimefield_value(now)
        params = [(s, i, int(n), "", 1, stamp) for s, i, n in rows]
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO submissions_submissionvalue {columns} VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608
                               params)
    return time.perf_counter() - started


def reset_values() -> None:
    from baocao.audit.models import AuditEvent
    from baocao.submissions.models import Submission, SubmissionValue

    SubmissionValue.objects.all().delete()
    AuditEvent.objects.all().delete()
    Submission.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--indicators", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EXCHANGE_MAX_UPLOAD_BYTES = 1 << 30
    if connection.vendor == "sqlite":
        # A file in WAL mode, as in production (Django's default test database is in memory).
        Path("/tmp/baocao-bench").mkdir(exist_ok=True)
        connection.settings_dict["TEST"]["NAME"] = "/tmp/baocao-bench/bench.sqlite3"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    n = args.units * args.indicators
    results = {"create": [], "update": []}
    floors = []
    try:
        admin = build(args.units, args.indicators)
        first, second = csv_bytes(args.units, args.indicators, 0), csv_bytes(args.units, args.indicators, 1)
        for _ in range(args.runs):
            reset_values()
            parse_s, import_s, summary = run_import(first, admin)
            assert summary.imported == n, summary.as_dict()
            results["create"].append((parse_s, import_s))
            parse_s, import_s, summary = run_import(second, admin)
            assert summary.updated == n, summary.as_dict()
            results["update"].append((parse_s, import_s))
        for _ in range(args.runs):
            floors.append(database_floor(admin, first))
        reset_values()
        tracemalloc.start()
        run_import(first, admin)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"baocao bench_exchange — {connection.vendor}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores; {args.units:,} units × {args.indicators} indicators = {n:,} values, "
          f"CSV {len(first) / 2**20:.1f} MiB, runs={args.runs} (median)")
    print("| case | parse s | validate + write s | total s | values/s | peak MiB (tracemalloc, create) |")
    print("|---|---:|---:|---:|---:|---:|")
    for case, label in (("create", "new drafts, all values new"), ("update", "every stored value changed")):
        parse_s = statistics.median(r[0] for r in results[case])
        import_s = statistics.median(r[1] for r in results[case])
        total = statistics.median(r[0] + r[1] for r in results[case])
        peak_text = f"{peak / 2**20:.0f}" if case == "create" else ""
        print(f"| {label} | {parse_s:.2f} | {import_s:.2f} | {total:.2f} | {n / total:,.0f} | {peak_text} |")
    floor = statistics.median(floors)
    create = statistics.median(r[0] + r[1] for r in results["create"])
    print(f"| the database alone: the same new values, prepared in memory, one "
          f"{'COPY' if connection.vendor == 'postgresql' else 'executemany'} | | {floor:.2f} | {floor:.2f} | "
          f"{n / floor:,.0f} | |")
    print(f"\nimport of new drafts / database alone: {create / floor:.2f}× the time")


if __name__ == "__main__":
    main()
