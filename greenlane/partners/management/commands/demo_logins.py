from django.conf import settings
from django.core.management.base import BaseCommand

from greenlane.partners import demo


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        site = settings.SITE_URL
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Greenlane is starting on {site}"))
        self.stdout.write(f"Every demo login uses the password: {demo.DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write("Company side (no second factor):")
        for email, name, role in demo.TRADE_LOGINS:
            self.stdout.write(f"  {email:<28} {name:<20} {role}")
        self.stdout.write("")
        self.stdout.write(
            "Program staff (TOTP required; demo secret, base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ):"
        )
        for email, name, role, office in demo.STAFF_LOGINS:
            self.stdout.write(f"  {email:<28} {name:<20} {role:<22} {office}")
        self.stdout.write("  Current code for the demo secret: `.venv/bin/greenlane demo-totp`")
        self.stdout.write("")
