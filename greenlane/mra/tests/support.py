"""Builders for the MRA tests."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HEADER = "program_id,name,address,country,status,validation_date,status_date\n"
S = PartnerStatus
_seq = itertools.count(810_001)


def csv_file(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "".join(line + "\n" for line in lines)).encode())


def sample(name: str) -> io.BytesIO:
    return io.BytesIO((SAMPLES / name).read_bytes())


def enrolled(officer, *, name: str | None = None) -> Partner:
    n = next(_seq)
    return partner_services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name or f"MRA Imports {n}",
        country="US",
        role="company_officer",
        identifiers=[partner_services.IdentifierInput("ior", f"12-{n:07d}AA")],
    )


def certified(officer, **kwargs) -> Partner:
    partner = enrolled(officer, **kwargs)
    for status in (S.SUBMITTED, S.CERTIFIED):
        partner = partner_services.partner_apply_decision(
            actor=None, partner_id=partner.pk, to_status=status, reason="test set-up"
        )
    return partner
