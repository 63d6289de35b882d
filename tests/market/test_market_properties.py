"""Any sequence of trades and servicing keeps every note owner's figures summing to the loan's
(hypothesis): random shares, borrower cash (autopay that runs, fails, goes late), extra
payments, and trades at random prices to new or existing lenders (a lender may buy a second
note of the same loan, a buyer may resell). After every step:

- the notes' principal, interest and late fees received sum to what the loan's payments paid,
  and each note's to its distributions (``books_report``);
- the loan's amount = principal received + outstanding + charged off over all its notes, and
  its outstanding principal = its active notes' (one owner each);
- each lender's invested account = their active notes' outstanding principal, and the ledger
  is balanced (``ledger_report``).
"""

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from communitylend.core.errors import ApplicationError
from communitylend.core.money import cents
from investments.market import services as market
from investments.market.selectors import note_figures
from investments.models import Note, NoteStatus
from payments.ledger_check import ledger_report
from payments.models import Repayment
from payments.services import wallet_withdraw
from payments.servicing.batch import run_servicing
from payments.servicing.books import books_report
from payments.servicing.services import repayment_pay
from tests.factories import make_user
from tests.money import available, fund

from .helpers import START, D, active_loan, on

pytestmark = pytest.mark.django_db

STEP = st.tuples(st.integers(min_value=1, max_value=35),             # days to the next step
                 st.sampled_from(["trade", "trade", "pay", "wait"]),
                 st.integers(min_value=0, max_value=9),               # which note / buyer
                 st.integers(min_value=55, max_value=110))            # price percent of par


def _check(loan) -> None:
    loan.refresh_from_db()
    notes = list(Note.objects.filter(loan=loan))
    paid = Repayment.objects.filter(loan=loan, status=Repayment.Status.COMPLETED)
    assert sum(n.principal_received for n in notes) == sum(p.principal for p in paid)
    assert sum(n.interest_received for n in notes) == sum(p.interest for p in paid)
    assert sum(n.late_fees_received for n in notes) == sum(p.late_fees for p in paid)
    assert loan.amount == sum(n.principal_received + n.charged_off_principal
                              + n.outstanding_principal for n in notes)
    active = [n for n in notes if n.status == NoteStatus.ACTIVE]
    assert loan.outstanding_principal == sum(n.outstanding_principal for n in active)
    report, books = ledger_report(), books_report()
    assert report.ok, report
    assert books.ok, books.problems


@settings(max_examples=int(os.environ.get("MARKET_EXAMPLES", "8")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(shares=st.lists(st.sampled_from([D("333.34"), D("400.00"), D("416.67"), D("616.67")]),
                       min_size=3, max_size=4),
       cash=st.sampled_from([D("0.00"), D("120.00"), D("2000.00")]),
       steps=st.lists(STEP, min_size=1, max_size=6))
def test_trades_and_servicing_keep_every_owners_figures_summing_to_the_loans(
        risk_model, shares, cash, steps):
    loan = active_loan(amount=str(sum(shares)), shares=tuple(str(s) for s in shares))
    with on(START.date()):
        if available(loan.borrower) > cash:
            wallet_withdraw(user=loan.borrower, amount=available(loan.borrower) - cash)
    people = [make_user() for _ in range(2)]
    for person in people:
        fund(person, "5000.00")
    day = START.date()
    for days, action, pick, percent in steps:
        day += timedelta(days=days)
        with on(day):
            run_servicing(as_of=day)
            active = list(Note.objects.select_related("loan").filter(
                loan=loan, status=NoteStatus.ACTIVE).order_by("pk"))
            if action == "trade" and active:
                note = active[pick % len(active)]
                lenders = [n.lender for n in active if n.lender_id != note.lender_id]
                buyer = (people + lenders)[pick % (len(people) + len(lenders))]
                figures = note_figures(note, as_of=day)
                price = cents((figures.outstanding_principal + figures.accrued_interest)
                              * percent / 100)
                try:
                    listing = market.listing_create(seller=note.lender, note_id=note.pk,
                                                    price=price)
                    market.listing_buy(buyer=buyer, listing_id=listing.pk)
                    event("traded")
                except ApplicationError:
                    # A late loan, a negative yield, a buyer short of cash: refused whole.
                    event("trade refused")
            elif action == "pay" and loan.borrower and available(loan.borrower) > 0:
                try:
                    repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                                  amount=min(available(loan.borrower), D("150.00")))
                except ApplicationError:
                    pass  # more than the payoff
        _check(loan)
