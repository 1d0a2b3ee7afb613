"""Figure: library search (first page of 25 and the total count) over 100,000 documents under 200 ms.

    python bench/community_search.py [--docs N] [--runs N] [--backend sqlite|postgres|all] [--quick]

Each backend runs in its own subprocess against a throwaway database (SQLite in a temporary directory; a
PostgreSQL database created and dropped, skipped with a message when the server is not reachable),
migrated with the apps the library needs, and filled with N library documents whose titles, descriptions
and tags are drawn from a security vocabulary (bulk insert; the service writes the same `search_text`).
Timed: `library_selectors.library(user, DocumentFilter(q=...), limit=25)` — what the library page and
`GET /api/v1/community/library?q=` run: the count and the first page — for one rare word, one common word,
two words, and a stemmed word (PostgreSQL full-text search with its GIN index; SQLite a LIKE scan).
Baseline in the same run: the same page without a search (newest 25 and the count). On PostgreSQL a second
baseline: the same words through an unindexed `search_text LIKE '%word%'` scan.

Lines starting with ``BENCH-RESULT `` carry one JSON result each (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

BENCH_NAME = "community_search"
TARGET_MS = 200.0
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
APPS = "accounts,partners,audit,criteria,community,sessions,otp_totp,axes"
WORDS = [
    "seal",
    "container",
    "inspection",
    "verification",
    "gate",
    "guard",
    "cargo",
    "security",
    "procedure",
    "template",
    "guide",
    "log",
    "badge",
    "visitor",
    "access",
    "control",
    "camera",
    "lighting",
    "fence",
    "perimeter",
    "training",
    "awareness",
    "phishing",
    "password",
    "network",
    "partner",
    "supplier",
    "questionnaire",
    "assessment",
    "risk",
    "route",
    "conveyance",
    "trailer",
    "tractor",
    "driver",
    "manifest",
    "bill",
    "lading",
    "shipment",
    "warehouse",
    "stuffing",
    "loading",
    "door",
    "yard",
    "agricultural",
    "pest",
    "wood",
    "packaging",
    "screening",
    "employee",
    "background",
    "record",
    "incident",
    "report",
    "discrepancy",
    "shortage",
    "overage",
    "audit",
    "review",
    "plan",
]
CASES = [
    ("rare word", "tamper"),
    ("common word", "seal"),
    ("two words", "seal inspection"),
    ("stem", "inspections"),
]


def emit(**values) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **values}), flush=True)


def populate(n: int, seed: int) -> float:
    from django.db import connection

    from greenlane.accounts.models import User
    from greenlane.community.models import Document
    from greenlane.community.search import search_text

    rng = random.Random(seed)
    user = User.objects.create_user("bench@cbp.example", "x" * 20, staff_role="program_manager")
    t0 = time.perf_counter()
    batch = []
    for i in range(n):
        title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
        description = " ".join(rng.choice(WORDS) for _ in range(20))
        if i % 1000 == 0:  # one document in a thousand mentions tampering
            description += " tamper evidence"
        tags = sorted({rng.choice(WORDS) for _ in range(2)})
        batch.append(
            Document(
                kind="library",
                title=f"{title} {i}",
                description=description,
                category="guide",
                tags=tags,
                search_text=search_text(title, description, "guide", *tags),
                latest_version=1,
                created_by=user,
            )
        )
        if len(batch) == 5000:
            Document.objects.bulk_create(batch)
            batch = []
    Document.objects.bulk_create(batch)
    if connection.vendor == "postgresql":  # what the services store for each document they create
        from django.contrib.postgres.search import SearchVector

        Document.objects.update(search_vector=SearchVector("search_text", config="english"))
    return time.perf_counter() - t0


def timed(fn, runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def worker(backend: str, args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from greenlane.accounts.models import User
    from greenlane.community import library_selectors
    from greenlane.community.models import Document

    for app in APPS.split(","):
        call_command("migrate", app, interactive=False, verbosity=0)
    seconds = populate(args.docs, args.seed)
    print(f"[{backend}] inserted {args.docs:,} documents in {seconds:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    user = User.objects.get(email="bench@cbp.example")

    def page(q: str):
        result = library_selectors.library(user, library_selectors.DocumentFilter(q=q), limit=25, offset=0)
        return result.count, [d.pk for d in result.items]

    def scan(q: str):
        qs = Document.objects.filter(kind="library")
        for word in q.split():
            qs = qs.filter(search_text__contains=word)
        return qs.count(), list(qs.order_by("-updated_at", "-id").values_list("pk", flat=True)[:25])

    if args.explain and connection.vendor == "postgresql":
        for q in ("", "seal"):
            qs = library_selectors.library(user, library_selectors.DocumentFilter(q=q), limit=25, offset=0)
            base = Document.objects.filter(kind="library", partner=None).select_related("created_by")
            from greenlane.community.search import text_search

            print(f"[{backend}] plan for q={q!r}:")
            print(text_search(base, q)[:25].explain(analyze=True))
            del qs
    baseline = timed(lambda: page(""), args.runs)
    print(f"[{backend}] baseline, newest 25 and count without a search: {baseline:.1f} ms (median)")
    emit(backend=backend, case="baseline: no search", value=round(baseline, 2), unit="ms", status="INFO")
    for label, q in CASES:
        ms = timed(lambda q=q: page(q), args.runs)
        count = page(q)[0]
        verdict = "OK" if ms < TARGET_MS else "MISS"
        line = f"[{backend}] {label:<12} q={q!r:<18} {count:>7,} hits  {ms:8.1f} ms  ({ms / baseline:.1f}x baseline)"
        if connection.vendor == "postgresql":
            scan_ms = timed(lambda q=q: scan(q), args.runs)
            line += f"  LIKE scan {scan_ms:.1f} ms"
            emit(
                backend=backend,
                case=f"baseline LIKE scan: {label}",
                value=round(scan_ms, 2),
                unit="ms",
                status="INFO",
            )
        print(line, flush=True)
        emit(
            backend=backend,
            case=f"search {label} over {args.docs:,} documents",
            value=round(ms, 2),
            unit="ms",
            target=f"< {TARGET_MS:.0f} ms",
            status=verdict,
        )
    return 0


def run_backend(backend: str, args: argparse.Namespace, passthrough: list[str]) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="greenlane.settings", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix="greenlane-bench-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        dbname = ""
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            try:
                import psycopg

                admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
            except Exception as exc:
                message = f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); skipped."
                print(f"[postgres] {message}")
                emit(backend="postgres", case="skipped", status="SKIP", note=message)
                return 0
            dbname = f"greenlane_bench_community_{os.getpid()}"
            with admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                admin.execute(f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
        try:
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", backend, *passthrough]
            return subprocess.call(cmd, env=env)
        finally:
            if dbname:
                import psycopg

                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2004)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="10,000 documents, 7 runs")
    parser.add_argument("--explain", action="store_true", help="print PostgreSQL's plans (EXPLAIN ANALYZE)")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.docs, args.runs = min(args.docs, 10_000), min(args.runs, 7)
    if args.worker:
        return worker(args.worker, args)
    passthrough = ["--docs", str(args.docs), "--runs", str(args.runs), "--seed", str(args.seed)]
    passthrough += ["--explain"] if args.explain else []
    failed = 0
    for backend in ["sqlite", "postgres"] if args.backend == "all" else [args.backend]:
        rc = run_backend(backend, args, passthrough)
        failed = failed or rc
    return failed


if __name__ == "__main__":
    sys.exit(main())
