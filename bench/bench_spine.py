"""Benchmark of the reporting spine (issue 2).

Builds 10,000 units and a regime with 100 indicators whose 3,321 expected units (the number of
commune-level units after the 2025 reorganisation) report for one period, then measures
(a) the monitoring page for those 3,321 units and (b) saving a 100-value draft, reporting the
server time (median and p90 of N runs) and the SQL query count. The query count of (a) is also
measured with 500 expected units, to show it does not grow with the number of units.

    .venv/bin/python bench/bench_spine.py [--runs 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_spine.py

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
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")  # a developer tool: the development key
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

UNITS = 10_000
EXPECTED = 3_321
INDICATORS = 100


def build(expected: int):
    from baocao.accounts.choices import Role
    from baocao.accounts.models import User
    from baocao.core.vietnamese import fold
    from baocao.orgunits.choices import UnitKind
    from baocao.orgunits.models import OrgUnit, OrgUnitGroup
    from baocao.reporting.choices import FormVersionStatus, NarrativeKind
    from baocao.reporting.models import (
        Form,
        FormSection,
        FormVersion,
        Indicator,
        NarrativeField,
        ReportingRegime,
        ValidationRule,
    )
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission

    rnd = random.Random(7)
    province = OrgUnit(code="P", name="Tỉnh Thử Nghiệm", kind=UnitKind.PROVINCE)
    province.save()
    province.path = f"/{province.pk}/"
    province.save()
    dept = OrgUnit(code="DEPT", name="Sở Khoa học và Công nghệ", kind=UnitKind.DEPARTMENT, parent=province)
    dept.save()
    dept.path = f"{province.path}{dept.pk}/"
    dept.depth = 1
    dept.save()
    districts = []
    for i in range(100):
        districts.append(OrgUnit(code=f"D{i:03d}", name=f"Huyện Thử {i}", kind=UnitKind.PEOPLES_COMMITTEE,
                                 parent=province, depth=1, search_text=fold(f"D{i:03d} Huyện Thử {i}")))
    OrgUnit.objects.bulk_create(districts)
    districts = list(OrgUnit.objects.filter(code__startswith="D").order_by("pk"))
    for d in districts:
        d.path = f"{province.path}{d.pk}/"
    OrgUnit.objects.bulk_update(districts, ["path"])
    communes = []
    for i in range(UNITS - 102):
        d = districts[i % len(districts)]
        name = f"Xã Thử Nghiệm Số {i}"
        communes.append(OrgUnit(code=f"C{i:05d}", name=name, kind=UnitKind.COMMUNE, parent=d, depth=2,
                                search_text=fold(f"C{i:05d} {name}")))
    OrgUnit.objects.bulk_create(communes, batch_size=2000)
    communes = list(OrgUnit.objects.filter(kind=UnitKind.COMMUNE).select_related("parent").order_by("pk"))
    for c in communes:
        c.path = f"{c.parent.path}{c.pk}/"
    OrgUnit.objects.bulk_update(communes, ["path"], batch_size=2000)

    form = Form.objects.create(code="F", name="Biểu mẫu thử", owner=dept)
    fv = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED,
                                    published_at=timezone.now())
    sections = [FormSection.objects.create(form_version=fv, code=f"S{i}", title=f"Phần {i}", order=i)
                for i in range(5)]
    Indicator.objects.bulk_create([
        Indicator(section=sections[i % 5], form_version=fv, code=f"I{i:03d}", name=f"Chỉ tiêu {i}",
                  unit_of_measure="cái", min_value=Decimal(0), order=i)
        for i in range(INDICATORS)
    ])
    NarrativeField.objects.bulk_create([
        NarrativeField(section=s, form_version=fv, code=f"{s.code}_RESULTS", kind=NarrativeKind.RESULTS,
                       label="Kết quả") for s in sections
    ])
    ValidationRule.objects.create(form_version=fv, code="R1", expression="I001 <= I000", message="I001 ≤ I000")
    group = OrgUnitGroup.objects.create(code="XA", name="Các xã")
    chosen = communes[:expected]
    group.members.set(chosen)
    regime = ReportingRegime.objects.create(
        code="BENCH", name="Báo cáo thử", receiving_unit=dept, form=form, frequencies=["six_month", "annual"],
        deadline_rules={"six_month": {"month_offset": 0, "day": 20}},
    )
    regime.reporting_groups.set([group])
    # Two thirds have reported: a mix of statuses and times.
    now = timezone.now()
    subs = []
    for u in chosen[: expected * 2 // 3]:
        status = rnd.choice([SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED])
        sent = None if status == SubmissionStatus.DRAFT else now
        subs.append(Submission(regime=regime, period="2022S1", unit=u, form_version=fv, status=status,
                               submitted_at=sent, first_submitted_at=sent))
    Submission.objects.bulk_create(subs, batch_size=2000)
    compiler = User(username="bench-compiler", role=Role.COMPILER, unit=dept)
    compiler.set_password("x")
    compiler.save()
    reporter = User(username="bench-reporter", role=Role.REPORTER, unit=chosen[-1])
    reporter.set_password("x")
    reporter.save()
    return regime, compiler, reporter, chosen[-1]


def measure(fn, runs: int):
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1], max(queries)


def reset_db():
    from baocao.accounts.models import User
    from baocao.audit.models import AuditEvent
    from baocao.orgunits.models import OrgUnit, OrgUnitGroup
    from baocao.reporting.models import Form, ReportingRegime
    from baocao.submissions.models import Submission

    AuditEvent.objects.all().delete()
    Submission.objects.all().delete()
    ReportingRegime.objects.all().delete()
    User.objects.all().delete()
    for fv in Form.objects.all():
        for v in fv.versions.all():
            v.sections.all().delete()
            v.delete()
        fv.delete()
    OrgUnitGroup.objects.all().delete()
    OrgUnit.objects.all()._raw_delete(OrgUnit.objects.db)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from baocao.submissions.services import submission_get_or_create, submission_save_draft

        results = {}
        for expected in (500, EXPECTED):
            t0 = time.perf_counter()
            regime, compiler, reporter, unit = build(expected)
            build_s = time.perf_counter() - t0
            client = Client()
            client.force_login(compiler)
            url = f"/regimes/{regime.pk}/monitor/?period=2022S1"
            assert client.get(url).status_code == 200
            results[("monitor", expected)] = measure(lambda c=client, u=url: c.get(u), args.runs)
            if expected == EXPECTED:
                sub = submission_get_or_create(regime=regime, period="2022S2", unit=unit, acting_user=reporter)
                counter = {"n": 0}

                def save(counter=counter, sub=sub, reporter=reporter):
                    counter["n"] += 1
                    values = {f"I{i:03d}": counter["n"] * 1000 + i for i in range(INDICATORS)}
                    submission_save_draft(submission=sub, acting_user=reporter, values=values)

                results[("save", EXPECTED)] = measure(save, args.runs)
                results["build"] = build_s
            reset_db()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    db = connection.vendor
    print(f"baocao bench_spine — {db}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, runs={args.runs}; build of {UNITS:,} units + data: {results['build']:.1f} s")
    print("| measure | expected units | median ms | p90 ms | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for (name, n), (med, p90, q) in ((k, v) for k, v in results.items() if k != "build"):
        label = {"monitor": "(a) monitoring page (GET, full render)",
                 "save": "(b) save a 100-value draft (service)"}[name]
        print(f"| {label} | {n:,} | {med:.1f} | {p90:.1f} | {q} |")


if __name__ == "__main__":
    main()
