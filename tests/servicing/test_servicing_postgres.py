"""run_servicing twice at once for the same day takes each payment once (PostgreSQL, CI)."""

import threading

import pytest
from django.db import connection, connections

from payments.checks import ledger_report
from payments.models import Repayment
from payments.servicing import run_servicing

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
