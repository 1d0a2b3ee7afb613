"""Demo: the demo officer's certified company in the SVI, monitoring partners (one of them suspended, so the
monitor was told), requests waiting both ways, a webhook with its delivery log, a bulk check and a notice.

No network in the demo: the webhook host (hooks.demo.example) is taken as public when it is registered and
does not resolve when the delivery is attempted, so the log shows an honest failed attempt waiting to retry.
"""

from __future__ import annotations

import random

from greenlane.accounts.models import User
from greenlane.partners import services as partner_services
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Identifier, Partner

from . import bulk, dispatch, notices, services, webhooks
from .models import SviParticipation

DEMO_HOOK = "https://hooks.demo.example/greenlane"


def _offline(host: str, port: int) -> list[str]:
    raise OSError("no network in the demo")


def _supplier(officer: User, name: str, n: int) -> Partner:
    """A dedicated certified company for the suspension story (so no other app's demo partner changes)."""
    partner = partner_services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name,
        country="US",
        role="company_officer",
        identifiers=[partner_services.IdentifierInput("ior", f"98-{n % 10_000_000:07d}HP")],
    )
    for status in (PartnerStatus.SUBMITTED, PartnerStatus.CERTIFIED):
        partner = partner_services.partner_apply_decision(
            actor=None, partner_id=partner.pk, to_status=status, reason="SVI demo set-up"
        )
    return partner


def seed_demo(rng: random.Random) -> None:
    officer = User.objects.filter(email="officer@demo.example").first()
    scs = User.objects.filter(email="scs@demo.example").first()
    if officer is None:
        return
    certified = list(
        Partner.objects.filter(
            status=PartnerStatus.CERTIFIED,
            memberships__user=officer,
            memberships__role="company_officer",
        )
        .exclude(svi__isnull=False)
        .order_by("id")[:9]
    )
    if len(certified) < 6:
        return
    company, others = certified[0], certified[1:]
    services.svi_join(
        actor=officer,
        partner_id=company.pk,
        share="status_tier_contact",
        contact_name="Olivia Officer",
        contact_email="officer@demo.example",
        contact_phone="+1 202 555 0100",
    )
    shares = ["status_only", "status_tier", "status_tier_contact"]
    for i, other in enumerate(others):
        extra = {"contact_name": "Trade desk", "contact_email": "trade@demo.example"} if i % 3 == 2 else {}
        services.svi_join(actor=officer, partner_id=other.pk, share=shares[i % 3], auto_accept=i < 4, **extra)
    # Monitored (auto-accepted), one request waiting for the other side, one waiting for us.
    for other in others[:4]:
        services.link_request(actor=officer, partner_id=company.pk, target_id=other.pk)
    services.link_request(
        actor=officer, partner_id=company.pk, target_id=others[4].pk, message="We ship with you monthly."
    )
    services.link_request(
        actor=officer,
        partner_id=others[5].pk,
        target_id=company.pk,
        message="Please let us follow your status.",
    )
    if len(others) > 6:
        declined = services.link_request(actor=officer, partner_id=others[6].pk, target_id=company.pk)
        services.link_decline(
            actor=officer, partner_id=company.pk, link_id=declined.pk, reason="Not a business partner"
        )

    # A webhook; then a monitored carrier is suspended and the monitor is told (portal, e-mail, webhook).
    saved = webhooks.RESOLVER
    try:
        webhooks.RESOLVER = lambda host, port: ["93.184.216.34"]
        webhooks.webhook_create(actor=officer, partner_id=company.pk, url=DEMO_HOOK)
        webhooks.RESOLVER = _offline
        carrier = _supplier(officer, "Harbor Point Logistics", company.pk)
        services.svi_join(actor=officer, partner_id=carrier.pk, share="status_tier", auto_accept=True)
        services.link_request(actor=officer, partner_id=company.pk, target_id=carrier.pk)
        if scs is not None:
            from greenlane.screening.lifecycle.membership import suspension_start

            suspension_start(
                actor=scs,
                partner_id=carrier.pk,
                cause="security_incident",
                benefits=["svi", "fewer_exams"],
                reason="Narcotics found in a trailer at the Laredo crossing (SVI demo).",
            )
        dispatch.sweep()
        webhooks.retry_due()
    finally:
        webhooks.RESOLVER = saved

    # A bulk check of business partners: ours, one not in the SVI, a bad row, an unknown one.
    ids = list(Identifier.objects.filter(partner__in=[*others[:5], carrier]).values_list("type", "value")[:8])
    outsider = (
        Identifier.objects.filter(partner__status=PartnerStatus.CERTIFIED)
        .exclude(partner__in=SviParticipation.objects.values("partner_id"))
        .values_list("type", "value")
        .first()
    )
    rows = [bulk.RowIn(n, t, v) for n, (t, v) in enumerate(ids, start=2)]
    if outsider:
        rows.append(bulk.RowIn(len(rows) + 2, *outsider))
    rows += [
        bulk.RowIn(len(rows) + 2, "eori", "DE1234567890123"),
        bulk.RowIn(len(rows) + 3, "ior", "12-0000000ZZ"),
        bulk.RowIn(len(rows) + 4, "duns", "12-34"),
    ]
    bulk.verify(actor=officer, partner_id=company.pk, rows=rows, source="business-partners.csv")
    notices.notice_send(
        actor=officer,
        partner_id=company.pk,
        recipient_company="Shenzhen Bright Textiles Co.",
        recipient_email="compliance@brighttextiles.example",
    )
