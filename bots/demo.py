"""Demo data for ``seed_demo``: people, the risk model, wallets, a live marketplace.

Everything goes through the same services users go through, and every step is idempotent.
"""

import random
from decimal import Decimal

from accounts import demo as people
from accounts.models import User
from loans.models import Bid, Loan, LoanStatus, Purpose
from loans.services import bid_place, loan_apply, loan_raise_max_rate
from payments.selectors import wallet_balances
from payments.services import wallet_deposit
from risk.models import ModelVersion

LENDER_CASH = Decimal("50000.00")
TERMS = (12, 24, 36, 60)
AMOUNTS = (1500, 2500, 4000, 5000, 7500, 10000, 12000, 15000, 20000, 25000)


def ensure_risk_model(stdout=None) -> str:
    active = ModelVersion.objects.filter(is_active=True).first()
    if active:
        return active.version
    from risk.training import train_and_register

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
