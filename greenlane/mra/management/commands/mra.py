"""`greenlane mra import PROGRAM FILE` / `greenlane mra export PROGRAM` / `greenlane mra programs`.

import: a partner administration's full status file (CSV or JSON, docs/mra.md). Good rows are applied, bad
rows printed as `line N, field F: message` (exit status 2 when any row was bad); companies the file no longer
lists become inactive; the same file twice changes nothing.
export: our members who consented to share with the program, as CSV or JSON, to a file or stdout.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from greenlane.accounts.models import User
from greenlane.core.errors import DomainError
from greenlane.mra import exports, programs, services
from greenlane.mra.models import ForeignProgram


def _user(email: str):
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise CommandError(f"No user with e-mail {email}.")
    return user


class Command(BaseCommand):
    help = "Foreign programs under mutual recognition: import a status file, export our consenting members."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a partner administration's daily status file.")
        imp.add_argument("program", help="Program code, e.g. eu_aeo, ca_pip, mx_oea (see `mra programs`).")
        imp.add_argument("file", help="The CSV or JSON file.")
        imp.add_argument(
            "--as-of", default="", help="Date of the file, YYYY-MM-DD (default: in file, or today)."
        )
        imp.add_argument("--actor", default="", help="E-mail of the staff user to record (default: system).")
        exp = sub.add_parser("export", help="Export our members who consented to share with a program.")
        exp.add_argument("program")
        exp.add_argument("--format", default="csv", choices=exports.FORMATS)
        exp.add_argument("--out", default="", help="Output file (default: standard output).")
        exp.add_argument("--actor", default="")
        sub.add_parser("programs", help="List the programs.")
        sub.add_parser("sync-programs", help="Load programs.yaml into the database again.")

    def handle(self, *args, action: str, **options):
        if action == "import":
            return self._import(**options)
        if action == "export":
            return self._export(**options)
        if action == "sync-programs":
            n = programs.sync(ForeignProgram)
            self.stdout.write(f"{n} programs loaded.")
            return None
        for p in ForeignProgram.objects.all():
            signed = p.mra_signed.isoformat() if p.mra_signed else "?"
            self.stdout.write(f"{p.code:8} {p.country:3} {signed}  {p.id_type:8} {p.name}")
        return None

    def _import(self, *, program: str, file: str, as_of: str, actor: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            date = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError("--as-of must be a date written YYYY-MM-DD.") from None
        user = _user(actor)
        with path.open("rb") as stream:
            try:
                result = services.status_import(
                    actor=user, program_code=program, stream=stream, file_name=path.name, as_of=date
                )
            except DomainError as exc:
                for err in exc.errors:
                    self.stderr.write(
                        f"line {err.get('line')}, field {err.get('field')}: {err.get('message')}"
                    )
                raise CommandError(exc.message) from None
        log = result.log
        if result.duplicate:
            self.stdout.write(
                f"Already imported on {log.imported_at:%Y-%m-%d %H:%M} (import #{log.pk}); nothing changed."
            )
            return
        for err in log.errors:
            self.stderr.write(f"line {err['line']}, field {err['field']}: {err['message']}")
        if log.error_count > len(log.errors):
            self.stderr.write(f"... and {log.error_count - len(log.errors)} more problems.")
        self.stdout.write(
            f"Import #{log.pk} ({log.program.code}, {log.as_of}): {log.row_count} rows; {log.created_count} new, "
            f"{log.updated_count} updated, {log.unchanged_count} unchanged, {log.deactivated_count} no longer "
            f"listed, {log.error_count} rows with problems."
        )
        if log.error_count:
            sys.exit(2)

    def _export(self, *, program: str, format: str, out: str, actor: str, **options):
        try:
            _name, content, n = exports.status_export(
                actor=_user(actor), program_code=program, file_format=format
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if out:
            Path(out).write_bytes(content)
            self.stderr.write(f"{n} members written to {out}.")
        else:
            self.stdout.write(content.decode(), ending="")
