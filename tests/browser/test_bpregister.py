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


def test_program_manager_imports_a_status_file_and_finds_foreign_members(site):
    from pathlib import Path

    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create
    from greenlane.mra import programs
    from greenlane.mra.models import ForeignProgram

    programs.sync(ForeignProgram)
    manager = user_create(
        actor=None,
        email="morgan.manager@cbp.example",
        password=PASSWORD,
        full_name="Morgan Manager",
        staff_role="program_manager",
        field_office=FieldOffice.objects.get(code="washington-dc"),
    )
    device = TOTPDevice(user=manager, name="t", confirmed=True)
    device.save()
    page = site.page
    site.sign_in("morgan.manager@cbp.example", PASSWORD)
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")

    site.goto("/staff/mra/")
    assert "Partners in Protection (PIP)" in page.locator("main").inner_text()
    site.follow("Imports")
    sample = Path(__file__).resolve().parents[2] / "greenlane" / "mra" / "samples" / "eu_aeo.csv"
    site.fill({"Program": "eu_aeo"})
    page.locator("input[type=file]").set_input_files(str(sample))
    site.press("Check and import")
    assert "Imported 8 rows: 8 new" in site.message()
    assert "Every row was read." in page.locator("main").inner_text()
    site.follow("See this program's members")
    search = page.get_by_role("search", name="Search foreign members")
    site.fill({"Name or identifier": "IT01234567890"}, within=search)
    site.press("Search", within=search)
    text = page.locator("main table").inner_text()
    assert "Ceramiche Adriatiche" in text and "Suspended" in text
