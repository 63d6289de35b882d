"""run_servicing twice at once for the same day takes each payment once (PostgreSQL, CI)."""

import threading

import pytest
from django.db import connection, connections

from payments.ledger_check import ledger_report
from payments.models import Repayment
from payments.servicing.batch import run_servicing

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_take_each_autopay_once(risk_model):
    from datetime import date

    from tests.servicing.test_servicing import active_loan

    loans = [active_loan() for _ in range(3)]
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        run_servicing(as_of=date(2026, 3, 20))
        connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for loan in loans:
        payments = Repayment.objects.filter(loan=loan, kind="autopay")
        assert payments.count() == 2  # installments due 2026-02-15 and 2026-03-15
        assert sum(p.amount for p in payments) == 2 * loan.monthly_payment
    assert ledger_report().ok


@pytest.mark.django_db(transaction=True)
def test_batches_on_two_connections_service_every_loan_once(risk_model):
    """SERVICING_WORKERS: batches run side by side, share lenders (and the fee account), and
    the day ends exactly as it does on one connection."""
    from datetime import date
    from decimal import Decimal

    from payments.models import Account, Distribution
    from tests.servicing.test_servicing import active_loan, drain

    shares = ("400.00", "350.00", "250.00")
    loans = [active_loan(shares=shares) for _ in range(6)]
    drain(loans[4].borrower)  # short of cash: left to the loan-by-loan path in its batch
    fees_before = Account.objects.get(code="platform:platform_servicing_fees").balance \
        if Account.objects.filter(code="platform:platform_servicing_fees").exists() else 0
    report = run_servicing(as_of=date(2026, 2, 15), batch_size=2, workers=2)
    # One day of six loans, reached by replaying the month since their disbursement.
    assert report.errors == 0 and report.days == 31 and report.autopay == 5
    assert report.autopay == 5 and report.autopay_skipped == 1
    for loan in loans:
        paid = Repayment.objects.filter(loan=loan, kind="autopay")
        assert paid.count() == (0 if loan is loans[4] else 1)
    assert Distribution.objects.count() == 5 * len(shares)
    fees = Account.objects.get(code="platform:platform_servicing_fees").balance - fees_before
    assert fees == sum((r.servicing_fees for r in Repayment.objects.filter(kind="autopay")),
                       Decimal("0"))
    assert ledger_report().ok
    again = run_servicing(as_of=date(2026, 2, 15), batch_size=2, workers=2)
    assert again.autopay == 0 and Repayment.objects.filter(kind="autopay").count() == 5
