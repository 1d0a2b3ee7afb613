"""`greenlane targeting generate|snapshot|score|bench|import-exams|simulate-exams`: the engine from the shell.

Thin wrappers over :mod:`greenlane.targeting.engine.cli`; each prints a summary. Input a user can fix
(a missing file, a rule set that does not compile, an unknown threat level) stops with the reason and a
non-zero exit status; bad rows never stop a run, they are counted and written to the rejects file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlane.targeting import portal_snapshot
from greenlane.targeting.engine import InputError, ReconciliationError, RulesetError
from greenlane.targeting.engine import cli as engine


class Command(BaseCommand):
    help = "Green-lane targeting: generate synthetic shipments, snapshot partners, score, bench, exams."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        p = sub.add_parser("generate", help="Write synthetic shipments (clearly marked synthetic).")
        p.add_argument("--rows", type=int, required=True)
        p.add_argument("--seed", type=int, default=42)
        p.add_argument("--out", default="", help="Output directory (default: var/targeting/synthetic).")
        p.add_argument("--bad-rate", type=float, default=0.0002, help="Share of planted bad rows.")

        sub.add_parser("snapshot", help="Write the partners' status snapshot from the portal database.")

        p = sub.add_parser("score", help="Score a Parquet/CSV file of shipments into Parquet.")
        p.add_argument("--input", required=True)
        p.add_argument("--output", required=True)
        p.add_argument("--ruleset", default=None, help="Rule set YAML (default: the bundled one).")
        p.add_argument("--threat-level", default="normal")
        p.add_argument(
            "--snapshot", default=None, help="Partners' snapshot Parquet (default: refresh from the portal)."
        )

        p = sub.add_parser("bench", help="Benchmark the engine against its baselines.")
        p.add_argument("--rows", type=int, default=2_000_000)
        p.add_argument("--seed", type=int, default=42)

        p = sub.add_parser("import-exams", help="Import exam results (CSV/Parquet) for the measures.")
        p.add_argument("file")
        p.add_argument("--scored", default=None, help="Scored file they belong to (default: the latest).")

        p = sub.add_parser("simulate-exams", help="Synthetic exam results from the planted ground truth.")
        p.add_argument("--truth", required=True, help="The synthetic shipments.parquet.")
        p.add_argument("--scored", default=None, help="Scored file (default: the latest).")
        p.add_argument("--seed", type=int, default=0)

    def handle(self, *args, action: str, **options):
        handler = getattr(self, "do_" + action.replace("-", "_"))
        try:
            handler(**options)
        except (RulesetError, InputError, ReconciliationError, FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from None

    def _print(self, summary: dict) -> None:
        self.stdout.write(json.dumps(summary, indent=2, default=str))

    def do_generate(self, *, rows: int, seed: int, out: str, bad_rate: float, **_):
        if rows <= 0:
            raise CommandError("--rows must be a positive number.")
        out_dir = Path(out) if out else portal_snapshot.targeting_dir() / "synthetic"
        s = engine.generate(rows, seed, out_dir, bad_rate=bad_rate)
        self.stdout.write(
            f"SYNTHETIC data: {s['rows']:,} shipments (seed {seed}) -> {s['shipments_path']}; "
            f"{s['violations']:,} planted violations ({s['violation_rate']:.2%}), "
            f"member share {s['member_share']:.1%}, {s['bad_rows']} bad rows; "
            f"synthetic partners' snapshot -> {s['snapshot_path']} ({s['seconds']:.1f}s)"
        )

    def do_snapshot(self, **_):
        snap = portal_snapshot.write_portal_snapshot()
        self.stdout.write(
            f"Partners' snapshot: {snap.rows:,} identifiers -> {snap.path} (made {snap.created_at:%Y-%m-%d %H:%M:%S %Z})"
        )

    def do_score(self, *, input: str, output: str, ruleset, threat_level: str, snapshot, **_):
        src = Path(input)
        if not src.is_file():
            raise CommandError(f"No such input file: {input}")
        if ruleset and not Path(ruleset).is_file():
            raise CommandError(f"No such rule set file: {ruleset}")
        levels = engine.check_ruleset(ruleset)["threat_levels"]  # refuse a bad rule set first
        if threat_level not in levels:
            raise CommandError(f"Unknown threat level {threat_level!r} (known: {', '.join(levels)}).")
        if snapshot:
            if not Path(snapshot).is_file():
                raise CommandError(f"No such snapshot file: {snapshot}")
            snapshot_path = snapshot
        else:
            snap = portal_snapshot.write_portal_snapshot()
            snapshot_path = snap.path
            self.stdout.write(f"Partners' snapshot refreshed from the portal: {snap.rows:,} identifiers.")
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        s = engine.score(src, output, ruleset, snapshot_path, threat_level)
        portal_snapshot.record(
            portal_snapshot.LATEST_SCORE,
            {
                "output_path": str(Path(s["output_path"]).resolve()),
                "rejects_path": str(Path(s["rejects_path"]).resolve()),
                "input_path": str(src.resolve()),
                "snapshot_path": str(Path(snapshot_path).resolve()),
                "ruleset_path": str(Path(ruleset).resolve()) if ruleset else None,
                "scored_at": dt.datetime.now(dt.UTC).isoformat(),
                "summary": {k: v for k, v in s.items() if k != "metadata"},
            },
        )
        lanes = ", ".join(f"{k} {v:,}" for k, v in s["lanes"].items())
        self.stdout.write(
            f"Scored {s['scored_rows']:,} of {s['input_rows']:,} shipments with {s['ruleset']} "
            f"{s['ruleset_version']} at threat level {s['threat_level']} in {s['seconds']:.2f}s: {lanes}. "
            f"{s['rejected_rows']:,} rejected rows -> {s['rejects_path']}. Output -> {s['output_path']}"
        )

    def do_bench(self, *, rows: int, seed: int, **_):
        from greenlane.targeting.engine.bench import format_report, run_bench

        if rows <= 0:
            raise CommandError("--rows must be a positive number.")
        self.stdout.write(format_report(run_bench(rows, seed)))

    def _scored(self, scored: str | None) -> str:
        if scored:
            if not Path(scored).is_file():
                raise CommandError(f"No such scored file: {scored}")
            return scored
        latest = portal_snapshot.read_record(portal_snapshot.LATEST_SCORE)
        if not latest:
            raise CommandError("No scored file yet: run `greenlane targeting score` first or pass --scored.")
        return latest["output_path"]

    def _record_exams(self, exams_path: str, scored: str) -> None:
        portal_snapshot.record(
            portal_snapshot.LATEST_EXAMS,
            {
                "exams_path": str(Path(exams_path).resolve()),
                "scored_path": str(Path(scored).resolve()),
                "imported_at": dt.datetime.now(dt.UTC).isoformat(),
            },
        )

    def do_import_exams(self, *, file: str, scored: str | None, **_):
        if not Path(file).is_file():
            raise CommandError(f"No such file: {file}")
        scored_path = self._scored(scored)
        out = portal_snapshot.targeting_dir() / (Path(file).name.split(".")[0] + ".exams.parquet")
        s = engine.import_exam_results(file, out)
        self._record_exams(s["output_path"], scored_path)
        self.stdout.write(
            f"Imported {s['imported_rows']:,} of {s['input_rows']:,} exam results -> {s['output_path']}; "
            f"{s['rejected_rows']:,} rejected -> {s['rejects_path']}"
        )
        self._print_measures(scored_path, s["output_path"])

    def do_simulate_exams(self, *, truth: str, scored: str | None, seed: int, **_):
        if not Path(truth).is_file():
            raise CommandError(f"No such file: {truth}")
        scored_path = self._scored(scored)
        out = portal_snapshot.targeting_dir() / "simulated.exams.parquet"
        s = engine.simulate_exams(scored_path, truth, out, seed=seed)
        self._record_exams(s["output_path"], scored_path)
        self.stdout.write(f"SYNTHETIC exam results: {s['exams']:,} -> {s['output_path']}")
        self._print_measures(scored_path, s["output_path"])

    def _print_measures(self, scored: str, exams: str) -> None:
        m = engine.measures(scored, exams)
        self.stdout.write(
            f"Exams: {m['exams']:,}; exam-rate ratio non-members/members: targeted {m['targeted_ratio']}, "
            f"compliance {m['compliance_ratio']}"
        )
        for r in m["by_lane"]:
            self.stdout.write(f"  lane {r['key']:<12} examined {r['examined']:>8,} hits {r['hits']:>7,}")
