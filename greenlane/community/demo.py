"""Demo community: two board topics with posts (one locked) and a report to moderate, library items (one with
two versions), a document the demo officer's company exchanges with staff, and a best-practice catalog with
about ten approved practices across categories, industries and sizes and one waiting for review.
Everything goes through the services, so the audit trail is real."""

from __future__ import annotations

import random

from fpdf import FPDF

from greenlane.accounts.models import User
from greenlane.criteria import selectors as criteria_selectors
from greenlane.criteria.models import Criterion
from greenlane.partners.choices import PartnerStatus
from greenlane.partners.models import Partner

from . import board_services, library_services, practice_services

PRACTICES = [
    (
        6,
        "42",
        "Two-person seal verification at every gate",
        "Each inbound and outbound container seal is checked by two guards with the view, verify, tug, twist "
        "method; the seal number is compared with the shipping documents and both guards sign the gate log.",
    ),
    (
        6,
        "48-49",
        "Seal inventory kept in a locked cabinet with a running log",
        "High-security bolt seals are stored in a locked cabinet; only two named employees issue them and every "
        "seal number issued, used or voided is written in a log that a manager reconciles weekly.",
    ),
    (
        5,
        "48-49",
        "Seven-point inspection photographed and kept with the trip file",
        "Drivers photograph each of the seven inspection points of the tractor and trailer with a time-stamped "
        "app before loading; dispatch keeps the photographs with the trip file for a year.",
    ),
    (
        10,
        "31-33",
        "Visitor badges that expire at the end of the day",
        "Visitors receive printed badges whose colour changes after eight hours; reception checks identity "
        "documents and an employee escorts visitors in the cargo areas at all times.",
    ),
    (
        11,
        "31-33",
        "Periodic re-screening of employees in sensitive positions",
        "Employees with access to cargo areas or shipping data are re-screened every two years, within the limits "
        "of local law, and whenever they move into a sensitive position.",
    ),
    (
        4,
        "42",
        "Multi-factor sign-in for every shipping system",
        "Shipping, customs and warehouse systems require a second factor; accounts of leavers are disabled on their "
        "last day by a checklist owned by human resources and IT together.",
    ),
    (
        3,
        "44-45",
        "Business partner security questionnaire scored each year",
        "Suppliers and carriers answer a short security questionnaire each year; answers are scored and partners "
        "below the threshold receive a visit and a corrective plan with dates.",
    ),
    (
        12,
        "42",
        "Threat awareness training with a short quiz",
        "Every employee takes a thirty-minute awareness session each year on internal conspiracies, seal "
        "tampering and phishing, followed by a quiz; results are kept in the training record.",
    ),
    (
        9,
        "48-49",
        "Lighting and cameras covering every loading door",
        "Each loading door and the container yard are lit at night and covered by cameras whose recordings are "
        "kept for at least ninety days and reviewed after any discrepancy.",
    ),
    (
        7,
        "11",
        "Cargo discrepancies reported to the specialist within a day",
        "Any shortage, overage or sign of tampering is written up by the receiving clerk, investigated by the "
        "security manager and reported to the company's specialist within twenty-four hours.",
    ),
    (
        2,
        "42",
        "Risk assessment of every route, refreshed yearly",
        "The security team maps each supply chain route from origin to destination, rates the threats at each "
        "point and refreshes the map every year or after an incident.",
    ),
]
PENDING = (
    8,
    "11",
    "Pest inspection of wood packaging at receiving",
    "Receiving staff look for insects, bark and soil on wood packaging material and check the treatment "
    "mark; anything doubtful is quarantined and reported.",
)


def _pdf(title: str, lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def seed_demo(rng: random.Random) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.example")}
    officer = users.get("officer@demo.example")
    if officer is None:
        return
    scs, supervisor, manager = (
        users["scs@demo.example"],
        users["supervisor@demo.example"],
        users["manager@demo.example"],
    )
    contributor = users["contributor@demo.example"]
    certified = list(Partner.objects.filter(status=PartnerStatus.CERTIFIED).order_by("id"))
    home = next((p for p in certified if p.entity_type == "importer"), None)
    if home is None:
        return
    _boards(officer, contributor, scs, users, home, certified)
    _library(officer, supervisor, manager, home)
    _practices(officer, scs, manager, certified, rng)


def _boards(officer, contributor, scs, users, home, certified) -> None:
    seals = board_services.topic_create(
        actor=scs,
        title="Container and seal integrity",
        description="Seals, seven-point inspections and what to do when a seal number does not match.",
    )
    board_services.topic_moderate(actor=scs, topic_id=seals.pk, action="pin")
    thread = board_services.thread_create(
        actor=officer,
        topic_id=seals.pk,
        partner_id=home.pk,
        title="Which bolt seals do you buy?",
        body="We are replacing our seal supplier. Which ISO 17712 high-security seals have worked for you?",
    )
    board_services.post_create(
        actor=contributor,
        thread_id=thread.pk,
        partner_id=home.pk,
        display="company",
        body="We ask every seal maker for its ISO 17712 test certificate and keep it with the purchase order.",
    )
    board_services.post_create(
        actor=scs,
        thread_id=thread.pk,
        body="A reminder: check the certificate covers the seal model you buy, not only the manufacturer.",
    )
    spam = board_services.post_create(
        actor=officer,
        thread_id=thread.pk,
        partner_id=home.pk,
        body="Our logistics company offers cheap seals, call us today for a quote!",
    )
    other = next((p for p in certified if p.pk != home.pk), None)
    reporter = users.get("companyadmin@demo.example")
    if reporter is not None:
        board_services.report_create(actor=reporter, post_id=spam.pk, reason="Advertising, not a discussion.")
    second = board_services.thread_create(
        actor=officer,
        topic_id=seals.pk,
        partner_id=(other or home).pk,
        title="Seal number mismatch at arrival",
        body="What do you do first when the seal number on arrival differs from the bill of lading?",
    )
    board_services.post_create(
        actor=scs,
        thread_id=second.pk,
        body="Hold the container, photograph the seal, and report it to your specialist the same day.",
    )
    crossings = board_services.topic_create(
        actor=scs,
        title="Border crossings for highway carriers",
        description="Closed: moved to the bulletins. Kept for reference.",
        audience_entity_types=[],
    )
    old = board_services.thread_create(
        actor=officer,
        topic_id=crossings.pk,
        partner_id=home.pk,
        title="FAST lane hours at Laredo",
        body="Does anyone know whether the FAST lane hours change during the holidays?",
    )
    board_services.post_create(
        actor=scs,
        thread_id=old.pk,
        body="Lane hours are now published in the bulletins; this topic is closed.",
    )
    board_services.topic_moderate(
        actor=scs, topic_id=crossings.pk, action="lock", reason="Moved to bulletins"
    )


def _library(officer, supervisor, manager, home) -> None:
    guide = library_services.library_publish(
        actor=manager,
        title="Minimum security criteria: a plain-language guide",
        description="What each criteria category asks of a member, with examples.",
        category="guide",
        tags="criteria, getting started",
        filename="criteria-guide.pdf",
        data=_pdf("Minimum security criteria guide", ["Version 1.", "Twelve categories, three focus areas."]),
    )
    library_services.version_upload(
        actor=manager,
        document_id=guide.pk,
        filename="criteria-guide.pdf",
        data=_pdf("Minimum security criteria guide", ["Version 2.", "Adds cybersecurity examples."]),
        note="Added cybersecurity examples",
    )
    library_services.library_publish(
        actor=manager,
        title="Seal log template",
        category="template",
        tags="seals, template",
        description="A spreadsheet-ready log of seals issued, used and voided.",
        filename="seal-log.csv",
        data=b"seal_number,issued_to,issued_at,used_on_container,voided\n",
    )
    library_services.library_publish(
        actor=supervisor,
        title="Seven-point container inspection checklist",
        category="criteria",
        tags="inspection, containers",
        description="The points to inspect before stuffing a container.",
        filename="seven-point.pdf",
        data=_pdf(
            "Seven-point inspection",
            [
                "Front wall",
                "Left side",
                "Right side",
                "Floor",
                "Ceiling/roof",
                "Inside/outside doors",
                "Outside/undercarriage",
            ],
        ),
    )
    library_services.library_publish(
        actor=manager,
        title="Business partner security questionnaire",
        category="form",
        tags="business partners",
        description="Questions to send suppliers and carriers each year.",
        filename="partner-questionnaire.txt",
        data=b"1. Who is responsible for security at your site?\n2. How are seals controlled?\n",
    )
    doc = library_services.exchange_upload(
        actor=officer,
        partner_id=home.pk,
        title="Corrective action plan for gate seals",
        category="correspondence",
        tags="seals, action plan",
        description="Our plan after the last validation's seal finding.",
        filename="action-plan.pdf",
        data=_pdf("Corrective action plan", ["Two-person seal checks from 1 March."]),
    )
    staff = home.assigned_scs if home.assigned_scs_id else supervisor
    library_services.version_upload(
        actor=staff,
        partner_id=home.pk,
        document_id=doc.pk,
        filename="action-plan-reviewed.pdf",
        data=_pdf("Corrective action plan (reviewed)", ["Accepted with one comment: add the night shift."]),
        note="Reviewed by the specialist",
    )


def _practices(officer, scs, manager, certified, rng: random.Random) -> None:
    version = criteria_selectors.active_version()
    by_number: dict[int, list[str]] = {}
    criteria = Criterion.objects.filter(catalog_version=version).order_by("category__number", "number")
    for code in criteria.values_list("code", flat=True):
        by_number.setdefault(int(code.split(".")[0]), []).append(code)
    for i, (category, sector, title, description) in enumerate(PRACTICES):
        partner = certified[i % len(certified)]
        practice = practice_services.practice_submit(
            actor=officer if i % 3 else scs,
            partner_id=partner.pk,
            title=title,
            description=description,
            category=category,
            criterion_codes=by_number.get(category, [])[:2],
            naics_sector=sector,
        )
        practice_services.practice_decide(actor=manager, practice_id=practice.pk, decision="approved")
        if i % 4 == 0:
            practice_services.practice_consent(
                actor=officer, partner_id=partner.pk, practice_id=practice.pk, consent=True
            )
    category, sector, title, description = PENDING
    practice_services.practice_submit(
        actor=officer,
        partner_id=certified[0].pk,
        title=title,
        description=description,
        category=category,
        criterion_codes=by_number.get(category, [])[:1],
        naics_sector=sector,
    )
