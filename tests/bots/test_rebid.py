"""Outbid bots lower their rate step by step, through the bid update path, down to their floor."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bots import engine
from bots.cycle import bot_cycle_run
from bots.models import BotDecision, DecisionAction
from loans import services as loan_services
from loans.models import Bid, BidStatus
from tests.bots.conftest import listing, make_borrower
from tests.factories import make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


def test_an_outbid_bot_rebids_down_to_its_own_floor_and_stops_there(bots, risk_model):
    balanced = bots["BalancedChoice Finance"]  # step 0.20, own floor = grade floor + 1.00
    loan = listing(make_borrower(800), grade="A", term=36)
    now = timezone.now()
    bot_cycle_run(bot_name=balanced.name, now=now)
    bid = Bid.objects.get(lender=balanced.user, loan=loan)
    first_rate = bid.rate
    floor = engine.own_floor(balanced, loan)
    assert first_rate > floor

    # A person covers the whole loan at the grade floor: the bot is outside the clearing.
    rival = make_user("rival@example.com", first_name="Rita")
    fund(rival, "20000")
    loan_services.bid_place(lender=rival, loan_id=loan.pk, amount=loan.amount,
                            rate=engine.cents_up(loan.floor_rate))

    rates = []
    for cycle in range(1, 60):
        bot_cycle_run(bot_name=balanced.name, now=now + timedelta(seconds=30 * cycle))
        bid.refresh_from_db()
        if rates and bid.rate == rates[-1]:
            break
        rates.append(bid.rate)

    expected, rate = [], first_rate
    while rate > floor:
        rate = max(rate - balanced.rebid_step, floor)
        expected.append(rate)
    assert rates == expected and rates[-1] == floor
    assert bid.status == BidStatus.OPEN and bid.amount == Bid.objects.get(pk=bid.pk).amount
    assert bid.version == 1 + len(expected)  # each step went through bid_update
    rebids = BotDecision.objects.filter(bot=balanced, loan=loan, action=DecisionAction.REBID)
    assert rebids.count() == len(expected)
    at_floor = BotDecision.objects.filter(bot=balanced, loan=loan, action=DecisionAction.SKIP)
    assert at_floor.count() == 1 and "outbid at our floor" in at_floor.get().reason


def test_a_bot_inside_the_clearing_does_not_rebid(bots, risk_model):
    growth = bots["GrowthMax Lending"]
    loan = listing(make_borrower(800), grade="C", term=24)
    bot_cycle_run(bot_name=growth.name)
    rate = Bid.objects.get(lender=growth.user, loan=loan).rate
    bot_cycle_run(bot_name=growth.name, now=timezone.now() + timedelta(seconds=30))
    assert Bid.objects.get(lender=growth.user, loan=loan).rate == rate
    assert not BotDecision.objects.filter(bot=growth, action=DecisionAction.REBID).exists()
