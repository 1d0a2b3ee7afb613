"""Performance measures in the browser: a program manager opens the dashboard, a measure's chart (rendered
by vega-embed from the server's spec) and its table, the records behind a value, exports the records, and
runs the FAST lane simulation. Every page is checked with axe-core."""

from __future__ import annotations

import random

import pytest

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_manager(site) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create

    user = user_create(
        actor=None,
        email="morgan.manager@cbp.example",
        password=PASSWORD,
        full_name="Morgan Manager",
        staff_role="program_manager",
        field_office=FieldOffice.objects.get(code="new-york"),
    )
    device = TOTPDevice(user=user, name="t", confirmed=True)
    device.save()
    site.sign_in("morgan.manager@cbp.example", PASSWORD)
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")


def test_program_manager_reads_measures_drills_down_and_simulates(site, monkeypatch):
    from greenlane.metrics import demo

    monkeypatch.setattr(demo, "DEMO_ROWS", 2000)
    demo.seed_demo(random.Random(3))
    _sign_in_manager(site)

    site.goto("/staff/metrics/")
    main = site.page.locator("main")
    assert "Entry volume by member importers" in main.inner_text()
    site.follow("Entry volume by member importers")
    site.page.locator("#measure-chart svg").first.wait_for()
    assert site.page.locator("#values tbody tr").count() >= 12

    site.field("Period").select_option("quarter")
    site.press("Apply")
    assert "2025-Q2" in site.page.locator("#values").inner_text()
    site.click(site.page.locator("#values tbody tr").first.locator("td a").first)
    assert "Numerator records" in site.page.locator("h1").inner_text()
    assert site.page.locator("#records tbody tr").count() > 0
    site.press("Prepare the file")
    assert "Done" in site.page.locator("main").inner_text()

    site.goto("/staff/metrics/fast-lane/")
    site.fill({"Hours simulated": "2", "Replications": "3"})
    site.press("Run the simulation")
    assert "minutes saved per FAST transaction" in site.page.locator("main").inner_text()
