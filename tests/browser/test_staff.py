"""Program staff in the browser: sign in with TOTP, search partners, open one, assign a specialist, move it
to review with a reason, and find the change in the partner's history and in the audit log."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"
REASON = "Application complete; opening the security review."


def _submitted_importer(officer, complete_other_steps, *, name: str, ior: str):
    from greenlane.partners import services

    partner = services.partner_create(
        actor=officer,
        entity_type="importer",
        legal_name=name,
        country="US",
        role="company_officer",
        identifiers=[services.IdentifierInput("ior", ior)],
        business_start_date=dt.date(2003, 2, 1),
        employee_count=60,
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
        name=f"{name} head office",
        street="9 Dock St",
        city="Savannah",
        region="GA",
        postal_code="31401",
        country="US",
    )
    services.contact_add(
        actor=officer,
        partner_id=partner.pk,
        kind="security",
        name="Morgan Lee",
        title="Security manager",
        email=f"morgan@{ior[:2]}.example",
        phone="+1 912 555 0100",
    )
    complete_other_steps(officer, partner)
    services.agreement_sign(actor=officer, partner_id=partner.pk, name="Morgan Lee", title="CEO", accept=True)
    return services.partner_submit(actor=officer, partner_id=partner.pk)


def _results(site) -> list[str]:
    return site.page.locator("main table tbody th a").all_inner_texts()


def test_staff_signs_in_with_mfa_searches_assigns_and_moves_to_review(site, complete_other_steps):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create
    from greenlane.audit.models import AuditEvent

    new_york = FieldOffice.objects.get(code="new-york")
    supervisor = user_create(
        actor=None,
        email="sam.supervisor@cbp.example",
        password=PASSWORD,
        full_name="Sam Supervisor",
        staff_role="supervisory_scs",
        field_office=new_york,
    )
    device = TOTPDevice(user=supervisor, name="t", confirmed=True)
    device.save()
    specialist = user_create(
        actor=None,
        email="riley.specialist@cbp.example",
        password=PASSWORD,
        full_name="Riley Specialist",
        staff_role="scs",
        field_office=new_york,
    )
    officer = user_create(
        actor=None, email="morgan@blueheron.example", password=PASSWORD, full_name="Morgan Lee", verified=True
    )
    partner = _submitted_importer(
        officer, complete_other_steps, name="Blue Heron Imports", ior="31-7654321CD"
    )
    _submitted_importer(officer, complete_other_steps, name="Granite Coast Traders", ior="45-1112223EF")
    page = site.page

    # Password, then the second factor.
    site.sign_in("sam.supervisor@cbp.example", PASSWORD)
    assert site.path.startswith("/accounts/mfa/")
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")
    assert site.path == "/staff/partners/"
    assert sorted(_results(site)) == ["Blue Heron Imports", "Granite Coast Traders"]

    search = page.get_by_role("search", name="Search partners")
    site.fill({"Name, reference or identifier": "45-1112223EF"}, within=search)
    site.press("Search", within=search)
    assert _results(site) == ["Granite Coast Traders"]
    site.fill({"Name, reference or identifier": "heron"}, within=search)
    site.press("Search", within=search)
    assert _results(site) == ["Blue Heron Imports"]

    site.follow("Blue Heron Imports")
    assert site.path == f"/staff/partners/{partner.pk}/"
    tabs = page.get_by_role("navigation", name="Partner tabs")
    for tab, expected in [
        ("Entity information", "Identifiers"),
        ("Sites", "Blue Heron Imports head office"),
        ("Contacts", "Morgan Lee"),
        ("Event history", "partner.submit"),
        ("Business details", "Legal name"),
    ]:
        site.follow(tab, within=tabs)
        assert page.get_by_role("heading", name=tab, level=2).is_visible()
        assert expected in page.locator("main").inner_text(), tab

    site.fill({"Specialist": str(specialist.pk), "Note (optional)": "New York portfolio"})
    site.press("Save assignment")
    assert "Specialist assignment saved." in site.message()
    assert "Specialist: Riley Specialist" in page.locator("main").inner_text()

    site.fill({"New status": "under_review", "Reason": REASON})
    site.press("Change status")
    assert "Status changed to Under review." in site.message()

    site.follow("Event history", within=page.get_by_role("navigation", name="Partner tabs"))
    transition = page.locator("main tbody tr").filter(has_text=REASON)
    assert transition.count() == 1
    assert "partner.transition" in transition.inner_text()
    assert "Submitted → Under review" in transition.inner_text()

    page.locator("header").get_by_role("button", name="Program").click()
    site.follow("Audit log", within=page.locator("header"))
    audit_filter = page.get_by_role("search", name="Filter events")
    site.fill(
        {"Partner reference": partner.reference, "Action starts with": "partner.transition"},
        within=audit_filter,
    )
    site.press("Filter", within=audit_filter)
    rows = page.locator("main tbody tr")
    assert rows.count() == 1
    assert REASON in rows.inner_text()
    assert partner.reference in rows.inner_text()

    partner.refresh_from_db()
    assert partner.status == "under_review"
    assert partner.assigned_scs == specialist
    event = AuditEvent.objects.get(partner=partner, action="partner.transition")
    assert (event.actor, event.reason) == (supervisor, REASON)
    assert (
        AuditEvent.objects.filter(partner=partner, action="partner.assign_scs", actor=supervisor).count() == 1
    )
    assert re.fullmatch(r"[0-9a-f]{32}", event.request_id or "")
