from django.core.management.base import BaseCommand, CommandError

from greenlane.core.errors import DomainError
from greenlane.criteria.models import CatalogVersion
from greenlane.criteria.selectors import CATALOG
from greenlane.profiles.revision import CHUNK_SIZE, catalog_activate_and_migrate


class Command(BaseCommand):
    help = (
        "Activate a loaded criteria catalog VERSION and migrate every current security profile onto it. "
        "Safe to run again: partners already migrated are skipped, so an interrupted run resumes."
    )

    def add_arguments(self, parser):
        parser.add_argument("version", help="The catalog version to activate, e.g. 2026.2")
        parser.add_argument("--catalog", default=CATALOG, help="Catalog id (default: %(default)s)")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help="Partners per transaction (default: %(default)s)",
        )

    def handle(self, *args, version, catalog, chunk_size, verbosity, **options):
        target = CatalogVersion.objects.filter(catalog=catalog, version=version).first()
        if target is None:
            raise CommandError(
                f"No loaded catalog version {version} of {catalog}; load it with load-criteria."
            )
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")

        def progress(r):
            if verbosity >= 2:
                self.stdout.write(f"  {r.migrated} migrated, {r.seconds:.1f} s")

        try:
            result = catalog_activate_and_migrate(
                actor=None, version_id=target.pk, chunk_size=chunk_size, progress=progress
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Active: {target.catalog} {target.version}")
        self.stdout.write(
            f"{result.migrated} profile(s) migrated, {result.skipped} already on {target.version}, "
            f"{result.remaining} remaining"
        )
        if result.migrated:
            by_type = ", ".join(f"{t} {n}" for t, n in sorted(result.by_type.items()))
            self.stdout.write(f"  by entity type: {by_type}")
            self.stdout.write(
                f"  {result.answers} answers: {result.unchanged} carried unchanged, {result.changed} flagged "
                f"changed, {result.new} new; {result.removed} removed answers archived; "
                f"{result.evidence_links} evidence links, {result.action_plans} action plans carried"
            )
        rate = f" ({result.rate:.0f} profiles/s)" if result.migrated else ""
        self.stdout.write(f"Done in {result.seconds:.2f} s{rate}.")
