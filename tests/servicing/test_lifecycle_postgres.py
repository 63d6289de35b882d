"""Money races of issue 21 on PostgreSQL: a bank's return racing the release of the same
payment's pending shares, and two staff members confirming the same hardship plan."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from payments.ledger_check import ledger_report
from payments.servicing.books import books_report

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _race(*jobs):
    """Run the jobs at once on their own connections; returns what each raised (or None)."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            job()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_a_return_racing_the_release_either_reverses_or_is_carried_by_the_platform(
        risk_model, attempt):
    from payments.models import Account, AccountKind, Installment, Repayment
    from payments.servicing.batch import run_servicing
    from payments.servicing.services import repayment_pay
    from payments.servicing.settlement import repayment_return
    from tests.servicing.test_servicing import active_loan, drain

    loan = active_loan(shares=("600.00", "400.00"))
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    rep = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=first.total,
                        as_of=date(2026, 2, 13), method="bank_debit")
    outcomes = _race(
        lambda: run_servicing(as_of=date(2026, 2, 20), workers=1),  # the release day
        lambda: repayment_return(gateway_payment_id=rep.gateway_payment_id, reason="R01",
                                 as_of=date(2026, 2, 20)))
    assert outcomes == [None, None]
    rep.refresh_from_db()
    pending = sum(Account.objects.filter(kind=AccountKind.USER_PENDING)
                  .values_list("balance", flat=True))
    assert pending == 0 and not rep.funds_pending
    receivable = Account.objects.get(kind=AccountKind.PLATFORM_BORROWER_RECEIVABLE).balance
    if rep.status == Repayment.Status.RETURNED:  # the return came first: all reversed
        assert receivable == -15
    else:  # the release came first: the lenders keep it, the platform is owed
        assert receivable == -(first.total + 15)
    assert ledger_report().ok and books_report().ok, books_report().problems
    assert not Account.objects.filter(kind__startswith="user_", balance__lt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_two_staff_confirming_the_same_plan_start_it_once(risk_model):
    from payments.models import HardshipPlan, Installment
    from payments.servicing.lifecycle import hardship_confirm, hardship_decide, hardship_request
    from tests.factories import make_staff
    from tests.servicing.test_servicing import active_loan

    loan = active_loan()
    plan = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind="deferral", months=2,
                            reason="Flood", as_of=date(2026, 2, 1))
    decider, one, two = make_staff(), make_staff(), make_staff()
    hardship_decide(staff=decider, plan_id=plan.pk, decision="approve")
    outcomes = _race(
        lambda: hardship_confirm(staff=one, plan_id=plan.pk, as_of=date(2026, 2, 1)),
        lambda: hardship_confirm(staff=two, plan_id=plan.pk, as_of=date(2026, 2, 1)))
    assert sorted(type(o).__name__ for o in outcomes) == ["InvalidState", "NoneType"]
    plan.refresh_from_db()
    assert plan.status == HardshipPlan.Status.ACTIVE
    assert Installment.objects.filter(loan=loan).count() == 12 + 2  # rescheduled once
    assert ledger_report().ok and books_report().ok
