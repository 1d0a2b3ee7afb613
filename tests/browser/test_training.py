"""Training in the browser: a specialist drafts a seminar and opens registration, a member registers, a
supervisor records a specialist's course and reads the due list, then the workforce plan. axe runs on each page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"


def test_seminar_registration_staff_training_and_workforce_plan(site):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create
    from greenlane.screening.tests.test_lifecycle_support import certified
    from greenlane.training.models import Registration, Seminar, TrainingRecord

    new_york = FieldOffice.objects.get(code="new-york")
    supervisor = user_create(
        actor=None,
        email="dana.supervisor@cbp.example",
        password=PASSWORD,
        full_name="Dana Supervisor",
        staff_role="supervisory_scs",
        field_office=new_york,
    )
    device = TOTPDevice(user=supervisor, name="t", confirmed=True)
    device.save()
    specialist = user_create(
        actor=None,
        email="riley@cbp.example",
        password=PASSWORD,
        full_name="Riley Specialist",
        staff_role="scs",
        field_office=new_york,
    )
    officer = user_create(
        actor=None, email="lee@harbor.example", password=PASSWORD, full_name="Lee", verified=True
    )
    partner = certified(officer, name="Harbor Imports", days_ago=400)
    page = site.page

    from greenlane.training.tests.support import open_seminar

    first = open_seminar(supervisor, title="Seal security in practice", capacity=1)

    # A member registers.
    site.sign_in("lee@harbor.example", PASSWORD)
    site.goto(f"/companies/{partner.pk}/training/")
    site.follow("Seal security in practice")
    site.press("Register me")
    assert "You are registered" in site.message()
    assert "You hold a seat" in page.locator("main").inner_text()
    assert Registration.objects.get().status == "registered"
    site.sign_out()

    # The supervisor sees the seat, drafts a second seminar and opens registration.
    site.sign_in("dana.supervisor@cbp.example", PASSWORD)
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")
    site.goto("/staff/training/seminars/")
    site.follow("Seal security in practice")
    assert "Lee" in page.locator("main table").inner_text()
    site.goto("/staff/training/seminars/")
    site.follow("New seminar", within=page.locator("main"))
    site.fill(
        {
            "Title": "Cybersecurity for partners",
            "Format": "online",
            "Online link": "http://meet.example.gov/cyber",
            "Starts": "2099-05-01T09:00",
            "Ends": "2099-05-01T12:00",
            "Capacity (seats)": "40",
            "Registration deadline": "2099-04-28T17:00",
        }
    )
    site.press("Save")
    assert "needs a link starting with https://" in page.locator("main").inner_text()
    site.fill({"Online link": "https://meet.example.gov/cyber"})
    site.press("Save")
    assert "Seminar drafted" in site.message()
    site.press("Move to: Open for registration")
    assert Seminar.objects.exclude(pk=first.pk).get().status == "open"

    # Staff training: the due list, a record, the person's page; then the workforce plan.
    site.goto("/staff/training/")
    assert "Riley Specialist" in page.locator("main table").inner_text()
    site.follow("Record training", within=page.locator("main"))
    site.fill(
        {
            "Staff member": str(specialist.pk),
            "Course": "scs_course",
            "Completed on": "2026-01-15",
            "Hours": "80",
            "Evidence": "OTD roster 2026-02",
        }
    )
    site.press("Record")
    assert "Training recorded" in site.message()
    assert TrainingRecord.objects.get().course == "scs_course"
    site.goto("/staff/workforce/")
    assert "new-york" in page.locator("main").inner_text()
    site.finish()
