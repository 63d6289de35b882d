"""The design presentation (issue 22): docs/design.md drawn as Mermaid diagrams, served as a
slide deck at /about/design/ with live figures, linked from every page's footer."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders

from bots.services import bot_create
from communitylend.about.slides import parse
from loans import services as market
from risk.models import ModelVersion
from tests.factories import make_user
from tests.money import fund

ROOT = Path(__file__).resolve().parents[2]
D = Decimal
TOPICS = ["apps", "ledger", "servicing", "auction", "bots", "risk model", "scaling out"]
BACKTEST_ROW = {"loans": 4184, "default_rate": 4.8, "mean_pd": 5.3,
                "floor": {"rate": 6.99, "irr": 4.63, "net_annualized_return": 4.52},
                "recommended": {"rate": 9.84, "irr": 7.64, "net_annualized_return": 7.36},
                "lendingclub": {"rate": 8.52, "irr": 6.27, "net_annualized_return": 6.07}}


def test_the_design_document_draws_every_part_of_the_architecture_in_mermaid():
    text = (ROOT / "docs" / "design.md").read_text()
    slides = parse(text)
    titles = " | ".join(slide.title.lower() for slide in slides)
    for topic in TOPICS:
        assert topic in titles, topic
    assert all(slide.diagrams for slide in slides[1:]), "every slide after the title draws one"
    assert text.count("```mermaid") == sum(len(slide.diagrams) for slide in slides)
    for diagram in (d for slide in slides for d in slide.diagrams):
        assert re.match(r"(flowchart|sequenceDiagram|stateDiagram-v2)\b", diagram), diagram


def test_mermaid_comes_from_npm_and_is_served_by_the_site(client):
    package = json.loads((ROOT / "package.json").read_text())
    assert package["dependencies"]["mermaid"] == "12.3.0"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/mermaid"]["version"] == "12.3.0"
    assert finders.find("vendor/mermaid/mermaid.min.js")
    assert finders.find("vendor/mermaid/mermaid.min.js.map")  # the manifest storage follows it
    assert client.get("/static/vendor/mermaid/mermaid.min.js").status_code == 200


@pytest.fixture
def market_with_a_loan(risk_model):
    borrower = make_user("deck.borrower@example.com", verified=True)
    lender = make_user("deck.lender@example.com")
    fund(lender, "5000.00")
    loan = market.loan_apply(borrower=borrower, amount=D("1250"), term_months=12,
                             purpose="car", max_rate=D("30"), staff_grade="C")
    market.bid_place(lender=lender, loan_id=loan.pk, amount=D("1250"), rate=D("20"))
    market.loan_accept(borrower=borrower, loan_id=loan.pk)
    bot = bot_create(name="SafetyFirst Capital", email="safety@bots.example.com",
                     style="conservative", capital="500000", strategy={})
    listed = market.loan_apply(borrower=borrower, amount=D("2000"), term_months=12,
                               purpose="car", max_rate=D("30"), staff_grade="C")
    market.bid_place(lender=bot.user, loan_id=listed.pk, amount=D("1000"), rate=D("25"))
    version = ModelVersion.objects.get(is_active=True)
    version.metrics = {**version.metrics, "auc_oot": 0.6986, "lc_subgrade_auc_oot": 0.6693,
                       "backtest_oot": {"rows": [
                           {"grade": "A", "term": 36, **BACKTEST_ROW},
                           {"grade": "A", "term": "all", **BACKTEST_ROW},
                           {**BACKTEST_ROW, "grade": "all", "term": "all", "loans": 21721}]}}
    version.save(update_fields=["metrics"])
    return version


@pytest.mark.django_db
def test_the_deck_shows_live_figures(client, market_with_a_loan, settings, tmp_path):
    settings.BENCH_RESULTS_FILE = tmp_path / "latest.json"
    settings.BENCH_RESULTS_FILE.write_text(json.dumps({
        "scale": "small", "database": "postgresql", "finished_at": "2026-12-03T02:00:00+00:00",
        "series": [{"name": "servicing_day loans/s", "median": 2193.4, "low": 2100.0,
                    "high": 2250.5, "unit": "loans/s"}]}))
    page = client.get("/about/design/")
    assert page.status_code == 200
    html = page.content.decode()
    # the slides of docs/design.md, each diagram as Mermaid text for the browser to draw
    assert html.count('class="mermaid diagram"') >= len(TOPICS)
    assert "flowchart TD" in html and "stateDiagram-v2" in html
    assert "/static/vendor/mermaid/mermaid.min.js" in html and "/static/js/design.js" in html
    assert "https://" not in html  # no CDN
    # live: the volume funded, the bots' capital use, the model and its backtest, the bench
    assert re.search(r'data-testid="volume-funded">1,250\.00<', html)
    assert "1 loan disbursed" in html
    assert "SafetyFirst Capital" in html and "500,000" in html
    assert re.search(r'data-testid="bot-utilization">0\.2%<', html)  # 1,000 held of 500,000
    assert market_with_a_loan.version in html
    assert "0.6986" in html and "0.6693" in html
    assert "21,721" in html and "4.63%" in html and "7.64%" in html
    assert "servicing_day loans/s" in html and "2193.40" in html and "postgresql" in html


@pytest.mark.django_db
def test_the_deck_says_what_is_missing_on_an_empty_installation(client, settings, tmp_path):
    settings.BENCH_RESULTS_FILE = tmp_path / "none.json"
    html = client.get("/about/design/").content.decode()
    assert "No active model version yet" in html
    assert 'data-testid="bench-missing"' in html
    assert re.search(r'data-testid="volume-funded">0\.00<', html)


@pytest.mark.django_db
def test_every_page_links_the_design_from_its_footer(client):
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert 'href="/about/design/"' in footer


def test_the_bench_command_keeps_its_last_figures_for_the_deck():
    source = (ROOT / "communitylend" / "bench" / "management" / "commands" / "bench.py")
    assert "BENCH_RESULTS_FILE" in source.read_text()
    assert django_settings.BENCH_RESULTS_FILE.name == "latest.json"
