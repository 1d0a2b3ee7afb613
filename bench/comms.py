"""Figures: audience resolution of one bulletin over 100,000 partners under 1 s; the company dashboard's
communications panel in a constant number of queries with 10 and 1,000 bulletins and 100 threads.

    python bench/comms.py [--partners N] [--runs N] [--backend sqlite|postgres|all] [--apps A,B] [--quick]

Each backend gets a throwaway database (SQLite: a temp file; PostgreSQL: `greenlane_bench_comms_<pid>` on
GREENLANE_BENCH_PG or postgres://postgres@127.0.0.1:5432, skipped when not reachable), migrated and filled with
bench/partner_search.py's partner fixture (bulk inserts). Audience resolution is timed from the call to the
answer for several audiences: the COUNT stored as the bulletin's audience size, and the matching partner ids
materialised; the baseline, measured in the same rounds, is a plain COUNT(*) over the partner table. The panel
is measured with django's query capture (queries) and a timer (milliseconds, render included).
Lines starting with `BENCH-RESULT ` carry one JSON result each, for bench/run.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_NAME = "comms"
TARGET_MS = 1000.0
PG_ADMIN_URL = os.environ.get("GREENLANE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
DEFAULT_APPS = "contenttypes,auth,sessions,accounts,partners,audit,otp_totp,axes,notifications,comms"


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def emit(**fields) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **fields}), flush=True)


def audiences() -> list[tuple[str, dict]]:
    from greenlane.accounts.models import FieldOffice

    office = str(FieldOffice.objects.order_by("pk").values_list("pk", flat=True).first())
    return [
        ("every company", {}),
        ("importers", {"entity_types": ["importer"]}),
        (
            "certified importers, tiers 2-3",
            {"entity_types": ["importer"], "tiers": ["2", "3"], "statuses": ["certified"]},
        ),
        ("certified in MX, CN, VN", {"countries": ["MX", "CN", "VN"], "statuses": ["certified"]}),
        (
            "one field office, carriers",
            {"field_offices": [office], "entity_types": ["highway_carrier", "sea_carrier"]},
        ),
    ]


def measure_audience(backend: str, runs: int) -> None:
    from greenlane.comms import audience as aud
    from greenlane.partners.models import Partner

    cases = [(name, aud.clean_audience(rules)) for name, rules in audiences()]
    probes: list[tuple[str, str, object]] = [
        ("baseline: COUNT(*) partners", "baseline", lambda: Partner.objects.count())
    ]
    for name, audience in cases:
        probes.append((f"count: {name}", "count", lambda a=audience: aud.audience_count(a)))
        probes.append(
            (
                f"ids: {name}",
                "ids",
                lambda a=audience: len(list(aud.matching_partners(a).values_list("pk", flat=True))),
            )
        )
    times: dict[str, list[float]] = {name: [] for name, _k, _f in probes}
    sizes: dict[str, int] = {}
    for r in range(runs + 2):
        order = probes[r % len(probes) :] + probes[: r % len(probes)]
        for name, _kind, fn in order:
            t0 = time.perf_counter()
            sizes[name] = fn()  # type: ignore[operator]
            elapsed = (time.perf_counter() - t0) * 1000
            if r >= 2:  # two warm-up rounds
                times[name].append(elapsed)
    base = statistics.median(times[probes[0][0]])
    print(f"\n[{backend}] audience resolution, {runs} rounds (median / p95 ms, matches, x baseline)")
    for name, kind, _fn in probes:
        t = times[name]
        p50, p95 = statistics.median(t), p(t, 0.95)
        print(f"  {name:<48} {p50:8.1f} {p95:8.1f}  {sizes[name]:>8,}  x{p50 / base if base else 0:5.1f}")
        # The product resolves an audience as a COUNT (the stored size) or as a subquery (alert recipients);
        # materialising every id in Python is shown for comparison only.
        target = kind == "count"
        emit(
            backend=backend,
            case=name,
            via=kind,
            p50_ms=round(p50, 3),
            p95_ms=round(p95, 3),
            matches=sizes[name],
            baseline_p50_ms=round(base, 3),
            target=f"p95 < {TARGET_MS:.0f} ms" if target else None,
            status=("PASS" if p95 < TARGET_MS else "MISS") if target else "INFO",
        )


def fill(officer, partner, manager, scs, bulletins: int, threads: int, start: int = 0) -> None:
    from django.utils import timezone

    from greenlane.comms.models import Bulletin, BulletinRead, Message, Thread

    now = timezone.now()
    made = Bulletin.objects.bulk_create(
        [
            Bulletin(
                kind="alert" if i % 10 == 0 else "bulletin",
                severity="high" if i % 10 == 0 else "",
                title=f"Bulletin {i}",
                body="Text",
                status="published",
                publish_at=now - dt.timedelta(minutes=i + 1),
                published_at=now,
                author=manager,
                aud_entity_types=",importer," if i % 2 else "",
                aud_countries=",MX,CN," if i % 7 == 0 else "",
            )
            for i in range(start, start + bulletins)
        ]
    )
    BulletinRead.objects.bulk_create([BulletinRead(bulletin=b, user=officer) for b in made[::3]])
    if threads:
        made_threads = Thread.objects.bulk_create(
            [Thread(partner=partner, subject=f"Thread {i}", created_by=officer) for i in range(threads)]
        )
        Message.objects.bulk_create(
            [
                Message(thread=t, author=a, body="x", from_staff=bool(a.staff_role))
                for t in made_threads
                for a in (officer, scs, scs)
            ]
        )


def measure_panel(backend: str, runs: int) -> None:
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from greenlane.accounts.models import User
    from greenlane.comms.selectors.dashboard import dashboard_context
    from greenlane.partners.models import Membership, Partner

    partner = Partner.objects.filter(status="certified", entity_type="importer").order_by("pk").first()
    assert partner is not None
    officer = User.objects.create_user("bench-officer@comms.example", None)
    Membership.objects.create(user=officer, partner=partner, role="company_officer")
    manager = User.objects.create_user("bench-manager@comms.example", None, staff_role="program_manager")
    scs = User.objects.create_user("bench-scs@comms.example", None, staff_role="scs")

    def panel() -> tuple[int, float]:
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            render_to_string("comms/includes/dashboard_panel.html", dashboard_context(officer, partner))
            ms = (time.perf_counter() - t0) * 1000
        return len(ctx), ms

    results = {}
    fill(officer, partner, manager, scs, 10, 100)
    panel()  # warm-up: template compilation
    results["10 bulletins, 100 threads"] = [panel() for _ in range(runs)]
    fill(officer, partner, manager, scs, 990, 0, start=10)
    results["1,000 bulletins, 100 threads"] = [panel() for _ in range(runs)]
    print(f"\n[{backend}] dashboard panel (queries, median / p95 ms)")
    counts = {name: {q for q, _ in rs} for name, rs in results.items()}
    same = len({frozenset(c) for c in counts.values()}) == 1 and all(len(c) == 1 for c in counts.values())
    for name, rs in results.items():
        t = [ms for _, ms in rs]
        q = rs[0][0]
        print(f"  {name:<32} {q:3d} queries  {statistics.median(t):7.1f} {p(t, 0.95):7.1f}")
        emit(
            backend=backend,
            case=f"dashboard panel: {name}",
            via="queries",
            queries=q,
            p50_ms=round(statistics.median(t), 3),
            p95_ms=round(p(t, 0.95), 3),
            target="same query count at both sizes",
            status="PASS" if same else "MISS",
        )


def worker(backend: str, args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from partner_search import populate

    t0 = time.perf_counter()
    for app in args.apps.split(","):
        call_command("migrate", app.strip(), interactive=False, verbosity=0)
    print(
        f"[{backend}] migrated in {time.perf_counter() - t0:.1f} s; inserting {args.partners:,} partners...",
        flush=True,
    )
    info = populate(args.partners)
    print(f"[{backend}] inserted {info['partners']:,} partners in {info['seconds']:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
    measure_audience(backend, args.runs)
    measure_panel(backend, max(5, args.runs // 2))
    return 0


def run_backend(backend: str, args: argparse.Namespace, passthrough: list[str]) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="greenlane.settings", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix="greenlane-bench-comms-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        env["GREENLANE_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        dbname = ""
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            try:
                import psycopg

                admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
            except Exception as exc:  # any failure to connect means "not reachable"
                message = f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}); skipped."
                print(f"[postgres] {message}")
                emit(backend="postgres", status="SKIP", note=message)
                return 0
            dbname = f"greenlane_bench_comms_{os.getpid()}"
            with admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                admin.execute(f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
        try:
            return subprocess.call(
                [sys.executable, os.path.abspath(__file__), "--worker", backend, *passthrough], env=env
            )
        finally:
            if dbname:
                import psycopg

                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--apps", default=DEFAULT_APPS, help="apps to migrate (with their dependencies)")
    parser.add_argument("--quick", action="store_true", help="10,000 partners, 7 runs")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.partners, args.runs = min(args.partners, 10_000), min(args.runs, 7)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker, args)
    passthrough = ["--partners", str(args.partners), "--runs", str(args.runs), "--apps", args.apps]
    backends = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    failed = 0
    for backend in backends:
        rc = run_backend(backend, args, passthrough)
        if rc:
            print(f"[{backend}] bench crashed (exit {rc})", file=sys.stderr)
            failed = rc
    return failed


if __name__ == "__main__":
    sys.exit(main())
