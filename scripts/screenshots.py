#!/usr/bin/env python3
"""Capture documentation screenshots of the key pages of a running demo server into docs/screenshots/.

Start the demo first (`make run`, or the three commands it runs), then:

    .venv/bin/python scripts/screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]

The demo password comes from `greenlane demo-logins`, the staff code from `greenlane demo-totp` (demo mode
only). Chromium is Debian's (`GREENLANE_CHROMIUM`, default /usr/bin/chromium), driven by Playwright.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
GREENLANE = REPO / ".venv" / "bin" / "greenlane"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
MAX_BYTES = 300_000
OFFICER = "officer@demo.example"
SUPERVISOR = "supervisor@demo.example"


def greenlane(*args: str) -> str:
    env = {**os.environ, "GREENLANE_DEMO": "1"}
    return subprocess.run([str(GREENLANE), *args], env=env, check=True, capture_output=True, text=True).stdout


def demo_password() -> str:
    found = re.search(r"password:\s*(\S+)", greenlane("demo-logins"))
    if not found:
        sys.exit("Could not read the demo password from `greenlane demo-logins`.")
    return found.group(1)


class Shooter:
    def __init__(self, page: Page, base_url: str, out: Path) -> None:
        self.page, self.base_url, self.out = page, base_url.rstrip("/"), out
        self.files: list[Path] = []

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base_url + path)
        if response is None or not response.ok:
            sys.exit(f"GET {path} answered {response and response.status}")

    def submit(self, button: str) -> None:
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("button", name=button, exact=True).click()

    def follow(self, locator) -> None:
        with self.page.expect_navigation():
            locator.click()

    def shot(self, name: str, *, full_page: bool = False) -> None:
        self.page.wait_for_load_state("networkidle")
        path = self.out / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
        if full_page and path.stat().st_size > MAX_BYTES:
            self.page.screenshot(path=str(path), animations="disabled", caret="hide")
        self.files.append(path)
        print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB  {self.page.url}")

    def sign_in(self, email: str, password: str) -> None:
        self.goto("/accounts/login/")
        self.page.locator("#id_username").fill(email)
        self.page.locator("#id_password").fill(password)
        self.submit("Sign in")

    def pass_mfa(self) -> None:
        for _attempt in range(2):
            if not self.page.url.startswith(self.base_url + "/accounts/mfa/"):
                return
            self.page.locator("#id_code").fill(greenlane("demo-totp").strip())
            self.submit("Verify")
            if self.page.url.startswith(self.base_url + "/accounts/mfa/"):
                # A code is accepted once: if this one was just used, wait for the next 30-second step.
                time.sleep(31 - time.time() % 30)
        sys.exit("The demo TOTP code was refused twice; is the server in demo mode?")

    def sign_out(self) -> None:
        # Sign out sits in the account menu (the button named after the user).
        self.page.locator("header").locator("button[aria-controls=nav-account]").click()
        self.follow(self.page.locator("header").get_by_role("button", name=re.compile(r"^Sign out")))


def capture(base_url: str, out: Path, executable: str) -> list[Path]:
    password = demo_password()
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(
            viewport=VIEWPORT, locale="en-US", extra_http_headers={"Accept-Language": "en"}
        )
        s = Shooter(context.new_page(), base_url, out)

        s.goto("/")
        s.shot("home")
        s.goto("/accounts/login/")
        s.shot("sign-in")

        s.sign_in(OFFICER, password)
        s.goto("/companies/")
        s.shot("my-companies")
        rows = s.page.locator("main tbody tr")
        draft = rows.filter(has=s.page.locator(".gl-status--draft"))
        row = draft.first if draft.count() else rows.first
        s.follow(row.get_by_role("link").first)
        s.shot("company-overview", full_page=True)
        s.follow(
            s.page.get_by_role("navigation", name="Company sections").get_by_role("link", name="Agreement")
        )
        s.shot("agreement")
        s.sign_out()

        s.sign_in(SUPERVISOR, password)
        s.pass_mfa()
        s.goto("/staff/partners/")
        s.shot("staff-partner-search")
        submitted = s.page.locator("main tbody tr").filter(has=s.page.locator(".gl-status--submitted"))
        target = submitted.first if submitted.count() else s.page.locator("main tbody tr").first
        s.follow(target.get_by_role("link").first)
        s.shot("staff-partner-detail", full_page=True)
        s.goto("/staff/audit/")
        s.shot("audit-log")
        s.sign_out()
        browser.close()
    return s.files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("GREENLANE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    executable = os.environ.get("GREENLANE_CHROMIUM", "/usr/bin/chromium")
    if not os.access(executable, os.X_OK):
        sys.exit(f"Chromium not found at {executable}; set GREENLANE_CHROMIUM.")
    files = capture(args.url, args.out.resolve(), executable)
    too_big = [f for f in files if f.stat().st_size > MAX_BYTES]
    if too_big:
        sys.exit(f"Over {MAX_BYTES // 1000} KB: {', '.join(str(f) for f in too_big)}")


if __name__ == "__main__":
    main()
