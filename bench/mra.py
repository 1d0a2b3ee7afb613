"""Figures: MRA status-file import and the batch foreign-status lookup the SVI bulk verification uses.

    python bench/mra.py [--members N] [--lookups N] [--runs N] [--quick]

In a throwaway SQLite database (migrated for the mra app and its dependencies):
1. import a full EU AEO status file of --members rows (default 50,000) through `services.status_import`
   (validation, normalisation, bulk insert): rows/s;
2. import the same file again (checksum: nothing changes): ms;
3. import the next day's file (1% status changes, 1% companies gone, 1% new): rows/s, with the delistings;
4. `selectors.foreign_status_lookup` of --lookups pairs (default 10,000; half listed, half not, values in
   loose spelling so every one is normalised): median of --runs; baseline in the same run, a bare indexed
   `id_value IN (...)` query over the same already-normalised values in the same chunks. Target: under 500 ms
   for 10,000 pairs (a quarter of the SVI's 2 s bulk-verification budget).

Lines starting with `BENCH-RESULT ` carry one JSON result each, for bench/run.py's summary.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

BENCH_NAME = "mra"
LOOKUP_TARGET_MS = 500.0
HEADER = "program_id,name,address,country,status,validation_date,status_date\n"
COUNTRIES = ["DE", "NL", "FR", "IT", "BE", "ES", "PL", "SE", "AT", "DK"]


def result(case: str, value: float, unit: str, *, target: str | None = None, status: str = "INFO", **extra):
    print(
        "BENCH-RESULT "
        + json.dumps(
            {
                "bench": BENCH_NAME,
                "backend": "sqlite",
                "case": case,
                "value": round(value, 3),
                "unit": unit,
                "target": target,
                "status": status,
                **extra,
            }
        )
    )


def status_file(ids: list[str], rng: random.Random, *, changed: set[str] = frozenset()) -> bytes:  # type: ignore[assignment]
    lines = [HEADER]
    for eori in ids:
        # Every field derives from the identifier, so a company's row is the same from one day to the next.
        n = int(eori[2:])
        suspended = eori in changed
        status = "suspended" if suspended else "active"
        status_date = "2026-11-20" if suspended else ""
        lines.append(
            f"{eori},Company {n % 100_000} GmbH,Street {n % 997} 1,{eori[:2]},{status},"
            f"2019-0{1 + n % 9}-1{n % 9},{status_date}\n"
        )
    return "".join(lines).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--lookups", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="5,000 members, 2,000 lookups, 3 runs")
    args = parser.parse_args()
    if args.quick:
        args.members, args.lookups, args.runs = 5_000, 2_000, 3

    with tempfile.TemporaryDirectory(prefix="greenlane-bench-mra-") as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from greenlane.mra import selectors, services
        from greenlane.mra.models import ForeignMember

        t0 = time.perf_counter()
        for app in ("mra", "audit"):
            call_command("migrate", app, interactive=False, verbosity=0)
        print(f"migrated in {time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.2f}")
        rng = random.Random(args.seed)
        ids = sorted({f"{rng.choice(COUNTRIES)}{rng.randrange(10**9, 10**12)}" for _ in range(args.members)})
        day1 = status_file(ids, rng)

        t0 = time.perf_counter()
        log = services.status_import(
            actor=None, program_code="eu_aeo", stream=io.BytesIO(day1), file_name="day1.csv"
        ).log
        secs = time.perf_counter() - t0
        print(f"day 1: {log.row_count:,} rows in {secs:.2f} s ({log.row_count / secs:,.0f} rows/s)")
        result("import_full_file", log.row_count / secs, "rows/s", rows=log.row_count, seconds=round(secs, 2))

        t0 = time.perf_counter()
        again = services.status_import(
            actor=None, program_code="eu_aeo", stream=io.BytesIO(day1), file_name="x.csv"
        )
        ms = (time.perf_counter() - t0) * 1000
        assert again.duplicate
        print(f"same file again: {ms:.0f} ms (nothing changed)")
        result("reimport_same_file", ms, "ms")

        n = max(1, len(ids) // 100)
        gone = set(rng.sample(ids, n))
        rest = [i for i in ids if i not in gone]
        changed = set(rng.sample(rest, n))
        new = sorted({f"DE{rng.randrange(10**12, 10**13)}" for _ in range(n)})
        day2 = status_file(sorted(rest + new), rng, changed=changed)
        from datetime import timedelta

        from django.utils import timezone

        t0 = time.perf_counter()
        log2 = services.status_import(
            actor=None,
            program_code="eu_aeo",
            stream=io.BytesIO(day2),
            file_name="day2.csv",
            as_of=timezone.localdate() + timedelta(days=0),
        ).log
        secs = time.perf_counter() - t0
        print(
            f"day 2: {log2.row_count:,} rows in {secs:.2f} s ({log2.row_count / secs:,.0f} rows/s); "
            f"{log2.created_count} new, {log2.updated_count} updated, {log2.deactivated_count} no longer listed"
        )
        result("import_next_day", log2.row_count / secs, "rows/s", deactivated=log2.deactivated_count)

        hits = rng.sample(rest, min(len(rest), args.lookups // 2))
        misses = [f"FR{rng.randrange(10**13, 10**14)}" for _ in range(args.lookups - len(hits))]
        loose = [("EORI ".lower().strip(), f" {v[:2].lower()} {v[2:]} ") for v in hits + misses]
        rng.shuffle(loose)
        timings, queries = [], 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                found = selectors.foreign_status_lookup(loose)
                timings.append((time.perf_counter() - t0) * 1000)
            queries = len(ctx.captured_queries)
        assert len(found) == len(hits), (len(found), len(hits))
        normalised = [v.replace(" ", "").upper() for _t, v in loose]
        base = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            rows = 0
            for start in range(0, len(normalised), selectors.CHUNK):
                rows += len(
                    list(
                        ForeignMember.objects.filter(
                            id_type="eori", id_value__in=normalised[start : start + selectors.CHUNK]
                        )
                        .order_by()
                        .values_list("id_value", "status")
                    )
                )
            base.append((time.perf_counter() - t0) * 1000)
        med, bmed = statistics.median(timings), statistics.median(base)
        verdict = "OK" if med < LOOKUP_TARGET_MS else "MISS"
        print(
            f"lookup of {len(loose):,} pairs ({len(hits):,} listed): median {med:.0f} ms over {args.runs} runs, "
            f"{queries} queries; baseline bare indexed IN query {bmed:.0f} ms (ratio {med / bmed:.1f}x); "
            f"target < {LOOKUP_TARGET_MS:.0f} ms: {verdict}"
        )
        result(
            "foreign_status_lookup",
            med,
            "ms",
            target=f"< {LOOKUP_TARGET_MS:.0f} ms for {len(loose):,} pairs",
            status=verdict,
            baseline_ms=round(bmed, 1),
            ratio=round(med / bmed, 2),
            queries=queries,
            pairs=len(loose),
        )


if __name__ == "__main__":
    main()
