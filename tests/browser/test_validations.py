"""A validation in the browser: the specialist opens it, schedules a visit, records every finding and the
hours, writes a required action and sends the report; a supervisor approves it; the company officer reads
the report and answers the required action. Axe checks every page."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"


def _staff(email: str, role: str):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create

    user = user_create(
        actor=None,
        email=email,
        password=PASSWORD,
        full_name=email.split("@")[0].replace(".", " ").title(),
        staff_role=role,
        field_office=FieldOffice.objects.get(code="new-york"),
    )
    device = TOTPDevice(user=user, name="t", confirmed=True)
    device.save()
    return device


def _staff_sign_in(site, email: str, device) -> None:
    from django_otp.oath import totp

    site.sign_in(email, PASSWORD)
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")


def test_specialist_runs_a_validation_supervisor_approves_company_answers(site, catalog):
    from greenlane.accounts.services import user_create
    from greenlane.validations.models import Validation
    from greenlane.validations.tests.support import member

    scs_device = _staff("riley.specialist@cbp.example", "scs")
    sup_device = _staff("sam.supervisor@cbp.example", "supervisory_scs")
    officer = user_create(
        actor=None, email="morgan@heron.example", password=PASSWORD, full_name="Morgan Lee", verified=True
    )
    partner = member(officer, name="Blue Heron Imports")
    page = site.page

    _staff_sign_in(site, "riley.specialist@cbp.example", scs_device)
    site.goto("/staff/validations/")
    site.follow("Open a validation")
    site.fill({"Partner reference or number": partner.reference, "Kind": "initial"})
    site.press("Open the validation")
    assert "Validation opened" in site.message()
    v = Validation.objects.get(partner=partner)

    tabs = page.get_by_role("navigation", name="Sections of this validation")
    site.follow("Sites and visits", within=tabs)
    when = (dt.date.today() + dt.timedelta(days=7)).isoformat() + "T10:00"  # noqa: DTZ011
    site.fill({"Kind of visit": "virtual", "Date and time": when})
    site.press("Schedule")
    assert "Visit scheduled" in site.message()

    site.follow("Findings", within=page.get_by_role("navigation", name="Sections of this validation"))
    selects = page.locator("main select[name^=result_]")
    for i in range(selects.count()):
        selects.nth(i).select_option("meets")
    first = page.locator("main select[name^=result_]").first.get_attribute("name")[len("result_") :]
    page.locator(f"select[name='result_{first}']").select_option("does_not_meet")
    site.press("Save all findings")
    assert "finding(s) saved" in site.message()
    assert f"{selects.count()} of {selects.count()} criteria recorded" in page.locator("main").inner_text()

    site.follow("Hours", within=page.get_by_role("navigation", name="Sections of this validation"))
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()  # noqa: DTZ011
    site.fill({"Activity": "on_site", "Hours": "30", "Day worked": yesterday})
    site.press("Record")
    assert "24" in page.locator("main").inner_text()
    site.fill({"Hours": "6.5"})
    site.press("Record")
    assert "Hours recorded." in site.message()

    site.follow(
        "Actions and practices", within=page.get_by_role("navigation", name="Sections of this validation")
    )
    site.fill({"Kind": "required_action", "Criterion": first, "Text": "Keep a complete seal log."})
    site.press("Add")

    site.follow("Report", within=page.get_by_role("navigation", name="Sections of this validation"))
    site.fill({"Proposed outcome": "meets", "Report summary": "Practice matches the profile."})
    site.press("Send to a supervisor")
    assert "Report sent" in site.message()
    site.sign_out()

    _staff_sign_in(site, "sam.supervisor@cbp.example", sup_device)
    site.goto("/staff/validations/reviews/")
    site.follow(v.reference)
    site.tick("id_review-decision_0")
    site.press("Record the decision")
    assert "Review recorded." in site.message()
    site.sign_out()

    site.sign_in("morgan@heron.example", PASSWORD)
    site.goto(f"/companies/{partner.pk}/validations/")
    site.follow(v.reference)
    assert "Keep a complete seal log." in page.locator("main").inner_text()
    site.fill({"Your corrective action plan": "New seal log form from Monday."})
    site.press("Send the plan")
    assert "Your plan is sent" in site.message()
    v.refresh_from_db()
    assert v.status == "published"
    assert v.items.get().response == "New seal log form from Monday."
