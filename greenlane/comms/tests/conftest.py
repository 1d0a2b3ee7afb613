"""Fixtures for the communications tests: companies in known states with their people, staff by role."""

from __future__ import annotations

import itertools

import pytest

from conftest import make_user

_seq = itertools.count(1)


def make_partner(
    officer=None,
    *,
    name: str | None = None,
    entity_type: str = "importer",
    country: str = "US",
    status: str = "certified",
    tier: int = 1,
    office: str | None = "new-york",
    scs=None,
    role: str = "company_officer",
):
    """A partner row (a fixture, not an enrollment) and, when given, its officer's membership."""
    from greenlane.accounts.models import FieldOffice
    from greenlane.partners.models import Membership, Partner

    n = next(_seq)
    legal = name or f"Comms Test Co {n}"
    partner = Partner.objects.create(
        reference=f"GLT{n:06d}",
        entity_type=entity_type,
        legal_name=legal,
        country=country,
        status=status,
        tier=tier if status == "certified" else 0,
        field_office=FieldOffice.objects.get(code=office) if office else None,
        assigned_scs=scs,
        search_name=legal.lower(),
    )
    if officer is not None:
        Membership.objects.create(user=officer, partner=partner, role=role)
    return partner


@pytest.fixture
def world(db, staff):
    """Two certified importers with their own officers (A has an SCS), a highway carrier in Miami."""
    officer_a = make_user("officer@a.example")
    officer_b = make_user("officer@b.example")
    contributor_a = make_user("contributor@a.example")
    a = make_partner(officer_a, name="Alpha Imports", scs=staff["scs"], tier=2)
    from greenlane.partners.models import Membership

    Membership.objects.create(user=contributor_a, partner=a, role="contributor")
    b = make_partner(officer_b, name="Bravo Imports", tier=3, country="CA", office="miami")
    carrier = make_partner(
        None, name="Charlie Trucking", entity_type="highway_carrier", country="MX", office="miami"
    )
    return {
        "a": a,
        "b": b,
        "carrier": carrier,
        "officer_a": officer_a,
        "officer_b": officer_b,
        "contributor_a": contributor_a,
        "staff": staff,
    }
