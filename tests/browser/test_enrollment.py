"""A company's journey in the browser: sign up, confirm the e-mail, enroll an importer, complete the
application, sign, submit; and a consultant who prepares but can neither sign nor submit."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"
IOR = "12-3456789AA"
SUBMIT_REFUSED = (
    "Only a company officer may submit the application. Consultants and contributors can prepare everything; "
    "ask your company officer to submit."
)


def _sidenav(site):
    return site.page.get_by_role("navigation", name="Company sections")


AGREEMENT_STEP = "Partnership agreement signed by a company officer"
DECISION_HEADINGS = {
    "certified": "Certified — Tier 1",
    "denied": "Denied",
    "referred": "Referred to a specialist",
}


def _todo(site) -> list[str]:
    """The application steps the overview's checklist shows as not yet done."""
    return site.page.locator("main .gl-checklist li.gl-todo strong").all_inner_texts()


def test_sign_up_enroll_sign_and_submit(site, mailoutbox, live_server, complete_other_steps):
    from greenlane.audit.models import AuditEvent
    from greenlane.partners.models import Partner

    page = site.page
    site.goto("/")
    site.follow("Create an account and enroll")
    assert site.path == "/accounts/signup/"

    site.fill(
        {
            "E-mail address": "Dana.Reyes@Harbor-Imports.example",
            "Full name": "Dana Reyes",
            "Password": PASSWORD,
            "Password again": PASSWORD,
        }
    )
    site.press("Create account")
    assert site.path == "/accounts/signup/sent/"
    assert (
        "We sent a confirmation link to dana.reyes@harbor-imports.example."
        in page.locator("main").inner_text()
    )

    # The confirmation e-mail, sent by the live server in this process.
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["dana.reyes@harbor-imports.example"]
    links = re.findall(r"https?://\S+/accounts/verify/\S+/", email.body)
    assert len(links) == 1 and links[0].startswith(live_server.url + "/"), email.body
    site.goto(links[0])
    assert site.path == "/accounts/login/"
    assert "Your e-mail address is confirmed. Sign in to continue." in site.message()

    site.fill({"E-mail address": "dana.reyes@harbor-imports.example", "Password": PASSWORD})
    site.press("Sign in")
    assert site.path == "/companies/"
    assert page.get_by_role("heading", name="You do not belong to any company yet").is_visible()

    site.follow("Enroll a company")
    site.fill(
        {
            "Entity type": "importer",
            "Legal name": "Harbor Imports LLC",
            "Country of the business": "US",
            "Main identifier type": "ior",
            "Main identifier": IOR,
            "Your role in the company": "company_officer",
        }
    )
    site.press("Enroll as a draft")
    partner = Partner.objects.get(legal_name="Harbor Imports LLC")
    assert site.path == f"/companies/{partner.pk}/"
    assert "Harbor Imports LLC is enrolled as a draft. Complete each step below." in site.message()
    todo = _todo(site)
    assert "Identifiers" not in todo
    assert {
        "Business details",
        "Eligibility questions",
        "Addresses and sites",
        "Contacts",
        AGREEMENT_STEP,
    } <= set(todo)

    site.follow("Business details", within=_sidenav(site))
    site.fill({"In business since": "2004-03-15", "Number of employees": "85"})
    site.press("Save")
    assert "Business details saved." in site.message()

    site.follow("Eligibility", within=_sidenav(site))
    yes_ids = page.locator("main input[type=radio][value=yes]").evaluate_all("els => els.map(e => e.id)")
    assert len(yes_ids) == 5
    for control_id in yes_ids:
        site.tick(control_id)
    site.press("Save")
    assert "Eligibility answers saved." in site.message()

    site.follow("Addresses and sites", within=_sidenav(site))
    site.fill(
        {
            "Kind of site": "headquarters",
            "Site name": "Head office",
            "Street address": "200 Port Jersey Blvd",
            "City": "Jersey City",
            "State / province": "NJ",
            "Postal code": "07305",
            "Country": "US",
        }
    )
    site.press("Add")
    assert "Site added." in site.message()
    assert page.get_by_role("rowheader", name="Head office").is_visible()

    site.follow("Contacts", within=_sidenav(site))
    site.fill(
        {
            "Kind of contact": "primary",
            "Name": "Dana Reyes",
            "Title": "Director of Trade Compliance",
            "E-mail": "dana.reyes@harbor-imports.example",
            "Phone": "+1 201 555 0142",
        }
    )
    site.press("Add")
    assert "Contact added." in site.message()
    complete_other_steps(partner.memberships.get().user, partner)

    site.follow("Overview", within=_sidenav(site))
    assert _todo(site) == [AGREEMENT_STEP]
    assert page.get_by_role("button", name="Submit the application").count() == 0

    site.follow("Agreement", within=_sidenav(site))
    assert site.field("Your full name, typed as your signature").input_value() == "Dana Reyes"
    site.fill({"Your job title": "Director of Trade Compliance"})
    site.tick("id_accept")
    site.press("Sign the agreement")
    assert "Agreement signed. You can now submit the application." in site.message()
    assert _todo(site) == []

    # The submission is answered at once by the automated screening: certified, denied or referred.
    site.press("Submit the application")
    decision = partner.decisions.get()
    assert site.path == f"/companies/{partner.pk}/decisions/{decision.pk}/"
    assert page.get_by_role("heading", name="Decision on your application").is_visible()
    assert page.get_by_role("heading", name=DECISION_HEADINGS[decision.outcome]).is_visible()

    site.follow("Event history", within=_sidenav(site))
    submission = page.locator("main tbody tr").filter(
        has=page.locator("code", has_text=re.compile(r"^partner\.submit$"))
    )
    assert submission.count() == 1
    assert "dana.reyes@harbor-imports.example" in submission.inner_text()
    assert "Draft → Submitted" in submission.inner_text()
    decided = page.locator("main tbody tr").filter(
        has=page.locator("code", has_text=re.compile(r"^screening\.decision$"))
    )
    assert decided.count() == 1

    partner.refresh_from_db()
    assert partner.submitted_at is not None
    assert page.locator("main .gl-status").first.inner_text() == partner.get_status_display()
    assert partner.business_start_date == dt.date(2004, 3, 15)
    assert partner.employee_count == 85
    signature = partner.signatures.get()
    assert (signature.signer_name, signature.signer_title) == ("Dana Reyes", "Director of Trade Compliance")
    event = AuditEvent.objects.get(partner=partner, action="partner.submit")
    assert event.actor.email == "dana.reyes@harbor-imports.example"


def _prepared_importer(officer):
    """A draft importer with everything but contacts and the signature."""
    from greenlane.partners import services

    partner = services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name="Lakeshore Trading Co",
        country="US",
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", "27-1234567BC")],
        business_start_date=dt.date(1998, 9, 1),
        employee_count=40,
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
        street="1 Lake Shore Dr",
        city="Chicago",
        region="IL",
        postal_code="60611",
        country="US",
    )
    return partner


def test_consultant_prepares_but_cannot_sign_or_submit(site, complete_other_steps):
    from greenlane.accounts.services import user_create
    from greenlane.audit.models import AuditEvent

    officer = user_create(
        actor=None,
        email="olivia@lakeshore.example",
        password=PASSWORD,
        full_name="Olivia Officer",
        verified=True,
    )
    user_create(
        actor=None,
        email="carl@compliance-partners.example",
        password=PASSWORD,
        full_name="Carl Consultant",
        verified=True,
    )
    partner = _prepared_importer(officer)
    complete_other_steps(officer, partner)
    page = site.page

    # The officer adds the consultant under People.
    site.sign_in("olivia@lakeshore.example", PASSWORD)
    site.goto(f"/companies/{partner.pk}/")
    site.follow("People", within=_sidenav(site))
    site.fill(
        {
            "E-mail of the person's Greenlane account": "carl@compliance-partners.example",
            "Role": "consultant",
            "Job title": "Customs consultant",
        }
    )
    site.press("Add")
    assert "Person added to the company." in site.message()
    assert "carl@compliance-partners.example" in page.locator("main table").inner_text()
    site.sign_out()

    # The consultant prepares: adds the missing contact.
    site.sign_in("carl@compliance-partners.example", PASSWORD)
    site.follow("My companies", within=page.locator("header"))
    site.follow("Lakeshore Trading Co")
    assert _todo(site) == ["Contacts", AGREEMENT_STEP]
    site.follow("Contacts", within=_sidenav(site))
    site.fill({"Kind of contact": "security", "Name": "Olivia Officer", "E-mail": "olivia@lakeshore.example"})
    site.press("Add")
    assert "Contact added." in site.message()

    # No Sign or Submit controls for a consultant.
    site.follow("Overview", within=_sidenav(site))
    assert _todo(site) == [AGREEMENT_STEP]
    main = page.locator("main")
    assert "Only a company officer signs the agreement and submits the application." in main.inner_text()
    assert main.get_by_role("button", name=re.compile("Submit", re.I)).count() == 0
    site.follow("Agreement", within=_sidenav(site))
    assert "A company officer of your company must sign the agreement." in main.inner_text()
    assert main.get_by_role("button", name=re.compile("Sign", re.I)).count() == 0
    assert main.get_by_role("checkbox").count() == 0

    # A forged POST to the submit URL (with a valid CSRF token) is refused with a message; nothing changes.
    events_before = AuditEvent.objects.filter(partner=partner).count()
    site.navigate(
        lambda: page.evaluate(
            """(action) => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = action;
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").cloneNode();
            form.appendChild(token);
            document.body.appendChild(form);
            form.submit();
        }""",
            f"/companies/{partner.pk}/submit/",
        )
    )
    assert site.path == f"/companies/{partner.pk}/"
    assert SUBMIT_REFUSED in site.message()
    assert page.locator("main .usa-alert--error").count() == 1

    partner.refresh_from_db()
    assert partner.status == "draft"
    assert partner.submitted_at is None
    assert AuditEvent.objects.filter(partner=partner).count() == events_before
    assert not AuditEvent.objects.filter(partner=partner, action="partner.submit").exists()
