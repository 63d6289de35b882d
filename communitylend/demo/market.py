"""Demo data for ``seed_demo``: people, the risk model, wallets, a live marketplace, the six bot
lenders of the original platform.

Everything goes through the same services users go through, and every step is idempotent.
"""

import random
from decimal import Decimal

from django.db.models import F

from accounts.models import User
from bots.models import BotLender, BotStatus, BotStyle
from bots.services import bot_create, bot_fund_initial
from communitylend.core.money import TERMS
from communitylend.demo import people
from loans.models import SERVICED, Bid, Loan, LoanStatus, Purpose
from loans.services import bid_place, loan_accept, loan_apply, loan_raise_max_rate
from payments.selectors import wallet_balances
from payments.services import wallet_deposit
from risk.models import ModelVersion
from risk.services import RiskModelUnavailable, bundle_for
from risk.training import train_and_register

LENDER_CASH = Decimal("50000.00")
AMOUNTS = (1500, 2500, 4000, 5000, 7500, 10000, 12000, 15000, 20000, 25000)


def ensure_risk_model(stdout=None) -> str:
    active = ModelVersion.objects.filter(is_active=True).first()
    if active:
        try:
            bundle_for(active)
            return active.version
        except RiskModelUnavailable as exc:  # e.g. trained before pricing from cash flows
            if stdout:
                stdout.write(f"The active risk model cannot be used ({exc}); retraining.")

    if stdout:
        stdout.write("Training the risk model (once; about a minute)...")
    _, version = train_and_register()
    return version.version


def fund_lenders() -> int:
    funded = 0
    for email, *_ in people.LENDERS:
        user = User.objects.get(email=email)
        wallet_deposit(user=user, amount=LENDER_CASH, idempotency_key="seed-demo-funding")
        funded += 1
    return funded


def seed_listings(per_borrower: int = 4) -> int:
    rng = random.Random(2026)
    purposes = list(Purpose.values)
    created = 0
    for email, *_ in people.BORROWERS:
        borrower = User.objects.get(email=email)
        have = Loan.objects.filter(borrower=borrower).count()
        for _ in range(have, per_borrower):
            amount = Decimal(AMOUNTS[rng.randrange(len(AMOUNTS))])
            term = TERMS[created % len(TERMS)]
            # Borrowers name a maximum a few points above the floor, then raise it once they
            # see the recommended rate (the path a real borrower takes).
            loan = loan_apply(borrower=borrower, amount=amount, term_months=term,
                              purpose=purposes[rng.randrange(len(purposes))],
                              max_rate=Decimal("5.00"),
                              description="Demo listing created by seed_demo.")
            loan_raise_max_rate(borrower=borrower, loan_id=loan.pk, max_rate=min(
                Decimal("35.99"), loan.recommended_rate + Decimal(rng.randint(2, 6))))
            created += 1
    return created


def seed_bids() -> int:
    """Each demo lender bids on a few listings so the order books are not empty."""
    placed = 0
    lenders = [User.objects.get(email=email) for email, *_ in people.LENDERS]
    if Bid.objects.filter(lender__in=lenders).exists():
        return 0
    listings = list(Loan.objects.filter(status=LoanStatus.LISTED, bid_count=0)
                    .order_by("id")[:12])
    for index, loan in enumerate(listings):
        lender = lenders[index % len(lenders)]
        if wallet_balances(lender.pk)["available"] < 1000:
            continue
        amount = min(loan.amount / 4, Decimal("2500")).quantize(Decimal("0.01"))
        rate = min(loan.max_rate, loan.recommended_rate + Decimal("0.50"))
        bid_place(lender=lender, loan_id=loan.pk, amount=amount, rate=rate)
        placed += 1
    return placed


def seed_disbursed_loans(count: int = 4) -> int:
    """After the bots' first cycle, the best-covered listings are topped up by the demo lenders
    and accepted by their borrowers, so portfolios, schedules and the platform dashboard have
    live loans from the start. Only while no loan has been disbursed yet (idempotent)."""
    if Loan.objects.filter(status__in=SERVICED).exists():
        return 0
    lenders = [User.objects.get(email=email) for email, *_ in people.LENDERS]
    listings = sorted(Loan.objects.filter(status=LoanStatus.LISTED, max_rate__gte=F(
        "floor_rate")).select_related("borrower"),
        key=lambda loan: (-(loan.bid_total / loan.requested_amount), loan.pk))
    accepted = 0
    for loan in listings:
        if accepted == count:
            break
        gap = loan.requested_amount - min(loan.bid_total, loan.requested_amount)
        if gap > 0:
            bidders = set(Bid.objects.filter(loan=loan, status="open").values_list(
                "lender_id", flat=True))
            lender = next((u for u in lenders if u.pk not in bidders
                           and wallet_balances(u.pk)["available"] >= gap), None)
            if lender is None or gap < 25:
                continue
            bid_place(lender=lender, loan_id=loan.pk, amount=gap, rate=loan.max_rate)
        loan_accept(borrower=loan.borrower, loan_id=loan.pk)
        accepted += 1
    return accepted


# --- The six bot lenders (DESIGN.md, "Bots") ------------------------------------------------------
#
# (name, email, style, capital, strategy). Percentages are of the bot's capital. The styles differ
# the way their names say: SafetyFirst and PremiumRate lend to prime borrowers in small slices and
# keep cash back; GrowthMax takes grades B-E at a discount to win; QuickCash takes short terms and
# moves its price in big steps; BalancedChoice and FlexiLend sit between.
BOTS = [
    ("SafetyFirst Capital", "safetyfirst@bots.communitylend.local", BotStyle.CONSERVATIVE,
     Decimal("500000.00"), {
         "min_credit_score": 750, "max_debt_to_income": Decimal("30"), "grades": ["A", "B"],
         "purposes": ["car", "credit_card", "debt_consolidation", "education",
                      "home_improvement", "major_purchase"],
         "terms": [12, 24, 36], "loan_share": Decimal("1.00"), "min_per_loan": Decimal("250"),
         "max_per_loan": Decimal("5000"), "max_capital_use": Decimal("80"),
         "grade_limits": {"A": 70, "B": 40}, "borrower_limit": Decimal("2.00"),
         "rate_spread": Decimal("0.50"), "rate_jitter": Decimal("0.20"),
         "rebid_step": Decimal("0.10"), "rebid_floor_margin": Decimal("2.00")}),
    ("GrowthMax Lending", "growthmax@bots.communitylend.local", BotStyle.AGGRESSIVE,
     Decimal("300000.00"), {
         "min_credit_score": 650, "max_debt_to_income": Decimal("45"),
         "grades": ["B", "C", "D", "E"], "purposes": [], "terms": [],
         "loan_share": Decimal("1.50"), "min_per_loan": Decimal("100"),
         "max_per_loan": Decimal("6000"), "max_capital_use": Decimal("95"),
         "grade_limits": {"B": 40, "C": 40, "D": 35, "E": 25}, "borrower_limit": Decimal("3.00"),
         "rate_spread": Decimal("-0.50"), "rate_jitter": Decimal("0.50"),
         "rebid_step": Decimal("0.25"), "rebid_floor_margin": Decimal("0.50")}),
    ("BalancedChoice Finance", "balancedchoice@bots.communitylend.local", BotStyle.BALANCED,
     Decimal("400000.00"), {
         "min_credit_score": 700, "max_debt_to_income": Decimal("36"),
         "grades": ["A", "B", "C", "D"],
         "purposes": ["business", "car", "credit_card", "debt_consolidation", "education",
                      "home_improvement", "major_purchase", "medical"],
         "terms": [12, 24, 36, 60], "loan_share": Decimal("1.00"),
         "min_per_loan": Decimal("200"), "max_per_loan": Decimal("4000"),
         "max_capital_use": Decimal("85"), "grade_limits": {"A": 40, "B": 40, "C": 30, "D": 20},
         "borrower_limit": Decimal("2.50"), "rate_spread": Decimal("0.00"),
         "rate_jitter": Decimal("0.30"), "rebid_step": Decimal("0.20"),
         "rebid_floor_margin": Decimal("1.00")}),
    ("QuickCash Solutions", "quickcash@bots.communitylend.local", BotStyle.FAST,
     Decimal("200000.00"), {
         "min_credit_score": 600, "max_debt_to_income": Decimal("50"), "grades": [],
         "purposes": [], "terms": [12, 24], "loan_share": Decimal("1.00"),
         "min_per_loan": Decimal("100"), "max_per_loan": Decimal("2500"),
         "max_capital_use": Decimal("90"), "grade_limits": {"D": 30, "E": 20},
         "borrower_limit": Decimal("3.00"), "rate_spread": Decimal("0.25"),
         "rate_jitter": Decimal("0.75"), "rebid_step": Decimal("0.50"),
         "rebid_floor_margin": Decimal("0.25")}),
    ("PremiumRate Investors", "premiumrate@bots.communitylend.local",
     BotStyle.ULTRA_CONSERVATIVE, Decimal("750000.00"), {
         "min_credit_score": 780, "max_debt_to_income": Decimal("25"), "grades": ["A"],
         "purposes": ["car", "debt_consolidation", "education", "home_improvement",
                      "major_purchase"],
         "terms": [12, 24, 36], "loan_share": Decimal("1.00"), "min_per_loan": Decimal("500"),
         "max_per_loan": Decimal("7500"), "max_capital_use": Decimal("70"),
         "grade_limits": {"A": 70}, "borrower_limit": Decimal("1.50"),
         "rate_spread": Decimal("1.00"), "rate_jitter": Decimal("0.10"),
         "min_rate": Decimal("6.00"), "rebid_step": Decimal("0.05"),
         "rebid_floor_margin": Decimal("3.00")}),
    ("FlexiLend Partners", "flexilend@bots.communitylend.local", BotStyle.FLEXIBLE,
     Decimal("350000.00"), {
         "min_credit_score": 680, "max_debt_to_income": Decimal("40"),
         "grades": ["A", "B", "C", "D"], "purposes": [], "terms": [],
         "loan_share": Decimal("1.25"), "min_per_loan": Decimal("100"),
         "max_per_loan": Decimal("5000"), "max_capital_use": Decimal("90"),
         "grade_limits": {"A": 50, "B": 50, "C": 40, "D": 25}, "borrower_limit": Decimal("2.50"),
         "rate_spread": Decimal("0.25"), "rate_jitter": Decimal("0.40"),
         "rebid_step": Decimal("0.25"), "rebid_floor_margin": Decimal("1.00")}),
]


def seed_bots() -> int:
    """Create the six bots, running, each funded from the platform's bot capital (once: the
    funding key is the bot's). Bots that exist are left as they are. Returns how many were new."""
    created = 0
    for name, email, style, capital, strategy in BOTS:
        bot = BotLender.objects.select_related("user").filter(name=name).first()
        if bot is None:
            bot_create(name=name, email=email, style=style, capital=capital, strategy=strategy,
                       status=BotStatus.RUNNING)
            created += 1
        else:
            bot_fund_initial(bot=bot)  # a seed stopped between creating and funding
    return created
