"""Benchmark of consolidating the units' texts (issue 12): `grouping.consolidate` + `grouping.render`
over the real 2025 communes (tests/data/reorg/wards-2025-with-predecessors.csv), two sentences per
commune drawn from a few paraphrased templates with the commune's own numbers, at 126, 1,000 and
3,321 units, in one run: wall time (median of N runs, after one warm-up that loads the segmenter),
time per sentence and the ratio to the smallest size. Near-linear means the time per sentence stays
flat as the number of sentences grows.

    .venv/bin/python bench/bench_grouping.py [--runs 5]
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from baocao.consolidation.grouping import consolidate, render, speaker_for  # noqa: E402

WARDS = ROOT / "tests" / "data" / "reorg" / "wards-2025-with-predecessors.csv"
FIRST = (
    "{Kind} đã tổ chức tuyên truyền về chuyển đổi số cho {n} hộ gia đình.",
    "Trong kỳ, {kind} đã tổ chức tuyên truyền chuyển đổi số tới {n} hộ gia đình.",
    "{Kind} đã tuyên truyền về chuyển đổi số đến {n} hộ gia đình trên địa bàn.",
)
SECOND = (
    "Đài truyền thanh của {kind} hoạt động ổn định, phát {m} chương trình.",
    "Duy trì hoạt động ổn định của đài truyền thanh, phát {m} chương trình.",
    "{Kind} rà soát hạ tầng đài truyền thanh, đề xuất nâng cấp {m} cụm loa.",
)


def items(rows, count, rng):
    out = []
    for i, row in enumerate(rows[:count], start=1):
        kind = row["loai"].strip()
        label = f"{kind[:1].upper()}{kind[1:]} {row['tenhc'].strip()} ({row['tentinh'].strip()})"
        speaker = speaker_for(id=i, label=label, kind="commune", area=row["tentinh"].strip())
        text = " ".join((rng.choice(FIRST).format(Kind=kind.capitalize(), kind=kind, n=rng.randint(50, 900)),
                         rng.choice(SECOND).format(Kind=kind.capitalize(), kind=kind, m=rng.randint(5, 90))))
        out.append((speaker, text))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = list(csv.DictReader(WARDS.open(encoding="utf-8")))
    rng = random.Random(12)
    sizes = (126, 1000, len(rows))
    data = {n: items(rows, n, rng) for n in sizes}
    population = {n: [s for s, _ in data[n]] for n in sizes}
    render(consolidate(data[126], population=population[126]))  # warm-up: segmenter and tagger loaded
    print(f"# {platform.processor() or platform.machine()}, {platform.python_version()}, runs={args.runs}")
    print("| units | sentences | groups | median s | ms per sentence | × time of 126 |")
    print("|---|---|---|---|---|---|")
    base = None
    for n in sizes:
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            c = consolidate(data[n], population=population[n])
            render(c)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        base = base or median
        print(f"| {n:,} | {len(c.sentences):,} | {len(c.groups)} | {median:.3f} | "
              f"{1000 * median / len(c.sentences):.3f} | {median / base:.1f} |")


if __name__ == "__main__":
    main()
