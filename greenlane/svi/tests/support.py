"""Builders for the SVI tests: companies put straight into the state a test needs."""

from __future__ import annotations

import itertools

from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

S = PartnerStatus
_seq = itertools.count(700_001)


def enrolled(officer, *, name: str | None = None, ior: str | None = None, country: str = "US") -> Partner:
    n = next(_seq)
    return partner_services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name or f"SVI Imports {n}",
        country=country,
        role="company_officer",
        identifiers=[partner_services.IdentifierInput("ior", ior or f"12-{n:07d}AA")],
    )


def move(partner: Partner, *statuses: str) -> Partner:
    for status in statuses:
        partner = partner_services.partner_apply_decision(
            actor=None, partner_id=partner.pk, to_status=status, reason="test set-up"
        )
    return partner


def certified(officer, **kwargs) -> Partner:
    return move(enrolled(officer, **kwargs), S.SUBMITTED, S.CERTIFIED)


def ior_of(partner: Partner) -> str:
    return partner.identifiers.get(type="ior").value


def join(officer, partner: Partner, **kwargs):
    from greenlane.svi import services

    return services.svi_join(actor=officer, partner_id=partner.pk, **kwargs)


def fake_resolver(mapping: dict[str, list[str]] | None = None):
    """A resolver that answers from a dict (default: every host is a public documentation-free address)."""
    mapping = mapping or {}

    def resolve(host: str, port: int) -> list[str]:
        return mapping.get(host, ["93.184.216.34"])

    return resolve
