"""Our own status file for one foreign program: the members who consented to share with it.

Same columns as the files we receive (docs/mra.md), with `program_id` our C-TPAT account number and the
member's manufacturer ids (MID) added, since foreign exporters are matched to our entries by MID."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from greenlane.audit.services import record_event
from greenlane.core.errors import InvalidInput
from greenlane.partners.choices import PartnerStatus, SiteKind
from greenlane.partners.models import Identifier, Partner, Site

from . import permissions
from .models import ForeignProgram
from .services import program_by_code

# Our statuses as the exchange names them; members in other states are not sent.
EXCHANGED = {
    PartnerStatus.CERTIFIED: "active",
    PartnerStatus.SUSPENDED: "suspended",
    PartnerStatus.REMOVED: "revoked",
}
COLUMNS = ("program_id", "name", "address", "country", "status", "validation_date", "status_date", "mid")
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class ExportRow:
    program_id: str
    name: str
    address: str
    country: str
    status: str
    validation_date: str
    status_date: str
    mid: str


def _date(value: dt.datetime | None) -> str:
    return timezone.localdate(value).isoformat() if value else ""


def _address(partner: Partner) -> str:
    sites = list(partner.sites.all())
    hq = next((s for s in sites if s.kind == SiteKind.HEADQUARTERS), sites[0] if sites else None)
    if hq is None:
        return ""
    parts = [hq.street, hq.city, hq.region, hq.postal_code, hq.country]
    return ", ".join(p for p in parts if p)


def rows(program: ForeignProgram) -> list[ExportRow]:
    """Consenting members in an exchanged status, in three queries whatever their number."""
    partners = (
        Partner.objects.filter(
            mra_consents__program=program,
            mra_consents__withdrawn_at__isnull=True,
            status__in=list(EXCHANGED),
        )
        .prefetch_related(
            Prefetch("sites", queryset=Site.objects.order_by("kind", "id")),
            Prefetch("identifiers", queryset=Identifier.objects.filter(type="mid")),
        )
        .order_by("reference")
    )
    out = []
    for p in partners:
        status = EXCHANGED[PartnerStatus(p.status)]
        status_at = {"suspended": p.suspended_at, "revoked": p.removed_at}.get(status)
        out.append(
            ExportRow(
                program_id=p.reference,
                name=p.legal_name,
                address=_address(p),
                country=p.country,
                status=status,
                validation_date=_date(p.certified_at),
                status_date=_date(status_at),
                mid=";".join(i.value for i in p.identifiers.all()),
            )
        )
    return out


def render(program: ForeignProgram, export_rows: list[ExportRow], file_format: str, as_of: dt.date) -> bytes:
    if file_format == "json":
        doc = {
            "program": program.code,
            "sender": "ctpat",
            "as_of": as_of.isoformat(),
            "members": [asdict(r) for r in export_rows],
        }
        return json.dumps(doc, ensure_ascii=False, indent=2).encode()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in export_rows:
        writer.writerow([getattr(r, c) for c in COLUMNS])
    return buf.getvalue().encode()


def status_export(*, actor, program_code: str, file_format: str = "csv") -> tuple[str, bytes, int]:
    """(file name, content, row count) of our export for a program; audited (who sent what, when).
    `actor` None is the system (the command line)."""
    if actor is not None:
        permissions.require_manager(actor)
    if file_format not in FORMATS:
        raise InvalidInput(_("The format is csv or json."), field="format")
    program = program_by_code(program_code)
    today = timezone.localdate()
    export_rows = rows(program)
    content = render(program, export_rows, file_format, today)
    name = f"ctpat-{program.code}-{today.isoformat()}.{file_format}"
    record_event(
        actor=actor,
        action="mra.export",
        obj=program,
        summary=f"Exported {len(export_rows)} consenting members for {program.code}",
        after={"program": program.code, "rows": len(export_rows), "format": file_format, "file": name},
    )
    return name, content, len(export_rows)
