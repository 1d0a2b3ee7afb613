"""SVI in the browser: a certified member joins and shares its tier, finds a participant and monitors it
(auto-accepted), answers a request, uploads a list for bulk verification and downloads the result, registers
a webhook (secret shown once), sends a certification notice, and the recipient checks it without logging in.
axe runs on every page."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Str0ng-enough-passphrase"


def test_svi_journey(site, monkeypatch, tmp_path):
    from django.core import mail

    from greenlane.accounts.services import user_create
    from greenlane.screening.tests.test_lifecycle_support import certified
    from greenlane.svi import services, webhooks
    from greenlane.svi.models import BulkVerification, CertificationNotice, MonitoringLink, Webhook

    monkeypatch.setattr(webhooks, "RESOLVER", lambda host, port: ["93.184.216.34"])  # no DNS in tests
    officer = user_create(
        actor=None, email="ola@harbor.example", password=PASSWORD, full_name="Ola", verified=True
    )
    other_user = user_create(
        actor=None, email="kim@dock.example", password=PASSWORD, full_name="Kim", verified=True
    )
    mine = certified(officer, name="Harbor Imports")
    theirs = certified(other_user, name="Dockside Freight")
    third = certified(other_user, name="Pier Nine Logistics")
    services.svi_join(actor=other_user, partner_id=theirs.pk, auto_accept=True, share="status_tier")
    services.svi_join(actor=other_user, partner_id=third.pk)
    page = site.page

    site.sign_in("ola@harbor.example", PASSWORD)
    site.goto(f"/companies/{mine.pk}/svi/")
    page.locator("#id_share").select_option("status_tier")
    site.press("Join the SVI")
    assert "joined the SVI" in site.message()

    # Find a participant and monitor it (it accepts automatically).
    site.follow("Monitored partners")
    site.fill({"Find a participant by name, reference or identifier": "Dockside"})
    site.press("Search")
    site.press(re.compile(r"^Send request Dockside Freight"))
    assert MonitoringLink.objects.get(target=theirs).status == "accepted"
    site.follow("Monitored partners")
    table = page.locator("main table").inner_text()
    assert "Dockside Freight" in table and "Certified" in table and "Tier 1" in table

    # A request arrives; accept it.
    services.link_request(actor=other_user, partner_id=third.pk, target_id=mine.pk, message="Hello")
    site.follow("Requests")
    site.press(re.compile(r"^Accept Pier Nine Logistics"))
    assert MonitoringLink.objects.get(requester=third).status == "accepted"

    # Bulk verification: a CSV with a good row, an unknown one and a bad one.
    ior = theirs.identifiers.get(type="ior").value
    upload = tmp_path / "partners.csv"
    upload.write_text(f"type,value\nior,{ior}\nior,12-9999999ZZ\nbogus,1\n")
    site.follow("Bulk verification")
    page.locator("#id_file").set_input_files(str(upload))
    site.press("Verify")
    results = page.locator("main table").inner_text()
    assert "Dockside Freight" in results and "Not found" in results and "Unknown identifier type" in results
    run = BulkVerification.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"svi-verification-{run.pk}.csv"

    # A webhook: refused on http, then registered with the secret shown once.
    site.follow("Webhooks")
    site.fill({"HTTPS URL": "http://hooks.harbor.example/svi"})
    site.press("Add webhook")
    assert "https://" in page.locator(".usa-alert--error").inner_text()
    site.fill({"HTTPS URL": "https://hooks.harbor.example/svi"})
    site.press("Add webhook")
    secret = Webhook.objects.get().secret
    assert secret in page.locator("main").inner_text()
    site.follow("https://hooks.harbor.example/svi")
    assert secret not in page.locator("main").inner_text()

    # A certification notice, checked by its recipient without an account.
    site.follow("Certification notices")
    site.fill({"Recipient company": "Bright Textiles", "Recipient e-mail": "ops@bright.example"})
    site.press("Send notice")
    notice = CertificationNotice.objects.get()
    assert any(notice.token in m.body for m in mail.outbox)
    site.sign_out()
    site.goto(f"/verify/{notice.token}/")
    assert "This notice is genuine" in page.locator("main").inner_text()
    site.finish()
