"""`greenlane report measures --period 2025-Q3 --format pdf|csv|xlsx [--output FILE]` and
`greenlane report plan --year 2025 [--output FILE]`: reports from the stored measures."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlane.core.errors import DomainError
from greenlane.metrics import exports, services


class _Reporter:
    """The command runs as a program manager would (it reads the same stored results)."""

    is_authenticated = True
    staff_role = "program_manager"
    pk = None


class Command(BaseCommand):
    help = "Reports from the stored performance measures."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True, metavar="REPORT")
        p = sub.add_parser("measures", help="Every measure for a period.")
        p.add_argument("--period", required=True)
        p.add_argument("--format", choices=exports.ROW_LIMITS, default="pdf")
        p.add_argument("--output", default="")
        p = sub.add_parser("plan", help="The annual program plan (PDF).")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--output", default="")

    def handle(self, *args, what: str, **o):
        actor: object = _Reporter()
        try:
            if what == "measures":
                period = services.period_or_error(o["period"]).key
                data = exports.render(exports.measures_table(actor, period), o["format"])
                out = Path(o["output"] or f"measures-{period}.{o['format']}")
            else:
                exports.plan_year({"year": o["year"]})
                data = exports.program_plan_pdf(actor, o["year"])
                out = Path(o["output"] or f"program-plan-{o['year']}.pdf")
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out.write_bytes(data)
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes)")
