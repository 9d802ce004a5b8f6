"""Deadline load: reporters saving and sending their monthly report at once (issue 14, item 3).

Fills a throwaway PostgreSQL test database with the 2025 unit tree (benchdata.national_tree), a
regime received by a ministry from --reporters communes on a form of 50 integer indicators, one
reporter per commune (accounts.services.user_create) and one compiler (each submission notifies
the reviewers). baocao has no setting that makes password hashing fast, so the reporters' logins
are made beforehand (a session each, as Django's test client's force_login does; --auth token
issues API tokens through accounts.services.api_token_create instead) and are not timed.

Then starts gunicorn (3 sync workers, 127.0.0.1 on a free port) on that database and drives it
with asyncio + httpx, at most -c requests in flight: each virtual reporter opens its report
(POST /api/v1/submissions), saves 50 values (PUT /api/v1/submissions/{id}/draft) and sends it
(POST /api/v1/submissions/{id}/submit), as the browser's session (cookie + CSRF header) does.
Prints submissions/s, requests/s, p50/p95/p99 per step, errors, the SQL queries of each step (one
extra reporter through Django's test client, in-process) and the acknowledged-but-missing
submissions found in the database afterwards (must be 0). Loopback only; bounded by --reporters
and --duration.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench14 .venv/bin/python bench/bench_deadline.py \
        [--reporters 600] [-c 50] [--duration 120] [--auth session|token]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import secrets
import signal
import socket
import statistics
import string
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")  # a developer tool: the development key
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from benchdata import ROOT, national_tree, numeric_form, throwaway_database  # noqa: E402

REGIME = "BC-HAN"
SECTIONS, PER_SECTION = 5, 10
STEPS = ("open", "save", "submit")
API = "/api/v1"


def build(reporters: int, auth: str):
    """The regime, its form, one reporter per commune (+1 for the query count) and their logins."""
    from django.test import Client

    from baocao.accounts.choices import Role
    from baocao.accounts.models import User
    from baocao.accounts.services import api_token_create, user_create
    from baocao.core.clock import today_vn
    from baocao.orgunits.models import OrgUnitGroup
    from baocao.reporting.models import ReportingRegime
    from baocao.reporting.selectors import regime_recent_periods

    ministry, _, communes = national_tree()
    if reporters + 1 > len(communes):
        raise SystemExit(f"--reporters is at most {len(communes) - 1}")
    units = communes[: reporters + 1]
    form, _, indicators = numeric_form(owner=ministry, code="HAN", sections=SECTIONS, per_section=PER_SECTION)
    group = OrgUnitGroup.objects.create(code="G-HAN", name="Các xã báo cáo hạn")
    group.members.set(units)
    regime = ReportingRegime.objects.create(code=REGIME, name="Báo cáo tháng cấp xã", receiving_unit=ministry,
                                            form=form, frequencies=["monthly"],
                                            deadline_rules={"monthly": {"month_offset": 0, "day": 15}})
    regime.reporting_groups.set([group])
    admin = User.objects.create(username="bench-admin", role=Role.ADMIN, is_superuser=True, unit=ministry)
    user_create(acting_user=admin, username="bench-compiler", password=None, role=Role.COMPILER, unit=ministry)
    logins = []
    for i, unit in enumerate(units):
        user = user_create(acting_user=admin, username=f"bc{i:04d}", password=None, role=Role.REPORTER, unit=unit)
        if auth == "token":
            logins.append({"user": user, "headers": {"Authorization": f"Bearer {api_token_create(user=user)}"}})
            continue
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        logins.append({"user": user, "headers": {
            "Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
                      f"{settings.CSRF_COOKIE_NAME}={csrf}",
            "X-CSRFToken": csrf}})
    period = regime_recent_periods(regime, today=today_vn(), count=1)[0].code
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return logins, [i.code for i in indicators], period


def values_for(index: int, codes: list[str]) -> dict[str, int]:
    return {code: (index * 31 + n * 7) % 1000 for n, code in enumerate(codes)}


def queries_per_step(login: dict, codes: list[str], period: str, index: int) -> dict[str, int]:
    """The SQL queries of each step for one reporter, in-process through Django's test client."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if "Authorization" in login["headers"]:
        client = Client(headers={"Authorization": login["headers"]["Authorization"]})
    else:
        client = Client()
        client.force_login(login["user"], backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(f"{API}/submissions", {"regime": REGIME, "period": period}, content_type="application/json")
    assert r.status_code == 201, r.content
    counts["open"] = len(ctx.captured_queries)
    sid, version = r.json()["id"], r.json()["version"]
    with CaptureQueriesContext(connection) as ctx:
        r = client.put(f"{API}/submissions/{sid}/draft", {"version": version, "values": values_for(index, codes)},
                       content_type="application/json")
    assert r.status_code == 200, r.content
    counts["save"] = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(f"{API}/submissions/{sid}/submit", content_type="application/json")
    assert r.status_code == 200, r.content
    counts["submit"] = len(ctx.captured_queries)
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@{db['HOST'] or '127.0.0.1'}:" \
          f"{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "baocao.config.settings",
           "SECRET_KEY": settings.SECRET_KEY, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
           "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "baocao.config.wsgi:application", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn stopped at start") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


async def warm(base: str, login: dict, workers: int) -> None:
    """Every worker answers a few reads first (its first request imports the URLconf and the API)."""
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(120.0)) as client:
        for _ in range(2):
            responses = await asyncio.gather(*(client.get(f"{API}/submissions", headers=login["headers"])
                                               for _ in range(workers * 3)))
            assert all(r.status_code == 200 for r in responses), [r.status_code for r in responses]


async def load(base: str, logins: list[dict], codes: list[str], period: str, concurrency: int, duration: float):
    import httpx

    latencies: dict[str, list[float]] = {step: [] for step in STEPS}
    errors: dict[str, int] = {}
    acknowledged: dict[int, dict[str, int]] = {}  # submission id -> the values sent
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(logins)):
        queue.put_nowait(index)
    stop_at = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def step(client, name: str, method: str, path: str, headers: dict, body=None, expect=(200,)):
        t0 = time.perf_counter()
        try:
            response = await client.request(method, path, headers=headers,
                                            content=None if body is None else json.dumps(body))
        except httpx.HTTPError as exc:
            errors[f"{name}: {type(exc).__name__}"] = errors.get(f"{name}: {type(exc).__name__}", 0) + 1
            return None
        latencies[name].append((time.perf_counter() - t0) * 1000)
        if response.status_code not in expect:
            key = f"{name}: HTTP {response.status_code}"
            errors[key] = errors.get(key, 0) + 1
            return None
        return response.json()

    async def reporter(client) -> None:
        while time.perf_counter() < stop_at:
            try:
                index = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            headers = {**logins[index]["headers"], "Content-Type": "application/json"}
            opened = await step(client, "open", "POST", f"{API}/submissions", headers,
                                {"regime": REGIME, "period": period}, expect=(200, 201))
            if opened is None:
                continue
            sid, sent = opened["id"], values_for(index, codes)
            saved = await step(client, "save", "PUT", f"{API}/submissions/{sid}/draft", headers,
                               {"version": opened["version"], "values": sent})
            if saved is None:
                continue
            submitted = await step(client, "submit", "POST", f"{API}/submissions/{sid}/submit", headers)
            if submitted is not None and submitted.get("status") == "submitted":
                acknowledged[sid] = sent

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=httpx.Timeout(120.0)) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(reporter(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    return latencies, errors, acknowledged, elapsed


def lost(acknowledged: dict[int, dict[str, int]], period: str) -> int:
    """Acknowledged submissions the database does not hold as sent, with every value as sent."""
    from baocao.submissions.choices import SubmissionStatus
    from baocao.submissions.models import Submission, SubmissionValue

    held = set(Submission.objects.filter(pk__in=list(acknowledged), period=period,
                                         status=SubmissionStatus.SUBMITTED).values_list("pk", flat=True))
    stored: dict[int, dict[str, int]] = {}
    for sid, code, number in SubmissionValue.objects.filter(submission_id__in=list(held)).values_list(
            "submission_id", "indicator__code", "number"):
        stored.setdefault(sid, {})[code] = int(number)
    return sum(1 for sid, sent in acknowledged.items() if sid not in held or stored.get(sid) != sent)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reporters", type=int, default=600, help="virtual reporters (one commune each)")
    parser.add_argument("-c", "--concurrency", type=int, default=50, help="requests in flight at most")
    parser.add_argument("--duration", type=float, default=120, help="seconds after which no reporter starts")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--auth", choices=("session", "token"), default="session")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_deadline runs against PostgreSQL: set DATABASE_URL=postgres://…")
    settings.DEBUG = False
    with throwaway_database():
        t0 = time.perf_counter()
        logins, codes, period = build(args.reporters, args.auth)
        built = time.perf_counter() - t0
        spare = logins.pop()
        counts = queries_per_step(spare, codes, period, len(logins))
        connection.close()  # the server's workers use their own connections
        port = free_port()
        server = start_gunicorn(port, args.workers)
        try:
            asyncio.run(warm(f"http://127.0.0.1:{port}", spare, args.workers))
            latencies, errors, acknowledged, elapsed = asyncio.run(
                load(f"http://127.0.0.1:{port}", logins, codes, period, args.concurrency, args.duration))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        missing = lost(acknowledged, period)
        connection.close()
    requests = sum(len(v) for v in latencies.values())
    print(f"baocao bench_deadline — {connection.vendor}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores; gunicorn {args.workers} sync workers on 127.0.0.1; "
          f"{len(logins)} reporters, form of {len(codes)} values, period {period}, c={args.concurrency}, "
          f"auth={args.auth}; build {built:.1f} s")
    print(f"{len(acknowledged)} submissions acknowledged in {elapsed:.1f} s: {len(acknowledged) / elapsed:.1f} "
          f"submissions/s, {requests / elapsed:.1f} requests/s; errors: "
          f"{sum(errors.values())}{' ' + json.dumps(errors, ensure_ascii=False) if errors else ''}; "
          f"acknowledged but missing in the database: {missing}")
    print("| step | requests | p50 ms | p95 ms | p99 ms | mean ms | SQL queries (one, in-process) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in STEPS:
        v = latencies[name]
        mean = statistics.fmean(v) if v else float("nan")
        print(f"| {name} | {len(v)} | {pct(v, 50):,.0f} | {pct(v, 95):,.0f} | {pct(v, 99):,.0f} | {mean:,.0f} | "
              f"{counts[name]} |")
    if missing:
        raise SystemExit(f"{missing} acknowledged submissions are missing")


if __name__ == "__main__":
    main()
