"""greenlane demo-totp: the current two-step code for the demo staff accounts (demo mode only)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from greenlane.accounts import mfa


class Command(BaseCommand):
    help = (
        "Print the current 6-digit code for the documented demo TOTP secret. Refuses unless GREENLANE_DEMO=1."
    )

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "demo-totp works only in demo mode (GREENLANE_DEMO=1); "
                "real accounts use their own authenticator."
            )
        self.stdout.write(mfa.current_code(settings.DEMO_TOTP_SECRET_HEX))
