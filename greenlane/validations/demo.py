"""Demo validations across the states, through the services: closed (meets, exceeds, fails), published with
required actions awaiting the demo officer, in review, in progress, scheduled and planned; hours on each."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner
from greenlane.profiles.models import ProfileSnapshot

from . import services
from .choices import FindingResult
from .models import Validation
from .snapshot import codes

STAGES = ["published", "meets", "exceeds", "fails", "report_review", "in_progress", "scheduled", "planned"]
ACTIVITIES = [
    ("preparation", "3"),
    ("travel", "5.5"),
    ("on_site", "7"),
    ("report", "4"),
    ("follow_up", "1.5"),
]


def _user(email: str):
    return get_user_model().objects.filter(email=email).first()


def _candidates() -> list[Partner]:
    with_profile = ProfileSnapshot.objects.values_list("profile__partner_id", flat=True)
    qs = Partner.objects.filter(status=PartnerStatus.CERTIFIED, pk__in=with_profile).order_by("id")
    # The certified importer the other demo trade logins belong to comes first (it gets the published one).
    first = qs.filter(entity_type="importer").first()
    rest = [p for p in qs.exclude(validations__isnull=False)[:20] if first is None or p.pk != first.pk]
    return ([first] if first else []) + rest


def _hours(scs, v: Validation, base: int, steps: int) -> None:
    today = timezone.localdate()
    for i, (activity, hours) in enumerate(ACTIVITIES[:steps]):
        services.hours_record(
            actor=scs,
            validation_id=v.pk,
            activity=activity,
            hours=hours,
            on=today - dt.timedelta(days=base + i),
        )


def _findings(scs, v: Validation, rng: random.Random, *, gaps: int = 0, share: float = 1.0) -> list[str]:
    all_codes = sorted(codes(v.snapshot))
    chosen = all_codes if share >= 1 else all_codes[: max(1, int(len(all_codes) * share))]
    missed = rng.sample(chosen, min(gaps, len(chosen)))
    rows = [
        {
            "code": c,
            "result": FindingResult.DOES_NOT_MEET if c in missed else FindingResult.MEETS,
            "note": "Seal log incomplete on the day of the visit." if c in missed else "",
        }
        for c in chosen
    ]
    services.findings_record(actor=scs, validation_id=v.pk, rows=rows)
    return missed


def _visit(scs, v: Validation, partner: Partner, *, done: bool) -> None:
    site = partner.sites.order_by("id").first()
    visit = services.visit_schedule(
        actor=scs,
        validation_id=v.pk,
        kind="on_site" if site else "virtual",
        site_id=site.pk if site else None,
        scheduled_for=timezone.now() + dt.timedelta(hours=2 if done else 24 * 21),
        note="Please have the seal log and the gate access records at hand.",
    )
    if done:
        services.visit_done(actor=scs, validation_id=v.pk, visit_id=visit.pk)


def seed_demo(rng: random.Random) -> None:
    specialists = [
        u for u in (_user(e) for e in ("scs@demo.example", "scs2@demo.example", "scs3@demo.example")) if u
    ]
    supervisor, manager = _user("supervisor@demo.example"), _user("manager@demo.example")
    if not specialists or supervisor is None or manager is None:
        return
    soon = timezone.localdate() + dt.timedelta(days=14)
    for n, (stage, partner) in enumerate(zip(STAGES, _candidates(), strict=False)):
        scs = specialists[n % len(specialists)]
        kind = "revalidation" if partner.tier >= 2 else "initial"
        month = timezone.localdate().replace(day=1) + dt.timedelta(days=31 * (n % 3))
        v = services.validation_create(
            actor=manager,
            partner_id=partner.pk,
            kind=kind,
            specialist_id=scs.pk,
            planned_month=month,
            reason="Demo plan",
        )
        if stage == "planned":
            continue
        _visit(scs, v, partner, done=stage != "scheduled")
        if stage == "scheduled":
            services.document_request_create(
                actor=scs,
                validation_id=v.pk,
                text_="Your current seal inventory and the seal log.",
                due_on=soon,
            )
            _hours(scs, v, 10 * n, 1)
            continue
        if stage == "in_progress":
            _findings(scs, v, rng, share=0.4)
            services.document_request_create(
                actor=scs, validation_id=v.pk, text_="The visitor log for the last three months.", due_on=soon
            )
            _answered_request(scs, v, partner, soon)
            _hours(scs, v, 10 * n, 3)
            continue
        missed = _findings(scs, v, rng, gaps=2 if stage in ("published", "meets") else 0)
        _hours(scs, v, 10 * n, 5)
        for code in missed:
            services.item_create(
                actor=scs,
                validation_id=v.pk,
                kind="required_action",
                criterion_code=code,
                text_="Keep the seal log complete: number, date, who applied and who verified each seal.",
            )
        services.item_create(
            actor=scs,
            validation_id=v.pk,
            kind="recommendation",
            text_="Add the security point of contact to the night-shift call list.",
        )
        outcome = {"exceeds": "exceeds", "fails": "fails"}.get(stage, "meets")
        if stage == "exceeds":
            bp = services.item_create(
                actor=scs,
                validation_id=v.pk,
                kind="best_practice",
                text_="Seals are photographed at application and verified against the photo at arrival.",
            )
            services.item_verify(actor=scs, validation_id=v.pk, item_id=bp.pk, verified=True)
        summary = {
            "fails": "Several Must criteria were not in place at the visit; the profile does not match practice.",
            "exceeds": "All criteria met; seal practice goes beyond the criteria and was verified on site.",
        }.get(stage, "The security profile matches practice at the sites visited, with gaps noted below.")
        services.report_submit(actor=scs, validation_id=v.pk, outcome=outcome, summary=summary)
        if stage == "report_review":
            continue
        services.report_review(actor=supervisor, validation_id=v.pk, decision="approve", comment="")
        if stage == "published":
            continue
        officer = partner.memberships.filter(role="company_officer").first()
        for item in v.items.filter(kind="required_action"):
            if officer:
                services.item_respond(
                    actor=officer.user,
                    validation_id=v.pk,
                    item_id=item.pk,
                    response="New seal log form in use from next week; the gate supervisor checks it daily.",
                )
            services.item_close(actor=scs, validation_id=v.pk, item_id=item.pk, note="Plan accepted.")
        services.validation_close(actor=scs, validation_id=v.pk)


def _answered_request(scs, v: Validation, partner: Partner, due: dt.date) -> None:
    """A document request the company has answered with a file, so the staff Documents tab shows one."""
    member = partner.memberships.select_related("user").order_by("id").first()
    if member is None:
        return
    req = services.document_request_create(
        actor=scs, validation_id=v.pk, text_="Your seal procedure, as a PDF.", due_on=due
    )
    services.document_request_answer(
        actor=member.user,
        validation_id=v.pk,
        request_id=req.pk,
        answer="Our seal procedure, revised this year, is attached.",
        filename="seal-procedure.pdf",
        data=_pdf("Seal procedure", "Seals are issued, logged and verified at the gate by two people."),
    )


def _pdf(title: str, text_: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, title)
    pdf.ln(12)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text_)
    return bytes(pdf.output())
