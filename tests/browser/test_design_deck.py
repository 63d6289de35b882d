"""The design deck in a real browser: every Mermaid diagram is drawn (by the npm package the
site serves, under the site's Content-Security-Policy), and the slides turn with the keys."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_reads_the_design_deck_with_its_diagrams_drawn(journey):
    page = journey.person()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/")
    page.get_by_role("link", name="The design").click()
    diagrams = page.locator(".deck .mermaid")
    count = diagrams.count()
    assert count >= 7
    expect(page.locator(".deck .mermaid svg")).to_have_count(count, timeout=30_000)
    assert not page.locator(".deck .mermaid", has_text="Syntax error").count()
    expect(page).to_have_url(f"{journey.base_url}/about/design/#slide-1")
    expect(page.locator("#deck-position")).to_contain_text("1 / ")
    page.locator("#deck-all").click()  # every slide on one page for the screenshot
    journey.step(page, "the whole deck")
    page.locator("#deck-all").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slide.current h2")).to_have_text("Apps and the direction of dependencies")
    expect(page.locator(".slide.current svg")).to_be_visible()
    journey.step(page, "the apps slide")
    page.keyboard.press("End")
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    expect(page.locator(".slide.current h2")).to_contain_text("Benchmarks")
    assert not problems, problems
