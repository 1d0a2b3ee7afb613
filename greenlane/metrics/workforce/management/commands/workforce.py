"""`greenlane workforce plan --years 5 [--growth R] [--annual-hours H] [--json]`: the staffing projection."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from greenlane.core.errors import InvalidInput
from greenlane.metrics.workforce import engine, selectors


class Command(BaseCommand):
    help = "Workforce plan: validations due, hours, specialists needed vs on board per field office and year."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("plan", help="Project the staffing the validation workload needs.")
        p.add_argument("--years", type=int, default=5, help="Years to project (1-10, from this year).")
        p.add_argument(
            "--growth",
            type=float,
            default=None,
            help="Yearly membership growth, e.g. 0.05 (default: measured).",
        )
        p.add_argument(
            "--annual-hours",
            type=float,
            default=engine.STANDARD_ANNUAL_HOURS,
            help="Standard available hours per specialist a year, when planning has no availability.",
        )
        p.add_argument("--json", action="store_true", help="Print the plan as JSON.")

    def handle(self, *args, action: str, **options):
        try:
            plan = selectors.workforce_plan(
                options["years"], options["growth"], annual_hours=options["annual_hours"]
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(plan, indent=2, default=str))
            return
        p = plan["parameters"]
        self.stdout.write(
            f"Workforce plan {p['start_year']}–{p['start_year'] + p['years'] - 1}: growth {p['growth']:.1%}/year, "
            f"{p['standard_annual_hours']:g} h/year per specialist, {p['validation_share']:.0%} on validations"
        )
        hv = plan["hours_per_validation"]
        self.stdout.write(f"Hours per validation: {hv['overall']:g} ({hv['source']}). {hv['note']}")
        self.stdout.write("")
        self.stdout.write(
            f"{'office':<14}{'year':>6}{'first':>7}{'reval':>7}{'risk':>6}{'hours':>10}"
            f"{'needed':>8}{'on board':>10}{'gap':>6}"
        )
        for r in plan["offices"]:
            self.stdout.write(
                f"{r['office']:<14}{r['year']:>6}{r['first_validations']:>7}{r['revalidations']:>7}"
                f"{r['risk_plan']:>6}{r['hours_needed']:>10,.0f}{r['needed']:>8}{r['on_board']:>10}{r['gap']:>+6}"
            )
        self.stdout.write("")
        for t in plan["totals"]:
            self.stdout.write(
                f"{t['year']}: {t['validations']:,} validations, {t['hours_needed']:,.0f} h, "
                f"{t['needed']} specialists needed, {t['on_board']} on board ({t['gap']:+d})"
            )
        owing = [s for s in plan["roster"] if s["training_owed"]]
        self.stdout.write(
            f"Training: {len(owing)} of {len(plan['roster'])} specialists owe training, "
            f"{sum(1 for s in owing if s['training_overdue'])} with something overdue."
        )
        for note in plan["notes"]:
            self.stdout.write(f"Note: {note}")
