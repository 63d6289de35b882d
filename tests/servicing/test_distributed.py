"""The servicing run as a Celery chord of batches (payments/servicing/distributed.py): the same
result to the cent as the in-process run, every day recorded done only when each of its batches
is, a redelivered batch done once."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from investments.models import Note
from loans import services as market
from payments.models import Distribution, Repayment, ServicingBatch, ServicingRun
from payments.servicing import distributed
from payments.servicing.batch import run_servicing
from payments.tasks import run_servicing_today, servicing_day_done
from tests.factories import make_user
from tests.money import available, fund
from tests.servicing.test_servicing import drain

pytestmark = pytest.mark.django_db
D = Decimal
# (borrower, amount, note shares, rate, term): borrowers 1 and 3 have two loans each (their loans
# stay in one batch), borrower 2 spends everything (autopay fails, then a late fee), borrower 4
# can pay only part of the installment.
BOOK = [(1, "1000.00", ("600.00", "400.00"), "12.00", 12),
        (1, "2500.00", ("1234.56", "987.65", "277.79"), "13.99", 24),
        (2, "1500.00", ("1500.00",), "15.50", 12),
        (3, "3333.33", ("1111.11", "1111.11", "1111.11"), "14.25", 36),
        (3, "1200.00", ("700.00", "500.00"), "18.00", 12),
        (4, "2000.00", ("999.99", "1000.01"), "13.11", 24),
        (5, "1000.00", ("333.33", "333.33", "333.34"), "12.50", 12)]


def build_book(start: datetime) -> dict:
    with time_machine.travel(start, tick=False):
        borrowers = {n: make_user(verified=True) for n in sorted({row[0] for row in BOOK})}
        loans = []
        for n, amount, shares, rate, term in BOOK:
            loan = market.loan_apply(borrower=borrowers[n], amount=D(amount), term_months=term,
                                     purpose="car", max_rate=D("30"), staff_grade="C")
            for share in shares:
                lender = make_user()
                fund(lender, share)
                market.bid_place(lender=lender, loan_id=loan.pk, amount=D(share), rate=D(rate))
            market.loan_accept(borrower=borrowers[n], loan_id=loan.pk)
            loans.append(loan.pk)
        drain(borrowers[2])
        from payments.services import wallet_withdraw

        wallet_withdraw(user=borrowers[4], amount=available(borrowers[4]) - D("50.00"))
    return {"borrowers": borrowers, "loans": loans}


def fingerprint(book: dict) -> list:
    """Everything servicing wrote for the book, without ids or dates: per loan its state, its
    payments and their distributions per note, the wallets of its borrower and lenders."""
    from loans.models import Loan
    from payments.models import Installment

    rows = []
    for loan_id in book["loans"]:
        loan = Loan.objects.get(pk=loan_id)
        notes = list(Note.objects.filter(loan=loan).order_by("id"))
        rows.append((
            loan.status, loan.outstanding_principal, loan.days_past_due,
            [(r.kind, r.status, r.amount, r.principal, r.interest, r.late_fees, r.servicing_fees)
             for r in Repayment.objects.filter(loan=loan).order_by("id")],
            [(d.principal, d.interest, d.late_fee, d.servicing_fee, d.net)
             for d in Distribution.objects.filter(note__loan=loan).order_by("repayment_id",
                                                                              "note_id")],
            [(i.status, i.principal_paid, i.interest_paid, i.late_fee, i.late_fee_paid)
             for i in Installment.objects.filter(loan=loan).order_by("number")],
            [(n.status, n.outstanding_principal, n.principal_received, n.interest_received,
              n.late_fees_received, n.servicing_fees_paid, available(n.lender)) for n in notes],
            available(loan.borrower)))
    return rows


def test_the_chord_gives_the_in_process_result_to_the_cent(risk_model, settings):
    """Book A is serviced in process, book B (the same loans a month later) through the
    chord, batches of 2 loans; each over 18 days past its first due date (a catch-up of
    every day, autopay, a failed autopay and a late fee, a partial autopay)."""
    settings.SERVICING_BATCH_SIZE = 2
    a = build_book(datetime(2026, 1, 15, 12, tzinfo=UTC))
    b = build_book(datetime(2026, 2, 15, 12, tzinfo=UTC))
    run_servicing(as_of=date(2026, 3, 5), batch_size=2)  # A: due 2026-02-15, + 18 days
    in_process = fingerprint(a)
    assert any(row[3] for row in in_process) and in_process[2][0] == "late"

    settings.SERVICING_CELERY = True
    with time_machine.travel(datetime(2026, 4, 2, 12, tzinfo=UTC), tick=False):
        result = run_servicing_today()  # B: due 2026-03-15, + 18 days
    run = ServicingRun.objects.get(pk=result["run"])
    assert run.status == "done" and run.days_done[-1] == "2026-04-02"
    assert fingerprint(b) == in_process
    # batches of about 2 loans, never splitting a borrower
    from loans.models import Loan

    batches = [b.loan_ids for b in ServicingBatch.objects.filter(run=run, day=date(2026, 3, 15))]
    assert len(batches) >= 3
    placed = [pk for batch in batches for pk in batch]
    assert len(placed) == len(set(placed)) and set(b["loans"]) <= set(placed)
    borrower_of = dict(Loan.objects.filter(pk__in=placed).values_list("pk", "borrower_id"))
    for batch in batches:
        others = {borrower_of[pk] for other in batches if other is not batch for pk in other}
        assert not {borrower_of[pk] for pk in batch} & others


def test_a_day_is_done_only_when_every_batch_is_and_a_redelivered_batch_pays_once(
        risk_model, settings):
    settings.SERVICING_BATCH_SIZE = 2
    book = build_book(datetime(2026, 1, 15, 12, tzinfo=UTC))
    run = distributed.servicing_run_start(as_of=date(2026, 2, 15))
    # Every day before the due date is quiet: run them, then plan the due date.
    for day in distributed.servicing_days(run=run)[:-1]:
        for batch in distributed.servicing_day_plan(run=run, day=day, batch_size=2):
            distributed.servicing_batch_run(batch_id=batch.pk)
        assert distributed.servicing_day_finish(run_id=run.pk, day=day)
    due = date(2026, 2, 15)
    assert distributed.servicing_days(run=run) == [due]
    first, *rest = distributed.servicing_day_plan(run=run, day=due, batch_size=2)
    for batch in rest:
        distributed.servicing_batch_run(batch_id=batch.pk)
    # the chord fired early (a batch redelivered after reporting): the day is not done
    with pytest.raises(Exception, match="Retry"):
        servicing_day_done.apply(args=(run.pk, due.isoformat()), throw=True)
    run.refresh_from_db()
    assert run.status == "running" and due.isoformat() not in run.days_done
    distributed.servicing_batch_run(batch_id=first.pk)
    for batch in [first, *rest]:  # every message delivered again: nothing twice
        ServicingBatch.objects.filter(pk=batch.pk).update(done_at=None)
        distributed.servicing_batch_run(batch_id=batch.pk)
    assert distributed.servicing_day_finish(run_id=run.pk, day=due)
    run.refresh_from_db()
    assert run.status == "done"
    for loan_id in book["loans"]:
        autopays = Repayment.objects.filter(loan_id=loan_id, kind="autopay",
                                            status="completed").count()
        assert autopays == (0 if loan_id == book["loans"][2] else 1), loan_id
    assert timedelta(0) <= run.finished_at - run.started_at
