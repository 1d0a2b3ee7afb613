"""Figure: bulk verification of 10,000 identifiers answers in under 2 s.

    python bench/svi_bulk.py [--partners N] [--rows N] [--runs N] [--backend sqlite|postgres|all] [--quick]

Each backend runs in its own subprocess on a throwaway database (PostgreSQL is skipped with a message when it
is not reachable). The database is migrated and filled with --partners importers (default 100,000; each with
an IOR number; about 40% SVI participants with mixed consent; 70% certified, the rest suspended, draft,
removed or withdrawn) plus a few foreign-program members (EU AEO, EORI). The request: --rows identifiers
(default 10,000) as a member would upload them: 60% IORs of our companies (a quarter of them written in
lower case or with a space instead of the hyphen), 25% well-formed IORs nobody has, 10% EORIs (half listed
by the EU program), 5% malformed rows.

Timed: `bulk.verify()` (the whole service: permission check, normalisation, matching, consent, foreign
lookup, storing the results for the results page and download, the audit event) and `bulk.answer()` (the
reads alone). Baseline in the same run: one indexed query fetching (value, partner_id) for the same IOR
values — the least any implementation must do. Medians of --runs runs after one warm-up.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

from _svi_common import fresh_database, ior, pg_unreachable, populate  # noqa: E402

BENCH_NAME = "svi_bulk"
TARGET_MS = 2000.0


def emit(**values) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **values}), flush=True)


def _eori(n: int) -> str:
    return f"DE{900_000_000_000 + n}"


def build_rows(partners: int, count: int, rng: random.Random):
    from greenlane.svi.bulk import RowIn

    rows = []
    for i in range(count):
        r = rng.random()
        if r < 0.60:
            value = ior(rng.randrange(partners))
            if rng.random() < 0.25:
                value = value.lower().replace("-", " ")
            rows.append(RowIn(i + 2, "ior", value))
        elif r < 0.85:
            rows.append(RowIn(i + 2, "ior", ior(partners + rng.randrange(1_000_000))))
        elif r < 0.95:
            rows.append(RowIn(i + 2, "eori", _eori(rng.randrange(2000))))
        else:
            rows.append(RowIn(i + 2, rng.choice(["ior", "duns", "nope"]), "??-" + str(i)))
    return rows


def _foreign_members(count: int) -> None:
    """EU AEO members through the MRA import service (a program manager imports a status file)."""
    import io

    from greenlane.accounts.models import User
    from greenlane.mra import services as mra_services

    manager = User.objects.create(email="pm@bench.example", full_name="PM", staff_role="program_manager")
    lines = ["program_id,name,address,country,status,validation_date,status_date"]
    lines += [f"{_eori(n)},Bench Spedition {n} GmbH,Hamburg,DE,active,2021-05-01," for n in range(count)]
    mra_services.status_import(
        actor=manager,
        program_code="eu_aeo",
        stream=io.BytesIO("\n".join(lines).encode()),
        file_name="bench.csv",
    )


def worker(backend: str, args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from greenlane.accounts.models import User
    from greenlane.svi import bulk

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"[{backend}] migrated in {time.perf_counter() - t0:.1f} s", flush=True)
    info = populate(args.partners, members=1)
    _foreign_members(1000)
    print(
        f"[{backend}] {info['partners']:,} partners, {info['participants']:,} SVI participants, "
        f"1,000 EU AEO members inserted in {info['seconds']:.1f} s",
        flush=True,
    )
    actor = User.objects.get(pk=info["member_users"][0])
    pid = info["member_pids"][0]
    rows = build_rows(args.partners, args.rows, random.Random(7))
    ior_values = sorted({r.value for r in rows if r.type == "ior"})

    def baseline() -> int:
        marks = ",".join(["%s"] * len(ior_values))
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT value, partner_id FROM partners_identifier WHERE type = %s AND value IN ({marks})",
                ["ior", *ior_values],
            )
            return len(cur.fetchall())

    def timed(fn) -> tuple[float, object]:
        start = time.perf_counter()
        out = fn()
        return (time.perf_counter() - start) * 1000, out

    timed(baseline)
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(lambda: bulk.verify(actor=actor, partner_id=pid, rows=rows, source="bench"))
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    timed(lambda: bulk.answer(pid, rows))
    timed(lambda: bulk.verify(actor=actor, partner_id=pid, rows=rows, source="bench"))
    base, answer, full = [], [], []
    run = None
    for _ in range(args.runs):
        base.append(timed(baseline)[0])
        answer.append(timed(lambda: bulk.answer(pid, rows))[0])
        ms, run = timed(lambda: bulk.verify(actor=actor, partner_id=pid, rows=rows, source="bench"))
        full.append(ms)
    b, a, f = (statistics.median(x) for x in (base, answer, full))
    counts = {k: getattr(run, k) for k in ("row_count", "matched_count", "foreign_count", "error_count")}
    engine = connection.vendor
    print(f"[{backend}] {args.rows:,} rows → {counts}")
    print(f"[{backend}] baseline: one indexed query for {len(ior_values):,} IOR values: median {b:.1f} ms")
    print(
        f"[{backend}] bulk.answer (reads, consent, foreign lookup): median {a:.1f} ms ({a / b:.1f}× baseline)"
    )
    print(
        f"[{backend}] bulk.verify (whole service, results stored, audited): median {f:.1f} ms "
        f"({f / b:.1f}× baseline) — target < {TARGET_MS:.0f} ms: {'PASS' if f < TARGET_MS else 'MISS'}"
    )
    emit(
        backend=engine,
        case=f"verify {args.rows} identifiers",
        via="service",
        p50_ms=round(f, 1),
        p95_ms=round(max(full), 1),
        baseline_ms=round(b, 1),
        ratio=round(f / b, 2),
        answer_ms=round(a, 1),
        target=f"< {TARGET_MS:.0f} ms",
        status="PASS" if f < TARGET_MS else "MISS",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="20,000 partners, 3 runs")
    parser.add_argument("--profile", action="store_true", help="print a profile of one bulk.answer call")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.partners, args.runs = min(args.partners, 20_000), min(args.runs, 3)
    if args.worker:
        return worker(args.worker, args)
    backends = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    status = 0
    for backend in backends:
        with fresh_database(backend, "svibulk") as env:
            if env is None:
                message = pg_unreachable() + "; skipped."
                print(f"[{backend}] {message}")
                emit(backend=backend, status="SKIP", note=message)
                continue
            passthrough = [
                "--partners",
                str(args.partners),
                "--rows",
                str(args.rows),
                "--runs",
                str(args.runs),
            ]
            passthrough += ["--profile"] if args.profile else []
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", backend, *passthrough]
            status = max(status, subprocess.call(cmd, env=env))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
