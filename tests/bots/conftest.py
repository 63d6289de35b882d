"""Personas and market builders for the bot tests.

Listings for behaviour tests go through ``loan_apply`` (with the ``risk_model`` fixture); the
volume tests create loans with ``Loan.objects.bulk_create``, an accepted shortcut for thousands of
rows (the bots only read listings, so every write they make still goes through the services).
"""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bots.models import BotLender
from communitylend.demo.market import seed_bots
from loans import services as loan_services
from loans.models import Loan, LoanStatus
from tests.factories import make_user

D = Decimal
_seq = itertools.count(1)

# Representative rates per grade for bulk listings: (floor, recommended).
GRADE_RATES = {"A": (D("5.04"), D("7.95")), "B": (D("5.82"), D("8.90")),
               "C": (D("6.55"), D("9.30")), "D": (D("7.45"), D("10.30")),
               "E": (D("9.70"), D("12.50"))}


@pytest.fixture
def bots(db):
    """The six seeded bots, running and funded, by name."""
    seed_bots()
    return {bot.name: bot for bot in BotLender.objects.select_related("user")}


def make_borrower(score: int, **profile):
    n = next(_seq)
    return make_user(f"borrower{n}-{score}@example.com", first_name=f"B{n}", verified=True,
                     credit_score=score, **profile)


def listing(borrower, *, grade="A", term=36, purpose="debt_consolidation", amount="10000",
            max_rate="20.00"):
    return loan_services.loan_apply(borrower=borrower, amount=D(amount), term_months=term,
                                    purpose=purpose, max_rate=D(max_rate), staff_grade=grade)


def bulk_listings(borrowers, count: int, *, seed: int = 7) -> list[int]:
    """``count`` open listings spread over the borrowers, grades, terms, purposes and amounts."""
    import random

    from loans.models import Purpose

    rng = random.Random(seed)
    now = timezone.now()
    purposes = list(Purpose.values)
    loans = []
    for _ in range(count):
        grade = rng.choice("ABCDE")
        floor, recommended = GRADE_RATES[grade]
        amount = D(rng.choice([1500, 2500, 5000, 8000, 12000, 20000]))
        term = rng.choice((12, 24, 36, 60))
        loans.append(Loan(
            borrower=rng.choice(borrowers), requested_amount=amount, amount=amount,
            max_rate=recommended + D(rng.randint(2, 6)), term_months=term,
            purpose=rng.choice(purposes), status=LoanStatus.LISTED, risk_grade=grade,
            model_grade=grade, recommended_rate=recommended, floor_rate=floor,
            monthly_payment=(amount / term).quantize(D("0.01")), total_payment=amount * D("1.1"),
            funding_deadline=now + timedelta(days=14)))
    created = Loan.objects.bulk_create(loans, batch_size=500)
    return [loan.pk for loan in created]
