"""The access matrix: every page and API endpoint × every role × own, foreign (and crossed) objects.

One row per (method, URL). Expected codes are written per actor for the actor's OWN objects, as a compact
spec: ``"trade=200 staff=404 anon=302"`` (later entries override earlier ones; keys are a role code, a
group or ``*``). On another company's objects (FOREIGN) trade users get 404; staff see every partner and
anonymous users see none, so they have one case. A person's own objects (API tokens) are foreign to everyone
else: 404. A CROSS case (own company in the URL, another company's child object) runs where ``cross`` is
given. Foreign objects are real ones: each own company a row can target (``target``: a draft, a referral
under review, a denial under appeal, a suspended or certified member...) has a foreign counterpart in the
same state, with the same kinds of records (decision, information request, appeal, plan, annual review,
vetting match, evidence, snapshot).

The matrix is complete by construction: ``test_every_route_has_a_row`` walks Django's URL resolver and the
NinjaAPI's operations and fails, listing them, for routes no row covers. Add a row when you add a route.

State-changing requests run inside a savepoint that is rolled back, so every case sees the same data; the
data is built once per module inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

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
    # The matrix's scs is the specialist assigned to its referral and its member's annual review.
    "specialists": ["scs", "supervisory_scs", "program_manager"],
    "supervisors": ["supervisory_scs", "program_manager"],
    "vetters": ["vetting_officer", "program_manager", "system_admin"],
    "editors": ["program_manager", "system_admin"],  # screening rules, criteria catalog versions
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
    # Which own company: A (complete draft), S (signed), P (profile answered, not submitted), R (under review:
    # a referral assigned to the matrix's scs, an open information request), D (denied, the denial appealed),
    # M (certified, its annual review submitted), U (suspended), Q (suspended, a corrective plan submitted).
    target: str = "A"
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
STAFF_API = "staff=200 trade=404 anon=401"
COMPANY_API = "authenticated=200 anon=401"
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
COMPLIANCE_HEADER = (
    "source_ref,kind,date,name,address,country,identifier_type,identifier_value,amount,details"
)
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
    # Screening: decisions, the rules workspace ------------------------------------------------------------
    page("GET", "/companies/{pid}/decisions/", TRADE_PAGE, target="D"),
    page(
        "GET",
        "/companies/{pid}/decisions/{decision}/",
        TRADE_PAGE,
        target="D",
        cross="trade=404 staff=404 anon=302",
    ),
    page("GET", "/staff/partners/{pid}/decisions/", STAFF_PAGE, target="D"),
    page("GET", "/staff/screening/rules/", STAFF_PAGE, scoped=False),
    # A refused draft comes back on the form (200); a refused activation as a message on the redirect.
    page(
        "POST",
        "/staff/screening/rules/",
        "staff=200 editors=302 trade=404 anon=302",
        scoped=False,
        body="ruleset_form",
    ),
    page(
        "POST",
        "/staff/screening/rules/{ruleset}/activate/",
        "staff=302 trade=404 anon=302",
        scoped=False,
        body={"reason": "Matrix"},
    ),
    api("GET", "/partners/{pid}/decisions", COMPANY_API, target="D"),
    api(
        "GET",
        "/partners/{pid}/decisions/{decision}",
        COMPANY_API,
        target="D",
        cross="authenticated=404 anon=401",
    ),
    api("GET", "/screening/rulesets", STAFF_API, scoped=False),
    api(
        "POST",
        "/screening/rulesets",
        "staff=403 editors=201 trade=404 anon=401",
        scoped=False,
        body="ruleset_api",
    ),
    api(
        "POST",
        "/screening/rulesets/{ruleset}/activate",
        "staff=403 editors=200 trade=404 anon=401",
        scoped=False,
        body={"reason": "Matrix"},
    ),
    api("POST", "/screening/simulate", STAFF_API, scoped=False, body="simulate_api"),
    # Lifecycle: staff pages (docs/lifecycle.md, "Access matrix rows"). A refusal by role comes back on the
    # page's form (200); a done action redirects.
    page("GET", "/staff/referrals/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/referrals/{referral}/", STAFF_PAGE, target="R"),
    page(
        "POST",
        "/staff/referrals/{referral}/certify/",
        "staff=200 specialists=302 trade=404 anon=302",
        target="R",
        body={"certify-reasons": "Matrix"},
    ),
    page(
        "POST",
        "/staff/referrals/{referral}/reassign/",
        "staff=200 supervisors=302 trade=404 anon=302",
        target="R",
        body="reassign_form",
    ),
    page("GET", "/staff/deadlines/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/partners/{pid}/lifecycle/", STAFF_PAGE, target="Q"),
    page(
        "POST",
        "/staff/partners/{pid}/lifecycle/suspend/",
        "staff=200 specialists=302 trade=404 anon=302",
        target="M",
        body={"suspend-cause": "security_incident", "suspend-benefits": "svi", "suspend-reason": "Matrix"},
    ),
    # Another partner's plan under this partner's URL is 404, to staff too.
    page(
        "POST",
        "/staff/partners/{pid}/lifecycle/plan/",
        "staff=200 specialists=302 trade=404 anon=302",
        target="Q",
        body="plan_review_form",
        cross="authenticated=404 anon=302",
    ),
    page(
        "POST",
        "/staff/partners/{pid}/lifecycle/remove/",
        "staff=200 supervisors=302 trade=404 anon=302",
        target="M",
        body={"remove-cause": "security_incident", "remove-reason": "Matrix"},
    ),
    page("GET", "/staff/appeals/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/appeals/{appeal}/", STAFF_PAGE, target="D"),
    page(
        "POST",
        "/staff/appeals/{appeal}/decide/",
        "staff=200 supervisors=302 trade=404 anon=302",
        target="D",
        body={"decide-outcome": "upheld", "decide-note": "Matrix"},
    ),
    # Lifecycle: company pages. Officer-only actions refused to other roles come back on the form (200),
    # or as a message on the redirect.
    page("GET", "/companies/{pid}/dates/", TRADE_PAGE, target="R"),
    page(
        "POST",
        "/companies/{pid}/requests/{request}/answer/",
        TRADE_POST,
        target="R",
        body={"answer-response": "Matrix"},
        cross="trade=404 staff=404 anon=302",
    ),
    page(
        "POST",
        "/companies/{pid}/action-plan/",
        "officer=302 not_officer=200 staff=404 anon=302",
        target="U",
        body={"plan-text": "Matrix", "plan-consent": "on"},
    ),
    page("POST", "/companies/{pid}/reapply/", TRADE_POST),
    page("GET", "/companies/{pid}/appeals/", TRADE_PAGE, target="D"),
    page(
        "POST",
        "/companies/{pid}/appeals/",
        "officer=302 not_officer=200 staff=404 anon=302",
        target="U",
        body={"appeal-subject": "suspension", "appeal-grounds": "Matrix"},
    ),
    # Only the officer withdraws: the others are refused before the appeal is looked up.
    page(
        "POST",
        "/companies/{pid}/appeals/{appeal}/withdraw/",
        TRADE_POST,
        target="D",
        cross="officer=404 not_officer=302 staff=404 anon=302",
    ),
    # Lifecycle API: a partner's records (staff read them too, and are refused the company's actions).
    api("GET", "/partners/{pid}/dates", COMPANY_API, target="R"),
    api("GET", "/partners/{pid}/info-requests", COMPANY_API, target="R"),
    api(
        "POST",
        "/partners/{pid}/info-requests/{request}/answer",
        "trade=200 staff=403 anon=401",
        target="R",
        body={"response": "Matrix"},
        cross="trade=404 staff=403 anon=401",
    ),
    api("GET", "/partners/{pid}/suspensions", COMPANY_API, target="Q"),
    api(
        "POST",
        "/partners/{pid}/action-plans",
        "officer=201 not_officer=403 staff=403 anon=401",
        target="U",
        body={"text": "Matrix", "consent_unannounced_visits": True},
    ),
    api("GET", "/partners/{pid}/removals", COMPANY_API),
    api("POST", "/partners/{pid}/reapply", "officer=409 not_officer=403 staff=403 anon=401"),
    api("GET", "/partners/{pid}/appeals", COMPANY_API, target="D"),
    api(
        "POST",
        "/partners/{pid}/appeals",
        "officer=201 not_officer=403 staff=403 anon=401",
        target="U",
        body={"subject": "suspension", "grounds": "Matrix"},
    ),
    api(
        "POST",
        "/partners/{pid}/appeals/{appeal}/withdraw",
        "officer=200 not_officer=403 staff=403 anon=401",
        target="D",
        cross="officer=404 not_officer=403 staff=403 anon=401",
    ),
    # Lifecycle API: staff (anyone else 404).
    api("GET", "/lifecycle/referrals", STAFF_API, scoped=False),
    api("GET", "/lifecycle/referrals/{referral}", STAFF_API, target="R"),
    api(
        "POST",
        "/lifecycle/referrals/{referral}/reassign",
        "staff=403 supervisors=200 trade=404 anon=401",
        target="R",
        body="reassign_api",
    ),
    # The referral waits for the company's answer to an earlier request: 409 for those who may ask.
    api(
        "POST",
        "/lifecycle/referrals/{referral}/info-requests",
        "staff=403 specialists=409 trade=404 anon=401",
        target="R",
        body="info_request_api",
    ),
    api(
        "POST",
        "/lifecycle/referrals/{referral}/certify",
        "staff=403 specialists=200 trade=404 anon=401",
        target="R",
        body={"reasons": "Matrix"},
    ),
    api(
        "POST",
        "/lifecycle/referrals/{referral}/propose-denial",
        "staff=403 specialists=200 trade=404 anon=401",
        target="R",
        body={"reasons": "Matrix"},
    ),
    # No denial is proposed on the referral: 409 for the supervisors.
    api(
        "POST",
        "/lifecycle/referrals/{referral}/approve-denial",
        "staff=403 supervisors=409 trade=404 anon=401",
        target="R",
        body={"note": ""},
    ),
    api(
        "POST",
        "/lifecycle/referrals/{referral}/send-back",
        "staff=403 supervisors=409 trade=404 anon=401",
        target="R",
        body={"note": "Matrix"},
    ),
    api(
        "POST",
        "/lifecycle/partners/{pid}/suspend",
        "staff=403 specialists=201 trade=404 anon=401",
        target="M",
        body={"cause": "security_incident", "benefits": ["svi"], "reason": "Matrix"},
    ),
    # The plan is submitted, not accepted yet: reinstatement is refused (409).
    api(
        "POST",
        "/lifecycle/partners/{pid}/reinstate",
        "staff=403 specialists=409 trade=404 anon=401",
        target="Q",
        body={"reason": "Matrix"},
    ),
    api(
        "POST",
        "/lifecycle/partners/{pid}/remove",
        "staff=403 supervisors=201 trade=404 anon=401",
        target="M",
        body={"cause": "security_incident", "reason": "Matrix"},
    ),
    api(
        "POST",
        "/lifecycle/action-plans/{plan}/review",
        "staff=403 specialists=200 trade=404 anon=401",
        target="Q",
        body={"accept": True, "note": "Matrix"},
    ),
    api("GET", "/lifecycle/appeals", STAFF_API, scoped=False),
    api("GET", "/lifecycle/appeals/{appeal}", STAFF_API, target="D"),
    api(
        "POST",
        "/lifecycle/appeals/{appeal}/decide",
        "staff=403 supervisors=200 trade=404 anon=401",
        target="D",
        body={"outcome": "upheld", "note": "Matrix"},
    ),
    api("GET", "/lifecycle/deadlines", STAFF_API, scoped=False),
    # Annual reviews. M's review is submitted: the company can change nothing (a message, or 409), staff
    # decide it (the assigned scs, supervisors; other staff 403, on the page too).
    page("GET", "/companies/{pid}/review/", TRADE_PAGE, target="M"),
    page("POST", "/companies/{pid}/review/items/{criterion}/confirm/", TRADE_POST, target="M"),
    page("POST", "/companies/{pid}/review/submit/", TRADE_POST, target="M"),
    page("GET", "/staff/reviews/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/reviews/{review}/", STAFF_PAGE, target="M"),
    page(
        "POST",
        "/staff/reviews/{review}/decision/",
        "staff=403 specialists=302 trade=404 anon=302",
        target="M",
        body={"decision": "approve"},
    ),
    api("GET", "/partners/{pid}/reviews", COMPANY_API, target="M"),
    api("GET", "/partners/{pid}/reviews/current", COMPANY_API, target="M"),
    api(
        "POST",
        "/partners/{pid}/reviews/current/items/{criterion}/confirm",
        "trade=409 staff=403 anon=401",
        target="M",
    ),
    api(
        "POST",
        "/partners/{pid}/reviews/current/submit",
        "officer=409 not_officer=403 staff=403 anon=401",
        target="M",
    ),
    api("GET", "/reviews", STAFF_API, scoped=False),
    api("GET", "/reviews/{review}", STAFF_API, target="M"),
    api(
        "POST",
        "/reviews/{review}/decision",
        "staff=403 specialists=200 trade=404 anon=401",
        target="M",
        body={"decision": "approve"},
    ),
    # Vetting (staff; imports, matching runs and match decisions by vetters). Page refusals come back as a
    # message on the redirect, except the upload form, which answers 403.
    page("GET", "/staff/vetting/", STAFF_PAGE, scoped=False),
    page("GET", "/staff/vetting/imports/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        "/staff/vetting/imports/",
        "staff=403 vetters=302 trade=404 anon=302",
        scoped=False,
        body="compliance_csv",
        multipart=True,
    ),
    page("GET", "/staff/vetting/partners/{pid}/", STAFF_PAGE),
    page("POST", "/staff/vetting/partners/{pid}/run/", "staff=302 trade=404 anon=302"),
    page("POST", "/staff/vetting/matches/{match}/confirm/", "staff=302 trade=404 anon=302"),
    page(
        "POST", "/staff/vetting/matches/{match}/dismiss/", "staff=302 trade=404 anon=302", body={"note": "x"}
    ),
    api("GET", "/vetting/imports", STAFF_API, scoped=False),
    api(
        "POST",
        "/vetting/imports",
        "staff=403 vetters=201 trade=404 anon=401",
        scoped=False,
        body="compliance_csv",
        multipart=True,
    ),
    api("GET", "/vetting/matches", STAFF_API, scoped=False),
    api("GET", "/vetting/matches/{match}", STAFF_API),
    api(
        "POST",
        "/vetting/matches/{match}/confirm",
        "staff=403 vetters=200 trade=404 anon=401",
        body={"note": ""},
    ),
    api(
        "POST",
        "/vetting/matches/{match}/dismiss",
        "staff=403 vetters=200 trade=404 anon=401",
        body={"note": "Matrix"},
    ),
    api("POST", "/vetting/partners/{pid}/run", "staff=403 vetters=200 trade=404 anon=401"),
    api("GET", "/vetting/partners/{pid}/summary", STAFF_API),
    # Targeting: every staff member reads the scored day; targeting officers, program managers and system
    # administrators score (other staff 403).
    page("GET", "/staff/targeting/", STAFF_PAGE, scoped=False),
    # No day is scored in this module's VAR_DIR, so a shipment is missing for everyone: staff 404, trade 404.
    page("GET", "/staff/targeting/shipments/SHP-MISSING/", "staff=404 trade=404 anon=302", scoped=False),
    api(
        "POST",
        "/targeting/score",
        "staff=403 targeting_officer=200 program_manager=200 system_admin=200 trade=404 anon=401",
        scoped=False,
        body="shipment_api",
    ),
    # Criteria catalog: everyone signed in browses and downloads; staff compare versions; activation by
    # editors (a refusal is a message on the redirect).
    page("GET", "/criteria/", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/criteria/download.csv", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/criteria/download.pdf", SIGNED_IN_PAGE, scoped=False),
    page("GET", "/criteria/versions/", STAFF_PAGE, scoped=False),
    page("GET", "/criteria/versions/compare/", STAFF_PAGE, scoped=False),
    page(
        "POST",
        "/criteria/versions/{catalog_version}/activate/",
        "staff=302 trade=404 anon=302",
        scoped=False,
        body={"confirm": "yes"},
    ),
    # Profile exports: the company's people and staff (read-only) download; another company's snapshot 404.
    page("GET", "/companies/{pid}/profile/export/", TRADE_PAGE),
    page("GET", "/companies/{pid}/profile/export.json", SIGNED_IN_PAGE),
    page(
        "GET",
        "/companies/{pid}/profile/export.json?snapshot={snapshot}",
        SIGNED_IN_PAGE,
        cross="authenticated=404 anon=302",
    ),
    # One PDF row (laying a profile out takes fpdf2 most of a second); JSON and PDF share the access checks.
    page("GET", "/companies/{pid}/profile/export.pdf", SIGNED_IN_PAGE),
]

# Extensions: each module in tests/access/ adds the rows of one app (see tests/access/README.md).
EXTENSIONS = [
    importlib.import_module(f"tests.access.{info.name}")
    for info in pkgutil.iter_modules([str(__import__("pathlib").Path(__file__).parent / "access")])
    if not info.name.startswith("_")
]
for _ext in EXTENSIONS:
    GROUPS.update(getattr(_ext, "GROUPS", {}))
    ROWS.extend(_ext.ROWS)

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

    # Records past the automated decision, annual reviews, vetting matches: one set for the own companies
    # and one for foreign ones, so that a foreign (or crossed) object is a real object of another company.
    mine, theirs = _lifecycle(officer, staff, with_everyone), _lifecycle(foreign_officer, staff, None)
    matches = _vetting([companies["A"], foreign])
    shared = _shared(staff)
    own_objects = {**mine["objects"], "match": matches[companies["A"].pk], **shared}
    foreign_objects = {**theirs["objects"], "match": matches[foreign.pk], **shared}
    ids = {key: {**children(p, officer), **own_objects} for key, p in companies.items() if key != "P"}
    ids["P"] = {**ids["A"], "pid": companies["P"].pk}
    ids.update({key: {**ids["A"], "pid": pk} for key, pk in mine["pids"].items()})
    foreign_base = {**children(foreign, foreign_officer), **foreign_objects}
    foreign_ids = {key: foreign_base for key in ids}
    foreign_ids.update({key: {**foreign_base, "pid": pk} for key, pk in theirs["pids"].items()})

    # Each extension builds its own objects for the own companies and their foreign counterparts.
    from greenlane.partners.models import Partner

    context = ExtensionContext(
        staff=staff,
        people=people,
        officer=officer,
        foreign_officer=foreign_officer,
        own={key: Partner.objects.get(pk=v["pid"]) for key, v in ids.items()},
        foreign={key: Partner.objects.get(pk=v["pid"]) for key, v in foreign_ids.items()},
    )
    taken = set(ids["A"]) | set(foreign_ids["A"]) | {"token", "staff_user", "office"}
    for ext in EXTENSIONS:
        if hasattr(ext, "build"):
            own_extra, foreign_extra = ext.build(context)
            clash = (set(own_extra) | set(foreign_extra)) & taken
            assert not clash, f"{ext.__name__} reuses placeholder names {sorted(clash)}: pick new ones"
            taken |= set(own_extra) | set(foreign_extra)
            ids = {key: {**v, **own_extra} for key, v in ids.items()}
            foreign_ids = {key: {**v, **foreign_extra} for key, v in foreign_ids.items()}

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
        "assignee": staff["supervisory_scs"].pk,
        "ruleset_text": _ruleset_text("2099.2"),
        "staff_user": staff["auditor"].pk,
        "office": FieldOffice.objects.get(code="miami").pk,
    }


@dataclass
class ExtensionContext:
    """What an extension's build() gets: the matrix's users and its companies by target letter (own and
    foreign). build() returns two dicts of URL placeholders: one for own objects, one for foreign ones."""

    staff: dict
    people: dict
    officer: Any
    foreign_officer: Any
    own: dict
    foreign: dict


def _lifecycle(owner, staff: dict, with_everyone) -> dict:
    """The owner's companies past the automated decision (docs/lifecycle.md), with their records: R under
    review (a referral assigned to the matrix's scs, an open information request), D denied (its denial
    appealed), U suspended, Q suspended with a corrective action plan submitted, M certified with its annual
    review submitted."""
    import datetime as dt

    from django.utils import timezone

    from greenlane.profiles import review_services
    from greenlane.profiles.choices import ReviewItemDecision
    from greenlane.profiles.models import ReviewItem
    from greenlane.profiles.tests.test_reviews_support import certified_with_open_window
    from greenlane.screening import lifecycle
    from greenlane.screening.tests.test_lifecycle_support import certified, denied, referral

    scs = staff["scs"]
    under_review = referral(owner, assigned_to=scs)
    request = lifecycle.referral_request_info(
        actor=scs,
        referral_id=under_review.pk,
        message="Send the seal log.",
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    refused, decision = denied(owner, days_ago=3)
    appeal = lifecycle.appeal_file(
        actor=owner, partner_id=refused.pk, subject="denial", grounds="The bond was renewed."
    )
    suspended, planned = certified(owner, days_ago=40), certified(owner, days_ago=60)
    for partner in (suspended, planned):
        lifecycle.suspension_start(
            actor=scs, partner_id=partner.pk, cause="security_incident", benefits=["svi"], reason="Seizure."
        )
    plan = lifecycle.action_plan_submit(
        actor=owner, partner_id=planned.pk, text="Seal checks at every gate.", consent=True
    )
    member = certified_with_open_window(owner, staff)
    _access, review = review_services.review_ensure_open(actor=owner, partner_id=member.pk)
    assert review is not None
    ReviewItem.objects.filter(review=review).update(
        decision=ReviewItemDecision.CONFIRMED, decided_at=timezone.now()
    )
    review_services.review_submit(actor=owner, partner_id=member.pk)
    partners = {"R": under_review.partner, "D": refused, "U": suspended, "Q": planned, "M": member}
    for partner in partners.values():
        if with_everyone is not None:
            with_everyone(partner)
    return {
        "pids": {key: partner.pk for key, partner in partners.items()},
        "objects": {
            "referral": under_review.pk,
            "request": request.pk,
            "decision": decision.pk,
            "appeal": appeal.pk,
            "plan": plan.pk,
            "review": review.pk,
        },
    }


def _vetting(partners) -> dict[int, int]:
    """A compliance record under each partner's name and address, and the pending match it gives."""
    import io

    from greenlane.vetting import services
    from greenlane.vetting.models import VettingMatch

    lines = [COMPLIANCE_HEADER] + [
        f"MATRIX-{p.pk},penalty,2024-03-31,{p.legal_name},1 Harbor Way Newark NJ 07114,US,,,,"
        for p in partners
    ]
    stream = io.BytesIO("\n".join(lines).encode())
    services.compliance_import(actor=None, stream=stream, file_name="matrix.csv", source="matrix")
    found = {}
    for partner in partners:
        services.run_matching(partner)
        found[partner.pk] = VettingMatch.objects.get(partner=partner, status="pending").pk
    return found


def _ruleset_text(version: str) -> str:
    """The active screening rules under another version number."""
    from greenlane.screening.models import RuleSetVersion

    text = RuleSetVersion.objects.get(status="active").text
    return re.sub(r"(?m)^version: .*$", f'version: "{version}"', text, count=1)


def _shared(staff: dict) -> dict:
    """Program objects that belong to no company: a draft rule set, the active criteria catalog version."""
    from greenlane.criteria import selectors as criteria_selectors
    from greenlane.screening import services as screening_services

    draft = screening_services.ruleset_create(
        actor=staff["program_manager"], text=_ruleset_text("2099.1"), notes="Matrix draft"
    )
    return {"ruleset": draft.pk, "catalog_version": criteria_selectors.active_version().pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=str(media),
        VAR_DIR=tmp_path_factory.mktemp("var"),  # targeting reads and writes its files under VAR_DIR
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
    children = own if scope == "own" else world["foreign"][row.target]
    if scope == "foreign":
        values["pid"] = children["pid"]
    values.update({k: v for k, v in children.items() if k != "pid"})
    if scope == "cross":
        values["pid"] = own["pid"]
    values["token"] = (
        world["tokens"].get(actor, world["foreign_token"]) if scope == "own" else world["foreign_token"]
    )
    values.update(staff_user=world["staff_user"], office=world["office"])
    return values


def _body(world: dict, row: Row, values: dict):
    if callable(row.body):  # an extension's body builder: (world, values) -> body
        return row.body(world, values)
    if row.body == "answer_form":
        prefix = "c-" + values["criterion"].replace(".", "-")
        return {f"{prefix}-status": "implemented", f"{prefix}-narrative": "Written procedure."}
    if row.body == "assign_form":
        return {"scs": str(world["scs"]), "reason": ""}
    if row.body == "assign_api":
        return {"scs_id": world["scs"], "reason": ""}
    if row.body == "bulk_answers":
        return {"answers": [{"criterion_id": values["criterion"], "status": "implemented", "narrative": "x"}]}
    if row.body in ("ruleset_form", "ruleset_api"):
        return {"text": world["ruleset_text"], "notes": ""}
    if row.body == "simulate_api":
        return {"text": world["ruleset_text"], "examples": 0}
    if row.body == "reassign_form":
        return {"reassign-assigned_to": str(world["assignee"]), "reassign-reason": ""}
    if row.body == "reassign_api":
        return {"assigned_to": world["assignee"], "reason": ""}
    if row.body == "info_request_api":
        return {"message": "Matrix", "due_on": (timezone.localdate() + timedelta(days=10)).isoformat()}
    if row.body == "plan_review_form":
        return {"plan-plan_id": str(values["plan"]), "plan-decision": "accept", "plan-note": "Matrix"}
    if row.body == "compliance_csv":
        data = f"{COMPLIANCE_HEADER}\nUP-1,penalty,2024-03-31,Nowhere Trading,9 Far Road,US,,,,\n".encode()
        return {"file": SimpleUploadedFile("upload.csv", data, content_type="text/csv"), "source": "upload"}
    if row.body == "shipment_api":
        from greenlane.targeting.tests.conftest import shipment

        return {
            "shipment": {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in shipment().items()}
        }
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
