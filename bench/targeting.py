"""Targeting engine benchmark: `.venv/bin/python bench/targeting.py [--rows N] [--seed S] [--json]`.

Prints side by side: the compiled engine, the hand-written DuckDB SQL and a per-row Python loop (rows/s and
ratios), single-shipment latency p50/p99, lift at a 5% exam rate, exam-rate ratios and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greenlane.targeting.engine.bench import bench_results, format_report, run_bench


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--rows", type=int, default=2_000_000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--repeats", type=int, default=None, help="default: 3 up to 5M rows, else 1")
    p.add_argument("--python-rows", type=int, default=200_000)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--memory-limit", default="2GB")
    p.add_argument("--work-dir", default=None, help="where the temporary Parquet files go")
    p.add_argument("--json", action="store_true", help="print the figures as JSON too")
    a = p.parse_args()
    res = run_bench(
        a.rows, a.seed, repeats=a.repeats, python_rows=a.python_rows, threads=a.threads,
        memory_limit=a.memory_limit, work_dir=a.work_dir, progress=lambda m: print("..", m, file=sys.stderr),
    )  # fmt: skip
    print(format_report(res))
    for line in bench_results(res):
        print("BENCH-RESULT " + json.dumps(line))
    if a.json:
        print(json.dumps(res.figures(), indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
