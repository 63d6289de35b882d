"""Browser journeys: Playwright for Python driving Debian's chromium against the live server
(pytest-django's ``live_server``, a real threaded HTTP server on 127.0.0.1, one per session).

Every step saves a screenshot under ``test-artifacts/browser/<journey>/``. The browser runs
offline: every asset is served locally (node_modules through the static files), so a page that
tried to reach a CDN would render unstyled and the journeys' checks on what it shows would fail.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    if chromium_path() is None:
        pytest.skip("chromium is not installed: apt-get install -y chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread while it runs; the test's own
    # ORM calls (building state through services) are still synchronous, so Django may allow
    # them. Only for this module: the loop stops with it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=chromium_path(),
                                                  args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


class Journey:
    """Browser tabs for the people in one journey, and a screenshot per step at 1366 and 390 px
    wide."""

    def __init__(self, browser, base_url: str, name: str):
        self.browser = browser
        self.base_url = base_url
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.steps = 0
        self.contexts = []
        self.offsite = []

    def person(self):
        """A new browser (own cookies) for one person; it may reach only the live server."""
        context = self.browser.new_context(base_url=self.base_url,
                                           viewport=DESKTOP)
        context.set_default_timeout(15_000)
        context.route(re.compile(r"^(?!" + re.escape(self.base_url) + ").*"), self._block)
        self.contexts.append(context)
        return context.new_page()

    def _block(self, route):
        self.offsite.append(route.request.url)
        route.abort()

    def step(self, page, name: str):
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{slug}.png"), full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{slug}-390.png"),
                        full_page=True)
        page.set_viewport_size(DESKTOP)

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(browser, live_server, request):
    trip = Journey(browser, live_server.url, request.node.name.removeprefix("test_"))
    yield trip
    trip.close()
    assert not trip.offsite, f"pages tried to load from elsewhere: {trip.offsite[:5]}"


def log_in(page, email: str, password: str):
    """The site's login form (allauth)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]").click()
    page.wait_for_load_state()


def staff_log_in(page, staff, password: str):
    """A staff member's login, in one place: the password, then the TOTP code that two-factor
    login asks every staff member for (accounts/mfa.py)."""
    from tests.factories import totp_code

    log_in(page, staff.email, password)
    page.fill("input[name=code]", totp_code(staff))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
