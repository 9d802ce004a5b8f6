"""Time (and optionally profile) `baocao demo`'s loader, and fingerprint what it writes.

Runs on a throwaway test database (never the demo's): migrates it, then loads the demo `--runs`
times, each inside a transaction rolled back afterwards, printing the wall time of each load.

    .venv/bin/python bench/bench_demo_load.py [--runs 3] [--profile out.prof] [--fingerprint out.json]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/speed .venv/bin/python bench/bench_demo_load.py

`--fingerprint` writes, after the first load, every table's row count and a hash of its rows (every
column, primary keys included, rows in primary-key order) except the columns that hold the moment
of the load or a random salt (tests.demo_data.fingerprint): two loads of the same code give the
same file, so a change to the loader that keeps its result keeps the file. Compare two files with
`--compare a.json b.json`.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # tests.demo_data.fingerprint
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.config.dev_settings")
os.environ.setdefault("BAOCAO_DATA_DIR", "/tmp/baocao-bench")

def compare(a: Path, b: Path) -> int:
    left, right = json.loads(a.read_text()), json.loads(b.read_text())
    differ = [label for label in sorted(set(left) | set(right)) if left.get(label) != right.get(label)]
    for label in differ:
        print(f"DIFFERS {label}: {left.get(label)} != {right.get(label)}")
    print(f"{len(set(left) | set(right))} models, {sum(v['count'] for v in left.values())} rows; "
          f"{len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write a cProfile of the first load here and print its top")
    parser.add_argument("--fingerprint", type=Path, help="write the fingerprint of the first load here")
    parser.add_argument("--restore", action="store_true",
                        help="also time tests.demo_data.demo_restore (a copy of a real load) and check its rows")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases
    from tests.demo_data import demo_restore, fingerprint, reset_sequences

    from baocao.demo.loader import demo_load

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as the tests do
    old = setup_databases(verbosity=0, interactive=False)
    try:
        print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} cores, "
              f"{connection.vendor}")
        loaded = None
        for run in range(args.runs):
            reset_sequences()
            with transaction.atomic():
                profiler = cProfile.Profile() if args.profile and run == 0 else None
                started = time.perf_counter()
                if profiler:
                    profiler.enable()
                demo_load()
                if profiler:
                    profiler.disable()
                elapsed = time.perf_counter() - started
                print(f"load {run + 1}: {elapsed:.2f} s")
                if run == 0:
                    loaded = fingerprint()
                if run == 0 and args.fingerprint:
                    args.fingerprint.write_text(json.dumps(fingerprint(), indent=1, sort_keys=True))
                    print(f"fingerprint written to {args.fingerprint}")
                if profiler:
                    profiler.dump_stats(str(args.profile))
                    stats = pstats.Stats(profiler)
                    stats.sort_stats("cumulative").print_stats(45)
                transaction.set_rollback(True)
        if args.restore:
            for label in ("load and copy", "restore"):
                reset_sequences()
                with transaction.atomic():
                    started = time.perf_counter()
                    demo_restore()
                    print(f"demo_restore ({label}): {time.perf_counter() - started:.2f} s")
                    if label == "restore":
                        same = fingerprint() == loaded
                        print(f"restored rows {'are' if same else 'ARE NOT'} those of the first load")
                    transaction.set_rollback(True)
    finally:
        teardown_databases(old, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
