"""Demo: the demo officer's certified company keeps a register of about twelve business partners: C-TPAT
members (status from the SVI), foreign AEO/PIP members (from the imported files) and non-members; audits, a
re-evaluation, an overdue one, and questionnaires (one answered, one awaiting answers)."""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from greenlane.accounts.models import User
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Identifier, Partner

from . import services
from .models import RegisterEntry

NON_MEMBERS = [
    ("Transportes del Bajío S.A. de C.V.", "highway_carrier", "MX", "rfc", "TBA850101AB1"),
    ("Shenzhen Bright Packaging Co.", "packer", "CN", "", ""),
    ("Saigon Textile Works", "manufacturer", "VN", "", ""),
    ("Guardian Yard Security LLC", "security_service", "US", "", ""),
    ("Lakeside Cross-Dock Inc.", "warehouse", "US", "", ""),
    ("Dhaka Garments Ltd.", "supplier", "BD", "", ""),
]
FOREIGN = [
    ("Rheinwerk Logistik GmbH", "third_party_logistics", "DE", "eori", "DE1234567890123"),
    ("Ceramiche Adriatiche S.p.A.", "manufacturer", "IT", "eori", "IT01234567890"),
    ("Fraser River Forwarding Ltd.", "freight_forwarder", "CA", "cbsa_bn", "100118785"),
]


def _company(officer) -> Partner | None:
    return (
        Partner.objects.filter(memberships__user=officer, memberships__role="company_officer")
        .filter(status=PartnerStatus.CERTIFIED)
        .order_by("id")
        .first()
    )


def seed_demo(rng: random.Random) -> None:
    officer = User.objects.filter(email="officer@demo.example").first()
    company = _company(officer) if officer else None
    if company is None:
        return
    today = timezone.localdate()
    rows: list[tuple[str, str, str, str, str]] = []
    # Three C-TPAT members found by identifier: a carrier, a broker and a manufacturer when the demo has them.
    for entity, partner_type in (
        ("highway_carrier", "highway_carrier"),
        ("customs_broker", "customs_broker"),
        ("foreign_manufacturer", "manufacturer"),
    ):
        ident = (
            Identifier.objects.filter(
                partner__entity_type=entity,
                partner__status__in=[PartnerStatus.CERTIFIED, PartnerStatus.SUSPENDED],
            )
            .exclude(partner=company)
            .order_by(F("partner__svi__active").desc(nulls_last=True), "partner_id", "type")
            .exclude(type="mid")
            .select_related("partner")
            .first()
        )
        if ident is not None:
            p = ident.partner
            rows.append((p.legal_name, partner_type, p.country, ident.type, ident.value))
    rows += FOREIGN + NON_MEMBERS
    entries: list[RegisterEntry] = []
    for i, (name, partner_type, country, id_type, id_value) in enumerate(rows):
        # Added between 3 and 15 months ago: some re-evaluations fall due, one is well overdue.
        added = today - dt.timedelta(days=90 + 35 * i)
        entries.append(
            services.entry_create(
                actor=officer,
                partner_id=company.pk,
                data=services.EntryInput(
                    name=name,
                    partner_type=partner_type,
                    country=country,
                    id_type=id_type,
                    id_value=id_value,
                    contact_email=f"security@{name.split()[0].lower().strip('.,')}.example",
                ),
                today=added,
            )
        )
    results = ["passed", "findings", "passed", "failed", "passed"]
    for i, entry in enumerate(entries[::2]):
        services.audit_record(
            actor=officer,
            partner_id=company.pk,
            entry_id=entry.pk,
            date=today - dt.timedelta(days=20 + 11 * i),
            kind="site_visit" if i % 2 == 0 else "document_review",
            result=results[i % len(results)],
            notes="Seal log and access control checked.",
        )
    services.entry_reevaluate(
        actor=officer, partner_id=company.pk, entry_id=entries[0].pk, notes="Annual review, no change."
    )
    carrier = next(e for e in entries if e.name.startswith("Transportes del Bajío"))
    _q, token = services.questionnaire_send(
        actor=officer, partner_id=company.pk, entry_id=carrier.pk, email="seguridad@bajio.example"
    )
    answers = {q["id"]: "yes" for q in _q.questions}
    answers.update({"tracking": "no", "subcontractors": "no"})
    services.questionnaire_answer(
        token=token,
        data=services.AnswerInput(
            respondent_name="Ana Ruiz", answers=answers, comments={"tracking": "GPS planned for next year."}
        ),
    )
    packer = next(e for e in entries if e.name.startswith("Shenzhen"))
    services.questionnaire_send(
        actor=officer, partner_id=company.pk, entry_id=packer.pk, email="qa@brightpack.example"
    )
