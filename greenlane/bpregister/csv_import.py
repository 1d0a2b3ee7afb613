"""Importing a list of business partners from CSV into a member's register.

Columns: name, partner_type, country (required); id_type, id_value, contact_name, contact_email, notes
(optional). Good rows are added, bad rows reported with line, field and message; a row whose identifier is
already in the register is skipped (reported), so importing the same file again adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import InvalidInput

from . import selectors
from .models import RegisterEntry
from .services import REVIEW_INTERVAL, EntryInput, _linked_partner_id, clean_entry

COLUMNS = ("name", "partner_type", "country", "id_type", "id_value", "contact_name", "contact_email", "notes")
REQUIRED = ("name", "partner_type", "country")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000


@dataclass
class ImportReport:
    rows: int = 0
    created: list[RegisterEntry] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)  # already in the register
    errors: list[dict] = field(default_factory=list)  # {line, field, message}


def _read(stream: BinaryIO) -> list[tuple[int, dict]]:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is larger than 5 MB."), field="file")
    if not data.strip():
        raise InvalidInput(_("The file is empty."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(_("The file is not UTF-8 text."), field="file") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(
            _("The header must name the columns %(cols)s; missing: %(missing)s.")
            % {"cols": ", ".join(COLUMNS), "missing": ", ".join(missing)},
            field="file",
        )
    reader.fieldnames = header
    rows = [(reader.line_num, raw) for raw in reader]
    if len(rows) > MAX_ROWS:
        raise InvalidInput(_("At most %(n)s rows per file.") % {"n": MAX_ROWS}, field="file")
    return rows


@transaction.atomic
def entries_import(
    *, actor, partner_id: int, stream: BinaryIO, file_name: str = "", today: dt.date | None = None
) -> ImportReport:
    access = selectors.register_access(actor, partner_id, for_update=True)
    rows = _read(stream)
    today = today or timezone.localdate()
    report = ImportReport(rows=len(rows))
    existing = set(
        RegisterEntry.objects.filter(owner=access.partner)
        .exclude(id_value="")
        .values_list("id_type", "id_value")
    )
    names = set(RegisterEntry.objects.filter(owner=access.partner).values_list("search_name", "country"))
    for line, raw in rows:
        data = EntryInput(**{c: str(raw.get(c) or "") for c in COLUMNS})
        values, errors = clean_entry(data)
        if errors:
            report.errors.extend({"line": line, **e} for e in errors)
            continue
        key = (values["id_type"], values["id_value"])
        name_key = (values["name"].casefold(), values["country"])
        if (values["id_value"] and key in existing) or (not values["id_value"] and name_key in names):
            report.skipped.append({"line": line, "name": values["name"]})
            continue
        if values["id_value"]:
            existing.add(key)
        names.add(name_key)
        report.created.append(
            RegisterEntry(
                owner=access.partner,
                linked_partner_id=_linked_partner_id(values["id_type"], values["id_value"]),
                next_review_due=today + REVIEW_INTERVAL,
                search_name=values["name"].casefold(),
                **values,
            )
        )
    if report.created:
        RegisterEntry.objects.bulk_create(report.created, batch_size=500)
        record_event(
            actor=actor,
            action="bpregister.entries_import",
            partner=access.partner,
            summary=f"{len(report.created)} business partners imported from {file_name or 'a CSV file'}",
            after={
                "file": file_name,
                "rows": report.rows,
                "created": len(report.created),
                "skipped": len(report.skipped),
                "errors": len(report.errors),
            },
        )
    return report
