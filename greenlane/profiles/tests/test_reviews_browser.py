"""The annual review in the browser, every page checked with axe-core: the company re-confirms and submits,
the specialist returns it with a comment from the queue, the company sees the comment."""

from __future__ import annotations

import pytest

from .test_reviews_support import certified_with_open_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser harness (Site: every page load checked with axe-core) lives with the browser tests.
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
    """A browser tab signed in as `user` (staff past MFA), through a session made by Django's test client."""
    from conftest import verified_client

    settings.SITE_URL = live_server.url
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


def test_review_round_trip_in_the_browser(catalog, staff, user_factory, open_tab):
    from greenlane.profiles import review_selectors as rs
    from greenlane.profiles import review_services
    from greenlane.profiles.models import AnnualReview

    officer = user_factory("officer@acme.example")
    partner = certified_with_open_window(officer, staff, name="Blue Heron Imports")

    company = open_tab(officer)
    company.goto(f"/companies/{partner.pk}/review/")
    assert company.page.get_by_role("heading", name="Annual review", level=1).is_visible()
    card = company.page.locator("#r-c-6-2")
    company.press("Re-confirm unchanged 6.2", within=card)
    assert "6.2 re-confirmed unchanged." in company.message()
    review = AnnualReview.objects.get(partner=partner)
    for item in rs.items(review):
        if not item.decision:
            review_services.review_item_confirm(
                actor=officer, partner_id=partner.pk, criterion_code=item.answer.criterion.code
            )
    company.goto(f"/companies/{partner.pk}/review/")
    company.press("Submit the annual review")
    assert "Annual review submitted" in company.message()

    specialist = open_tab(staff["scs"])
    specialist.goto("/staff/reviews/")
    specialist.follow("Blue Heron Imports")
    specialist.page.get_by_label("Comment on 6.2 (optional)").fill("Say who keeps the seal log.")
    specialist.press("Return with comments")
    assert "returned to the company" in specialist.message()
    specialist.goto("/staff/reviews/")
    for tab in ("Overdue (0)", "Due soon (0)", "Awaiting decision (0)"):
        specialist.follow(tab)

    company.goto(f"/companies/{partner.pk}/review/")
    assert "Say who keeps the seal log." in company.page.locator("#r-c-6-2").inner_text()
    review.refresh_from_db()
    assert review.status == "returned"
