"""Small builders for partners in known states."""

from __future__ import annotations

import datetime as dt
import itertools

from greenlane.partners import services
from greenlane.partners.models import Partner

_seq = itertools.count(1)


def ior_for(n: int) -> str:
    return f"12-{n:07d}AA"


def complete_importer(
    officer, *, name: str | None = None, country: str = "US", with_profile: bool = True
) -> Partner:
    """A draft importer with everything but the signature (the security profile submitted unless told not to)."""
    n = next(_seq)
    partner = services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name or f"Acme Imports {n}",
        country=country,
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", ior_for(n))],
        business_start_date=dt.date(2001, 5, 1),
        employee_count=120,
        eligibility={
            "imported_last_12_months": True,
            "continuous_bond": True,
            "us_or_canada_office": True,
            "no_unpaid_cbp_debt": True,
            "security_officer_designated": True,
        },
    )
    services.site_add(
        actor=officer,
        partner_id=partner.pk,
        kind="headquarters",
        name="Head office",
        street="1 Harbor Way",
        city="Newark",
        region="NJ",
        postal_code="07114",
        country="US",
    )
    services.contact_add(
        actor=officer,
        partner_id=partner.pk,
        kind="primary",
        name="Pat Officer",
        title="VP Security",
        email="pat@acme.example",
        phone="+1 555 0100",
    )
    if with_profile:
        from greenlane.profiles.tests.factories import submitted_profile

        submitted_profile(officer, partner)
    return partner


def signed_importer(officer, **kwargs) -> Partner:
    partner = complete_importer(officer, **kwargs)
    services.agreement_sign(
        actor=officer, partner_id=partner.pk, name="Pat Officer", title="VP Security", accept=True
    )
    return partner


def submitted_importer(officer, **kwargs) -> Partner:
    partner = signed_importer(officer, **kwargs)
    return services.partner_submit(actor=officer, partner_id=partner.pk)
