from django.core.management.base import BaseCommand

from greenlane.partners import demo
from greenlane.partners.models import Partner


class Command(BaseCommand):
    help = "Load the demo population: users for every role, partners of all 12 entity types, every status."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partners", type=int, default=160, help="How many partners to create (default 160)."
        )
        parser.add_argument(
            "--seed", type=int, default=2004, help="Random seed, for a repeatable population."
        )
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if partners already exist.")

    def handle(self, *args, partners: int, seed: int, if_empty: bool, **options):
        if if_empty and Partner.objects.exists():
            self.stdout.write("Demo data already loaded; skipping (drop var/ to start again).")
            demo.ensure_users()
            return
        if partners < 0 or partners > 20000:
            self.stderr.write("--partners must be between 0 and 20000 (use bench/ for larger populations).")
            raise SystemExit(2)
        self.stdout.write(f"Creating {partners} demo partners through the services (a few seconds)...")
        result = demo.seed(partners=partners, seed_value=seed)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready: {result['partners']} partners, {result['users']} users.")
        )
