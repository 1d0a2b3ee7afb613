"""Targeting in the browser: a targeting officer sees the empty state, then a scored day with its lanes,
filters one lane and opens a shipment's explanation. Every page is checked with axe-core."""

from __future__ import annotations

from io import StringIO

import duckdb
import pytest
from django.core.management import call_command

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_staff(site, email: str) -> None:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlane.accounts.models import FieldOffice
    from greenlane.accounts.services import user_create

    user = user_create(
        actor=None,
        email=email,
        password=PASSWORD,
        full_name="Toni Targeter",
        staff_role="targeting_officer",
        field_office=FieldOffice.objects.get(code="new-york"),
    )
    device = TOTPDevice(user=user, name="t", confirmed=True)
    device.save()
    site.sign_in(email, PASSWORD)
    site.fill({"6-digit code": f"{totp(device.bin_key):06d}"})
    site.press("Verify")


def test_targeting_officer_reads_a_scored_day(site, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    _sign_in_staff(site, "toni.targeter@cbp.example")
    site.goto("/staff/targeting/")
    assert "No scored shipments yet" in site.page.locator("main").inner_text()

    syn = tmp_path / "syn"
    call_command(
        "targeting", "generate", "--rows", "800", "--seed", "5", "--out", str(syn), stdout=StringIO()
    )
    out = tmp_path / "day.scored.parquet"
    call_command("targeting", "score", "--input", str(syn / "shipments.parquet"), "--output", str(out),
                 "--snapshot", str(syn / "partners_snapshot.parquet"), stdout=StringIO())  # fmt: skip
    site.goto("/staff/targeting/")
    main = site.page.locator("main")
    assert "No scored shipments yet" not in main.inner_text()
    assert main.locator("table tbody tr").count() > 0

    rows = duckdb.sql(f"SELECT shipment_id FROM read_parquet('{out}') ORDER BY score DESC LIMIT 1").fetchall()
    sid = rows[0][0]
    site.goto(f"/staff/targeting/shipments/{sid}/")
    assert sid in site.page.locator("main").inner_text()
