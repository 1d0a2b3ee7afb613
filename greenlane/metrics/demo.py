"""Demo data for the performance measures: a small targeting dataset if none, crossings, a snapshot and
the measures computed, so the dashboard shows numbers, charts and drill-downs.

The synthetic shipments are clearly marked synthetic (targeting's generator). The busiest synthetic member
importers are renamed to the IOR numbers of the demo's certified importers, so their benefits statements
have shipments behind them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import duckdb
from django.utils import timezone

from greenlane.metrics import services, snapshot
from greenlane.metrics.engine.sources import q
from greenlane.targeting import portal_snapshot
from greenlane.targeting.engine import cli as engine

DEMO_ROWS = 30_000
DEMO_YEAR = "2025"  # the synthetic generator's year


def _member_iors() -> list[str]:
    from greenlane.partners.models import Identifier

    return list(
        Identifier.objects.filter(type__iexact="ior", partner__status="certified")
        .order_by("partner_id", "pk")
        .values_list("value", flat=True)[:20]
    )


def _targeting_demo(rng: random.Random) -> None:
    base = portal_snapshot.targeting_dir() / "demo"
    gen = engine.generate(DEMO_ROWS, rng.randint(1, 10_000), base / "synthetic", bad_rate=0.0)
    portal = portal_snapshot.write_portal_snapshot(base / "portal_partners.parquet")
    iors = _member_iors()
    shipments, combined = base / "shipments.parquet", base / "partners_snapshot.parquet"
    con = duckdb.connect(":memory:")
    try:
        con.execute(
            "CREATE TEMP TABLE top AS SELECT s.importer_ior AS syn, row_number() OVER (ORDER BY count(*) DESC, "
            f"s.importer_ior) AS k FROM read_parquet({q(gen['shipments_path'])}) s "
            f"JOIN read_parquet({q(gen['snapshot_path'])}) p ON p.identifier_value = s.importer_ior "
            "AND p.identifier_type = 'IOR' AND p.status = 'certified' GROUP BY 1"
        )
        con.execute("CREATE TEMP TABLE mapping (k BIGINT, ior VARCHAR)")
        if iors:
            con.executemany("INSERT INTO mapping VALUES (?, ?)", [(i + 1, v) for i, v in enumerate(iors)])
        con.execute(
            f"COPY (SELECT s.* REPLACE (coalesce(m.ior, s.importer_ior) AS importer_ior) "
            f"FROM read_parquet({q(gen['shipments_path'])}) s LEFT JOIN top ON top.syn = s.importer_ior "
            f"LEFT JOIN mapping m ON m.k = top.k) TO {q(str(shipments))} (FORMAT parquet)"
        )
        con.execute(
            f"COPY (SELECT * FROM read_parquet({q(gen['snapshot_path'])}) UNION ALL "
            f"SELECT * FROM read_parquet({q(portal.path)})) TO {q(str(combined))} (FORMAT parquet)"
        )
    finally:
        con.close()
    scored = base / "scored.parquet"
    s = engine.score(shipments, scored, None, combined)
    portal_snapshot.record(
        portal_snapshot.LATEST_SCORE,
        {
            "output_path": str(scored.resolve()),
            "rejects_path": str(Path(s["rejects_path"]).resolve()),
            "input_path": str(shipments.resolve()),
            "snapshot_path": str(combined.resolve()),
            "ruleset_path": None,
            "scored_at": dt.datetime.now(dt.UTC).isoformat(),
            "summary": {k: v for k, v in s.items() if k != "metadata"},
        },
    )


def _crossings(rng: random.Random) -> None:
    path = snapshot.metrics_dir() / "demo-crossings.csv"
    start = dt.date(int(DEMO_YEAR), 1, 1)
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["crossing_id", "crossed_on", "port", "lane", "wait_minutes", "processing_minutes"])
        for i in range(3000):
            fast_lane = rng.random() < 0.35
            w.writerow([
                f"X{i:06d}", (start + dt.timedelta(days=rng.randrange(365))).isoformat(),
                rng.choice(["USLRD", "USELP", "USOTM", "USDET"]), "fast" if fast_lane else "general",
                round(rng.expovariate(1 / (9 if fast_lane else 34)), 1),
                round(rng.expovariate(1 / (2 if fast_lane else 4.5)), 1),
            ])  # fmt: skip
    services.crossings_import(actor=None, path=path)


def seed_demo(rng: random.Random) -> None:
    if snapshot.targeting_files() is None:
        _targeting_demo(rng)
    _crossings(rng)
    snapshot.take_snapshot()
    this_year = str(timezone.localdate().year)
    if this_year != DEMO_YEAR:
        services.run_compute(actor=None, period=this_year)
    services.run_compute(actor=None, period=DEMO_YEAR)  # computed last: the dashboard opens on it
