"""Communications in the browser, every page checked with axe-core: a program manager writes a bulletin for
importers, previews its audience and publishes it; an analyst publishes a restricted threat assessment for one
company; the company's officer reads both, writes to its specialist with an attachment (a bad file refused
first); the specialist answers from the inbox; the manager sees who read the bulletin, by company."""

from __future__ import annotations

import importlib

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def open_as(browser, live_server, settings):
    from conftest import verified_client

    from .conftest import VIEWPORT, Site

    contexts, sites = [], []

    def open_tab(user) -> Site:
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,
            locale="en-US",
            viewport=VIEWPORT,
            extra_http_headers={"Accept-Language": "en"},
        )
        context.set_default_timeout(15_000)
        session = verified_client(user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        contexts.append(context)
        site = Site(context.new_page(), live_server.url)
        sites.append(site)
        return site

    yield open_tab
    for site in sites:
        site.finish()
    for context in contexts:
        context.close()


def _attach(site, name: str, data: bytes, mime: str) -> None:
    site.page.locator("main input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    site.page.wait_for_load_state("networkidle")


def test_comms_journey(open_as, catalog):
    from django.apps import apps

    from conftest import make_user
    from greenlane.comms.models import Attachment, BulletinRead, Message
    from greenlane.comms.tests.conftest import make_partner

    # A transactional test's flush removed the handling markings the migration wrote.
    importlib.import_module("greenlane.comms.migrations.0001_initial").add_markings(apps, None)
    manager = make_user(
        "morgan.manager@cbp.example", staff_role="program_manager", full_name="Morgan Manager"
    )
    analyst = make_user(
        "ines.analyst@cbp.example", staff_role="intelligence_analyst", full_name="Ines Analyst"
    )
    scs = make_user("sam.scs@cbp.example", staff_role="scs", full_name="Sam Specialist")
    officer = make_user("olivia@blueheron.example", full_name="Olivia Officer")
    partner = make_partner(officer, name="Blue Heron Imports", scs=scs, tier=2)
    make_partner(make_user("other@granite.example"), name="Granite Trucking", entity_type="highway_carrier")

    # The manager writes a bulletin for importers and checks the audience before saving it.
    staff = open_as(manager)
    staff.goto("/staff/bulletins/")
    staff.follow("Write a bulletin or alert")
    staff.fill({"Title": "Seal checks at every stop", "Text": "Check **every** seal.\n\n- View\n- Verify"})
    staff.tick("id_entity_types_0")  # U.S. importer
    staff.press("Preview audience")
    assert "1 company matches" in staff.page.locator("#audience-count").inner_text()
    staff.press("Save draft")
    assert "Saved." in staff.message()
    staff.press("Publish or schedule")
    assert "Published." in staff.message()

    # The analyst publishes a restricted assessment for the company alone.
    intel = open_as(analyst)
    intel.goto("/intel/")
    intel.follow("Write an assessment")
    intel.fill(
        {
            "Title": "Reefer trailer concealment",
            "Assessment": "Look inside the insulation.",
            "Named companies": partner.reference,
        }
    )
    intel.tick("id_marking_2")  # restricted: named recipients
    intel.press("Save draft")
    intel.press("Publish to the audience")
    assert "Published to its audience." in intel.message()

    # The officer reads the bulletin and the assessment.
    member = open_as(officer)
    member.goto("/bulletins/")
    member.follow("Seal checks at every stop")
    assert "every" in member.page.locator("main strong").first.inner_text()
    member.goto("/alerts/")
    member.goto("/intel/")
    member.follow("Reefer trailer concealment")
    assert "Restricted" in member.page.locator("main").inner_text()

    # ... and writes to the specialist: a disguised file is refused, a real PDF goes through.
    member.goto(f"/companies/{partner.pk}/messages/")
    member.follow("New message")
    member.fill({"Subject": "Seal log retention", "Message": "How long do we keep the log?"})
    _attach(member, "log.pdf", b"not a pdf at all", "application/pdf")
    member.press("Send")
    assert "its content is" in member.page.locator("main").inner_text()
    assert not Message.objects.exists()
    member.fill({"Subject": "Seal log retention", "Message": "How long do we keep the log?"})
    _attach(member, "log.pdf", PDF, "application/pdf")
    member.press("Send")
    assert "Message sent." in member.message()
    assert Attachment.objects.get().original_name == "log.pdf"

    # The specialist answers from the inbox.
    specialist = open_as(scs)
    specialist.goto("/staff/messages/")
    specialist.follow("Seal log retention")
    specialist.fill({"Reply": "Two years, please."})
    specialist.press("Send")
    assert "Message sent." in specialist.message()
    member.goto(f"/companies/{partner.pk}/messages/")
    assert "1" in member.page.locator("main tbody tr").first.inner_text()

    # The manager sees who read the bulletin, by company; the analyst sees who opened the assessment.
    staff.goto("/staff/bulletins/")
    staff.follow("Seal checks at every stop")
    assert "Blue Heron Imports" in staff.page.locator("main").inner_text()
    intel.follow("Who opened it")
    assert "olivia@blueheron.example" in intel.page.locator("main").inner_text()
    assert BulletinRead.objects.filter(user=officer).count() == 1
