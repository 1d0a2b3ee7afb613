"""`greenlane validations plan --year YYYY [--json] [--time-limit S] [--save --actor EMAIL]`.

Computes the optimised (CP-SAT) and the greedy validation plan for a year from the database and prints their
figures side by side (or both summaries as JSON). With --save the plan is stored as a draft, as the staff
page would, on behalf of the program manager named by --actor.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from greenlane.accounts.models import User
from greenlane.core.errors import DomainError
from greenlane.validations.planning import engine, inputs, services
from greenlane.validations.planning.figures import side_by_side
from greenlane.validations.planning.models import ValidationPlan


class Command(BaseCommand):
    help = (
        "Validation planning. `validations plan --year YYYY` prints the optimised and greedy plans' figures."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        plan = sub.add_parser("plan", help="Compute next year's validation plan (optimised and greedy).")
        plan.add_argument("--year", type=int, default=None, help="Calendar year (default: next year).")
        plan.add_argument("--json", action="store_true", help="Print both summaries as JSON.")
        plan.add_argument(
            "--time-limit", type=float, default=20.0, help="Seconds for the optimiser (default 20)."
        )
        plan.add_argument(
            "--oversight", type=int, default=5, help="Random oversight sample size (default 5)."
        )
        plan.add_argument(
            "--sector-minimum", type=int, default=1, help="Validations per sector at least (default 1)."
        )
        plan.add_argument(
            "--cross-office", type=float, default=0.0, help="Share of hours usable for other offices."
        )
        plan.add_argument(
            "--seed", type=int, default=None, help="Seed of the random samples (default: the year)."
        )
        plan.add_argument("--save", action="store_true", help="Store the plan as a draft (needs --actor).")
        plan.add_argument("--actor", default="", help="E-mail of the program manager saving the plan.")

    def handle(self, *args, action: str, **opts):
        year = opts["year"] or inputs.next_year()
        raw = {
            "year": year,
            "time_limit": opts["time_limit"],
            "oversight_sample": opts["oversight"],
            "sector_minimum": opts["sector_minimum"],
            "cross_office_share": opts["cross_office"],
            "seed": year if opts["seed"] is None else opts["seed"],
        }
        try:
            parsed = services.ComputeOptions.parse(**raw)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        summary = self._save(raw, opts["actor"]) if opts["save"] else self._compute(parsed)
        if opts["json"]:
            self.stdout.write(json.dumps(summary, indent=2, default=str))
            return
        self.stdout.write(
            f"Validation plan {year}: {summary['inputs']['candidates']:,} certified partners, "
            f"{summary['inputs']['specialists']} specialists"
        )
        if summary["inputs"].get("absent"):
            self.stdout.write(f"Inputs absent from the database: {', '.join(summary['inputs']['absent'])}")
        width = max((len(r[0]) for r in side_by_side(summary)), default=30) + 2
        self.stdout.write(f"{'':{width}}{'optimised':>16}{'greedy':>16}")
        for label, a, b in side_by_side(summary):
            self.stdout.write(f"{label:{width}}{a:>16}{b:>16}")
        for note in summary["optimised"].get("notes", []):
            self.stdout.write(f"note: {note}")
        if summary.get("plan_id"):
            self.stdout.write(f"Saved as draft plan #{summary['plan_id']}.")

    def _compute(self, parsed: services.ComputeOptions) -> dict:
        params = parsed.parameters()
        started = time.perf_counter()
        data = inputs.gather(year=parsed.year)
        greedy = engine.greedy_plan(data.candidates, data.specialists, params)
        hint, _forced = engine.greedy_book(data.candidates, data.specialists, params)
        optimised = engine.optimise_plan(data.candidates, data.specialists, params, hint=hint)
        bound = engine.deadline_bound(data.candidates, data.specialists, params)
        return {
            "year": parsed.year,
            "optimised": engine.summarise(optimised, data.candidates, data.specialists, params, bound=bound),
            "greedy": engine.summarise(greedy, data.candidates, data.specialists, params, bound=bound),
            "inputs": {
                "candidates": len(data.candidates),
                "specialists": len(data.specialists),
                "excluded_open_validation": data.excluded_open,
                "absent": data.absent,
                "seconds_total": round(time.perf_counter() - started, 2),
            },
        }

    def _save(self, raw: dict, actor_email: str) -> dict:
        user = User.objects.filter(email__iexact=actor_email).first() if actor_email else None
        if user is None:
            raise CommandError("--save needs --actor EMAIL of a program manager.")
        try:
            plan = services.plan_compute(actor=user, **raw)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        plan = ValidationPlan.objects.get(pk=plan.pk)
        if plan.status == "computing":  # a queued backend: run it here rather than wait for a worker
            plan = services.plan_run(plan_id=plan.pk)
        if plan.status != "draft":
            raise CommandError(f"The plan failed: {plan.error}")
        return {**plan.summary, "year": plan.year, "plan_id": plan.pk}
