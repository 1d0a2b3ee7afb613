"""Demo compliance history: a few hundred records from two made-up sources, some of them about demo partners
(by identifier, and by a slightly different spelling of the name), imported through the service and matched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Iterable

from django.utils import timezone

from greenlane.partners.models import Partner

from . import matching, services
from .choices import RecordKind
from .csv_import import COLUMNS

SURNAMES = [
    "Kowalczyk",
    "Oyelaran",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Okonkwo",
    "Vasquez",
    "Petrov",
    "Nakamura",
    "Bianchi",
    "Schreiber",
    "Abernathy",
    "Fitzgerald",
    "Delacroix",
    "Marchetti",
    "Sandoval",
    "Quintero",
    "Halvorsen",
    "Ivanova",
    "Mbeki",
    "Castellanos",
    "Novak",
    "Rasmussen",
    "Yilmaz",
    "Zielinski",
]
TRADES = [
    "Ceramics",
    "Seafood Traders",
    "Auto Parts",
    "Furniture Export",
    "Footwear",
    "Toys and Novelties",
    "Pharmaceutical Supply",
    "Steel Fittings",
    "Solar Components",
    "Garment Works",
    "Coffee Importers",
    "Chemicals",
    "Bicycle Works",
    "Tile and Stone",
    "Cosmetics",
    "Hardware Wholesale",
]
FORMS = {
    "US": ["LLC", "Inc.", "Corp."],
    "MX": ["S.A. de C.V."],
    "CN": ["Co., Ltd."],
    "CA": ["Ltd."],
    "DE": ["GmbH"],
    "VN": ["Co., Ltd."],
    "IN": ["Pvt. Ltd."],
    "TR": ["A.S."],
    "CO": ["S.A.S."],
}
PLACES = {
    "US": ["Laredo, TX 78040", "Elizabeth, NJ 07201", "Long Beach, CA 90802", "Miami, FL 33166"],
    "MX": ["Nuevo Laredo, TAMPS", "Tijuana, BC", "Ciudad Juarez, CHIH"],
    "CN": ["Ningbo, ZJ", "Xiamen, FJ"],
    "CA": ["Mississauga, ON", "Delta, BC"],
    "DE": ["Bremen"],
    "VN": ["Hai Phong"],
    "IN": ["Mumbai, MH"],
    "TR": ["Izmir"],
    "CO": ["Cartagena"],
}
STREETS = ["Industrial Park", "Port Road", "Avenida Central"]
KIND_WEIGHTS = [
    (RecordKind.PENALTY, 40),
    (RecordKind.SEIZURE, 20),
    (RecordKind.LIQUIDATED_DAMAGES, 18),
    (RecordKind.UNPAID_DEBT, 10),
    (RecordKind.PRIOR_SUSPENSION, 4),
    (RecordKind.PRIOR_REMOVAL, 3),
    (RecordKind.WATCH_LIST, 5),
]
DETAILS: dict[str, str] = {
    RecordKind.PENALTY: "19 U.S.C. 1592 penalty: misdeclared value on {n} entries.",
    RecordKind.SEIZURE: "Seizure at the port of entry: undeclared goods found in a container.",
    RecordKind.LIQUIDATED_DAMAGES: "Liquidated damages claim: late filing of the importer security filing.",
    RecordKind.UNPAID_DEBT: "Unpaid supplemental duties after a reliquidation.",
    RecordKind.PRIOR_SUSPENSION: "Suspended from a trusted-trader program for a security breach.",
    RecordKind.PRIOR_REMOVAL: "Removed from a trusted-trader program after an unresolved suspension.",
    RecordKind.WATCH_LIST: "Listed on a restricted-party screening list.",
}


def _kind(rng: random.Random) -> str:
    return rng.choices([k for k, _w in KIND_WEIGHTS], weights=[w for _k, w in KIND_WEIGHTS])[0]


def _amount(kind: str, rng: random.Random) -> str:
    if kind in (RecordKind.PENALTY, RecordKind.LIQUIDATED_DAMAGES, RecordKind.UNPAID_DEBT):
        return f"{rng.choice([1, 2, 5, 10, 25, 50, 120]) * rng.randint(500, 2000)}.00"
    return ""


def _date(today: dt.date, rng: random.Random) -> str:
    return (today - dt.timedelta(days=rng.randint(20, 8 * 365))).isoformat()


def _misspell(name: str, rng: random.Random) -> str:
    """The name as another clerk typed it: another legal form, other punctuation and case, maybe a typo."""
    words = name.replace(",", "").split()
    forms = {"llc", "inc", "ltd", "gmbh", "sas", "kk", "ltda", "corp"}
    last = next((i for i in (-1, -2) if len(words) > 2 and words[i].lower().strip(".") in forms), None)
    if last is not None and rng.random() < 0.5:
        words[last] = rng.choice(["Inc", "L.L.C.", "LTD", "Incorporated", "Corp."])
    elif len(words) > 1 and rng.random() < 0.7:
        letters = list(words[0])
        if len(letters) > 4:
            del letters[rng.randrange(1, len(letters) - 1)]
        words[0] = "".join(letters)
    text = " ".join(words)
    return text.upper() if rng.random() < 0.5 else text


def _site_address(partner: Partner) -> str:
    site = next(iter(partner.sites.all()), None)
    if site is None:
        return ""
    return ", ".join(p for p in (site.street, site.city, site.region, site.postal_code) if p)


def _stranger(rng: random.Random, partner_keys: list[str]) -> tuple[str, str]:
    """A made-up subject no demo partner resembles."""
    while True:
        country = rng.choice(list(FORMS))
        name = f"{rng.choice(SURNAMES)} {rng.choice(TRADES)} {rng.choice(FORMS[country])}"
        key = matching.name_key(name)
        if all(matching.name_similarity(key, k) < 70 for k in partner_keys):
            return name, country


def build_rows(
    partners: Iterable[Partner],
    rng: random.Random,
    *,
    today: dt.date,
    strangers: int = 300,
    share: float = 0.12,
) -> list[dict]:
    """The demo CSV rows: `strangers` records about made-up companies, and for about `share` of the partners
    one to three records found by identifier or by a different spelling of the name."""
    partners = list(partners)
    rows: list[dict] = []
    keys = [matching.name_key(p.legal_name) for p in partners]
    for i in range(strangers):
        name, country = _stranger(rng, keys)
        kind = _kind(rng)
        rows.append(
            {
                "source_ref": f"DEMO-{i + 1:05d}",
                "kind": kind,
                "date": _date(today, rng),
                "name": name,
                "address": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}, {rng.choice(PLACES[country])}",
                "country": country,
                "amount": _amount(kind, rng),
                "details": DETAILS[kind].format(n=rng.randint(2, 40)),
            }
        )
    # Partners in review first, so the queue shows what it is for.
    ordered = sorted(partners, key=lambda p: (p.status not in ("submitted", "under_review"), p.pk))
    chosen = ordered[: max(4, int(len(partners) * share))] if partners else []
    for n, partner in enumerate(chosen):
        identifiers = [i for i in partner.identifiers.all() if i.type != "mid"]
        by_identifier = identifiers and n % 3 == 0
        for j in range(rng.randint(1, 3)):
            kind = _kind(rng)
            row = {
                "source_ref": f"DEMO-P{partner.pk:05d}-{j + 1}",
                "kind": kind,
                "date": _date(today, rng),
                "country": partner.country,
                "amount": _amount(kind, rng),
                "details": DETAILS[kind].format(n=rng.randint(2, 40)),
            }
            if by_identifier:
                ident = identifiers[0]
                row.update(
                    name=_misspell(partner.legal_name, rng),
                    identifier_type=ident.type,
                    identifier_value=ident.value,
                    address="",
                )
            else:
                row.update(name=_misspell(partner.legal_name, rng), address=_site_address(partner))
            rows.append(row)
    return rows


def seed_compliance(partners: Iterable[Partner], rng: random.Random) -> dict[str, int]:
    """Import the demo compliance file (as the system) and run matching for every partner given."""
    partners = list(
        Partner.objects.filter(pk__in=[p.pk for p in partners]).prefetch_related("identifiers", "sites")
    )
    rows = build_rows(partners, rng, today=timezone.localdate())
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    batch = services.compliance_import(
        actor=None,
        stream=io.BytesIO(out.getvalue().encode()),
        file_name="demo-compliance.csv",
        source="demo-compliance",
    )
    found = 0
    for partner in partners:
        result = services.run_matching(partner)
        found += len(result.created) + len(result.auto_confirmed)
    return {"records": batch.created_count, "matches": found}
