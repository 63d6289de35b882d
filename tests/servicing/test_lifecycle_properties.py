"""Servicing's invariants with the rest of a loan's life (hypothesis): bank debits that the bank
returns (inside the window or after the release), hardship plans (their interest added to the
principal), wallet payments and payoffs (also under a plan) and recoveries after charge-off, on
random days. As in test_replay_properties, three copies of the same loan live the
same days (one serviced every day loan by loan, one through the batch path every day, one only
on random days, catching up); every event happens to all three on its day. After every check
day the three are identical to the cent, and the ledger and the books (pending cash, the
platform's receivable, recoveries) hold."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communitylend.core.errors import ApplicationError
from investments.models import Note
from loans.models import SERVICED, Loan
from payments.ledger_check import ledger_report
from payments.models import Account, AccountKind, Installment, Repayment
from payments.selectors import wallet_balances
from payments.servicing.batch import _service_batch
from payments.servicing.books import books_report
from payments.servicing.lifecycle import (
    hardship_confirm,
    hardship_decide,
    hardship_request,
    recovery_record,
)
from payments.servicing.selectors import payoff_quote
from payments.servicing.services import DayReport, repayment_pay, service_loan
from payments.servicing.settlement import repayment_return
from tests.factories import make_staff
from tests.money import fund
from tests.servicing.test_replay_properties import START, _loan

pytestmark = pytest.mark.django_db
D = Decimal
HORIZON = 200


def _pending(user_id) -> D:
    return Account.objects.filter(user_id=user_id, kind=AccountKind.USER_PENDING).values_list(
        "balance", flat=True).first() or D("0.00")


def _state(loan: Loan):
    loan.refresh_from_db()
    rows = [(i.number, i.due_date, i.principal, i.interest, i.principal_paid, i.interest_paid,
             i.late_fee, i.late_fee_paid, i.platform_fee, i.platform_fee_paid, i.status)
            for i in Installment.objects.filter(loan=loan).order_by("number")]
    notes = [(n.outstanding_principal, n.capitalized_principal, n.principal_received, n.interest_received,
              n.late_fees_received, n.servicing_fees_paid, n.charged_off_principal, n.status,
              wallet_balances(n.lender_id)["available"], _pending(n.lender_id))
             for n in Note.objects.filter(loan=loan).order_by("principal", "id")]
    payments = [(r.paid_on, r.kind, r.method, r.status, r.amount, r.principal, r.interest,
                 r.late_fees, r.platform_fees, r.funds_pending, r.returned_on)
                for r in Repayment.objects.filter(loan=loan).order_by("paid_on", "id")]
    plans = list(loan.hardship_plans.order_by("id").values_list(
        "kind", "months", "status", "starts_on", "ends_on", "capitalized"))
    return (loan.status, loan.outstanding_principal, loan.capitalized_principal,
            loan.days_past_due, loan.monthly_payment,
            rows, notes, payments, plans, wallet_balances(loan.borrower_id)["available"])


def _attempt(action):
    try:
        action()
    except ApplicationError as exc:
        return ("refused", type(exc).__name__, exc.message)
    return ("done",)


def _event(loan: Loan, day, event, staff):
    kind, value = event
    if kind == "bank_debit":
        return _attempt(lambda: repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                                              amount=value, as_of=day, method="bank_debit"))
    if kind == "return":
        debits = list(Repayment.objects.filter(loan=loan, method="bank_debit",
                                               returned_on__isnull=True).order_by("id"))
        if not debits:
            return ("none",)
        target = debits[int(value) % len(debits)]
        return _attempt(lambda: repayment_return(gateway_payment_id=target.gateway_payment_id,
                                                 reason="R01", as_of=day))
    if kind == "pay":
        return _attempt(lambda: repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                                              amount=value, as_of=day))
    if kind == "payoff":
        service_loan(loan_id=loan.pk, as_of=day - timedelta(days=1), report=DayReport())
        if Loan.objects.get(pk=loan.pk).status not in SERVICED:
            return ("none",)
        quote = payoff_quote(loan=Loan.objects.get(pk=loan.pk), as_of=day).payoff_amount
        fund(loan.borrower, quote)
        return _attempt(lambda: repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                                              amount=quote, as_of=day))
    if kind in ("deferral", "reduced"):
        def plan():
            made = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind=kind,
                                    months=int(value), reason="hard times", as_of=day)
            hardship_decide(staff=staff[0], plan_id=made.pk, decision="approve")
            hardship_confirm(staff=staff[1], plan_id=made.pk, as_of=day)
        return _attempt(plan)
    return _attempt(lambda: recovery_record(staff=staff[0], loan_id=loan.pk, amount=value,
                                            source="debt_sale", received_on=day))


events_strategy = st.lists(st.tuples(
    st.integers(1, HORIZON),
    st.one_of(st.tuples(st.just("bank_debit"), st.decimals("1.00", "400.00", places=2)),
              st.tuples(st.just("return"), st.decimals("0", "5", places=0)),
              st.tuples(st.just("deferral"), st.integers(1, 3)),
              st.tuples(st.just("reduced"), st.integers(1, 6)),
              st.tuples(st.just("pay"), st.decimals("1.00", "300.00", places=2)),
              st.tuples(st.just("payoff"), st.just(None)),
              st.tuples(st.just("recovery"), st.decimals("0.01", "900.00", places=2)))),
    max_size=6)


# LIFECYCLE_EXAMPLES=100 for a longer hunt; 8 keep the suite's budget.
@settings(max_examples=int(os.environ.get("LIFECYCLE_EXAMPLES", "8")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(amount=st.sampled_from([D("1000.00"), D("1234.56")]),
       rate=st.sampled_from([D("7.5"), D("19.99")]),
       split=st.sampled_from([(1,), (3, 2, 1)]),
       cash=st.sampled_from([D("0.00"), D("150.00"), D("800.00")]),
       autopay=st.booleans(),
       events=events_strategy,
       service_days=st.sets(st.integers(1, HORIZON), max_size=6))
def test_returns_hardship_and_recoveries_keep_catch_up_equal_to_daily(
        risk_model, amount, rate, split, cash, autopay, events, service_days):
    weights = sum(split)
    shares = [(amount * w / weights).quantize(D("0.01")) for w in split]
    shares[0] += amount - sum(shares)
    daily, batch, gaps = (_loan(amount, rate, 12, shares, cash) for _ in range(3))
    staff = (make_staff(), make_staff())
    for loan in (daily, batch, gaps):
        Loan.objects.filter(pk=loan.pk).update(autopay=autopay)
    by_day: dict[int, list] = {}
    for offset, event in events:
        by_day.setdefault(offset, []).append(event)
    service_days = service_days | {HORIZON}
    for offset in range(1, HORIZON + 1):
        day = START.date() + timedelta(days=offset)
        with time_machine.travel(START + timedelta(days=offset), tick=False):
            for event in by_day.get(offset, []):
                outcomes = {_event(loan, day, event, staff) for loan in (daily, batch, gaps)}
                assert len(outcomes) == 1, (event, outcomes)
            service_loan(loan_id=daily.pk, as_of=day, report=DayReport())
            _service_batch([batch.pk], day)
            if offset in service_days:
                service_loan(loan_id=gaps.pk, as_of=day, report=DayReport())
                assert _state(gaps) == _state(daily) == _state(batch)
                assert ledger_report().ok and books_report().ok, books_report().problems
    assert not Account.objects.filter(kind__startswith="user_", balance__lt=0).exists()
