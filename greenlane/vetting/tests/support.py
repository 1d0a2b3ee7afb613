"""Builders for vetting tests: CSV files, imports, partners with known names, identifiers and sites."""

from __future__ import annotations

import csv
import io
import itertools

from greenlane.partners import services as partner_services
from greenlane.partners.models import Partner

HEADER = [
    "source_ref",
    "kind",
    "date",
    "name",
    "address",
    "country",
    "identifier_type",
    "identifier_value",
    "amount",
    "details",
]
_refs = itertools.count(1)


def row(**values) -> dict:
    """A good row; keyword arguments replace its values."""
    base = {
        "source_ref": f"R-{next(_refs)}",
        "kind": "penalty",
        "date": "2024-03-31",
        "name": "Nowhere Trading Company",
        "address": "99 Unrelated Road, Springfield",
        "country": "US",
        "identifier_type": "",
        "identifier_value": "",
        "amount": "",
        "details": "",
    }
    return {**base, **values}


def csv_bytes(rows: list[dict], header: list[str] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = header or HEADER
    writer.writerow(columns)
    for r in rows:
        writer.writerow([r.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def do_import(
    rows: list[dict],
    *,
    actor=None,
    source: str = "cbp-penalties",
    file_name: str = "penalties.csv",
    today=None,
):
    from greenlane.vetting import services

    return services.compliance_import(
        actor=actor, stream=io.BytesIO(csv_bytes(rows)), file_name=file_name, source=source, today=today
    )


_seq = itertools.count(1)


def partner(
    officer,
    *,
    name: str,
    country: str = "US",
    identifiers=(("ior", None),),
    street: str = "1 Harbor Way",
    city: str = "Newark",
    region: str = "NJ",
    postal_code: str = "07114",
    dba_name: str = "",
    entity_type: str = "importer",
) -> Partner:
    """A draft partner with one headquarters site. An identifier value None gets a fresh EIN-based IOR."""
    n = next(_seq)
    items = [
        partner_services.IdentifierInput(t, v if v is not None else f"33-{n:07d}AA") for t, v in identifiers
    ]
    p = partner_services.partner_create(
        actor=officer,
        entity_type=entity_type,
        legal_name=name,
        country=country,
        role="company_officer",
        identifiers=items,
        dba_name=dba_name,
    )
    if street:
        partner_services.site_add(
            actor=officer,
            partner_id=p.pk,
            kind="headquarters",
            name="Head office",
            street=street,
            city=city,
            region=region,
            postal_code=postal_code,
            country=country,
        )
    return Partner.objects.prefetch_related("identifiers", "sites").get(pk=p.pk)


def ior_of(p: Partner) -> str:
    return next(i.value for i in p.identifiers.all() if i.type == "ior")
