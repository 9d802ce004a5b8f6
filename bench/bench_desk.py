"""Benchmark of the desks, the home page (issue 13 item 1).

Builds the 3,321 commune-level units of 1 July 2025 (their real names and provinces, from
tests/data/reorg/wards-2025-with-predecessors.csv) as the expected units of one regime received
by a department, with a form of 5 sections × 10 indicators; approved reports with every figure for
the four half-years before the current ones (the leader's trend charts), the two current periods
in mixed states (two thirds sent, some late), the department's targets, 300 tasks led by communes
and 150 cases. Then times `GET /` through Django's test client for the leader, the compiler, a
reporter and the inspectorate: median and p90 of N runs (after one warm-up), SQL queries per page.

    .venv/bin/python bench/bench_desk.py [--runs 15]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/bench_desk.py

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
from datetime import timedelta
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchdata import national_tree  # noqa: E402

SECTIONS = 5
PER_SECTION = 10
TASKS = 300
CASES = 150


def build():
    from baocao.accounts.choices import Role
    from baocao.accounts.models import User
    from baocao.cases.choices import CaseKind, CaseStatus
    from baocao.cases.models import Case
    from baocao.consolidation.models import Target
    from baocao.core.clock import today_vn
    from baocao.orgunits.models import OrgUnitGroup
    from baocao.reporting.choices import FormVersionStatus
    from baocao.reporting.models import Form, FormSection, FormVersion, Indicator, ReportingRegime, Sector
    from baocao.reporting.selectors import regime_recent_periods
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission, SubmissionValue
    from baocao.work.models import Task

    rnd = random.Random(13)
    today = today_vn()
    dept, _, communes = national_tree()
    form = Form.objects.create(code="XA", name="Biểu mẫu cấp xã", owner=dept)
    fv = FormVersion.objects.create(form=form, number=1, status=FormVersionStatus.PUBLISHED,
                                    published_at=timezone.now())
    indicators = []
    for s in range(SECTIONS):
        sector = Sector.objects.create(code=f"LV{s}", name=f"Lĩnh vực thử nghiệm {s + 1}", order=s)
        section = FormSection.objects.create(form_version=fv, code=f"S{s}", title=f"Phần {s + 1}", sector=sector,
                                             order=s)
        indicators += Indicator.objects.bulk_create([
            Indicator(section=section, form_version=fv, code=f"I{s}{i:02d}", name=f"Chỉ tiêu {s + 1}.{i + 1}",
                      unit_of_measure="cái", min_value=Decimal(0), order=i) for i in range(PER_SECTION)])
    group = OrgUnitGroup.objects.create(code="XA", name="Các xã, phường, đặc khu")
    group.members.set(communes)
    regime = ReportingRegime.objects.create(
        code="BC-XA", name="Báo cáo cấp xã", receiving_unit=dept, form=form, frequencies=["six_month", "annual"],
        deadline_rules={"six_month": {"month_offset": 0, "day": 20}, "annual": {"month_offset": 0, "day": 20}})
    regime.reporting_groups.set([group])

    current, previous = (rp for rp in regime_recent_periods(regime, today=today, count=2)[:2])
    past = []
    period = previous.period
    for _ in range(4):
        period = period.previous()
        past.append(period.code)
    now = timezone.now()
    subs = []
    for code in past:
        subs += [Submission(regime=regime, period=code, unit=u, form_version=fv, status=SubmissionStatus.APPROVED,
                            submitted_at=now, first_submitted_at=now) for u in communes]
    statuses = [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED,
                SubmissionStatus.RETURNED]
    for rp, share in ((previous, 0.9), (current, 0.6)):
        deadline_moment = timezone.make_aware(timezone.datetime.combine(rp.deadline, timezone.datetime.min.time()))
        for u in communes:
            if rnd.random() > share:
                continue
            status = rnd.choice(statuses)
            sent = None if status == SubmissionStatus.DRAFT else deadline_moment + timedelta(days=rnd.randint(-10, 3))
            subs.append(Submission(regime=regime, period=rp.code, unit=u, form_version=fv, status=status,
                                   submitted_at=sent, first_submitted_at=sent))
    Submission.objects.bulk_create(subs, batch_size=2000)
    approved = list(Submission.objects.filter(regime=regime, period__in=past).values_list("pk", flat=True))
    batch = []
    for sub_id in approved:
        batch += [SubmissionValue(submission_id=sub_id, indicator=i, number=Decimal(rnd.randint(0, 500)))
                  for i in indicators]
        if len(batch) >= 20000:
            SubmissionValue.objects.bulk_create(batch)
            batch = []
    SubmissionValue.objects.bulk_create(batch)
    Target.objects.bulk_create([Target(unit=dept, year=int(past[0][:4]) + y, indicator_code=i.code,
                                       value=Decimal(900_000)) for i in indicators for y in range(3)],
                               ignore_conflicts=True)

    compiler = User.objects.create(username="bench-compiler", role=Role.COMPILER, unit=dept)
    leader = User.objects.create(username="bench-leader", role=Role.LEADER, unit=dept)
    inspector = User.objects.create(username="bench-inspector", role=Role.INSPECTORATE, unit=dept)
    reporter = User.objects.create(username="bench-reporter", role=Role.REPORTER, unit=communes[-1])
    Task.objects.bulk_create([
        Task(title=f"Nhiệm vụ thử {i}", owner=dept, lead_unit=rnd.choice(communes), created_by=compiler,
             deadline=today + timedelta(days=rnd.randint(-60, 20)), progress=rnd.choice([0, 30, 60, 100]),
             completed_on=None) for i in range(TASKS)])
    Task.objects.filter(progress=100).update(completed_on=today - timedelta(days=70))
    Case.objects.bulk_create([
        Case(owner=dept, kind=rnd.choice([CaseKind.COMPLAINT, CaseKind.PETITION]), code=f"HS-{i}",
             received_on=today - timedelta(days=rnd.randint(1, 40)), summary=f"Vụ việc thử {i}",
             status=CaseStatus.RECEIVED, created_by=inspector) for i in range(CASES)])
    return {"leader": leader, "compiler": compiler, "reporter": reporter, "inspectorate": inspector}, len(communes)


def measure(user, runs: int):
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200  # warm
    times, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get("/")
            times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
        queries.append(len(ctx.captured_queries))
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.9) - 1)], max(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--slowest", type=int, default=0, help="print the N slowest queries of each desk")
    args = parser.parse_args()
    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        t0 = time.perf_counter()
        users, expected = build()
        built = time.perf_counter() - t0
        rows = [(role, measure(user, args.runs)) for role, user in users.items()]
        if args.slowest:
            for role, user in users.items():
                client = Client()
                client.force_login(user)
                with CaptureQueriesContext(connection) as ctx:
                    client.get("/")
                print(f"-- {role}: slowest queries")
                for q in sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:args.slowest]:
                    print(f"{float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"baocao bench_desk — {connection.vendor}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, runs={args.runs}; build of {expected:,} expected units + data: {built:.1f} s")
    print("| desk (GET /, full render) | expected units | median ms | p90 ms | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for role, (med, p90, q) in rows:
        print(f"| {role} | {expected:,} | {med:.1f} | {p90:.1f} | {q} |")


if __name__ == "__main__":
    main()
