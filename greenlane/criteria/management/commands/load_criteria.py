from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlane.core.errors import DomainError
from greenlane.criteria import catalog_io, services
from greenlane.criteria.models import CatalogVersion


class Command(BaseCommand):
    help = "Load the bundled criteria catalogs (or FILE ...) and activate the newest one already in effect."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Catalog YAML files (default: the bundled ones)")
        parser.add_argument("--activate", metavar="VERSION", help="Activate this version after loading")

    def handle(self, *args, files, activate, **options):
        import time

        from django.utils import timezone

        started = time.perf_counter()
        try:
            if files:
                results = [services.catalog_load_file(actor=None, path=Path(f)) for f in files]
            else:
                results = services.catalog_load_bundled(actor=None)
            for r in results:
                state = "loaded" if r.created else "already loaded (same checksum)"
                self.stdout.write(f"{r.version.catalog} {r.version.version}: {r.criteria} criteria, {state}")
            target = None
            if activate:
                target = CatalogVersion.objects.filter(version=activate).first()
                if target is None:
                    raise CommandError(f"No loaded catalog version {activate}.")
            elif not CatalogVersion.objects.filter(is_active=True).exists():
                today = timezone.localdate()
                in_effect = [v for v in CatalogVersion.objects.all() if v.effective <= today]
                if in_effect:
                    target = max(in_effect, key=lambda v: catalog_io.version_key(v.version))
            if target is not None:
                services.catalog_activate(actor=None, version_id=target.pk)
                self.stdout.write(f"Active: {target.catalog} {target.version}")
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Done in {time.perf_counter() - started:.2f} s.")
