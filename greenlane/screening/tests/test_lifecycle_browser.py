"""The lifecycle pages in the browser, every page checked with axe-core (also with form errors shown): the
specialist asks for information from the queue, the company answers on its dates page; a suspended
member submits a plan and the specialist reviews it; a denied company files an appeal and a supervisor
decides it; the deadlines page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import CHROMIUM_ARGS, VIEWPORT, Site, chromium_executable

from .test_lifecycle_support import URLS, certified, denied, referral

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(URLS),
]


@pytest.fixture(scope="module")
def browser():
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def open_tab(browser, live_server, settings):
    """A browser tab signed in as `user` (staff past MFA), through a session made by Django's test client."""
    from conftest import verified_client

    settings.SITE_URL = live_server.url
    contexts = []

    def open_as(user) -> Site:
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
        return Site(context.new_page(), live_server.url)

    yield open_as
    for context in contexts:
        context.close()


def test_lifecycle_pages_in_the_browser(catalog, staff, user_factory, open_tab):
    from greenlane.screening import lifecycle
    from greenlane.screening.models import Appeal, InfoRequest

    officer = user_factory("officer@acme.example")
    scs, supervisor = staff["scs"], staff["supervisory_scs"]
    r = referral(officer, submitted_days_ago=80, assigned_to=scs, name="Blue Heron Imports")
    member = certified(officer, days_ago=400, name="Green Finch Freight")
    partner, _decision = denied(officer, days_ago=10)

    specialist = open_tab(scs)
    specialist.goto("/staff/referrals/")
    specialist.follow("Blue Heron Imports")
    form = specialist.page.locator("form", has=specialist.page.get_by_role("button", name="Send request"))
    specialist.fill({"What the company must provide": "Send the seal log."}, within=form)
    specialist.field("Answer due by", within=form).fill(
        (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    )
    specialist.press("Send request", within=form)  # refused: more than 30 days, shown on the form
    assert "at most 30 days" in specialist.page.locator("main").inner_text()
    specialist.field("Answer due by", within=form).fill(
        (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    )
    specialist.press("Send request", within=form)
    assert "clock is paused" in specialist.message()

    company = open_tab(officer)
    company.goto(f"/companies/{r.partner_id}/dates/")
    request = InfoRequest.objects.get()
    box = company.page.locator(f"#req{request.pk}").locator("xpath=ancestor::section")
    company.press("Send the answer", within=box)  # empty: the error is shown
    company.fill({"Your answer": "The log is attached."}, within=company.page.locator("main"))
    company.press("Send the answer")
    assert "clock runs again" in company.message()

    lifecycle.suspension_start(
        actor=scs,
        partner_id=member.pk,
        cause="failed_validation",
        benefits=["fast_lane", "svi"],
        reason="Failed.",
    )
    company.goto(f"/companies/{member.pk}/dates/")
    company.fill({"Corrective action plan": "Fix the fence by May; audit seals weekly."})
    company.press("Submit the plan")  # consent missing
    company.tick("id_plan-consent")
    company.press("Submit the plan")
    assert "submitted for review" in company.message()

    specialist.goto(f"/staff/partners/{member.pk}/lifecycle/")
    specialist.fill({"Decision": "accept", "Note to the company": "Accepted; we will visit."})
    specialist.press("Record the review")
    specialist.fill({"Reason for reinstatement": "Plan accepted."})
    specialist.press("Reinstate")
    assert "reinstated" in specialist.message()

    company.goto(f"/companies/{partner.pk}/appeals/")
    company.fill({"What you appeal": "denial"})
    company.press("File the appeal")  # no grounds
    company.fill({"Grounds of the appeal": "Our bond was active."})
    company.press("File the appeal")
    assert "appeal is filed" in company.message()

    boss = open_tab(supervisor)
    boss.goto("/staff/appeals/")
    boss.follow(partner.legal_name)
    boss.fill({"Decision": "upheld", "Decision note (the company reads it)": "The bond lapsed in March."})
    boss.press("Record the decision")
    assert Appeal.objects.get().status == "upheld"
    boss.goto("/staff/deadlines/")
    boss.goto("/staff/deadlines/?kind=certification")
    for site in (specialist, company, boss):
        site.finish()
