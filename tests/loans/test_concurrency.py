"""Bids, withdrawals, acceptance and closing racing on PostgreSQL (runs in CI)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from communitylend.core.errors import ApplicationError
from investments.models import Note
from loans import services
from loans.models import Bid, Loan, LoanStatus
from payments.ledger_check import ledger_report
from tests.factories import make_user
from tests.money import fund

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_bids_and_an_acceptance_never_overfund(risk_model):
    borrower = make_user("race.borrower@example.com", verified=True)
    loan = services.loan_apply(borrower=borrower, amount=Decimal("3000"), term_months=36,
                               purpose="car", max_rate=Decimal("20.00"), staff_grade="B")
    lenders = [make_user(f"race{i}@example.com") for i in range(30)]
    for lender in lenders:
        fund(lender, "500")
    # Enough bids to cover the loan exist before the race, so acceptance can win at any time.
    for lender in lenders[:6]:
        services.bid_place(lender=lender, loan_id=loan.pk, amount=Decimal("500"),
                           rate=loan.floor_rate + Decimal("5"))
    barrier = threading.Barrier(25)
    errors = []

    def bid(lender):
        try:
            barrier.wait()
            services.bid_place(lender=lender, loan_id=loan.pk, amount=Decimal("500"),
                               rate=loan.floor_rate + Decimal("1"))
        except ApplicationError as exc:
            errors.append(exc.message)
        finally:
            connections.close_all()

    def accept():
        try:
            barrier.wait()
            services.loan_accept(borrower=borrower, loan_id=loan.pk)
        except ApplicationError as exc:
            errors.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=bid, args=(lender,)) for lender in lenders[6:]]
    threads.append(threading.Thread(target=accept))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert loan.amount == Decimal("3000")
    notes = Note.objects.filter(loan=loan)
    assert sum(n.principal for n in notes) == Decimal("3000")
    assert not Bid.objects.filter(loan=loan, status="open").exists()
    assert all("not open" in e or "closed" in e for e in errors), errors
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_withdrawal_racing_the_closing_task_releases_the_hold_once(risk_model):
    from datetime import timedelta

    from tests.money import available, held

    borrower = make_user("close.borrower@example.com", verified=True)
    loan = services.loan_apply(borrower=borrower, amount=Decimal("1000"), term_months=12,
                               purpose="car", max_rate=Decimal("20.00"), staff_grade="A")
    lender = make_user("close.lender@example.com")
    fund(lender, "400")
    bid = services.bid_place(lender=lender, loan_id=loan.pk, amount=Decimal("400"),
                             rate=loan.floor_rate)
    deadline = Loan.objects.get(pk=loan.pk).funding_deadline
    barrier = threading.Barrier(2)

    def close():
        barrier.wait()
        services.listings_close_due(now=deadline + timedelta(seconds=1))
        connections.close_all()

    def withdraw():
        barrier.wait()
        try:
            services.bid_withdraw(lender=lender, bid_id=bid.pk, now=deadline - timedelta(1))
        except ApplicationError:
            pass
        connections.close_all()

    threads = [threading.Thread(target=close), threading.Thread(target=withdraw)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert available(lender) == Decimal("400") and held(lender) == 0
    assert ledger_report().ok
