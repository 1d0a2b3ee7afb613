"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every page load goes through `Site`, which checks it with axe-core and fails the test on any console error
or any static asset answered 4xx/5xx (or not answered at all).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .axe import assert_accessible

# Playwright's sync API runs an asyncio event loop in this thread; Django would then refuse ORM calls here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STATIC_RESOURCE_TYPES = frozenset({"stylesheet", "script", "image", "font", "media", "manifest"})
VIEWPORT = {"width": 1280, "height": 900}


def chromium_executable() -> str:
    """The Chromium binary to drive; skips (or fails, when GREENLANE_REQUIRE_BROWSER=1) when it is missing."""
    path = os.environ.get("GREENLANE_CHROMIUM", "/usr/bin/chromium")
    if Path(path).is_file() and os.access(path, os.X_OK):
        return path
    message = (
        f"Chromium not found at {path}: install Debian's chromium package or set GREENLANE_CHROMIUM "
        "to the browser binary."
    )
    if os.environ.get("GREENLANE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"{message} Browser tests are required here (GREENLANE_REQUIRE_BROWSER=1).", pytrace=False
        )
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """Module-scoped: Playwright's event loop must not outlive the browser tests (pytest-django runs the
    tests without a database after these, and some may call asyncio.run())."""
    executable = chromium_executable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


class Site:
    """One browser tab on the live server. Every page it loads is checked before the test goes on."""

    def __init__(self, page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.problems: list[str] = []
        self.loads = 0
        self.checks = 0
        self.visited: list[str] = []
        page.on("load", self._on_load)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught script error: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    # Event handlers ----------------------------------------------------------------------------------

    def _on_load(self, _page) -> None:
        self.loads += 1

    def _on_console(self, message) -> None:
        if message.type == "error":
            location = message.location or {}
            self.problems.append(f"console error: {message.text} ({location.get('url', '')})")

    @staticmethod
    def _is_static(request) -> bool:
        return request.resource_type in STATIC_RESOURCE_TYPES or urlsplit(request.url).path.startswith(
            "/static/"
        )

    def _on_response(self, response) -> None:
        request = response.request
        if response.status >= 400 and self._is_static(request):
            self.problems.append(f"static asset answered {response.status}: {response.url}")
        elif response.status >= 500 and request.resource_type == "document":
            self.problems.append(f"page answered {response.status}: {response.url}")

    def _on_request_failed(self, request) -> None:
        if self._is_static(request):
            self.problems.append(f"static asset not loaded ({request.failure}): {request.url}")

    # Navigation --------------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    @property
    def path(self) -> str:
        parts = urlsplit(self.page.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def check(self) -> None:
        """Check the page now shown: no console or asset errors so far, no serious axe violation."""
        self.page.wait_for_load_state("load")
        problems, self.problems = self.problems, []
        if problems:
            pytest.fail(f"problems while loading {self.page.url}:\n  " + "\n  ".join(problems), pytrace=False)
        assert_accessible(self.page)
        self.checks = self.loads
        self.visited.append(self.path)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"GET {path} answered {response and response.status}"
        self.check()

    def navigate(self, action: Callable[[], object]) -> None:
        """Do something that loads a new page (click, submit), wait for it and check it."""
        with self.page.expect_navigation():
            action()
        self.check()

    def click(self, locator) -> None:
        self.navigate(locator.click)

    def follow(self, link_text: str | re.Pattern, *, within=None) -> None:
        scope = within if within is not None else self.page
        self.click(scope.get_by_role("link", name=link_text, exact=isinstance(link_text, str)).first)

    def press(self, button_text: str | re.Pattern, *, within=None) -> None:
        scope = within if within is not None else self.page.locator("main")
        self.click(scope.get_by_role("button", name=button_text, exact=isinstance(button_text, str)))

    # Forms ---------------------------------------------------------------------------------------------

    def field(self, label: str, *, within=None):
        """The form control labelled `label` (a required field's label ends in ' *')."""
        scope = within if within is not None else self.page.locator("main")
        return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))

    def fill(self, values: dict[str, str], *, within=None) -> None:
        for label, value in values.items():
            control = self.field(label, within=within)
            if control.evaluate("el => el.tagName") == "SELECT":
                control.select_option(value)
            else:
                control.fill(value)

    def tick(self, control_id: str) -> None:
        """Tick a USWDS checkbox or radio the way a person does: by clicking its label."""
        self.page.locator(f"label[for='{control_id}']").click()
        assert self.page.locator(f"#{control_id}").is_checked()

    # Accounts ------------------------------------------------------------------------------------------

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.fill({"E-mail address": email, "Password": password})
        self.press("Sign in")

    def sign_out(self) -> None:
        # Sign out sits in the account menu (the button named after the user).
        self.page.locator("header").locator("button[aria-controls=nav-account]").click()
        self.click(self.page.locator("header").get_by_role("button", name=re.compile(r"^Sign out")))

    def message(self) -> str:
        """The text of the alerts (Django messages) shown at the top of the page."""
        return " ".join(self.page.locator("main > .usa-alert").all_inner_texts())

    def finish(self) -> None:
        unchecked = self.loads - self.checks
        assert unchecked == 0, f"{unchecked} page load(s) were not checked; last page {self.page.url}"
        if self.problems:
            pytest.fail("problems after the last check:\n  " + "\n  ".join(self.problems), pytrace=False)


@pytest.fixture
def site(request, browser, live_server, settings) -> Iterator[Site]:
    """A fresh English-language browser tab on the live server. Links in e-mails point at the live server."""
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="en-US",
        extra_http_headers={"Accept-Language": "en"},
        viewport=VIEWPORT,
    )
    context.set_default_timeout(30_000)  # generous: CI runs two workers, each with a browser
    page = context.new_page()
    visitor = Site(page, live_server.url)
    try:
        yield visitor
        if not request.node.stash.get(_CALL_FAILED, False):
            visitor.finish()
    finally:
        context.close()


@pytest.fixture
def complete_other_steps():
    """Complete, through the services, the application steps later capabilities add to the checklist.

    The enrollment journey drives the enrollment pages; the security profile (issue 3) registers a step of its
    own that submission requires. Its pages are tested with that capability, so here it is filled in directly.
    """

    def complete(user, partner) -> None:
        from django.apps import apps

        if apps.is_installed("greenlane.profiles"):
            import io

            from django.core.management import call_command

            from greenlane.profiles.tests.factories import submitted_profile

            call_command("load_criteria", stdout=io.StringIO())  # the live server's flush emptied the catalog
            submitted_profile(user, partner)

    return complete
