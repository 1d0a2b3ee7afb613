"""`greenlane annual-reviews open|remind|overdue [--today YYYY-MM-DD]`: the daily annual-review jobs.

Run all three once a day, in this order (each is idempotent), e.g. from cron:

    15 6 * * *  greenlane annual-reviews open && greenlane annual-reviews remind \
                  && greenlane annual-reviews overdue
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from greenlane.profiles import review_services


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, not '{value}'.") from None


class Command(BaseCommand):
    help = (
        "Annual reviews: 'open' opens every review whose window (90 days before the certification "
        "anniversary) is open and e-mails the company officers; 'remind' sends the 30- and 7-day reminders; "
        "'overdue' records reviews past their due date (a suspension cause) and tells the company. "
        "Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["open", "remind", "overdue"])
        parser.add_argument("--today", type=str, default=None, help="Run as of this date (YYYY-MM-DD).")

    def handle(self, *args, action: str, today: str | None = None, **options):
        on = _date(today) if today else None
        if action == "open":
            opened = review_services.review_open_due(today=on)
            for r in opened:
                self.stdout.write(
                    f"opened  {r.partner.reference}  review {r.cycle}  due {r.due_on.isoformat()}"
                )
            self.stdout.write(self.style.SUCCESS(f"{len(opened)} annual review(s) opened."))
        elif action == "remind":
            sent = review_services.review_send_reminders(today=on)
            for r, kind in sent:
                self.stdout.write(
                    f"{kind:<9} {r.partner.reference}  review {r.cycle}  due {r.due_on.isoformat()}"
                )
            self.stdout.write(self.style.SUCCESS(f"{len(sent)} reminder(s) sent."))
        else:
            marked = review_services.review_mark_overdue(today=on)
            for r in marked:
                due = r.due_on.isoformat()
                self.stdout.write(
                    f"overdue {r.partner.reference}  review {r.cycle}  due {due}  (suspension cause)"
                )
            self.stdout.write(self.style.SUCCESS(f"{len(marked)} review(s) newly overdue."))
