"""`greenlane comms digest` e-mails each member the new bulletins; `greenlane comms release` publishes
scheduled bulletins whose time has come (and sends their alerts). Both are safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from greenlane.comms import services


class Command(BaseCommand):
    help = (
        "Communications jobs: 'release' scheduled bulletins, send the bulletin 'digest' (release runs first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["digest", "release"])
        parser.add_argument("--window-days", type=int, default=30, help="digest: oldest bulletin to include")

    def handle(self, *args, job: str, window_days: int, **options):
        released = services.bulletins_release_due()
        self.stdout.write(f"Released {released} scheduled bulletin(s).")
        if job == "digest":
            if window_days < 1 or window_days > 365:
                self.stderr.write("--window-days must be between 1 and 365.")
                raise SystemExit(2)
            result = services.digest_send(window_days=window_days)
            self.stdout.write(
                f"Digest: {result['emails']} e-mail(s) listing {result['bulletins']} bulletin(s)."
            )
