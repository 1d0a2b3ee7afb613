"""List and detail pages run the same number of queries with 5 rows as with 60."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greenlane.accounts.models import FieldOffice, User
from greenlane.audit.models import AuditEvent
from greenlane.partners import services
from greenlane.partners.models import (
    AgreementSignature,
    AgreementVersion,
    Contact,
    Identifier,
    Membership,
    Partner,
    Site,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 60
_seq = itertools.count(1)


def _users(n: int, *, staff_role: str = "", prefix: str = "user") -> list[User]:
    offices = list(FieldOffice.objects.all())
    users = []
    for _i in range(n):
        k = next(_seq)
        user = User(
            email=f"{prefix}{k}@bulk.example",
            full_name=f"Person {k}",
            staff_role=staff_role,
            field_office=offices[k % len(offices)] if staff_role else None,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    return list(User.objects.filter(email__in=[u.email for u in users]))


def _partners(n: int, *, member: User | None = None) -> list[Partner]:
    """n partners with identifiers, a specialist, a field office, and optionally `member` in each."""
    specialists = _users(max(1, n // 5), staff_role="scs", prefix="scs")
    rows = []
    for i in range(n):
        k = next(_seq)
        scs = specialists[i % len(specialists)] if i % 3 else None
        rows.append(
            Partner(
                reference=f"GL-Q{k:07d}",
                entity_type="importer",
                legal_name=f"Bulk Company {k}",
                country="US",
                search_name=f"bulk company {k}",
                assigned_scs=scs,
                field_office=scs.field_office if scs else None,
                status="submitted",
            )
        )
    Partner.objects.bulk_create(rows)
    partners = list(Partner.objects.filter(reference__in=[p.reference for p in rows]))
    Identifier.objects.bulk_create(
        [
            Identifier(partner=p, type="ior", value=f"12-{p.pk:07d}AA", entity_type="importer")
            for p in partners
        ]
        + [
            Identifier(partner=p, type="mid", value="CNACMMAN1234SHA", entity_type="importer")
            for p in partners
        ]
    )
    if member is not None:
        Membership.objects.bulk_create(
            [Membership(user=member, partner=p, role="consultant") for p in partners]
        )
    return partners


def _events(n: int, *, partner: Partner | None, actor: User) -> None:
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                at=now - dt.timedelta(minutes=i),
                actor=actor,
                actor_label=actor.email,
                partner=partner,
                action="test.bulk",
                summary=f"Bulk event {i}",
                before={"n": i},
                after={"n": i + 1},
            )
            for i in range(n)
        ]
    )


def _children(partner: Partner, n: int) -> None:
    """n identifiers, sites, contacts, people, signatures and events on one partner."""
    Identifier.objects.bulk_create(
        [
            Identifier(
                partner=partner, type="mid", value=f"CNACME{k % 10_000:04d}SHA", entity_type="importer"
            )
            for k in (next(_seq) for _ in range(n))
        ]
    )
    Site.objects.bulk_create(
        [
            Site(
                partner=partner,
                kind="cargo_facility",
                name=f"Yard {i}",
                street="1 Dock",
                city="Newark",
                country="US",
            )
            for i in range(n)
        ]
    )
    Contact.objects.bulk_create(
        [
            Contact(partner=partner, kind="trade", name=f"Contact {i}", email=f"c{i}@acme.example")
            for i in range(n)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, partner=partner, role="contributor") for u in _users(n)]
    )
    versions = []
    for _i in range(n):
        k = next(_seq)
        versions.append(
            AgreementVersion(
                version=f"q{k}",
                title="Old agreement",
                body=f"Text {k}",
                body_sha256=AgreementVersion.digest(f"Text {k}"),
            )
        )
    AgreementVersion.objects.bulk_create(versions)
    officer = Membership.objects.filter(partner=partner, role="company_officer").get().user
    AgreementSignature.objects.bulk_create(
        [
            AgreementSignature(
                partner=partner,
                version=v,
                user=officer,
                signer_name="Pat",
                signer_title="VP",
                signed_at=timezone.now(),
                text_sha256=v.body_sha256,
            )
            for v in AgreementVersion.objects.filter(version__in=[v.version for v in versions])
        ]
    )
    _events(n, partner=partner, actor=officer)


@dataclass
class Case:
    name: str
    grow: Callable[[dict, int], None]  # add rows until there are about n
    get: Callable[[dict], object]  # the request, returning the response


def _count(fn) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def setting(staff, user_factory, login, auth_header):
    officer = user_factory("officer@acme.example")
    partner = services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name="Acme Imports LLC",
        country="US",
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", "12-3456789AA")],
    )
    consultant = user_factory("consultant@broker.example")
    return {
        "staff": staff,
        "officer": officer,
        "partner": partner,
        "consultant": consultant,
        "staff_client": login(staff["scs"]),
        "officer_client": login(officer),
        "consultant_client": login(consultant),
        "staff_api": auth_header(staff["scs"]),
        "consultant_api": auth_header(consultant),
        "have": 0,
    }


def _grow_partners(member_key: str | None):
    def grow(s: dict, n: int) -> None:
        _partners(n - s["have"], member=s[member_key] if member_key else None)
        s["have"] = n

    return grow


def _grow_events(s: dict, n: int) -> None:
    _events(n - s["have"], partner=None, actor=s["staff"]["program_manager"])
    s["have"] = n


def _grow_children(s: dict, n: int) -> None:
    _children(s["partner"], n - s["have"])
    s["have"] = n


STAFF_TABS = ["business", "entity", "sites", "contacts", "history"]
TRADE_PAGES = [
    "",
    "details/",
    "identifiers/",
    "eligibility/",
    "sites/",
    "contacts/",
    "people/",
    "agreement/",
    "withdraw/",
    "history/",
]

CASES = [
    Case("staff partner search", _grow_partners(None), lambda s: s["staff_client"].get("/staff/partners/")),
    Case(
        "staff partner search, filtered",
        _grow_partners(None),
        lambda s: s["staff_client"].get("/staff/partners/", {"q": "bulk", "status": "submitted"}),
    ),
    Case(
        "api partner search (staff)",
        _grow_partners(None),
        lambda s: s["staff_client"].get("/api/v1/partners", **s["staff_api"]),
    ),
    Case(
        "api partner list (trade)",
        _grow_partners("consultant"),
        lambda s: s["consultant_client"].get("/api/v1/partners", **s["consultant_api"]),
    ),
    Case(
        "trade company list",
        _grow_partners("consultant"),
        lambda s: s["consultant_client"].get("/companies/"),
    ),
    Case("staff audit log", _grow_events, lambda s: s["staff_client"].get("/staff/audit/")),
    Case(
        "staff audit log, 100 a page",
        _grow_events,
        lambda s: s["staff_client"].get("/staff/audit/", {"limit": 100}),
    ),
    *[
        Case(
            f"staff partner detail, {tab} tab",
            _grow_children,
            lambda s, tab=tab: s["staff_client"].get(f"/staff/partners/{s['partner'].pk}/", {"tab": tab}),
        )
        for tab in STAFF_TABS
    ],
    *[
        Case(
            f"trade page /companies/<pk>/{page}",
            _grow_children,
            lambda s, page=page: s["officer_client"].get(f"/companies/{s['partner'].pk}/{page}"),
        )
        for page in TRADE_PAGES
    ],
    Case(
        "api partner detail",
        _grow_children,
        lambda s: s["staff_client"].get(f"/api/v1/partners/{s['partner'].pk}", **s["staff_api"]),
    ),
    Case(
        "api partner events",
        _grow_children,
        lambda s: s["staff_client"].get(f"/api/v1/partners/{s['partner'].pk}/events", **s["staff_api"]),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_query_count_does_not_grow_with_rows(setting, case):
    # The first request of a session writes it (idle-timeout stamp) and warms caches: not counted.
    case.get(setting)
    case.grow(setting, SMALL)
    small, small_sql = _count(lambda: case.get(setting))
    case.grow(setting, LARGE)
    large, large_sql = _count(lambda: case.get(setting))
    assert small == large, "\n".join(
        ["queries with 5 rows:", *small_sql, "", "queries with 60 rows:", *large_sql]
    )
    assert small < 30, "\n".join(small_sql)


def test_the_rows_are_really_on_the_pages(setting):
    """Guards the test above: the pages do list the rows it counts queries for."""
    _partners(LARGE, member=setting["consultant"])
    _children(setting["partner"], LARGE)
    search = setting["staff_client"].get("/staff/partners/", {"limit": 100})
    assert len(search.context["page"].items) == 61
    assert "CNACMMAN1234SHA" in search.content.decode()
    companies = setting["consultant_client"].get("/companies/")
    assert len(companies.context["memberships"]) == LARGE
    api = (
        setting["consultant_client"]
        .get("/api/v1/partners", {"limit": 100}, **setting["consultant_api"])
        .json()
    )
    assert api["count"] == LARGE and len(api["items"][0]["identifiers"]) == 2
    detail = setting["staff_client"].get(f"/staff/partners/{setting['partner'].pk}/", {"tab": "entity"})
    assert detail.content.decode().count("v" + "q") >= LARGE
    history = setting["staff_client"].get(f"/staff/partners/{setting['partner'].pk}/", {"tab": "history"})
    assert len(history.context["page"].items) == 50
