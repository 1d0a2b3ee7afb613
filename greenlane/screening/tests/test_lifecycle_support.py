"""Builders for the lifecycle tests, and the URL configuration they run under.

The builders put partners straight into the state a test needs (a referral, a certified member, a denial)
through the partners services and plain rows, without running the automated decision (so these tests do
not depend on vetting). `urlpatterns` is the site's own, plus the lifecycle pages and API when the site
does not mount them yet; once greenlane/urls.py and greenlane/api.py include them, it is the site's alone.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner
from greenlane.screening.choices import DecisionKind, Outcome
from greenlane.screening.models import Decision, Referral

S = PartnerStatus
_seq = itertools.count(500_001)


# --- URL configuration --------------------------------------------------------------------------------------


def _pages_mounted() -> bool:
    try:
        reverse("lifecycle:referral_queue", urlconf="greenlane.urls")
    except NoReverseMatch:
        return False
    return True


def _api_mounted() -> bool:
    from greenlane.api import api
    from greenlane.screening import api_lifecycle

    mounted = [router for _prefix, router in api._routers]
    return api_lifecycle.router in mounted and api_lifecycle.staff_router in mounted


def _urlpatterns() -> list:
    from greenlane import urls as site

    extra: list = []
    if not _api_mounted():
        from ninja import NinjaAPI

        from greenlane.api import api
        from greenlane.screening import api_lifecycle

        local = NinjaAPI(
            auth=api.auth,
            urls_namespace="lifecycle_test_api",
            docs_url=None,
            openapi_url=None,
        )
        local._exception_handlers = dict(api._exception_handlers)
        local.add_router("/partners", api_lifecycle.router)
        local.add_router("/lifecycle", api_lifecycle.staff_router)
        extra.append(path("api/v1/", local.urls))
    if not _pages_mounted():
        extra.append(path("", include("greenlane.screening.lifecycle_urls")))
    return [*extra, *site.urlpatterns]


urlpatterns = _urlpatterns()
URLS = "greenlane.screening.tests.test_lifecycle_support"


# --- builders -----------------------------------------------------------------------------------------------


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def enrolled(officer, *, name: str | None = None, entity_type: str = "importer", identifiers=None) -> Partner:
    n = next(_seq)
    return partner_services.partner_create(
        actor=officer,
        entity_type=entity_type,
        legal_name=name or f"Lifecycle Imports {n}",
        country="US",
        role="company_officer",
        identifiers=identifiers
        if identifiers is not None
        else [partner_services.IdentifierInput("ior", f"12-{n:07d}AA")],
    )


def move(partner: Partner, *statuses: str, at: dt.datetime | None = None) -> Partner:
    """Walk the partner through the transition table (as the automated decision would)."""
    for status in statuses:
        partner = partner_services.partner_apply_decision(
            actor=None, partner_id=partner.pk, to_status=status, reason="test set-up"
        )
    if at is not None:
        stamp = {
            S.SUBMITTED: "submitted_at",
            S.CERTIFIED: "certified_at",
            S.DENIED: "denied_at",
            S.REMOVED: "removed_at",
        }.get(statuses[-1])
        if stamp:
            Partner.objects.filter(pk=partner.pk).update(**{stamp: at})
            partner.refresh_from_db()
    return partner


def referral(
    officer, *, submitted_days_ago: int = 0, assigned_to=None, field_office=None, name: str | None = None
) -> Referral:
    """A partner under review with the automated 'referred' decision and its referral."""
    partner = enrolled(officer, name=name)
    submitted = ago(submitted_days_ago)
    move(partner, S.SUBMITTED, at=submitted)
    partner = move(partner, S.UNDER_REVIEW)
    submitted_on = timezone.localdate(submitted)
    decision = Decision.objects.create(
        partner=partner,
        kind=DecisionKind.AUTOMATED,
        outcome=Outcome.REFERRED,
        score=42.0,
        reasons=[
            {
                "code": "must_not_implemented",
                "kind": "indicator",
                "message": "Several Musts are not implemented.",
                "input": "profile.musts_not_implemented_share",
                "value": 0.2,
                "weight": 30,
                "outcome": "",
            }
        ],
        inputs={"profile.submitted": True, "profile.musts_not_implemented_share": 0.2},
        decided_at=submitted,
        decision_due=submitted_on + dt.timedelta(days=90),
    )
    office = field_office or (assigned_to.field_office if assigned_to is not None else None)
    return Referral.objects.create(
        partner=partner,
        decision=decision,
        assigned_to=assigned_to,
        field_office=office,
        submitted_on=submitted_on,
        opened_at=submitted,
    )


def certified(officer, *, days_ago: int = 0, name: str | None = None, **kwargs) -> Partner:
    partner = enrolled(officer, name=name, **kwargs)
    return move(partner, S.SUBMITTED, S.CERTIFIED, at=ago(days_ago))


def denied(officer, *, days_ago: int = 0) -> tuple[Partner, Decision]:
    partner = enrolled(officer)
    partner = move(partner, S.SUBMITTED, S.DENIED, at=ago(days_ago))
    decision = Decision.objects.create(
        partner=partner,
        kind=DecisionKind.AUTOMATED,
        outcome=Outcome.DENIED,
        score=90.0,
        reasons=[
            {
                "code": "ineligible",
                "kind": "hard_stop",
                "message": "No continuous bond.",
                "input": "eligibility.continuous_bond",
                "value": False,
                "weight": 0,
                "outcome": "denied",
            }
        ],
        inputs={"eligibility.continuous_bond": False},
        decided_at=ago(days_ago),
        appeal_due=timezone.localdate(ago(days_ago)) + dt.timedelta(days=90),
    )
    return partner, decision


def state(*objects) -> list:
    """A comparable picture of rows, to assert that a refused action changed nothing."""
    from django.forms.models import model_to_dict

    out = []
    for obj in objects:
        obj.refresh_from_db()
        out.append(model_to_dict(obj))
    return out


def counts() -> dict[str, int]:
    from greenlane.audit.models import AuditEvent
    from greenlane.screening.models import (
        Appeal,
        CorrectiveActionPlan,
        Decision,
        InfoRequest,
        Referral,
        Removal,
        Suspension,
    )

    return {
        m.__name__: m.objects.count()
        for m in (
            AuditEvent,
            Appeal,
            CorrectiveActionPlan,
            Decision,
            InfoRequest,
            Referral,
            Removal,
            Suspension,
        )
    }
