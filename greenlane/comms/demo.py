"""Demo communications: bulletins (one alert, one scheduled, one draft), threat assessments, and
conversations between the demo officer's company and its specialist, one with an attachment."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from greenlane.accounts.models import User
from greenlane.criteria.models import Criterion
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Membership, Partner

from . import services
from .selectors import assessments as assessment_selectors
from .selectors import bulletins as bulletin_selectors

BULLETINS: list[tuple[str, str, dict]] = [
    (
        "Revised minimum security criteria: what changes for you",
        "The program has published a revision of the minimum security criteria.\n\n"
        "- Only the criteria that changed are asked again in your profile.\n"
        "- Answers to unchanged criteria carry over.\n\n"
        "Review your profile within **90 days** of the revision.",
        {},
    ),
    (
        "Seal verification: the VVTT reminder for highway carriers and importers",
        "Drivers and dock staff should verify every seal on arrival: view the seal, verify the number against "
        "the documents, tug on it and twist it.\n\nRecord each check in your seal log.",
        {"entity_types": ["highway_carrier", "importer"]},
    ),
    (
        "Tier 3 members: best-practice workshop for validated companies",
        "Members validated at Tier 3 are invited to share practices that exceed the criteria at a workshop "
        "run by the program office.",
        {"tiers": [3], "statuses": ["certified"]},
    ),
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def seed_demo(rng: random.Random) -> None:
    manager = _user("manager@demo.example")
    analyst = _user("intel@demo.example")
    officer = _user("officer@demo.example")
    if manager is None or analyst is None:
        return
    published = []
    for title, body, audience in BULLETINS:
        b = services.bulletin_create(
            actor=manager, data=services.BulletinInput(title=title, body=body, audience=audience)
        )
        published.append(services.bulletin_publish(actor=manager, bulletin_id=b.pk))
    alert = services.bulletin_create(
        actor=analyst,
        data=services.BulletinInput(
            kind="alert",
            severity="high",
            title="Fictitious carriers collecting loads at border crossings",
            body="Several members reported pickups by carriers using copied names and DOT numbers.\n\n"
            "- Confirm the carrier's dispatch by a call to a number you already hold.\n"
            "- Check the driver's identity and the tractor's plates against the booking.\n\n"
            "Report attempts to your specialist through a secure message.",
            audience={"statuses": ["certified"]},
            expires_at=timezone.now() + dt.timedelta(days=60),
        ),
    )
    services.bulletin_publish(actor=analyst, bulletin_id=alert.pk)
    scheduled = services.bulletin_create(
        actor=manager,
        data=services.BulletinInput(
            title="Supply chain security conference: registration opens",
            body="Registration for the yearly conference opens next week. Seats are limited per company.",
        ),
    )
    services.bulletin_publish(
        actor=manager, bulletin_id=scheduled.pk, publish_at=timezone.now() + dt.timedelta(days=3)
    )
    services.bulletin_create(
        actor=manager,
        data=services.BulletinInput(
            title="Draft: holiday season cargo theft advisory",
            body="To be completed with the field offices' figures.",
        ),
    )

    les = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            title="Narcotics concealment trends in refrigerated trailers",
            summary="Sanitized summary of recent seizures; methods and places only.",
            body="Recent seizures show concealment in the insulation of refrigerated trailers and in false "
            "floors.\n\n- Specialists should look at trailer inspection records during validations.\n"
            "- Targeting should weigh the origin regions listed in the annex held by the analysts.",
            marking="law-enforcement-sensitive",
            staff_roles=[
                "intelligence_analyst",
                "program_manager",
                "scs",
                "supervisory_scs",
                "targeting_officer",
            ],
        ),
    )
    services.assessment_publish(actor=analyst, assessment_id=les.pk)
    members = services.assessment_create(
        actor=analyst,
        data=services.AssessmentInput(
            title="Cargo theft outlook for importers and highway carriers",
            summary="Where and when full-truckload thefts happen, and what reduces them.",
            body="Thefts of full loads cluster on weekends and around holidays, at unsecured parking.\n\n"
            "- Avoid leaving loaded trailers unattended.\n- Use high-security seals and check them at every stop.",
            marking="members-only",
            staff_roles=["intelligence_analyst", "program_manager", "scs", "supervisory_scs"],
            entity_types=["importer", "highway_carrier"],
        ),
    )
    services.assessment_publish(actor=analyst, assessment_id=members.pk)
    services.assessment_opened(actor=manager, assessment=assessment_selectors.assessment_for(manager, les.pk))

    if officer is None:
        return
    membership = (
        Membership.objects.filter(user=officer, partner__status=PartnerStatus.CERTIFIED)
        .select_related("partner", "partner__assigned_scs")
        .order_by("partner_id")
        .first()
    )
    partner: Partner | None = membership.partner if membership else None
    if partner is None:
        return
    for b in bulletin_selectors.bulletins_for(officer, partners=[partner])[:1]:
        services.bulletin_read(actor=officer, bulletin=b)
    specialist = partner.assigned_scs or manager
    code = "6.2" if Criterion.objects.filter(code="6.2").exists() else ""
    thread = services.thread_start(
        actor=officer,
        partner_id=partner.pk,
        subject="Seal log: how long must we keep it?",
        body="We keep our seal log for one year. Is that enough for the seal criterion, or should we keep it "
        "longer? Our current procedure is attached.",
        criterion_code=code,
        files=[
            services.Upload("seal-procedure.txt", b"Seal procedure\n1. Verify\n2. Record\n3. Keep the log.\n")
        ],
    )
    services.message_post(
        actor=specialist,
        thread_id=thread.pk,
        body="Thank you. Keep the log at least as long as your records of the shipments it covers; "
        "we will look at it during the validation.",
    )
    services.thread_start(
        actor=specialist,
        partner_id=partner.pk,
        subject="Preparing your first validation",
        body="Your first validation is due within a year of certification. Please tell us which sites we "
        "should visit and who will meet us.",
    )
