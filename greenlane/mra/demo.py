"""Demo: the EU AEO and Canada PIP sample status files imported, and the demo company's consent."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

from django.utils import timezone

from greenlane.accounts.models import User
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from . import services

SAMPLES = Path(__file__).parent / "samples"


def seed_demo(rng: random.Random) -> None:
    manager = User.objects.filter(email="manager@demo.example").first()
    today = timezone.localdate()
    for code, name in (("eu_aeo", "eu_aeo.csv"), ("ca_pip", "ca_pip.json")):
        services.status_import(
            actor=manager,
            program_code=code,
            stream=io.BytesIO((SAMPLES / name).read_bytes()),
            file_name=name,
            as_of=today - dt.timedelta(days=1),
        )
    officer = User.objects.filter(email="officer@demo.example").first()
    company = (
        Partner.objects.filter(memberships__user=officer, memberships__role="company_officer")
        .filter(status=PartnerStatus.CERTIFIED)
        .order_by("id")
        .first()
    )
    if officer is None or company is None:
        return
    for code in ("eu_aeo", "ca_pip", "mx_oea"):
        services.consent_grant(actor=officer, partner_id=company.pk, program_code=code)
