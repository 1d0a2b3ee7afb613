"""`greenlane import-compliance FILE [--source NAME] [--actor EMAIL]`: import a compliance CSV.

Every row is checked first; if any is bad, nothing is imported, every bad row is printed as
`line N, column C: message` and the command exits with status 1. The format is in docs/vetting.md.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlane.accounts.models import User
from greenlane.core.errors import DomainError
from greenlane.vetting import services


class Command(BaseCommand):
    help = (
        "Import a compliance CSV (penalties, seizures, liquidated damages, unpaid debts, prior suspensions "
        "or removals, watch-list entries). Nothing is imported if any row is bad; every bad row is listed. "
        "Importing the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file (UTF-8, header row).")
        parser.add_argument("--source", default="", help="Source name (default: the file name).")
        parser.add_argument(
            "--actor", default="", help="E-mail of the staff user to record (default: system)."
        )

    def handle(self, *args, file: str, source: str, actor: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        user = None
        if actor:
            user = User.objects.filter(email__iexact=actor).first()
            if user is None:
                raise CommandError(f"No user with e-mail {actor}.")
        started = time.perf_counter()
        with path.open("rb") as stream:
            try:
                batch = services.compliance_import(
                    actor=user, stream=stream, file_name=path.name, source=source, max_errors=None
                )
            except services.ImportRejected as exc:
                for error in exc.errors:
                    column = f", column {error['column']}" if error["column"] else ""
                    value = f" (value: {error['value']!r})" if error.get("value") else ""
                    self.stderr.write(f"line {error['line']}{column}: {error['message']}{value}")
                if len(exc.errors) < exc.error_count:
                    self.stderr.write(f"... and {exc.error_count - len(exc.errors)} more problems.")
                self.stderr.write(self.style.ERROR(exc.message))
                raise SystemExit(1) from None
            except DomainError as exc:
                raise CommandError(exc.message) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {batch.file_name} as source '{batch.source}': {batch.row_count} rows, "
                f"{batch.created_count} new, {batch.updated_count} updated, "
                f"{batch.unchanged_count} unchanged "
                f"({seconds:.1f} s; import #{batch.pk}, sha256 {batch.sha256[:12]})."
            )
        )
