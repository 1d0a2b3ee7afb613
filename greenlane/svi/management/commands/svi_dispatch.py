"""`greenlane svi-dispatch`: tell monitors about partner status/tier changes, then retry due webhook deliveries.

Run it from cron every minute as a safety net; status changes are normally fanned out right after the
transaction that made them commits (svi.hooks.partner_changed)."""

from django.core.management.base import BaseCommand

from greenlane.svi import dispatch, webhooks


class Command(BaseCommand):
    help = "Fan out partner status changes to SVI monitors and retry due webhook deliveries."

    def handle(self, *args, **options):
        changes = dispatch.sweep()
        retried = webhooks.retry_due()
        self.stdout.write(f"{changes} status changes recorded; {retried} webhook deliveries attempted.")
