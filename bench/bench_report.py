"""Benchmark of the consolidated report (issue 3).

(a) the demo's 2022S1 report of STTTT built from the data and rendered as DOCX (warm: after one
    untimed build), and its parts: composing (queries + pure compose) and rendering;
(b) a synthetic province: 100 communes × 200 indicators with last year's figures for comparison,
    composed and rendered as DOCX.
Reports median/p90 wall time, SQL queries and peak Python memory (tracemalloc) per build.

    .venv/bin/python bench/bench_report.py [--runs 10]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_report.py
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")  # a developer tool: the development key
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def measure(fn, runs: int):
    """Median and p90 of `runs` timed calls (after one warm-up), their SQL query count, and the peak
    Python memory of one more call under tracemalloc (not timed: tracing slows Python down)."""
    fn()  # warm: imports, fonts, template and query caches
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        queries.append(len(ctx.captured_queries))
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.9) - 1)], max(queries), peak


def docx_of_current(regime, period, unit) -> bytes:
    from baocao.consolidation.exports import export_current

    content, _, _ = export_current(regime=regime, period=period, unit=unit, fmt="docx")
    return content


def build_synthetic(communes: int = 100, indicators: int = 200):
    """A province with `communes` reporting communes, a form of `indicators` indicators in 5
    sections, approved reports for 2022S1 and 2021S1."""
    from baocao.accounts.models import User
    from baocao.orgunits.choices import UnitKind
    from baocao.orgunits.models import OrgUnit
    from baocao.reporting.choices import FormVersionStatus, NarrativeKind
    from baocao.reporting.models import (
        Form,
        FormSection,
        FormVersion,
        Indicator,
        NarrativeField,
        ReportingRegime,
    )
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission, SubmissionNarrative, SubmissionValue

    rnd = random.Random(11)

    def unit(code, name, kind, parent=None):
        u = OrgUnit(code=code, name=name, kind=kind, parent=parent)
        u.save()
        u.path = f"{parent.path if parent else '/'}{u.pk}/"
        u.save(update_fields=["path"])
        return u

    province = unit("SP", "Tỉnh Tổng Hợp", UnitKind.PROVINCE)
    dept = unit("SDEPT", "Sở Khoa học và Công nghệ", UnitKind.DEPARTMENT, province)
    units = [unit(f"SX{i:03d}", f"Xã Thử Nghiệm {i}", UnitKind.COMMUNE, province) for i in range(communes)]
    form = Form.objects.create(code="SF", name="Biểu mẫu lớn", owner=dept)
    fv = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED,
                                    published_at=timezone.now())
    sections = [FormSection.objects.create(form_version=fv, code=f"S{i}", title=f"Lĩnh vực {i}", order=i)
                for i in range(5)]
    inds = Indicator.objects.bulk_create([
        Indicator(section=sections[i % 5], form_version=fv, code=f"K{i:03d}", name=f"Chỉ tiêu thử {i}",
                  unit_of_measure="cái", order=i) for i in range(indicators)
    ])
    fields = NarrativeField.objects.bulk_create([
        NarrativeField(section=s, form_version=fv, code=f"{s.code}_R", kind=NarrativeKind.RESULTS, label="Kết quả")
        for s in sections
    ])
    regime = ReportingRegime.objects.create(code="SBENCH", name="Báo cáo tổng hợp thử", receiving_unit=dept,
                                            form=form, frequencies=["six_month"],
                                            deadline_rules={"six_month": {"month_offset": 0, "day": 20}})
    regime.reporting_units.set(units)
    now = timezone.now()
    for period in ("2021S1", "2022S1"):
        subs = Submission.objects.bulk_create([
            Submission(regime=regime, period=period, unit=u, form_version=fv, status=SubmissionStatus.APPROVED,
                       submitted_at=now, first_submitted_at=now) for u in units
        ])
        SubmissionValue.objects.bulk_create([
            SubmissionValue(submission=s, indicator=i, number=Decimal(rnd.randint(0, 5000)))
            for s in subs for i in inds
        ], batch_size=5000)
        SubmissionNarrative.objects.bulk_create([
            SubmissionNarrative(submission=s, field=f, text=f"Đơn vị đã hoàn thành kế hoạch {f.code}. "
                                                              f"Tổ chức {rnd.randint(1, 9)} hội nghị.")
            for s in subs for f in fields
        ])
    User.objects.create(username="sbench", role="admin", unit=dept)
    return regime, dept


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    rows = []
    try:
        from baocao.consolidation.compose import compose
        from baocao.consolidation.selectors import compose_input
        from baocao.demo.loader import demo_load
        from baocao.orgunits.models import OrgUnit
        from baocao.reporting.models import ReportingRegime

        demo_load()
        regime = ReportingRegime.objects.get(code="BC-TTTT")
        unit = OrgUnit.objects.get(code="STTTT")
        rows.append(("(a) demo 2022S1 report → DOCX (compose + render)", 25, 0,
                     measure(lambda: docx_of_current(regime, "2022S1", unit), args.runs)))
        from baocao.consolidation.rendering import _cached_chart

        def docx_charts_drawn():
            _cached_chart.cache_clear()
            return docx_of_current(regime, "2022S1", unit)

        rows.append(("(a) the same, charts drawn again (chart cache cleared)", 25, 0,
                     measure(docx_charts_drawn, args.runs)))
        rows.append(("(a) demo 2022S1: compose only (queries + compose)", 25, 0,
                     measure(lambda: compose(compose_input(regime=regime, period="2022S1", unit=unit)), args.runs)))
        sregime, sdept = build_synthetic()
        rows.append(("(b) 100 communes × 200 indicators, with comparison → DOCX", 100, 200,
                     measure(lambda: docx_of_current(sregime, "2022S1", sdept), args.runs)))
        def synthetic_charts_drawn():
            _cached_chart.cache_clear()
            return docx_of_current(sregime, "2022S1", sdept)

        rows.append(("(b) the same, charts drawn again (chart cache cleared)", 100, 200,
                     measure(synthetic_charts_drawn, args.runs)))
        rows.append(("(b) 100 × 200: compose only", 100, 200,
                     measure(lambda: compose(compose_input(regime=sregime, period="2022S1", unit=sdept)),
                             args.runs)))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"baocao bench_report — {connection.vendor}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, runs={args.runs} (warm)")
    print("| measure | units | indicators | median ms | p90 ms | SQL queries | peak MiB |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, units, inds, (med, p90, q, peak) in rows:
        print(f"| {label} | {units} | {inds or 28} | {med:.0f} | {p90:.0f} | {q} | {peak:.1f} |")


if __name__ == "__main__":
    main()
