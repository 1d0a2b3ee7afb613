"""Vetting in the browser, every page checked with axe-core: a vetting officer uploads a file with bad rows
(nothing imported, every bad row listed), uploads a good one, runs matching for a company, finds it in the
queue, confirms one match and dismisses another with a note."""

from __future__ import annotations

import pytest

from .support import csv_bytes, ior_of, partner, row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

harness = pytest.importorskip("tests.browser.conftest", reason="the browser test harness is not installed")


@pytest.fixture(scope="module")
def browser():
    executable = harness.chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=harness.CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_tab(browser, live_server, settings):
    from conftest import verified_client

    contexts = []

    def open_as(user):
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,
            locale="en-US",
            viewport=harness.VIEWPORT,
            extra_http_headers={"Accept-Language": "en"},
        )
        context.set_default_timeout(15_000)
        session = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        contexts.append(context)
        return harness.Site(context.new_page(), live_server.url)

    yield open_as
    for context in contexts:
        context.close()


def upload(site, name: str, data: bytes) -> None:
    site.page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    site.press("Check and import")


def test_vetting_round_trip_in_the_browser(staff, user_factory, open_tab):
    from greenlane.vetting.models import ComplianceRecord, VettingMatch

    officer = user_factory("officer@acme.example")
    company = partner(officer, name="Blue Heron Imports LLC")
    vetter = open_tab(staff["vetting_officer"])

    vetter.goto("/staff/vetting/imports/")
    upload(vetter, "bad.csv", csv_bytes([row(), row(kind="fine"), row(date="2024-31-12")]))
    table = vetter.page.locator("#import-errors")
    assert table.locator("tbody tr").count() == 2
    assert "Nothing was imported" in vetter.page.locator("main").inner_text()
    assert ComplianceRecord.objects.count() == 0

    upload(
        vetter,
        "good.csv",
        csv_bytes(
            [
                row(
                    source_ref="N-1",
                    name="BLUE HERON IMPORTS, L.L.C.",
                    address="1 Harbor Way, Newark NJ 07114",
                ),
                row(source_ref="N-2", name="Blue Heron Imprts Inc", address="", kind="seizure"),
                row(
                    source_ref="N-3",
                    name="Some Other Name",
                    kind="unpaid_debt",
                    amount="1500",
                    identifier_type="ior",
                    identifier_value=ior_of(company),
                ),
            ]
        ),
    )
    assert "Imported good.csv: 3 rows; 3 new" in vetter.message()

    vetter.goto(f"/staff/vetting/partners/{company.pk}/")
    vetter.press("Run matching again")
    assert "Matching done: 2 new, 1 confirmed automatically" in vetter.message()

    vetter.goto("/staff/vetting/")
    vetter.follow("Blue Heron Imports LLC")
    first, second = VettingMatch.objects.filter(status="pending").order_by("-score", "id")
    card = vetter.page.locator(f"#match-{first.pk}")
    vetter.page.locator(f"#note-{first.pk}").fill("Same address and name; EIN confirmed with the broker.")
    vetter.press("Confirm match", within=card)
    assert "Match confirmed" in vetter.message()
    card = vetter.page.locator(f"#match-{second.pk}")
    vetter.page.locator(f"#note-{second.pk}").fill("Different company: the seizure was in 2019 in Ohio.")
    vetter.press("Dismiss match", within=card)
    assert "Match dismissed" in vetter.message()
    assert sorted(VettingMatch.objects.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "dismissed",
    ]

    auditor = open_tab(staff["auditor"])
    auditor.goto(f"/staff/vetting/partners/{company.pk}/")
    assert auditor.page.get_by_role("button", name="Confirm match").count() == 0
    auditor.goto("/staff/vetting/imports/")
    assert auditor.page.locator("#id_file").count() == 0
