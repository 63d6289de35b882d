"""The strategy engine: eligibility, pricing and sizing of each seeded bot (DESIGN.md, "Bots")."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bots import engine
from bots.cycle import bot_cycle_run
from bots.models import BotDecision, DecisionAction
from bots.services import bot_update
from communitylend.demo.market import BOTS
from loans.models import Bid, BidStatus
from tests.bots.conftest import bulk_listings, listing, make_borrower

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize("name", [spec[0] for spec in BOTS])
def test_each_seeded_bot_bids_on_a_listing_that_fits_and_skips_one_that_does_not(
        name, bots, risk_model):
    bot = bots[name]
    grade = (bot.grades or ["A"])[0]
    term = (bot.terms or [36])[0]
    purpose = (bot.purposes or ["debt_consolidation"])[0]
    fits = listing(make_borrower(max(bot.min_credit_score + 20, 800)), grade=grade, term=term,
                   purpose=purpose)
    too_risky = listing(make_borrower(bot.min_credit_score - 1), grade=grade, term=term,
                        purpose=purpose)

    result = bot_cycle_run(bot_name=name)

    assert [r.label for r in result.reports] == [name]
    bid = Bid.objects.get(lender=bot.user, loan=fits)
    assert bid.status == BidStatus.OPEN and bid.source == "bot"
    assert fits.floor_rate <= bid.rate <= fits.max_rate
    assert bid.amount == min(engine.target_amount(bot, bot.capital), fits.amount)
    assert not Bid.objects.filter(lender=bot.user, loan=too_risky).exists()
    placed = BotDecision.objects.get(bot=bot, loan=fits)
    assert placed.action == DecisionAction.BID and placed.bid_id == bid.pk
    skipped = BotDecision.objects.get(bot=bot, loan=too_risky)
    assert skipped.action == DecisionAction.SKIP
    assert skipped.reason == (f"credit score {bot.min_credit_score - 1} below minimum "
                              f"{bot.min_credit_score}")


def test_bots_skip_listings_outside_their_grades_terms_purposes_and_dti_saying_why(
        bots, risk_model):
    safety = bots["SafetyFirst Capital"]  # A-B, 12-36 months, no business loans, DTI <= 30
    prime = make_borrower(800)
    indebted = make_borrower(800, monthly_debt=D("2500"))  # 2,500 x 12 / 85,000 = 35.29%
    wrong_grade = listing(prime, grade="D")
    wrong_term = listing(prime, term=60)
    wrong_purpose = listing(prime, purpose="business")
    too_indebted = listing(indebted)

    bot_cycle_run(bot_name=safety.name)

    reasons = dict(BotDecision.objects.filter(bot=safety).values_list("loan_id", "reason"))
    assert reasons[wrong_grade.pk] == "grade D not in A, B"
    assert reasons[wrong_term.pk] == "term 60 months not in 12, 24, 36"
    assert reasons[wrong_purpose.pk] == "purpose business not in our purposes"
    assert reasons[too_indebted.pk] == "debt-to-income 35.29% above maximum 30.00%"
    assert not Bid.objects.filter(lender=safety.user).exists()


def test_bots_stay_within_credit_score_capital_concentration_per_loan_and_rate_limits(bots):
    # Small configured capitals make every limit bind; the wallets still hold the full capital,
    # so it is the strategy, not the cash, that stops them.
    for bot in bots.values():
        bot_update(acting_user=None, bot_id=bot.pk, data={"capital": D("40000.00")})
    scores = [600, 640, 655, 690, 705, 730, 760, 785, 800, 820]
    borrowers = [make_borrower(score) for score in scores]
    bulk_listings(borrowers, 300)

    bot_cycle_run()
    bot_cycle_run(now=timezone.now() + timedelta(seconds=30))  # exposure carried over

    limit_skips = 0
    for bot in bots.values():
        bot.refresh_from_db()
        bids = list(Bid.objects.filter(lender=bot.user, status=BidStatus.OPEN)
                    .select_related("loan__borrower"))
        assert bids, f"{bot.name} placed no bid"
        per_grade, per_borrower = defaultdict(D), defaultdict(D)
        for bid in bids:
            loan = bid.loan
            assert loan.borrower.credit_score >= bot.min_credit_score
            assert loan.floor_rate <= bid.rate <= loan.max_rate
            assert bid.rate == bid.rate.quantize(D("0.01"))
            assert bid.amount <= engine.target_amount(bot, bot.capital) <= bot.max_per_loan
            assert not bot.grades or loan.risk_grade in bot.grades
            assert not bot.terms or loan.term_months in bot.terms
            assert not bot.purposes or loan.purpose in bot.purposes
            assert loan.borrower.debt_to_income <= bot.max_debt_to_income
            per_grade[loan.risk_grade] += bid.amount
            per_borrower[loan.borrower_id] += bid.amount
        deployed = sum((b.amount for b in bids), D(0))
        assert deployed <= bot.capital * bot.max_capital_use / 100 <= bot.capital
        for grade, total in per_grade.items():
            assert total <= bot.capital * D(bot.grade_limits.get(grade, 100)) / 100
        for total in per_borrower.values():
            assert total <= bot.capital * bot.borrower_limit / 100
        limit_skips += BotDecision.objects.filter(
            bot=bot, action=DecisionAction.SKIP, reason__contains="limit").count()
    assert limit_skips > 0


def test_prices_are_recommended_plus_spread_plus_bounded_jitter_and_reproducible(bots, risk_model):
    growth = bots["GrowthMax Lending"]
    loan = listing(make_borrower(800), grade="A", term=24, max_rate="30.00")
    now = timezone.now()

    first = [engine.price(growth, loan, engine.rng_for("bot", growth.pk, now))[0]
             for _ in range(3)]
    assert len(set(first)) == 1  # the same bot in the same 30-second bucket: the same price
    rates = {engine.price(growth, loan, engine.rng_for("bot", growth.pk,
                                                        now + timedelta(seconds=30 * k)))[0]
             for k in range(40)}
    assert len(rates) > 1
    centre = loan.recommended_rate + growth.rate_spread
    assert all(centre - growth.rate_jitter <= rate <= centre + growth.rate_jitter
               for rate in rates)


def test_a_price_is_clamped_to_the_borrowers_maximum_and_refused_below_the_floor(bots,
                                                                                 risk_model):
    premium = bots["PremiumRate Investors"]  # recommended + 1.00
    borrower = make_borrower(820)
    # the floors this borrower's 12- and 24-month listings are quoted
    floor12 = listing(borrower, grade="A", term=12, max_rate="30.00").floor_rate
    floor24 = listing(borrower, grade="A", term=24, max_rate="30.00").floor_rate
    capped = listing(borrower, grade="A", term=12, max_rate=str(floor12 + D("0.50")))
    rate, reason = engine.price(premium, capped, engine.rng_for("bot", premium.pk,
                                                                timezone.now()))
    assert reason == "" and rate == floor12 + D("0.50")
    premium = bot_update(acting_user=None, bot_id=premium.pk,
                         data={"min_rate": str(floor24 + 1)})
    too_low = listing(borrower, grade="A", term=24, max_rate=str(floor24 + D("0.50")))
    rate, reason = engine.price(premium, too_low, engine.rng_for("bot", premium.pk,
                                                                 timezone.now()))
    assert rate is None and f"below our minimum rate {floor24 + 1:.2f}%" in reason


def test_skips_are_logged_when_a_listing_is_new_or_changed_not_every_cycle(bots, risk_model):
    safety = bots["SafetyFirst Capital"]
    loan = listing(make_borrower(700))  # below SafetyFirst's 750

    bot_cycle_run(bot_name=safety.name)
    bot_cycle_run(bot_name=safety.name)

    assert BotDecision.objects.filter(bot=safety, loan=loan).count() == 1
