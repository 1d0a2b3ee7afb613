import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlane.core.errors import DomainError
from greenlane.screening import services
from greenlane.screening.rules import RuleSetError, parse_ruleset
from greenlane.screening.simulation import simulate


class Command(BaseCommand):
    help = "Screening rules: `simulate --rules FILE` compares a candidate rule set with the active one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sim = sub.add_parser("simulate", help="Decisions of a candidate rule set over applicants and members")
        sim.add_argument("--rules", required=True, help="Candidate rule set (YAML)")
        sim.add_argument("--examples", type=int, default=10)
        sim.add_argument("--json", action="store_true", help="Print the report as JSON")
        check = sub.add_parser("check", help="Validate a rule set file")
        check.add_argument("file")

    def handle(self, *args, action, **options):
        path = Path(options.get("rules") or options.get("file"))
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        try:
            candidate = parse_ruleset(text)
        except RuleSetError as exc:
            raise CommandError(f"{path}: {exc}") from None
        if action == "check":
            self.stdout.write(
                f"{path}: rule set {candidate.version} is valid "
                f"({len(candidate.hard_stops)} hard stops, {len(candidate.indicators)} indicators)."
            )
            return
        try:
            _version, current = services.active_ruleset()
        except DomainError as exc:
            raise CommandError(exc.message) from None
        report = simulate(current, candidate, examples=options["examples"])
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, default=str))
            return
        self.stdout.write(
            f"Candidate {candidate.version} vs active {current.version}: {report.population} partners, "
            f"{report.changed} decisions change ({report.seconds:.1f} s)"
        )
        for outcome in ("certified", "referred", "denied"):
            self.stdout.write(
                f"  {outcome:<10} {report.current_outcomes[outcome]:>8} -> "
                f"{report.candidate_outcomes[outcome]:>8}"
            )
        for (a, b), n in sorted(report.transitions.items()):
            self.stdout.write(f"  {a} -> {b}: {n}")
        for e in report.examples:
            self.stdout.write(
                f"  e.g. {e.reference} {e.name}: {e.before} ({e.before_score:g}) -> {e.after} "
                f"({e.after_score:g}): {'; '.join(e.reasons)}"
            )
