"""Servicing's invariants over random loans, payments and servicing dates (hypothesis).

Three copies of the same loan (same amount, rate, term, lenders' shares, wallet, payments) live
through the same days: one serviced loan by loan every day, one through the batch path every
day, one only on random days (catching up over gaps). Payments are made on their days in all
three (a payment first services its loan up to the day before). After every day:

- catching up over any gap leaves exactly the rows, note figures, payments and wallets that
  running every day leaves, and the batch path what the loan-by-loan path leaves;
- no payment collects less interest than the payoff quote of its day implies: the quote falls
  by at most the payment (exactly, for extra principal and for a payoff);
- every payment's parts sum exactly, and ``ledger_check``'s invariants (the ledger and the books)
  hold.
"""

import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylend.core.errors import ApplicationError
from investments.models import Note
from loans import services as market
from loans.models import Loan
from payments.ledger_check import ledger_report
from payments.models import Installment, Repayment
from payments.selectors import wallet_balances
from payments.services import wallet_withdraw
from payments.servicing.batch import _service_batch
from payments.servicing.books import books_report
from payments.servicing.selectors import payoff_quote
from payments.servicing.services import DayReport, repayment_pay, service_loan
from tests.factories import make_user
from tests.money import available, fund

pytestmark = pytest.mark.django_db
D = Decimal
START = datetime(2026, 1, 31, 12, 0, tzinfo=UTC)  # month-end: due dates clamp in February
HORIZON = 200  # days: long enough to reach default and charge-off when nothing is paid


def _loan(amount: D, rate: D, term: int, shares: list[D], cash: D) -> Loan:
    with time_machine.travel(START, tick=False):
        borrower = make_user(verified=True)
        loan = market.loan_apply(borrower=borrower, amount=amount, term_months=term,
                                 purpose="car", max_rate=D("30"), staff_grade="C")
        rate = max(rate, loan.floor_rate)  # the grade's floor comes from the model's pricing
        for share in shares:
            lender = make_user()
            fund(lender, share)
            market.bid_place(lender=lender, loan_id=loan.pk, amount=share, rate=rate)
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
        # The borrower keeps ``cash`` of the loan for autopay and payments.
        wallet_withdraw(user=borrower, amount=available(borrower) - cash)
    loan.refresh_from_db()
    return loan


def _state(loan: Loan):
    loan.refresh_from_db()
    rows = [(i.number, i.due_date, i.principal, i.interest, i.total, i.principal_paid,
             i.interest_paid, i.late_fee, i.late_fee_paid, i.status)
            for i in Installment.objects.filter(loan=loan).order_by("number")]
    notes = [(n.principal, n.outstanding_principal, n.principal_received, n.interest_received,
              n.late_fees_received, n.servicing_fees_paid, n.charged_off_principal, n.status,
              wallet_balances(n.lender_id)["available"])
             for n in Note.objects.filter(loan=loan).order_by("principal", "id")]
    payments = [(r.paid_on, r.kind, r.status, r.amount, r.principal, r.interest, r.late_fees,
                 r.servicing_fees)
                for r in Repayment.objects.filter(loan=loan).order_by("paid_on", "id")]
    return (loan.status, loan.outstanding_principal, loan.days_past_due, rows, notes, payments,
            wallet_balances(loan.borrower_id)["available"])


def _pay(loan: Loan, day: date, amount: D, apply_to: str):
    """A payment on ``day``; returns what happened and checks the quote rule against the quote
    of the day (the loan serviced up to the day before, as the payment itself does first)."""
    service_loan(loan_id=loan.pk, as_of=day - timedelta(days=1), report=DayReport())
    loan.refresh_from_db()
    before = payoff_quote(loan, day).payoff_amount if loan.status in ("active", "late",
                                                                      "default") else None
    try:
        repayment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=amount,
                                  as_of=day, apply_to=apply_to)
    except ApplicationError as exc:
        return ("refused", type(exc).__name__)
    loan.refresh_from_db()
    assert repayment.principal + repayment.interest + repayment.late_fees == repayment.amount
    if loan.status in ("active", "late", "default"):
        after = payoff_quote(loan, day).payoff_amount
        # Never less interest than the day's quote implies; exactly on extra principal.
        assert after >= before - repayment.amount, (before, repayment.amount, after)
        if apply_to == "principal":
            assert after == before - repayment.amount
    return ("paid", repayment.amount, repayment.principal, repayment.interest)


payments_strategy = st.lists(
    st.tuples(st.integers(1, HORIZON), st.decimals("1.00", "2600.00", places=2),
              st.sampled_from(["installment", "principal"])),
    max_size=4)


# SERVICING_EXAMPLES=200 for a longer hunt; 15 keep the suite's budget (about a minute).
@settings(max_examples=int(os.environ.get("SERVICING_EXAMPLES", "15")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(amount=st.sampled_from([D("1000.00"), D("1234.56"), D("2500.00")]),
       rate=st.sampled_from([D("7.5"), D("14.3456"), D("19.99")]),
       term=st.sampled_from([12, 24]),
       split=st.sampled_from([(1,), (1, 1), (3, 2, 1)]),
       cash=st.sampled_from([D("0.00"), D("150.00"), D("800.00"), D("3000.00")]),
       autopay=st.booleans(),
       payments=payments_strategy,
       service_days=st.sets(st.integers(1, HORIZON), max_size=8))
def test_catch_up_equals_daily_and_no_interest_is_forgiven(risk_model, amount, rate, term,
                                                           split, cash, autopay, payments,
                                                           service_days):
    weights = sum(split)
    shares = [(amount * w / weights).quantize(D("0.01")) for w in split]
    shares[0] += amount - sum(shares)
    cash = min(cash, (amount * D("0.9")).quantize(D("0.01")))
    daily, batch, gaps = (_loan(amount, rate, term, shares, cash) for _ in range(3))
    for loan in (daily, batch, gaps):
        Loan.objects.filter(pk=loan.pk).update(autopay=autopay)
    by_day: dict[int, list] = {}
    for offset, value, apply_to in payments:
        by_day.setdefault(offset, []).append((value, apply_to))
    service_days = service_days | {HORIZON}
    for offset in range(1, HORIZON + 1):
        day = START.date() + timedelta(days=offset)
        with time_machine.travel(START + timedelta(days=offset), tick=False):
            for value, apply_to in by_day.get(offset, []):
                outcomes = {_pay(loan, day, value, apply_to) for loan in (daily, batch, gaps)}
                assert len(outcomes) == 1, outcomes
            service_loan(loan_id=daily.pk, as_of=day, report=DayReport())
            _service_batch([batch.pk], day)
            if offset in service_days:
                service_loan(loan_id=gaps.pk, as_of=day, report=DayReport())
                assert _state(gaps) == _state(daily) == _state(batch)
                assert ledger_report().ok and books_report().ok, books_report().problems
    assert ledger_report().ok
    books = books_report()
    assert books.ok, books.problems
