"""The access matrix: every page and API endpoint × every role × own, foreign (and crossed) objects.

One row per (method, URL). Expected codes are written per actor for the actor's OWN objects, as a compact
spec: ``"trade=200 staff=404 anon=302"`` (later entries override earlier ones; keys are a role code, a
group or ``*``). On another company's objects (FOREIGN) trade users get 404; staff see every partner and
anonymous users see none, so they have one case. A person's own objects (API tokens) are foreign to everyone
else: 404. A CROSS case (own company in the URL, another company's child object) runs where ``cross`` is
given.

The matrix is complete by construction: ``test_every_route_has_a_row`` walks Django's URL resolver and the
NinjaAPI's operations and fails, listing them, for routes no row covers. Add a row when you add a route.

State-changing requests run inside a savepoint that is rolled back, so every case sees the same data; the
data is built once per module inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve

STAFF = [
    "scs",
    "supervisory_scs",
    "vetting_officer",
    "program_manager",
    "intelligence_analyst",
    "targeting_officer",
    "auditor",
    "system_admin",
]
TRADE = ["company_officer", "company_admin", "contributor", "consultant"]
ACTORS = [*STAFF, *TRADE, "anon"]
GROUPS = {
    "*": ACTORS,
    "staff": STAFF,
    "trade": TRADE,
    "authenticated": [*STAFF, *TRADE],
    "operators": ["scs", "supervisory_scs", "vetting_officer", "program_manager", "system_admin"],
    "assigners": ["supervisory_scs", "program_manager", "system_admin"],
    "officer": ["company_officer"],
    "not_officer": ["company_admin", "contributor", "consultant"],
    "managers": ["company_officer", "company_admin"],
}
# Resolver routes that are not the application's own: Django admin, i18n, static files, Ninja's docs.
EXCLUDED_ROUTE_PREFIXES = ("django-admin/", "i18n/", "static/", "media/")
EXCLUDED_API_ROUTES = {"api/v1/", "api/v1/docs", "api/v1/openapi.json"}


def spec(text: str) -> dict[str, int]:
    """'trade=200 staff=404 auditor=403' -> {actor: code} for every actor, later keys winning."""
    codes: dict[str, int] = {}
    for part in text.split():
        key, code = part.split("=")
        for actor in GROUPS.get(key, [key]):
            assert actor in ACTORS, f"unknown actor or group {key!r}"
            codes[actor] = int(code)
    missing = set(ACTORS) - set(codes)
    assert not missing, f"{text!r} gives no code for {sorted(missing)}"
    return codes


@dataclass(frozen=True)
class Row:
    method: str
    url: str  # with {placeholders} filled from the scope's ids
    own: str  # the spec for own objects
    body: Any = None
    target: str = (
        "A"  # which own company: A (complete draft), S (signed), P (profile answered, not submitted)
    )
    scoped: bool = True  # has a foreign case (a company's or a person's object in the URL)
    cross: str | None = None  # spec for own company + another company's child object
    multipart: bool = False
    api: bool = field(init=False, default=False)

    def __post_init__(self):
        object.__setattr__(self, "api", self.url.startswith("/api/"))

    @property
    def id(self) -> str:
        return f"{self.method} {self.url}"


def page(method, url, own, **kw) -> Row:
    return Row(method, url, own, **kw)


def api(method, url, own, **kw) -> Row:
    return Row(method, "/api/v1" + url, own, **kw)


TRADE_PAGE = "trade=200 staff=404 anon=302"
TRADE_POST = "trade=302 staff=404 anon=302"
STAFF_PAGE = "staff=200 trade=404 anon=302"
ADMIN_PAGE = "authenticated=404 system_admin=200 anon=302"
PUBLIC = "*=200"
SIGNED_IN_PAGE = "authenticated=200 anon=302"
NEW_PARTNER = {
    "entity_type": "importer",
    "legal_name": "Newco Imports",
    "country": "US",
    "role": "company_officer",
    "identifiers": [{"type": "ior", "value": "77-1234567AA"}],
}
SITE = {"kind": "cargo_facility", "name": "Yard 2", "street": "2 Dock St", "city": "Newark", "country": "US"}

ROWS: list[Row] = [
    # Public and account pages -------------------------------------------------------------------------
    page("GET", "/", "anon=200 authenticated=302", scoped=False),
    page("GET", "/healthz", PUBLIC, scoped=False),
    page("GET", "/accounts/login/", "anon=200 authenticated=302", scoped=False),
    page("POST", "/accounts/logout/", "*=302", scoped=False),
    page("GET", "/accounts/signup/", "anon=200 authenticated=302", scoped=False),
    page("GET", "/accounts/signup/sent/", PUBLIC, scoped=False),
    page("GET", "/accounts/verify/not-a-real-token/", "*=400", scoped=False),
    page("GET", "/accounts/verify-resend/", PUBLIC, scoped=False),
    page("GET", "/accounts/mfa/", "*=302", scoped=False),
    page("GET", "/accounts/password-reset/", PUBLIC, scoped=False),
    page("GET", "/accounts/password-reset/sent/", PUBLIC, scoped=False),
    page("GET", "/accounts/password-reset/MQ/not-a-token/", PUBLIC, scoped=False),
    page("GET", "/accounts/password-reset/done/", PUBLIC, scoped=False),
    page("GET", "/accounts/password/", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/accounts/password/done/", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/accounts/tokens/", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/accounts/tokens/{token}/revoke/", SIGNED_IN_PAGE),
    page("POST", "/accounts/tokens/{token}/revoke/", "authenticated=302 anon=302"),
    page("GET", "/accounts/staff-users/", ADMIN_PAGE, scoped=False),
    page("GET", "/accounts/staff-users/{staff_user}/", ADMIN_PAGE, scoped=False),
    page("GET", "/accounts/staff-users/{staff_user}/deactivate/", ADMIN_PAGE, scoped=False),
    page("GET", "/accounts/field-offices/", ADMIN_PAGE, scoped=False),
    page("GET", "/accounts/field-offices/{office}/rename/", ADMIN_PAGE, scoped=False),
    page(
        "POST",
        "/accounts/field-offices/{office}/deactivate/",
        "authenticated=404 system_admin=302 anon=302",
        scoped=False,
    ),
    page(
        "POST",
        "/accounts/field-offices/{office}/reactivate/",
        "authenticated=404 system_admin=302 anon=302",
        scoped=False,
    ),
    # Company pages (trade users; staff have their own workspace) --------------------------------------
    page("GET", "/companies/", TRADE_PAGE, scoped=False),
    page("GET", "/companies/enroll/", TRADE_PAGE, scoped=False),
    page(
        "POST",
        "/companies/enroll/",
        TRADE_POST,
        scoped=False,
        body={
            "entity_type": "importer",
            "legal_name": "Newco",
            "country": "US",
            "identifier_type": "ior",
            "identifier_value": "77-1234567AA",
            "role": "company_officer",
        },
    ),
    page("GET", "/companies/{pid}/", TRADE_PAGE),
    page("GET", "/companies/{pid}/details/", TRADE_PAGE),
    page(
        "POST",
        "/companies/{pid}/details/",
        TRADE_POST,
        body={"legal_name": "Acme Imports LLC", "country": "US", "employee_count": "99"},
    ),
    page("GET", "/companies/{pid}/identifiers/", TRADE_PAGE),
    page("GET", "/companies/{pid}/eligibility/", TRADE_PAGE),
    page("GET", "/companies/{pid}/sites/", TRADE_PAGE),
    page("GET", "/companies/{pid}/contacts/", TRADE_PAGE),
    page("GET", "/companies/{pid}/people/", TRADE_PAGE),
    page("POST", "/companies/{pid}/sites/{site}/remove/", TRADE_POST, cross="trade=404 staff=404 anon=302"),
    page(
        "POST",
        "/companies/{pid}/members/{membership}/remove/",
        TRADE_POST,
        cross="managers=404 contributor=302 consultant=302 staff=404 anon=302",
    ),
    page("GET", "/companies/{pid}/agreement/", TRADE_PAGE),
    # A refused signature re-renders the form with the reason (200); a signature redirects.
    page(
        "POST",
        "/companies/{pid}/agreement/",
        "officer=302 not_officer=200 staff=404 anon=302",
        body={"name": "Pat Officer", "title": "VP", "accept": "on"},
    ),
    page("POST", "/companies/{pid}/submit/", TRADE_POST, target="S"),
    page("GET", "/companies/{pid}/withdraw/", TRADE_PAGE),
    page(
        "POST",
        "/companies/{pid}/withdraw/",
        "officer=302 not_officer=200 staff=404 anon=302",
        body={"reason": "Leaving the program"},
    ),
    page("GET", "/companies/{pid}/history/", TRADE_PAGE),
    # Security profile pages.
    page("GET", "/companies/{pid}/profile/", TRADE_PAGE),
    page("GET", "/companies/{pid}/profile/category/1/", TRADE_PAGE),
    page("POST", "/companies/{pid}/profile/answers/{criterion}/", TRADE_POST, body="answer_form"),
    page("POST", "/companies/{pid}/profile/submit/", TRADE_POST, target="P"),
    page("GET", "/companies/{pid}/profile/evidence/", TRADE_PAGE),
    page("GET", "/companies/{pid}/profile/evidence/{doc}/", TRADE_PAGE, cross="trade=404 staff=404 anon=302"),
    page(
        "GET",
        "/companies/{pid}/profile/evidence/files/{file}/download/",
        TRADE_PAGE,
        cross="trade=404 staff=404 anon=302",
    ),
    page("GET", "/companies/{pid}/profile/revisions/", TRADE_PAGE),
    # Staff workspace ----------------------------------------------------------------------------------
    page("GET", "/staff/partners/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/partners/{pid}/", STAFF_PAGE),
    page("GET", "/staff/partners/{pid}/?tab=history", STAFF_PAGE),
    page("GET", "/staff/partners/{pid}/profile/", STAFF_PAGE),
    page(
        "GET",
        "/staff/partners/{pid}/profile/evidence/{file}/download/",
        STAFF_PAGE,
        cross="authenticated=404 anon=302",
    ),
    # Refusals (e.g. an auditor changing a status) come back as a message on the redirected page.
    page(
        "POST",
        "/staff/partners/{pid}/transition/",
        "staff=302 trade=404 anon=302",
        body={"to_status": "withdrawn", "reason": "Matrix"},
    ),
    page("POST", "/staff/partners/{pid}/assign/", "staff=302 trade=404 anon=302", body="assign_form"),
    page("GET", "/staff/audit/", STAFF_PAGE, scoped=False),
    # API: partners -------------------------------------------------------------------------------------
    api("POST", "/partners", "trade=201 staff=403 anon=401", scoped=False, body=NEW_PARTNER),
    api("GET", "/partners", "authenticated=200 anon=401", scoped=False),
    api("GET", "/partners/{pid}", "authenticated=200 anon=401"),
    api("PATCH", "/partners/{pid}", "trade=200 staff=403 anon=401", body={"employee_count": 99}),
    api(
        "POST",
        "/partners/{pid}/agreement",
        "officer=201 not_officer=403 staff=403 anon=401",
        body={"name": "Pat Officer", "title": "VP", "accept": True},
    ),
    api("POST", "/partners/{pid}/submit", "officer=200 not_officer=403 staff=403 anon=401", target="S"),
    api(
        "POST",
        "/partners/{pid}/withdraw",
        "officer=200 not_officer=403 staff=403 anon=401",
        body={"reason": "Leaving the program"},
    ),
    api("POST", "/partners/{pid}/sites", "trade=201 staff=403 anon=401", body=SITE),
    api(
        "DELETE",
        "/partners/{pid}/sites/{site}",
        "trade=204 staff=403 anon=401",
        cross="trade=404 staff=403 anon=401",
    ),
    api(
        "POST",
        "/partners/{pid}/contacts",
        "trade=201 staff=403 anon=401",
        body={"kind": "trade", "name": "Tia", "email": "tia@acme.example"},
    ),
    api(
        "DELETE",
        "/partners/{pid}/contacts/{contact}",
        "trade=204 staff=403 anon=401",
        cross="trade=404 staff=403 anon=401",
    ),
    api("GET", "/partners/{pid}/events", "authenticated=200 anon=401"),
    api(
        "POST",
        "/partners/{pid}/transition",
        "staff=403 operators=200 trade=404 anon=401",
        body={"to_status": "withdrawn", "reason": "Matrix"},
    ),
    api("POST", "/partners/{pid}/assign", "staff=403 assigners=200 trade=404 anon=401", body="assign_api"),
    # API: security profiles.
    api("GET", "/partners/{pid}/profile", "authenticated=200 anon=401"),
    api(
        "PUT",
        "/partners/{pid}/profile/answers/{criterion}",
        "trade=200 staff=403 anon=401",
        body={"status": "implemented", "narrative": "Written procedure."},
    ),
    api("POST", "/partners/{pid}/profile/answers", "trade=200 staff=403 anon=401", body="bulk_answers"),
    api(
        "POST", "/partners/{pid}/profile/submit", "officer=201 not_officer=403 staff=403 anon=401", target="P"
    ),
    api("GET", "/partners/{pid}/profile/snapshots", "authenticated=200 anon=401"),
    api(
        "GET",
        "/partners/{pid}/profile/snapshots/{snapshot}",
        "authenticated=200 anon=401",
        cross="authenticated=404 anon=401",
    ),
    api("GET", "/partners/{pid}/profile/evidence", "authenticated=200 anon=401"),
    api(
        "POST",
        "/partners/{pid}/profile/evidence",
        "trade=201 staff=403 anon=401",
        body="evidence_upload",
        multipart=True,
    ),
    api("GET", "/criteria", "authenticated=200 anon=401", scoped=False),
    # API: tokens (a person's own; someone else's is 404 to everyone).
    api("GET", "/tokens", "authenticated=200 anon=401", scoped=False),
    api("POST", "/tokens", "authenticated=201 anon=401", scoped=False, body={"name": "matrix"}),
    api("DELETE", "/tokens/{token}", "authenticated=204 anon=401"),
]

# Rows whose foreign case is a person's object rather than a company's: 404 to everyone signed in.
PERSONAL = {"/accounts/tokens/{token}/revoke/", "/api/v1/tokens/{token}"}


def expected(row: Row, actor: str, scope: str) -> int:
    own = spec(row.own)[actor]
    if scope == "own":
        return own
    if scope == "cross":
        return spec(row.cross)[actor]
    if actor == "anon":
        return own
    if row.url in PERSONAL or actor in TRADE:
        return 404
    return own


# The data, built once ------------------------------------------------------------------------------


def _build(tmp_media) -> dict:
    from conftest import make_user, verified_client
    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import api_token_create
    from greenlane.partners import services
    from greenlane.partners.models import Membership
    from greenlane.partners.tests.factories import complete_importer, signed_importer
    from greenlane.profiles import selectors as profile_selectors
    from greenlane.profiles import services as profile_services
    from greenlane.profiles.tests.factories import answer_all

    staff = {role: make_user(f"{role}@cbp.example", staff_role=role) for role in STAFF}
    officer = make_user("officer@acme.example")
    others = {role: make_user(f"{role}@acme.example") for role in TRADE[1:]}
    people = {"company_officer": officer, **others}

    def with_everyone(partner):
        for role, user in others.items():
            services.membership_add(actor=officer, partner_id=partner.pk, email=user.email, role=role)
        return partner

    companies = {
        "A": with_everyone(complete_importer(officer, name="Acme Draft")),
        "S": with_everyone(signed_importer(officer, name="Acme Signed")),
        "P": with_everyone(complete_importer(officer, name="Acme Profile", with_profile=False)),
    }
    services.agreement_sign(actor=officer, partner_id=companies["P"].pk, name="Pat", title="VP", accept=True)
    answer_all(officer, companies["P"])
    foreign_officer = make_user("officer@globex.example")
    foreign = complete_importer(foreign_officer, name="Globex Foreign")

    def children(partner, user) -> dict:
        evidence = profile_services.evidence_upload(
            actor=user,
            partner_id=partner.pk,
            filename="procedure.txt",
            data=b"Seal verification procedure.\n",
            title="Procedure",
        )
        profile = profile_selectors.current_profile(partner)
        extra = make_user(f"member{partner.pk}@example.com")
        membership = Membership.objects.create(user=extra, partner=partner, role="contributor")
        return {
            "pid": partner.pk,
            "site": partner.sites.get().pk,
            "contact": partner.contacts.get().pk,
            "membership": membership.pk,
            "doc": evidence.document.pk,
            "file": evidence.pk,
            "snapshot": profile_selectors.snapshots(profile)[0].pk,
            "criterion": profile_selectors.answers(profile)[0].criterion.code,
        }

    ids = {key: children(p, officer) for key, p in companies.items() if key != "P"}
    ids["P"] = {**ids["A"], "pid": companies["P"].pk}
    foreign_ids = children(foreign, foreign_officer)

    users = {**staff, **people}
    tokens, headers = {}, {"anon": {}}
    for actor, user in users.items():
        token, raw = api_token_create(actor=user, user=user, name="matrix")
        tokens[actor], headers[actor] = token.pk, {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    foreign_token, _raw = api_token_create(actor=foreign_officer, user=foreign_officer, name="theirs")

    sessions = {}
    for actor, user in users.items():
        client = verified_client(user)
        sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value

    return {
        "client": Client(),
        "media": str(tmp_media),
        "users": users,
        "ids": ids,
        "foreign": foreign_ids,
        "tokens": tokens,
        "foreign_token": foreign_token.pk,
        "headers": headers,
        "sessions": sessions,
        "scs": staff["scs"].pk,
        "staff_user": staff["auditor"].pk,
        "office": FieldOffice.objects.get(code="miami").pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=str(media),
        AXES_ENABLED=False,
    )
    overrides.enable()
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            data = _build(media)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            overrides.disable()
            raise
    yield data
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
    overrides.disable()


@pytest.fixture(autouse=True)
def _module_media(_fast_hashing, settings, world):
    """conftest points MEDIA_ROOT at each test's tmp_path; the evidence files were stored once per module."""
    settings.MEDIA_ROOT = world["media"]


def _values(world: dict, row: Row, actor: str, scope: str) -> dict:
    own = world["ids"][row.target]
    values = {"pid": own["pid"]}
    children = own if scope == "own" else world["foreign"]
    if scope == "foreign":
        values["pid"] = world["foreign"]["pid"]
    values.update({k: v for k, v in children.items() if k != "pid"})
    if scope == "cross":
        values["pid"] = own["pid"]
    values["token"] = (
        world["tokens"].get(actor, world["foreign_token"]) if scope == "own" else world["foreign_token"]
    )
    values.update(staff_user=world["staff_user"], office=world["office"])
    return values


def _body(world: dict, row: Row, values: dict):
    if row.body == "answer_form":
        prefix = "c-" + values["criterion"].replace(".", "-")
        return {f"{prefix}-status": "implemented", f"{prefix}-narrative": "Written procedure."}
    if row.body == "assign_form":
        return {"scs": str(world["scs"]), "reason": ""}
    if row.body == "assign_api":
        return {"scs_id": world["scs"], "reason": ""}
    if row.body == "bulk_answers":
        return {"answers": [{"criterion_id": values["criterion"], "status": "implemented", "narrative": "x"}]}
    if row.body == "evidence_upload":
        return {
            "file": SimpleUploadedFile("plan.txt", b"Our security plan.\n", content_type="text/plain"),
            "title": "Plan",
        }
    return row.body


def request(world: dict, row: Row, actor: str, scope: str):
    values = _values(world, row, actor, scope)
    url = row.url.format(**values)
    # One client for the module: building a client's handler loads the middleware (WhiteNoise scans static).
    client = world["client"]
    client.cookies.clear()
    if actor != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][actor]
    headers = world["headers"][actor] if row.api else {}
    body = _body(world, row, values)
    with transaction.atomic():
        if row.multipart:
            response = client.post(url, body, **headers)
        elif row.api:
            payload = json.dumps(body) if body is not None else ""
            response = client.generic(row.method, url, payload, "application/json", **headers)
        elif row.method == "GET":
            response = client.get(url)
        else:
            response = client.generic(row.method, url) if body is None else client.post(url, body)
        transaction.set_rollback(True)
    return response


def scopes(row: Row, actor: str) -> list[str]:
    """Trade users have a company of their own; staff and anonymous do not, so one case is enough for them.

    A person's own object (an API token) has a foreign case for everyone signed in.
    """
    out = ["own"]
    if actor != "anon" and row.scoped and (actor in TRADE or row.url in PERSONAL):
        out.append("foreign")
    if actor != "anon" and row.cross:
        out.append("cross")
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
def test_access(world, row):
    wrong = []
    for actor in ACTORS:
        for scope in scopes(row, actor):
            response = request(world, row, actor, scope)
            want = expected(row, actor, scope)
            if response.status_code != want:
                wrong.append(f"  {actor:<22} {scope:<8} got {response.status_code}, expected {want}")
            elif actor == "anon" and want == 302 and row.url != "/accounts/logout/":
                location = response["Location"]
                if not location.startswith("/accounts/login/?next="):
                    wrong.append(f"  {actor:<22} {scope:<8} redirected to {location}, not to sign in")
    assert not wrong, f"{row.id}:\n" + "\n".join(wrong)


# Completeness ---------------------------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _api_route(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _covered(world) -> tuple[set[str], set[tuple[str, str]]]:
    pages, operations = set(), set()
    for row in ROWS:
        url = row.url.format(**_values(world, row, "scs", "own")).split("?")[0]
        route = resolve(url).route
        if row.api:
            operations.add((row.method.lower(), _api_route(route)))
        else:
            pages.add(route)
    return pages, operations


@pytest.mark.django_db
def test_every_route_has_a_row(world):
    from greenlane.api import api as ninja_api

    pages, operations = _covered(world)
    web_routes = {
        r
        for r in _walk(get_resolver().url_patterns)
        if not r.startswith(EXCLUDED_ROUTE_PREFIXES) and not r.startswith("api/v1/")
    }
    api_operations = {
        (method, path)
        for path, methods in ninja_api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    uncovered = sorted(web_routes - pages) + sorted(
        f"{m.upper()} {p}" for m, p in api_operations - operations
    )
    assert not uncovered, "Routes with no row in the access matrix (add one to ROWS):\n" + "\n".join(
        uncovered
    )
    # And no row points at a route that no longer exists.
    assert pages <= web_routes
    assert operations <= api_operations


def test_every_api_route_is_known_to_the_resolver():
    """The API's resolver routes are exactly its documented operations plus Ninja's own (docs, schema)."""
    from greenlane.api import api as ninja_api

    documented = {_api_route(path.lstrip("/")) for path in ninja_api.get_openapi_schema()["paths"]}
    resolved = {r for r in _walk(get_resolver().url_patterns) if r.startswith("api/v1/")}
    assert {_api_route(r) for r in resolved - EXCLUDED_API_ROUTES} == documented


def test_spec_groups_cover_every_role():
    from greenlane.accounts.choices import StaffRole, TradeRole

    assert set(STAFF) == set(StaffRole.values)
    assert set(TRADE) == set(TradeRole.values)
