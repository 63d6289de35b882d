"""Auto-invest rules and bot strategies can require a minimum expected net return (DESIGN.md,
"Pricing"): the engine asks the listing's expected net return at the rate it would bid."""

from decimal import Decimal

import pytest

from bots.cycle import bot_cycle_run
from bots.models import BotDecision, DecisionAction
from bots.services import auto_invest_rule_create, auto_invest_rule_update, bot_update
from loans.models import Bid
from loans.pricing import active_pricing, expected_at
from tests.bots.conftest import listing, make_borrower
from tests.factories import make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_rule_bids_only_where_the_expected_net_return_meets_its_minimum(risk_model):
    lender = make_user("picky@example.com", first_name="Pia")
    fund(lender, "5000")
    loan = listing(make_borrower(780), grade="A", max_rate="30.00")
    rule = auto_invest_rule_create(user=lender, data={
        "name": "returns", "min_expected_return": "25.00", "min_credit_score": 600,
        "rate_jitter": "0"})
    bot_cycle_run()
    assert not Bid.objects.filter(lender=lender).exists()
    skip = BotDecision.objects.get(rule=rule, loan=loan)
    assert skip.action == DecisionAction.SKIP
    assert "below our minimum 25.00%" in skip.reason and "expected net return" in skip.reason

    auto_invest_rule_update(user=lender, rule_id=rule.pk, data={"min_expected_return": "4.00"})
    bot_cycle_run()
    bid = Bid.objects.get(lender=lender, loan=loan)
    assert expected_at(loan, bid.rate, active_pricing())[1] >= D("4.00")


def test_a_bot_with_a_minimum_expected_return_skips_listings_that_earn_less(bots, risk_model):
    growth = bots["GrowthMax Lending"]
    bot_update(acting_user=None, bot_id=growth.pk, data={"min_expected_return": "30.00"})
    loan = listing(make_borrower(800), grade=(growth.grades or ["B"])[0],
                   term=(growth.terms or [36])[0],
                   purpose=(growth.purposes or ["debt_consolidation"])[0])
    bot_cycle_run(bot_name=growth.name)
    assert not Bid.objects.filter(lender=growth.user, loan=loan).exists()
    assert "below our minimum 30.00%" in BotDecision.objects.get(bot=growth, loan=loan).reason


@pytest.mark.parametrize("value", ["37", "-21", "abc", "1.234"])
def test_a_bad_minimum_expected_return_is_a_400_naming_the_field(lender, api_as, value):
    response = api_as(lender).post("/api/auto-invest", {"name": "x", "minExpectedReturn": value},
                                   format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "minExpectedReturn"
