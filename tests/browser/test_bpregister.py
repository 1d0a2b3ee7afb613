"""A member's business-partner register in the browser: add a non-member, send it the security questionnaire,
answer it through the login-free link (once), see the answers and the recomputed risk; consent to MRA sharing.
Staff: the foreign programs page, an import, the foreign members search."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"


def _certified_company(officer):
    from greenlane.partners import services

    partner = services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name="Heron Bay Imports",
        country="US",
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", "31-7654321CD")],
    )
    for status in ("submitted", "certified"):
        partner = services.partner_apply_decision(
            actor=None, partner_id=partner.pk, to_status=status, reason="browser set-up"
        )
    return partner


def test_member_keeps_register_and_partner_answers_questionnaire_once(site):
    from django.core import mail

    from greenlane.accounts.services import user_create
    from greenlane.mra import programs
    from greenlane.mra.models import ForeignProgram

    programs.sync(ForeignProgram)  # the live server's flush emptied the reference data
    officer = user_create(
        actor=None, email="morgan@heronbay.example", password=PASSWORD, full_name="Morgan Lee", verified=True
    )
    partner = _certified_company(officer)
    page = site.page
    base = f"/companies/{partner.pk}/business-partners/"

    site.sign_in("morgan@heronbay.example", PASSWORD)
    site.goto(base)
    assert "No business partner matches" in page.locator("main").inner_text()
    site.follow("Add a business partner")
    site.fill(
        {"Name": "Transportes del Bajío", "Type of business partner": "highway_carrier", "Country": "MX"}
    )
    site.fill({"Identifier type (optional)": "eori", "Identifier (optional)": "US123"})
    site.press("Save")
    assert "EU member state" in page.locator("main").inner_text()  # bad identifier: the form says why
    site.fill({"Identifier type (optional)": "rfc", "Identifier (optional)": "TBA850101AB1"})
    site.press("Save")
    assert "added to your register" in site.message()
    assert "No security questionnaire answered." in page.locator("main").inner_text()

    site.fill({"Send to (e-mail)": "seguridad@bajio.example"})
    site.press("Send the questionnaire")
    assert "Questionnaire sent to seguridad@bajio.example" in site.message()
    link = re.search(r"(/register/questionnaire/[^/\s]+/)", mail.outbox[-1].body).group(1)

    site.sign_out()
    site.goto(link)
    site.fill({"Your name": "Ana Ruiz"})
    for control in page.locator("input[type=radio][value=yes]").all():
        site.tick(control.get_attribute("id"))
    site.tick(page.locator("input[type=radio][value=no]").first.get_attribute("id"))
    site.press("Send my answers")
    assert "Thank you" in page.locator("main").inner_text()
    response = page.goto(site.url(link))
    assert response is not None and response.status == 410
    # The browser logs every 4xx document as a console error; this one is the expected refusal.
    site.problems = [p for p in site.problems if "410" not in p]
    site.check()
    assert "already answered" in page.locator("main").inner_text()

    site.sign_in("morgan@heronbay.example", PASSWORD)
    site.goto(base)
    site.follow("Transportes del Bajío")
    text = page.locator("main").inner_text()
    assert "Answered" in text and "questionnaire answers are" in text
    site.follow(re.compile(r"^View"))
    assert "Ana Ruiz" in page.locator("main").inner_text()

    site.goto(f"/companies/{partner.pk}/mra/")
    site.press("Consent Authorised Economic Operator (AEO-S / AEO-F)")
    assert "Consent given" in site.message()
