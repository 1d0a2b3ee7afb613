"""Builders for the validation tests: a certified member with a frozen profile and a site."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner, Site
from greenlane.profiles.tests.factories import submitted_profile
from greenlane.validations import services
from greenlane.validations.choices import FindingResult
from greenlane.validations.models import Validation
from greenlane.validations.snapshot import codes

S = PartnerStatus
_seq = itertools.count(910_001)


def member(officer, *, name: str | None = None, country: str = "US") -> Partner:
    """A certified importer whose profile is frozen, with a headquarters and a foreign site."""
    n = next(_seq)
    partner = partner_services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name or f"Validated Imports {n}",
        country=country,
        role="company_officer",
        identifiers=[partner_services.IdentifierInput("ior", f"12-{n:07d}AA")],
    )
    submitted_profile(officer, partner)
    partner.refresh_from_db()
    for status in (S.SUBMITTED, S.CERTIFIED):
        if partner.status != status:
            partner = partner_services.partner_apply_decision(
                actor=None, partner_id=partner.pk, to_status=status, reason="test set-up"
            )
    Site.objects.create(
        partner=partner, kind="headquarters", name="HQ", street="1 Main St", city="Newark", country="US"
    )
    Site.objects.create(
        partner=partner, kind="foreign_site", name="Plant", street="2 Calle", city="Monterrey", country="MX"
    )
    return partner


def opened(scs, partner, **kwargs) -> Validation:
    return services.validation_create(
        actor=scs, partner_id=partner.pk, kind=kwargs.pop("kind", "initial"), specialist_id=scs.pk, **kwargs
    )


def record_all(scs, validation: Validation, result: str = FindingResult.MEETS) -> None:
    services.findings_record(
        actor=scs,
        validation_id=validation.pk,
        rows=[{"code": c, "result": result, "note": ""} for c in sorted(codes(validation.snapshot))],
    )


def ready_report(scs, validation: Validation) -> None:
    record_all(scs, validation)
    services.hours_record(
        actor=scs,
        validation_id=validation.pk,
        activity="on_site",
        hours="6.5",
        on=timezone.localdate() - dt.timedelta(days=1),
    )


def state(*objects) -> list:
    from django.forms.models import model_to_dict

    out = []
    for obj in objects:
        obj.refresh_from_db()
        out.append(model_to_dict(obj))
    return out
