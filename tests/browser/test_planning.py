"""Validation planning in the browser: a program manager computes next year's plan, compares the optimised
and greedy plans, accepts one, moves an entry by hand with a reason, reads a partner's score and saves new
selection weights. axe runs on every page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"


def test_manager_computes_accepts_and_adjusts_a_plan(site, catalog):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create
    from greenlane.validations.planning.models import PlanAdjustment, SelectionWeights, ValidationPlan
    from greenlane.validations.tests.support import member

    new_york = FieldOffice.objects.get(code="new-york")
    manager = user_create(
        actor=None,
        email="pat.manager@cbp.example",
        password=PASSWORD,
        full_name="Pat Manager",
        staff_role="program_manager",
        field_office=new_york,
    )
    device = TOTPDevice(user=manager, name="t", confirmed=True)
    device.save()
    for name in ("Riley Specialist", "Jordan Specialist"):
        user_create(
            actor=None,
            email=f"{name.split()[0].lower()}@cbp.example",
            password=PASSWORD,
            full_name=name,
            staff_role="scs",
            field_office=new_york,
        )
    officer = user_create(
        actor=None, email="lee@harbor.example", password=PASSWORD, full_name="Lee", verified=True
    )
    for i in range(3):
        member(officer, name=f"Harbor Freight {i}")
    page = site.page

    site.sign_in("pat.manager@cbp.example", PASSWORD)
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")

    site.goto("/staff/validation-plans/")
    assert "No plan yet" in page.locator("main").inner_text()
    site.fill({"Optimiser time limit (seconds)": "2", "Random oversight sample": "0"})
    site.press("Compute")
    plan = ValidationPlan.objects.get()
    assert site.path == f"/staff/validation-plans/{plan.pk}/"
    main = page.locator("main")
    assert "Optimised and greedy plans compared" in main.inner_text()
    assert "Deadlines met" in main.inner_text()

    site.press("Accept the optimised plan")
    assert "Plan accepted" in site.message()
    site.click(main.get_by_role("link", name="Move").first)
    site.fill({"Month": "12", "Reason": "Partner asked for December"})
    site.press("Move")
    assert PlanAdjustment.objects.count() == 1
    assert "Partner asked for December" in page.locator("#adjustments ~ table").inner_text()
    assert "reflect 1 manual adjustment" in main.inner_text()

    # Specialists' hours for the plan's year: a bad figure is refused (nothing saved), then a month of leave.
    site.follow(f"Specialists' available hours in {plan.year}")
    cell = page.locator("main input[type=number]").first
    cell.fill("999")
    site.fill({"Reason for the change": "Annual leave"})
    site.press("Save the changed months")
    assert "nothing was saved" in main.inner_text()
    page.locator("main input[type=number]").first.fill("64")
    site.press("Save the changed months")
    assert "1 month changed" in site.message()
    site.goto(f"/staff/validation-plans/{plan.pk}/")

    site.click(main.get_by_role("link", name="Harbor Freight 0", exact=True))
    assert "Selection score: Harbor Freight 0" in page.locator("h1").inner_text()
    assert "input absent" in page.locator("main").inner_text().lower()

    site.follow("Selection weights")
    site.fill(
        {"Regional threat of the supply chain": "35", "Why the weights change": "Threat outlook worsened"}
    )
    site.press("Save a new version")
    assert "New weights saved" in site.message()
    assert SelectionWeights.objects.get().data["regional_threat"] == 35
    site.finish()
