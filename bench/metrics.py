"""Figures: every performance measure over one year of data (40,000,000 shipments, 100,000 partners) in under
60 s; dashboard pages served from stored results with p95 under 200 ms.

    python bench/metrics.py [--rows N] [--partners N] [--runs N] [--threads N] [--quick] [--keep DIR]

Part 1 (pure engine, no Django): one year of synthetic shipments is generated inside DuckDB with
generate_series SQL straight to Parquet (the columns the measures read, as
``greenlane.metrics.engine.sources.SHIPMENT_COLUMNS``; importers, carriers, modes, chapters and exams drawn
by hash), with a portal snapshot of N partners (each an importer number; validations, visits, hours, items
and findings for a share of them). ``compute`` then evaluates every measure for the year and its quarters
and months, overall and by each dimension — what ``greenlane metrics compute --period YYYY`` does. Baseline
in the same run: one DuckDB COUNT(*) scan of the same shipments file that has to read a column
(``WHERE importer_tier >= 1``), and the metadata-only COUNT(*).

Part 2 (Django, a throwaway SQLite database in a subprocess): stored results for five years (every measure,
period and dimension value) are inserted, and the dashboard, a measure page (chart + table) and a filtered
measure page are requested with the Django test client as a signed-in program manager. Baseline: /healthz.

Lines starting with ``BENCH-RESULT `` carry one JSON result each (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR))

BENCH_NAME = "metrics"
COMPUTE_TARGET_S = 60.0
PAGE_TARGET_MS = 200.0


def emit(**values) -> None:
    print("BENCH-RESULT " + json.dumps({"bench": BENCH_NAME, **values}), flush=True)


def generate(out: Path, rows: int, partners: int, threads: int) -> dict[str, float]:
    import duckdb

    snap = out / "snapshot"
    snap.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {threads}")
    con.execute("SET preserve_insertion_order = false")
    con.execute("CREATE MACRO u(k, s) AS hash(k, s) / 18446744073709551616.0")
    t0 = time.perf_counter()
    offices = "['new-york', 'miami', 'los-angeles', 'houston', 'washington-dc', 'buffalo']"
    types = (
        "['importer', 'importer', 'importer', 'highway_carrier', 'foreign_manufacturer', 'customs_broker']"
    )
    con.execute(f"""
        COPY (SELECT i AS partner_id, {types}[1 + CAST(floor(u(i, 't') * 6) AS INTEGER)] AS entity_type,
                     CASE WHEN u(i, 's') < 0.8 THEN 'certified' ELSE 'applicant' END AS status,
                     CASE WHEN u(i, 's') < 0.8 THEN 1 + CAST(floor(u(i, 'tier') * 3) AS INTEGER) ELSE 0 END AS tier,
                     {offices}[1 + CAST(floor(u(i, 'o') * 6) AS INTEGER)] AS field_office, 'US' AS country,
                     TIMESTAMP '2020-01-01' + INTERVAL (CAST(floor(u(i, 'c') * 1800) AS INTEGER)) DAY AS certified_at
              FROM range(1, {partners} + 1) r(i)) TO '{snap}/partners.parquet' (FORMAT parquet)
    """)
    con.execute(f"""
        COPY (SELECT i AS partner_id, 'ior' AS type, printf('%02d-%07dAA', i % 97, i) AS value
              FROM range(1, {partners} + 1) r(i)) TO '{snap}/identifiers.parquet' (FORMAT parquet)
    """)
    n_val = max(100, partners // 5)
    con.execute(f"""
        COPY (SELECT v AS validation_id, 1 + CAST(floor(u(v, 'p') * {partners}) AS BIGINT) AS partner_id,
                     'revalidation' AS kind, 'closed' AS status,
                     CASE WHEN u(v, 'out') < 0.08 THEN 'fails' WHEN u(v, 'out') < 0.3 THEN 'exceeds' ELSE 'meets' END AS outcome,
                     TIMESTAMP '2025-01-01' + INTERVAL (CAST(floor(u(v, 'd') * 360) AS INTEGER)) DAY AS published_at,
                     TIMESTAMP '2025-01-01' + INTERVAL (CAST(floor(u(v, 'd') * 360) AS INTEGER) + 5) DAY AS closed_at
              FROM range(1, {n_val} + 1) r(v)) TO '{snap}/validations.parquet' (FORMAT parquet)
    """)
    con.execute(f"""COPY (SELECT v AS validation_id, CASE WHEN u(v, 'vk') < 0.6 THEN 'on_site' ELSE 'virtual' END AS kind
                          FROM range(1, {n_val} + 1) r(v)) TO '{snap}/visits.parquet' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT 1 + k % {n_val} AS validation_id, 1 + k % 180 AS user_id, 'fieldwork' AS activity,
                                 round(1 + u(k, 'h') * 12, 2) AS hours, DATE '2025-01-01' + CAST(k % 360 AS INTEGER) AS on_date
                          FROM range({n_val * 5}) r(k)) TO '{snap}/hours.parquet' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT 1 + k % {n_val} AS validation_id,
                                 CASE WHEN u(k, 'ik') < 0.6 THEN 'recommendation' WHEN u(k, 'ik') < 0.8
                                      THEN 'required_action' ELSE 'best_practice' END AS kind
                          FROM range({n_val * 3}) r(k)) TO '{snap}/items.parquet' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT 1 + k // 40 AS validation_id, 'C' || (k % 40) AS criterion_code,
                                 CASE WHEN u(k, 'f') < 0.9 THEN 'meets' WHEN u(k, 'f') < 0.95 THEN 'does_not_meet'
                                      ELSE 'not_observed' END AS result
                          FROM range({n_val * 40}) r(k)) TO '{snap}/findings.parquet' (FORMAT parquet)""")
    t_snap = time.perf_counter() - t0
    t1 = time.perf_counter()
    modes = "['sea', 'sea', 'sea', 'air', 'truck', 'truck', 'rail']"
    chapters = "[85, 84, 87, 30, 94, 61, 62, 39, 73, 90, 71, 95]"
    countries = "['CN', 'MX', 'CA', 'VN', 'DE', 'JP', 'KR', 'IN', 'TW', 'IT', 'GB', 'TH']"
    # importers follow a skewed distribution: a few large ones, many small ones
    con.execute(f"""
        COPY (
          WITH b AS (SELECT i, 1 + CAST(floor(pow(u(i, 'imp'), 2.5) * {partners}) AS BIGINT) AS imp,
                            {modes}[1 + CAST(floor(u(i, 'm') * 7) AS INTEGER)] AS mode, u(i, 'x') AS ux
                     FROM range({rows}) r(i))
          SELECT printf('S%010d', i) AS shipment_id,
                 DATE '2025-01-01' + CAST(floor(u(i, 'day') * 365) AS INTEGER) AS arrival_date,
                 mode, printf('%02d-%07dAA', imp % 97, imp) AS importer_ior,
                 'C' || CAST(floor(u(i, 'car') * 400) AS INTEGER) AS carrier_scac,
                 {countries}[1 + CAST(floor(u(imp, 'co') * 12) AS INTEGER)] AS country_origin,
                 {chapters}[1 + CAST(floor(u(imp, 'ch') * 12) AS INTEGER)] AS hts_chapter,
                 round(100 + u(i, 'v') * 50000, 2) AS declared_value_usd,
                 CASE WHEN mode = 'sea' THEN 1 + CAST(floor(u(i, 'n') * 2) AS INTEGER) ELSE 0 END AS container_count,
                 CASE WHEN ux < 0.01 THEN 'red' WHEN ux < 0.03 THEN 'compliance' WHEN ux < 0.12 THEN 'yellow'
                      ELSE 'green' END AS lane,
                 CASE WHEN u(imp, 's') < 0.8 THEN 1 + CAST(floor(u(imp, 'tier') * 3) AS INTEGER) ELSE 0 END AS importer_tier,
                 u(i, 'car') < 0.55 AS carrier_member,
                 ux < 0.01 AS targeted, ux >= 0.01 AND ux < 0.03 AS compliance
          FROM b
        ) TO '{out}/shipments.parquet' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500000)
    """)
    t_ship = time.perf_counter() - t1
    con.close()
    return {"snapshot_s": t_snap, "shipments_s": t_ship}


def part1(args, out: Path) -> None:
    import duckdb

    from greenlane.metrics.engine import MEASURES, Inputs, compute, parse_period
    from greenlane.metrics.engine.compute import connect

    if (
        args.keep
        and (out / "shipments.parquet").exists()
        and (out / "snapshot" / "partners.parquet").exists()
    ):
        print(f"Reusing the data generated earlier in {out}", flush=True)
        g = {"snapshot_s": 0.0, "shipments_s": 0.0}
    else:
        print(
            f"Generating {args.rows:,} shipments and {args.partners:,} partners under {out} ...", flush=True
        )
        g = generate(out, args.rows, args.partners, args.threads)
    size = (out / "shipments.parquet").stat().st_size
    print(f"  snapshot {g['snapshot_s']:.1f}s, shipments {g['shipments_s']:.1f}s ({size / 1e6:,.0f} MB)")
    ship = str(out / "shipments.parquet")
    inputs = Inputs(snapshot_dir=str(out / "snapshot"), shipments_sql=f"SELECT * FROM read_parquet('{ship}')")
    # Baselines: one COUNT(*) scan that reads a column, and the metadata-only COUNT(*).
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {args.threads}")
    t0 = time.perf_counter()
    con.execute(f"SELECT count(*) FROM read_parquet('{ship}') WHERE importer_tier >= 1").fetchone()
    scan = time.perf_counter() - t0
    t0 = time.perf_counter()
    con.execute(f"SELECT count(*) FROM read_parquet('{ship}')").fetchone()
    meta = time.perf_counter() - t0
    con.close()
    times = []
    n = 0
    for run in range(args.compute_runs):
        con = connect(threads=args.threads, memory_limit=args.memory)
        t0 = time.perf_counter()
        results = compute(inputs, parse_period("2025"), MEASURES, con=con)
        times.append(time.perf_counter() - t0)
        con.close()
        n = len(results)
        print(
            f"  compute run {run + 1}: {times[-1]:.1f}s, {n:,} values ({len(MEASURES)} measures)", flush=True
        )
    med = statistics.median(times)
    print(
        f"Every measure for 2025 (+ 4 quarters, 12 months, by dimension): median {med:.1f}s over "
        f"{len(times)} run(s); baseline COUNT(*) scan of one column {scan:.2f}s ({med / scan:.1f}x), "
        f"metadata COUNT(*) {meta * 1000:.0f} ms. Target < {COMPUTE_TARGET_S:.0f}s."
    )
    emit(
        backend="duckdb", case=f"compute every measure, {args.rows:,} shipments, {args.partners:,} partners",
        via="engine.compute", p50_ms=round(med * 1000), p95_ms=round(max(times) * 1000),
        baseline_ms=round(scan * 1000), ratio=round(med / scan, 1), values=n,
        target=f"< {COMPUTE_TARGET_S:.0f} s", status="PASS" if max(times) < COMPUTE_TARGET_S else "MISS",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Part 2: pages from stored results


def worker(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import User
    from greenlane.metrics.engine import MEASURES, dimensions_of, parse_period, subperiods
    from greenlane.metrics.models import MeasureResult, MetricsRun

    call_command("migrate", interactive=False, verbosity=0)
    values = {"mode": ["sea", "air", "truck", "rail"], "tier": ["0", "1", "2", "3"],
              "entity_type": ["importer", "highway_carrier", "customs_broker"],
              "field_office": ["new-york", "miami", "los-angeles", "houston", "washington-dc", "buffalo"],
              "visit_kind": ["on_site", "virtual", "none"], "port": ["USLRD", "USELP"]}  # fmt: skip
    rows = []
    for year in range(2021, 2026):
        run = MetricsRun.objects.create(period=str(year))
        for p in subperiods(parse_period(str(year))):
            for m in MEASURES:
                groups = [("", "")] + [(d, v) for d in dimensions_of(m) for v in values[d]]
                for d, v in groups:
                    rows.append(MeasureResult(run=run, measure_id=m.id, period=p.key, period_level=p.level,
                                              dimension=d, dimension_value=v, numerator=12.0, denominator=40.0,
                                              value=30.0))  # fmt: skip
    MeasureResult.objects.bulk_create(rows, batch_size=2000)
    print(f"[pages] {len(rows):,} stored results", flush=True)
    user = User.objects.create_user("pm@bench.example", "x-bench-password-1", staff_role="program_manager")
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    cases = [
        ("baseline /healthz", "/healthz"),
        ("dashboard", "/staff/metrics/"),
        ("measure page (chart + table)", "/staff/metrics/measures/targeted_exam_ratio/?level=month"),
        ("measure page, tier filter", "/staff/metrics/measures/targeted_exam_ratio/?level=quarter&tier=2"),
    ]
    base = None
    for label, url in cases:
        for _ in range(3):
            assert client.get(url).status_code == 200, url
        ts = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            client.get(url)
            ts.append((time.perf_counter() - t0) * 1000)
        ts.sort()
        p50, p95 = statistics.median(ts), ts[int(0.95 * (len(ts) - 1))]
        if base is None:
            base = p50
        print(f"[pages] {label:<36} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms", flush=True)
        if url != "/healthz":
            emit(backend="sqlite", case=label, via="django test client", p50_ms=round(p50, 1),
                 p95_ms=round(p95, 1), baseline_ms=round(base, 1), target=f"p95 < {PAGE_TARGET_MS:.0f} ms",
                 status="PASS" if p95 < PAGE_TARGET_MS else "MISS")  # fmt: skip
    return 0


def part2(args) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="greenlane.settings", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix="greenlane-bench-metrics-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        cmd = [sys.executable, __file__, "--worker", "--runs", str(args.runs)]
        return subprocess.call(cmd, env=env, cwd=REPO_DIR)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=40_000_000)
    ap.add_argument("--partners", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=60, help="requests per page (part 2)")
    ap.add_argument("--compute-runs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory", default="6GB")
    ap.add_argument("--quick", action="store_true", help="1,000,000 shipments, 20 requests per page")
    ap.add_argument("--keep", default="", help="write the data here and keep it (reused when present)")
    ap.add_argument("--skip-pages", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.quick:
        args.rows, args.runs = min(args.rows, 1_000_000), min(args.runs, 20)
    print(f"Load: {os.getloadavg()[0]:.1f} (1 min) on {os.cpu_count()} CPUs", flush=True)
    out = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="greenlane-bench-metrics-"))
    try:
        part1(args, out)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    if args.skip_pages:
        return 0
    return part2(args)


if __name__ == "__main__":
    sys.exit(main())
