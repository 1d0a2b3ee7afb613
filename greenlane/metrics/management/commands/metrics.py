"""`greenlane metrics snapshot|compute|import-crossings|simulate-fast`: the performance measures from the shell."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from greenlane.core.errors import DomainError
from greenlane.metrics import services
from greenlane.metrics.engine import fast


class Command(BaseCommand):
    help = "Performance measures: snapshot the portal, compute the measures, import crossing times."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("snapshot", help="Export the portal tables the measures need to Parquet.")
        p = sub.add_parser("compute", help="Compute every measure for a period and store the results.")
        p.add_argument("--period", required=True, help="2025, 2025-Q3 or 2025-07")
        p.add_argument("--snapshot", action="store_true", help="Take a fresh portal snapshot first.")
        p = sub.add_parser(
            "import-crossings", help="Import recorded crossing times (CSV, see docs/metrics.md)."
        )
        p.add_argument("file")
        p = sub.add_parser(
            "simulate-fast", help="Run the FAST lane simulation with default or given parameters."
        )
        for name, default in fast.FastParams().__dict__.items():
            p.add_argument("--" + name.replace("_", "-"), type=type(default), default=default)

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from None

    def do_snapshot(self, **_):
        info = services.snapshot_take(actor=None)
        rows = ", ".join(f"{k} {v:,}" for k, v in info.rows.items())
        self.stdout.write(f"Snapshot {info.created_at:%Y-%m-%d %H:%M:%S} UTC -> {info.path} ({rows})")

    def do_compute(self, *, period: str, snapshot: bool, **_):
        run = services.run_compute(actor=None, period=period, take_snapshot=snapshot)
        snap = f"{run.snapshot_at:%Y-%m-%d %H:%M} UTC" if run.snapshot_at else "none"
        self.stdout.write(
            f"Computed {run.result_count:,} values for {run.period} in {run.seconds:.2f}s "
            f"(portal snapshot {snap}; shipments through {run.shipments_through or 'none'}); run {run.pk}"
        )

    def do_import_crossings(self, *, file: str, **_):
        s = services.crossings_import(actor=None, path=file)
        self.stdout.write(
            f"Imported {s['imported']:,} of {s['rows']:,} crossings ({s['first_day']} to {s['last_day']}); "
            f"{s['rejected']:,} rejected."
        )
        for p in s["problems"][:20]:
            self.stdout.write(f"  line {p['line']}: {p['reason']}")

    def do_simulate_fast(self, **options):
        params = fast.FastParams(**{k: options[k] for k in fast.FastParams().__dict__})
        errors = fast.check(params)
        if errors:
            raise CommandError("; ".join(e["message"] for e in errors))
        r = fast.simulate(params)
        self.stdout.write(
            json.dumps({k: v for k, v in r.as_dict().items() if k != "per_replication"}, indent=2)
        )
