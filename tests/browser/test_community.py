"""Community in the browser, every page checked with axe-core: a moderator opens a topic; a member starts a
thread and another reports a reply; the moderator resolves the report (hiding the post) and locks the thread;
the library gets an item and a second version; a member shares a document with its specialist (a bad file is
refused first); a member submits a best practice that a program manager approves, and finds it in the
catalog by category."""

from __future__ import annotations

import re

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


def _attach(site, name: str, data: bytes, mime: str = "application/pdf") -> None:
    site.page.locator("main input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    # The USWDS file input shows a preview icon; let it load before the form submits.
    site.page.wait_for_load_state("networkidle")


def test_community_journey(open_as, catalog):
    from conftest import make_user
    from greenlane.community.models import Document, Post
    from greenlane.screening.tests.test_lifecycle_support import certified

    manager = make_user("pat.manager@cbp.example", staff_role="program_manager", full_name="Pat Manager")
    officer = make_user("olivia@acme.example", full_name="Olivia Officer")
    other = make_user("gail@globex.example", full_name="Gail Globex")
    member = certified(officer, name="Acme Imports")
    certified(other, name="Globex Trading")

    staff = open_as(manager)
    staff.goto("/staff/community/topics/new/")
    staff.fill({"Title": "Seal integrity", "Description": "Seals and inspections."})
    staff.press("Open topic")
    assert "Topic opened." in staff.message()

    me = open_as(officer)
    me.goto("/community/boards/")
    me.follow("Seal integrity")
    me.follow("Start a thread")
    me.fill({"Title": "Which bolt seals?", "Message": "Which ISO 17712 seals work for you?"})
    me.press("Post")
    assert "Thread started." in me.message()
    me.fill({"Your reply": "Buy only from certified makers, cheap offers inside!"})
    me.press("Post reply")
    assert "Reply posted." in me.message()
    thread_path = me.path.split("?")[0]

    them = open_as(other)
    them.goto(thread_path)
    assert "Olivia Officer · Acme Imports" in them.page.locator("main").inner_text()
    them.follow(re.compile(r"^Report this post .*"), within=them.page.locator("article").nth(1))
    them.fill({"What is wrong with this post?": "Advertising."})
    them.press("Send report")
    assert "A moderator will look" in them.message()

    staff.goto("/staff/community/moderation/")
    assert "Advertising." in staff.page.locator("main").inner_text()
    staff.page.locator("main select[name=decision]").first.select_option("resolved")
    staff.page.locator("main input[name=note]").first.fill("Advertising removed")
    staff.tick(staff.page.locator("main input[name=hide_post]").first.get_attribute("id"))
    staff.press("Record decision")
    assert "Report resolved." in staff.message()
    assert Post.objects.filter(hidden=True).count() == 1
    staff.goto(thread_path)
    staff.press("Lock thread")
    assert "Locked." in staff.message()

    them.goto(thread_path)
    text = them.page.locator("main").inner_text()
    assert "A moderator hid this post." in text and "cheap offers" not in text
    assert "replies are closed" in text

    # The library: an item, then a second version.
    staff.goto("/staff/community/library/")
    staff.fill({"Title": "Seal guide", "Category": "guide", "Tags": "seals"})
    _attach(staff, "seal-guide.pdf", PDF)
    staff.press("Publish")
    assert "Published to the library." in staff.message()
    _attach(staff, "seal-guide-v2.txt", b"Second edition.\n", "text/plain")
    staff.fill({"What changed": "Second edition"})
    staff.press("Publish version")
    assert "Version 2 published." in staff.message()
    me.goto("/community/library/?q=seal")
    me.follow("Seal guide")
    assert "seal-guide-v2.txt" in me.page.locator("main").inner_text()

    # The company's document exchange: a mislabelled file is refused, a real one shared.
    me.goto(f"/companies/{member.pk}/documents/")
    me.fill({"Title": "Action plan", "Category": "correspondence"})
    _attach(me, "plan.pdf", b"this is not a PDF")
    me.press("Share")
    assert "its content is" in me.page.locator("main").inner_text()
    assert not Document.objects.filter(kind="exchange").exists()
    me.fill({"Title": "Action plan", "Category": "correspondence"})
    _attach(me, "plan.pdf", PDF)
    me.press("Share")
    assert "Document shared." in me.message()
    staff.goto(f"/companies/{member.pk}/documents/")
    assert "Action plan" in staff.page.locator("main").inner_text()

    # Best practices: submitted by the member, approved by the manager, found by category.
    me.goto(f"/companies/{member.pk}/best-practices/")
    me.fill(
        {
            "Title": "Two-person seal checks",
            "Description": "Two guards verify every seal at the gate and sign the log.",
            "Criteria category": "6",
            "Industry (NAICS sector)": "42",
        }
    )
    me.press("Submit for review")
    assert "Submitted for review." in me.message()
    staff.goto("/staff/community/best-practices/")
    staff.follow("Two-person seal checks")
    staff.fill({"Decision": "approved"})
    staff.press("Record decision")
    assert "Decision recorded." in staff.message()
    them.goto("/community/best-practices/?category=6")
    text = them.page.locator("main").inner_text()
    assert "Two-person seal checks" in text and "Acme" not in text
    them.follow("Two-person seal checks")
