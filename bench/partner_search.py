"""Figure: partner search over 100,000 partners, first page p95 under 100 ms on SQLite and on PostgreSQL.

    python bench/partner_search.py [--partners N] [--runs N] [--warmup N] [--backend sqlite|postgres|all]
                                   [--explain] [--sqlite-analyze] [--apps APP,...] [--seed N] [--quick]

For each backend a throwaway database is created (SQLite: a file in a temp dir; PostgreSQL:
`greenlane_bench_<pid>` on postgres://postgres@127.0.0.1:5432, or the server in GREENLANE_BENCH_PG,
dropped at the end; skipped with a message when the server is not reachable), migrated, and filled with a
bench fixture written with bulk_create (not through the services: it is a fixture, not a demo). Each
backend runs in its own subprocess so that Django is configured once per database.

Each search is timed from the selector call to the materialised first page (25 rows with their prefetched
identifiers, the pager's count included), and again through the real HTTP stack: the staff page
`/staff/partners/` (session with MFA passed) and `GET /api/v1/partners` (bearer token). Baselines measured
in the same run: a primary-key lookup, the first 25 rows by id, and GET /healthz. All probes are timed
round-robin (one run of each per round, order rotated every round) so that load from other processes
falls on all of them alike. Every figure is the median and the 95th percentile (nearest rank) of --runs
timed runs after --warmup untimed ones. docs/benchmarks.md explains the fixture and the figures.

Lines starting with `BENCH-RESULT ` carry one JSON result each, for bench/run.py's summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import os
import random
import statistics
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from greenlane.partners import demo_names

TARGET_MS = 100.0
PAGE_SIZE = 25
PG_ADMIN_URL = os.environ.get("GREENLANE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_NAME = "partner_search"

# ---------------------------------------------------------------------------------------------------------
# The population: shares by entity type, status, country; word lists for names.

ENTITY_WEIGHTS = {
    "importer": 34,
    "foreign_manufacturer": 16,
    "highway_carrier": 12,
    "customs_broker": 7,
    "consolidator": 6,
    "third_party_logistics": 6,
    "exporter": 5,
    "mexican_long_haul_carrier": 5,
    "marine_port_terminal_operator": 3,
    "sea_carrier": 2.5,
    "rail_carrier": 1.5,
    "air_carrier": 1,
}
STATUS_WEIGHTS = {
    "certified": 50,
    "draft": 10,
    "submitted": 10,
    "under_review": 10,
    "denied": 5,
    "suspended": 6,
    "removed": 4,
    "withdrawn": 5,
}
_MAKERS = (
    "MX MX MX CN CN CN VN IN DE IT BR CO GT HN SV TH KR JP TW BD PK TR ID MY PH KH DO CR PE CL "
    "NI EC AR PL CZ PT ES FR GB IE IL EG MA ZA KE ET LK MM NG SA AU NZ HU RO UA JM"
)
MANUFACTURING = _MAKERS.split()
COUNTRIES: dict[str, list[str]] = {
    "importer": ["US"] * 9 + ["CA", "CA", "MX"],
    "exporter": ["US"],
    "customs_broker": ["US"],
    "consolidator": ["US", "US", "HK", "CN", "DE", "NL", "SG", "GB"],
    "third_party_logistics": ["US", "US", "US", "CA"],
    "air_carrier": ["US", "DE", "AE", "KR", "JP", "FR", "GB", "QA", "TR", "NL", "LU", "SG"],
    "sea_carrier": ["DK", "CH", "FR", "SG", "TW", "CN", "KR", "DE", "JP", "IL", "HK", "GR", "NO"],
    "rail_carrier": ["US", "CA", "MX"],
    "highway_carrier": ["US", "US", "CA", "MX", "MX"],
    "mexican_long_haul_carrier": ["MX"],
    "foreign_manufacturer": MANUFACTURING,
    "marine_port_terminal_operator": ["US", "US", "PA", "NL", "BE", "SG", "ES", "BS", "JM"],
}
# The demo's words (greenlane/partners/demo_names.py) and more, so that names repeat less at 100,000.
NAME_A = [
    *demo_names.NAME_A,
    "Anchor",
    "Beacon",
    "Crescent",
    "Dominion",
    "Eagle",
    "Frontier",
    "Gateway",
    "Heritage",
    "Imperial",
    "Jade",
    "Kingfisher",
    "Liberty",
    "Magnolia",
    "Nova",
    "Orion",
    "Pioneer",
    "Regal",
    "Sterling",
    "Trinity",
    "Valley",
    "Willow",
    "Apex",
    "Bayview",
    "Cobalt",
    "Diamond",
    "Emerald",
    "Fortune",
    "Golden",
    "Highland",
    "Island",
    "Jupiter",
    "Kestrel",
    "Lotus",
    "Monarch",
    "Nordic",
    "Oceanic",
    "Harbor Point",
    "Prairie",
    "Royal",
    "Silver",
    "Titan",
    "United",
    "Vanguard",
    "Windward",
    "Zephyr",
]
NAME_C = [
    "",
    "",
    "",
    "",
    "",
    "",
    "Bay",
    "River",
    "Global",
    "International",
    "American",
    "Continental",
    "National",
    "Star",
    "Ridge",
    "Harbor",
    "Coast",
    "Line",
    "Trade",
    "Link",
    "West",
    "East",
]
_MORE_B = {
    "importer": ["Distributors", "Brands"],
    "exporter": ["Foods"],
    "customs_broker": ["Customs House"],
    "consolidator": ["Forwarding"],
    "third_party_logistics": ["Warehousing"],
    "highway_carrier": ["Express", "Carriers"],
    "foreign_manufacturer": ["Plastics"],
}
NAME_B = {kind: [*words, *_MORE_B.get(kind, [])] for kind, words in demo_names.NAME_B.items()}
SUFFIX = {**demo_names.SUFFIX, "NL": "B.V.", "ES": "S.L.", "GB": "Ltd"}
EORI_COUNTRIES = {
    "DE",
    "FR",
    "NL",
    "BE",
    "IT",
    "ES",
    "PL",
    "CZ",
    "PT",
    "IE",
    "HU",
    "RO",
    "GB",
    "LU",
    "DK",
    "GR",
}
HISTORY = [
    "Family-owned business founded by two brothers that grew into international trade.",
    "Spun off from a larger group; operates its own warehouses and a fleet of leased trucks.",
    "Imports seasonal goods from Asia and Latin America for regional retail chains.",
    "Certified under ISO 9001 and ISO 28000; member of the regional chamber of commerce.",
    "Ships full container loads through the ports of Long Beach, Newark and Savannah.",
    "Subsidiary of a foreign parent; security program managed by a dedicated compliance team.",
]
EIN_PREFIXES = ["12", "20", "27", "33", "45", "52", "81", "94"]
REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
IATA_ALPHABET = string.ascii_uppercase + string.digits
# Specialists assigned from under review on; submitted ones only sometimes.
ASSIGNED_STATUSES = {"under_review", "certified", "denied", "suspended", "removed", "withdrawn"}
STATUS_TIMESTAMPS = {
    "submitted": ["submitted_at"],
    "under_review": ["submitted_at", "under_review_at"],
    "certified": ["submitted_at", "under_review_at", "certified_at"],
    "denied": ["submitted_at", "under_review_at", "denied_at"],
    "suspended": ["submitted_at", "certified_at", "suspended_at"],
    "removed": ["submitted_at", "certified_at", "removed_at"],
    "withdrawn": ["submitted_at", "withdrawn_at"],
}


def _base(n: int, alphabet: str, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "".join(reversed(out))


def _reference(n: int) -> str:
    # A bijection of n over 32**8 (odd multiplier), so references are unique and look random.
    return "GL-" + _base((n * 2_654_435_761 + 12_345) % (32**8), REF_ALPHABET, 8)


def _luhn_complete(digits: str) -> str:
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for i, ch in enumerate(reversed(candidate)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def _iata(k: int) -> str | None:
    """The k-th two-character IATA designator with at least one letter; None when they run out."""
    codes = (a + b for a in IATA_ALPHABET for b in IATA_ALPHABET if not (a + b).isdigit())
    for i, code in enumerate(codes):
        if i == k:
            return code
    return None


def identifiers_for(
    entity_type: str, country: str, n: int, k: int, rng: random.Random
) -> list[tuple[str, str]]:
    """One or two identifiers in normalised form, unique per (type, value, entity type) by construction (n is
    unique; k is the partner's ordinal among its entity type)."""
    ein = f"{rng.choice(EIN_PREFIXES)}-{n:07d}"
    scac = _base(n, string.ascii_uppercase, 4)
    extra = rng.random() < 0.5
    items: list[tuple[str, str]]
    if entity_type == "importer":
        items = [("ior", f"{ein}{_base(n, string.ascii_uppercase, 2)}")] + ([("ein", ein)] if extra else [])
    elif entity_type in ("exporter", "third_party_logistics"):
        items = [("ein", ein)] + ([("duns", f"{n:09d}")] if extra else [])
    elif entity_type == "customs_broker":
        items = [("ein", ein)]
    elif entity_type == "consolidator":
        items = [("fmc_org", f"{n % 1_000_000:06d}N")] + ([("ein", ein)] if extra else [])
    elif entity_type == "air_carrier":
        items = [("iata", _iata(k) or "ZZ")]
    elif entity_type in ("sea_carrier", "rail_carrier"):
        items = [("scac", scac)]
    elif entity_type == "highway_carrier":
        items = [("scac", scac), ("dot", f"{100_000 + n % 900_000:06d}")]
    elif entity_type == "mexican_long_haul_carrier":
        rfc = (
            f"{_base(n % 17_576, string.ascii_uppercase, 3)}{rng.randint(80, 99)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d}{_base(n // 17_576, string.ascii_uppercase + string.digits, 3)}"
        )
        items = [("rfc", rfc), ("sct", f"SCT{n:08d}")]
    elif entity_type == "foreign_manufacturer":
        maker, city = _base(n % 26**5, string.ascii_uppercase, 5), _base(n, string.ascii_uppercase, 3)
        mid = f"{country}{maker}{rng.randint(1, 9999)}{city}"
        items = [("mid", mid)]
    elif entity_type == "marine_port_terminal_operator":
        items = [("fmc_org", f"{n % 1_000_000:06d}")]
    else:  # pragma: no cover
        raise ValueError(entity_type)
    if len(items) == 1 and country == "CA":
        items.append(("cbsa_bn", _luhn_complete(f"{n:08d}") + "RM0001"))
    elif len(items) == 1 and country in EORI_COUNTRIES:
        items.append(("eori", f"{country}{n:010d}"))
    return items


def _weighted(rng: random.Random, weights: dict[str, float]) -> Callable[[], str]:
    keys, w = list(weights), list(weights.values())
    return lambda: rng.choices(keys, weights=w)[0]


def populate(partners: int, *, seed: int = 2004, batch: int = 2000) -> dict:
    """Bulk-insert the fixture: 30 specialists over the field offices, `partners` partners, identifiers."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from greenlane.accounts.models import FieldOffice, User
    from greenlane.partners.models import Identifier, Partner

    rng = random.Random(seed)
    offices = list(FieldOffice.objects.order_by("pk"))
    if not offices:
        raise SystemExit("No field offices: migrate the accounts app (its 0002 migration creates them).")
    unusable = make_password(None)
    specialists = User.objects.bulk_create(
        User(
            email=f"scs{i:02d}@bench.example",
            full_name=f"Specialist {i:02d}",
            password=unusable,
            staff_role="supervisory_scs" if i % 6 == 0 else "scs",
            field_office=offices[i % len(offices)],
            email_verified_at=timezone.now(),
        )
        for i in range(30)
    )
    if not all(s.pk for s in specialists):  # backends that cannot return ids from a bulk insert
        specialists = list(User.objects.filter(email__endswith="@bench.example").order_by("email"))
    by_office = {o.pk: [s for s in specialists if s.field_office_id == o.pk] for o in offices}
    pick_type = _weighted(rng, ENTITY_WEIGHTS)
    pick_status = _weighted(rng, STATUS_WEIGHTS)
    office_weights = [4, 3, 3, 2][: len(offices)] + [1] * max(0, len(offices) - 4)
    now = timezone.now()
    ordinal: dict[str, int] = {}
    identifiers_total = 0
    started = time.perf_counter()
    with transaction.atomic():
        for start in range(0, partners, batch):
            rows: list[Partner] = []
            pending: list[list[tuple[str, str]]] = []
            for n in range(start, min(start + batch, partners)):
                entity_type = pick_type()
                k = ordinal.get(entity_type, 0)
                if entity_type == "air_carrier" and _iata(k) is None:
                    entity_type, k = "importer", ordinal.get("importer", 0)
                ordinal[entity_type] = k + 1
                country = rng.choice(COUNTRIES[entity_type])
                status = pick_status()
                middle = rng.choice(NAME_C)
                legal = " ".join(
                    w
                    for w in (
                        rng.choice(NAME_A),
                        middle,
                        rng.choice(NAME_B[entity_type]),
                        SUFFIX.get(country, "Ltd."),
                    )
                    if w
                )
                dba = f"{rng.choice(NAME_A)} {rng.choice(NAME_B[entity_type])}" if rng.random() < 0.25 else ""
                office = None
                scs = None
                if status != "draft":
                    office = rng.choices(offices, weights=office_weights)[0]
                    if status in ASSIGNED_STATUSES or rng.random() < 0.3:
                        scs = rng.choice(by_office[office.pk] or specialists)
                created = now - dt.timedelta(days=rng.randint(30, 6 * 365), seconds=rng.randint(0, 86_400))
                stamps = {}
                t = created
                for name in STATUS_TIMESTAMPS.get(status, []):
                    t = t + dt.timedelta(days=rng.randint(1, 90))
                    stamps[name] = min(t, now)
                rows.append(
                    Partner(
                        reference=_reference(n),
                        entity_type=entity_type,
                        legal_name=legal,
                        dba_name=dba,
                        country=country,
                        website=f"https://www.example.com/{n}",
                        phone=f"+1 555 01{n % 100:02d}",
                        employee_count=rng.choice([8, 25, 60, 140, 400, 1200, 5000]),
                        modes_of_transport=sorted(
                            rng.sample(["air", "sea", "rail", "truck"], k=rng.randint(1, 2))
                        ),
                        eligibility={},
                        status=status,
                        business_history=" ".join(rng.sample(HISTORY, k=rng.randint(1, 4))),
                        tier=(rng.choice([1, 1, 1, 2, 2, 3]) if status == "certified" else 0),
                        assigned_scs=scs,
                        field_office=office,
                        created_at=created,
                        updated_at=max(stamps.values(), default=created),
                        status_changed_at=max(stamps.values(), default=created),
                        search_name=f"{legal} {dba}".strip().lower()[:420],
                        **stamps,
                    )
                )
                pending.append(identifiers_for(entity_type, country, n, k, rng))
            Partner.objects.bulk_create(rows, batch_size=batch)
            if not all(p.pk for p in rows):
                raise RuntimeError("this backend did not return primary keys from bulk_create")
            idents = [
                Identifier(partner_id=p.pk, type=t, value=v, entity_type=p.entity_type)
                for p, items in zip(rows, pending, strict=True)
                for t, v in items
            ]
            Identifier.objects.bulk_create(idents, batch_size=batch)
            identifiers_total += len(idents)
    return {
        "partners": partners,
        "identifiers": identifiers_total,
        "specialists": len(specialists),
        "seconds": time.perf_counter() - started,
    }


# ---------------------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Row:
    name: str
    kind: str  # "baseline", "selector", "ui", "api"
    times_ms: list[float]
    queries: int
    matches: int | None = None
    count_ms: float | None = None  # median time of the pager's COUNT query alone
    queries_100: int | None = None  # queries for the same search with 100 rows a page
    target: bool = True
    note: str = ""

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def verdict(self) -> str:
        if not self.target:
            return ""
        return "PASS" if self.p95 < TARGET_MS else "MISS"


@dataclass
class Case:
    name: str
    criteria: dict = field(default_factory=dict)


def count_queries(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def count_share(fn: Callable[[], object], runs: int = 7) -> float:
    """Median time of the COUNT(*) queries among those fn runs: how much of a page the pager's count costs."""
    from django.db import connection

    spent = [0.0]

    def clock(execute, sql, params, many, context):
        if "COUNT(*)" not in sql:
            return execute(sql, params, many, context)
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - t0

    times = []
    with connection.execute_wrapper(clock):
        for _ in range(runs):
            spent[0] = 0.0
            fn()
            times.append(spent[0] * 1000)
    return statistics.median(times)


def pick_cases() -> list[Case]:
    """Realistic searches, with values taken from the fixture so that each one finds rows."""
    from django.db.models import Count

    from greenlane.partners.models import Identifier, Partner

    busiest = (
        Partner.objects.exclude(assigned_scs=None)
        .values("field_office", "assigned_scs")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    middle = Identifier.objects.filter(type="ein").order_by("pk")
    ein = middle[middle.count() // 2] if middle.exists() else Identifier.objects.order_by("pk").first()
    cases = [
        Case("no filter"),
        Case("status=certified", {"status": "certified"}),
        Case("entity_type+country", {"entity_type": "foreign_manufacturer", "country": "MX"}),
        Case('name "harbor"', {"q": "harbor"}),
        Case("identifier (exact)", {"q": ein.value.replace("-", "") if ein else "nothing"}),
    ]
    if busiest:
        cases.append(
            Case(
                "office+assigned SCS",
                {"field_office": busiest["field_office"], "assigned_scs": busiest["assigned_scs"]},
            )
        )
    return cases


def measure(backend: str, args: argparse.Namespace) -> list[Row]:
    """Time every probe round-robin, one run of each per round in a rotating order, so that bursts of load
    on a shared machine fall on all cases alike and the baselines see the same conditions."""
    from django.db import connection
    from django.test import Client

    from greenlane.accounts.models import User
    from greenlane.accounts.services import api_token_create
    from greenlane.partners.models import Partner
    from greenlane.partners.selectors import PartnerSearch, search_partners

    staff = User.objects.create_user(
        "manager@bench.example", None, staff_role="program_manager", full_name="Bench Manager"
    )
    _token, raw = api_token_create(actor=staff, user=staff, name="bench")
    ui = _verified_client(staff)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    spread = list(Partner.objects.order_by("pk").values_list("pk", flat=True)[:: max(1, args.partners // 97)])
    probe_ids = itertools.cycle(spread)

    def pk_lookup():
        return Partner.objects.filter(pk=next(probe_ids)).first()

    def first_25():
        return list(Partner.objects.order_by("id")[:PAGE_SIZE])

    def healthz():  # the floor of the HTTP stack: every middleware, the session, no view work
        return ui.get("/healthz")

    probes: list[tuple[Row, Callable[[], object]]] = [
        (Row("baseline: pk lookup", "baseline", [], count_queries(pk_lookup), target=False), pk_lookup),
        (Row("baseline: 25 rows by id", "baseline", [], count_queries(first_25), target=False), first_25),
        (Row("baseline: GET /healthz", "ui", [], count_queries(healthz), target=False), healthz),
    ]
    http: list[tuple[Row, Callable[[], object]]] = []
    for case in pick_cases():
        criteria = PartnerSearch(**case.criteria)

        def page(criteria=criteria, limit=PAGE_SIZE):
            result = search_partners(staff, criteria, limit=limit, offset=0)
            for p in result.items:  # materialise what a page shows
                list(p.identifiers.all())
                _ = (p.assigned_scs, p.field_office)
            return result

        row = Row(
            case.name, "selector", [], count_queries(page), matches=page().count, count_ms=count_share(page)
        )
        row.queries_100 = count_queries(lambda page=page: page(limit=100))
        probes.append((row, page))
        if args.explain:
            explain(connection.vendor, staff, criteria)

        query = urlencode(case.criteria)
        for kind, client, url in (
            ("ui", ui, f"/staff/partners/?{query}"),
            ("api", api, f"/api/v1/partners?{query}"),
        ):

            def get(client=client, url=url):
                response = client.get(url)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {url} answered {response.status_code}")
                return response

            http.append((Row(case.name, kind, [], count_queries(get)), get))
    probes += http

    for _ in range(args.warmup):
        for _row, fn in probes:
            fn()
    for i in range(args.runs):
        shift = i % len(probes)
        for row, fn in probes[shift:] + probes[:shift]:
            t0 = time.perf_counter()
            fn()
            row.times_ms.append((time.perf_counter() - t0) * 1000)
    return [row for row, _fn in probes]


def _verified_client(user):
    """A browser client signed in with MFA passed for the session (as conftest.verified_client)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def explain(vendor: str, user, criteria) -> None:
    """Print the plans of the page query and of the pager's count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from greenlane.partners.selectors import search_partners

    with CaptureQueriesContext(connection) as ctx:
        search_partners(user, criteria, limit=PAGE_SIZE, offset=0)
    captured = [q["sql"] for q in ctx.captured_queries]
    prefix = "EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
    print(f"    -- plans for {criteria}")
    for sql in captured:
        print(f"    {sql[:300]}{'...' if len(sql) > 300 else ''}")
        with connection.cursor() as cur:
            cur.execute(prefix + sql)
            for line in cur.fetchall():
                print("      " + (" | ".join(str(c) for c in line) if vendor == "sqlite" else str(line[0])))


def print_table(backend: str, rows: list[Row], info: dict) -> None:
    base = next((r for r in rows if r.name == "baseline: 25 rows by id"), None)
    print()
    print(
        f"== Partner search, {backend} ({info['engine']}), {info['partners']:,} partners, "
        f"{info['identifiers']:,} identifiers; {info['runs']} runs after {info['warmup']} warm-ups =="
    )
    print(f"(load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs)")
    header = (
        f"{'case':<24} {'via':<9} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8} {'x base':>7} {'count ms':>8} "
        f"{'queries':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        ratio = f"{r.p50 / base.p50:6.1f}x" if base and base.p50 > 0 else "      "
        matches = f"{r.matches:,}" if r.matches is not None else ""
        verdict = f"{r.verdict} (<{TARGET_MS:.0f} ms p95)" if r.target else ""
        count = f"{r.count_ms:8.2f}" if r.count_ms is not None else " " * 8
        print(
            f"{r.name:<24} {r.kind:<9} {matches:>8} {r.p50:8.2f} {r.p95:8.2f} {ratio:>7} {count} "
            f"{r.queries:7d}  {verdict}"
        )
    print(
        "x base = median / median of 'baseline: 25 rows by id' in this run. count ms = median time of the "
        "pager's COUNT(*) inside the selector page.\nvia: selector = search_partners() + materialised page; "
        "ui = GET /staff/partners/ (session, MFA passed); api = GET /api/v1/partners (bearer token)."
    )
    selector = [r for r in rows if r.kind == "selector"]
    grew = [f"{r.name} ({r.queries} -> {r.queries_100})" for r in selector if r.queries_100 != r.queries]
    print(
        f"Queries do not grow with the rows listed: a 100-row page runs as many as a 25-row page in "
        f"{len(selector) - len(grew)}/{len(selector)} searches"
        + (f"; MORE in: {', '.join(grew)}" if grew else ".")
    )


def emit_results(backend: str, rows: list[Row] | None, *, skipped: str = "") -> None:
    if rows is None:
        print(
            "BENCH-RESULT "
            + json.dumps({"bench": BENCH_NAME, "backend": backend, "status": "SKIP", "note": skipped})
        )
        return
    for r in rows:
        print(
            "BENCH-RESULT "
            + json.dumps(
                {
                    "bench": BENCH_NAME,
                    "backend": backend,
                    "case": r.name,
                    "via": r.kind,
                    "p50_ms": round(r.p50, 3),
                    "p95_ms": round(r.p95, 3),
                    "queries": r.queries,
                    "matches": r.matches,
                    "count_ms": None if r.count_ms is None else round(r.count_ms, 3),
                    "target": f"p95 < {TARGET_MS:.0f} ms" if r.target else None,
                    "status": r.verdict or "INFO",
                }
            )
        )


def worker(backend: str, args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlane.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    if args.apps:  # only these apps and what they depend on, e.g. while another app's migration is broken
        for app in args.apps.split(","):
            call_command("migrate", app.strip(), interactive=False, verbosity=0)
    else:
        call_command("migrate", interactive=False, verbosity=0)
    print(
        f"[{backend}] migrated in {time.perf_counter() - t0:.1f} s; inserting {args.partners:,} partners...",
        flush=True,
    )
    info = populate(args.partners, seed=args.seed)
    print(
        f"[{backend}] inserted {info['partners']:,} partners, {info['identifiers']:,} identifiers, "
        f"{info['specialists']} specialists in {info['seconds']:.1f} s",
        flush=True,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # what autovacuum would have done by the time anyone searches
            cur.execute("VACUUM ANALYZE")
    elif args.sqlite_analyze:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    info.update(
        engine=f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info))}"
        if connection.vendor == "sqlite"
        else f"postgresql {connection.pg_version // 10000}",
        runs=args.runs,
        warmup=args.warmup,
    )
    rows = measure(backend, args)
    print_table(backend, rows, info)
    emit_results(backend, rows)
    sys.stdout.flush()
    return 0


# ---------------------------------------------------------------------------------------------------------
# Orchestration: one subprocess per backend.


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)


def run_backend(backend: str, args: argparse.Namespace, passthrough: list[str]) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="greenlane.settings", PYTHONUNBUFFERED="1")
    with tempfile.TemporaryDirectory(prefix="greenlane-bench-") as tmp:
        env["GREENLANE_VAR_DIR"] = tmp
        dbname = ""
        if backend == "sqlite":
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            try:
                admin = _pg_admin()
            except Exception as exc:  # any failure to connect means "not reachable"
                reason = " ".join(str(exc).split())
                message = (
                    f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}: {reason}); skipped."
                )
                print(f"[postgres] {message}")
                emit_results("postgres", None, skipped=message)
                return 0
            dbname = f"greenlane_bench_{os.getpid()}"
            with admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                admin.execute(f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{dbname}"
        try:
            cmd = [sys.executable, os.path.abspath(__file__), "--worker", backend, *passthrough]
            return subprocess.call(cmd, env=env)
        finally:
            if dbname:
                with _pg_admin() as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                print(f"[postgres] dropped database {dbname}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=100_000, help="population size (default 100,000)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per case (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs before timing (default 3)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--seed", type=int, default=2004)
    parser.add_argument(
        "--apps",
        default="",
        help="migrate only these apps (comma-separated, with their dependencies) instead of all; the search "
        "needs accounts,partners,audit,sessions,otp_totp,axes",
    )
    parser.add_argument("--explain", action="store_true", help="print the query plans of each search")
    parser.add_argument(
        "--sqlite-analyze",
        action="store_true",
        help="run ANALYZE on SQLite after loading (PostgreSQL is always VACUUM ANALYZEd)",
    )
    parser.add_argument("--quick", action="store_true", help="10,000 partners, 15 runs: a smoke run")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.partners, args.runs = min(args.partners, 10_000), min(args.runs, 15)
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.worker:
        return worker(args.worker, args)
    passthrough = [a for a in argv if a not in ("--quick",)]
    passthrough += ["--partners", str(args.partners), "--runs", str(args.runs)]
    backends = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    failed = 0
    for backend in backends:
        rc = run_backend(backend, args, passthrough)
        if rc:
            print(f"[{backend}] bench crashed (exit {rc})", file=sys.stderr)
            failed = rc
    return failed


if __name__ == "__main__":
    sys.exit(main())
