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
from playwright.sync_api import expect

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


AXE_SUMMARY: list[tuple[str, int, int, int]] = []  # (journey, checks, serious+critical, minor)
# WCAG 2.0/2.1 A and AA rules only; each violation with its impact and first targets.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(' '))}));
}"""
# The elements wider than the viewport, innermost first, to say what to fix.
WIDEST_ELEMENTS = """(limit) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > limit + 1 && !e.closest('.table-responsive, .table-scroll'))
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > limit + 1))
  .slice(0, 5).map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`
    + `.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}px`)"""

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
        self.problems = []  # axe-core serious/critical violations, sideways scrolling at 390 px
        self.axe_serious = 0
        self.minor = []
        self.axe_pages = 0
        self.skip_axe = False  # the admin is Django's own: journeys there check layout only

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
        """A screenshot at 1366 and at 390 px wide, and the page's checks: axe-core finds no
        serious or critical WCAG 2.1 AA violation, and at 390 px nothing scrolls sideways."""
        self.steps += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{slug}.png"), full_page=True)
        self.check_accessibility(page, name)
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(self.folder / f"{self.steps:02d}-{slug}-390.png"),
                        full_page=True)
        self.check_no_sideways_scroll(page, name)
        self.check_accessibility(page, f"{name} at 390 px")
        page.set_viewport_size(DESKTOP)

    def check_no_sideways_scroll(self, page, name: str):
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide = page.evaluate(WIDEST_ELEMENTS, PHONE["width"])
            self.problems.append(f"{name} ({page.url}): {width} px wide at 390 px: {wide}")

    def check_accessibility(self, page, name: str):
        """axe-core (node_modules, served by the test server) on the page as it is now."""
        if self.skip_axe:
            return
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
        result = page.evaluate(AXE_RUN)
        self.axe_pages += 1
        for violation in result:
            if violation["impact"] in ("serious", "critical"):
                self.axe_serious += 1
                self.problems.append(
                    f"{name} ({page.url}): axe {violation['impact']} {violation['id']}: "
                    f"{violation['help']} at {violation['targets'][:3]}")
            else:
                self.minor.append(f"{violation['impact']} {violation['id']}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(browser, live_server, request):
    trip = Journey(browser, live_server.url, request.node.name.removeprefix("test_"))
    yield trip
    trip.close()
    assert not trip.offsite, f"pages tried to load from elsewhere: {trip.offsite[:5]}"
    AXE_SUMMARY.append((trip.folder.name, trip.axe_pages, trip.axe_serious, len(trip.minor)))
    assert not trip.problems, "\n".join(trip.problems)


def log_in(page, email: str, password: str):
    """The site's login form (allauth)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]").click()
    page.wait_for_load_state()


def publish_agreement():
    """A loan agreement to accept: the journeys' database is flushed between tests
    (transaction=True), which takes the migrations' first version with it."""
    from loans.models import LoanAgreement
    from loans.services import agreement_save
    from tests.factories import make_staff

    if not LoanAgreement.objects.exists():
        agreement_save(acting_user=make_staff("legal.team@example.com"), agreement=LoanAgreement(
            title="Loan agreement",
            text="This agreement is between {borrower_name} and the {lender_count} lender(s) "
                 "of loan #{loan_id}, dated {date}. The borrower repays on the schedule below "
                 "and may prepay at any time without a penalty."))


def dismiss_then_confirm(journey, page, button, name: str):
    """The dialog says what will happen; "Keep it as it is" leaves everything, "Confirm" acts."""
    button.click()
    dialog = page.get_by_test_id("confirm-dialog")
    expect(dialog).to_be_visible()
    journey.step(page, f"{name} asks first")
    text = dialog.inner_text()
    page.get_by_role("button", name="Keep it as it is").click()
    expect(dialog).to_be_hidden()
    button.click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # Escape dismisses too
    expect(dialog).to_be_hidden()
    return text


def confirm(page, action: str):
    button = page.get_by_test_id("confirm-dialog").get_by_role("button", name=action)
    # The confirmed form is submitted: wait for the answer's page, not for the page already
    # loaded (the database is read right after).
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


def staff_log_in(page, staff, password: str):
    """A staff member's login, in one place: the password, then the TOTP code that two-factor
    login asks every staff member for (accounts/mfa.py)."""
    from tests.factories import totp_code

    log_in(page, staff.email, password)
    page.fill("input[name=code]", totp_code(staff))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def pytest_terminal_summary(terminalreporter):
    """The axe-core result of the run, also kept beside the screenshots."""
    if not AXE_SUMMARY:
        return
    lines = [f"{name}: axe-core ran on {checks} page states, {serious} serious/critical, "
             f"{minor} minor/moderate" for name, checks, serious, minor in AXE_SUMMARY]
    terminalreporter.write_sep("-", "axe-core (WCAG 2.1 A/AA)")
    for line in lines:
        terminalreporter.write_line(line)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "axe-summary.txt", "a") as summary:
        summary.write("\n".join(lines) + "\n")
