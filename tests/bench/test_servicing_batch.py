"""Batch servicing writes exactly what servicing loan by loan writes, and leaves every case it
does not handle to the loan-by-loan path."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import AuditEvent, Notification
from loans.models import Loan
from payments.ledger_check import ledger_report
from payments.models import Distribution, Repayment
from payments.servicing.batch import service_loans_batch
from payments.servicing.services import DayReport, service_loan
from tests.servicing.test_servicing import active_loan, drain

pytestmark = pytest.mark.django_db
D = Decimal
FIRST_DUE = date(2026, 2, 15)
SHARES = ("1234.56", "987.65", "1500.01", "333.33")


def _what_was_written(loan: Loan):
    repayment = Repayment.objects.get(loan=loan)
    loan.refresh_from_db()
    return {
        "repayment": {f: getattr(repayment, f) for f in (
            "kind", "status", "amount", "paid_on", "principal", "interest", "late_fees",
            "servicing_fees")},
        "distributions": [(d.principal, d.interest, d.late_fee, d.servicing_fee, d.net)
                          for d in Distribution.objects.filter(repayment=repayment)
                          .order_by("note_id")],
        "notes": [(n.outstanding_principal, n.principal_received, n.interest_received,
                   n.late_fees_received, n.servicing_fees_paid, n.status)
                  for n in loan.notes.order_by("id")],
        "installments": [(i.number, i.status, i.principal_paid, i.interest_paid, i.due_date)
                         for i in loan.installments.order_by("number")],
        "legs": sorted((leg.account.kind, leg.debit, leg.credit)
                       for leg in repayment.ledger_transaction.legs.select_related("account")),
        "loan": (loan.status, loan.outstanding_principal, loan.days_past_due),
        "notice": list(Notification.objects.filter(user=loan.borrower, kind="payment_received")
                       .values_list("body", "email_status")),
        "audit": list(AuditEvent.objects.filter(event="loan.repayment",
                                                target_id=str(repayment.pk))
                      .values_list("new", flat=True)),
    }


def test_a_batch_day_writes_what_servicing_loan_by_loan_writes(risk_model):
    total = str(sum(D(s) for s in SHARES))
    batched = active_loan(amount=total, shares=SHARES, rate="13.37", term=24)
    one_by_one = active_loan(amount=total, shares=SHARES, rate="13.37", term=24)
    report = DayReport()
    assert service_loans_batch(loan_ids=[batched.pk], as_of=FIRST_DUE, report=report) == []
    assert report.autopay == 1
    service_loan(loan_id=one_by_one.pk, as_of=FIRST_DUE, report=DayReport())
    assert _what_was_written(batched) == _what_was_written(one_by_one)
    assert ledger_report().ok
    # The same day again changes nothing.
    again = DayReport()
    assert service_loans_batch(loan_ids=[batched.pk], as_of=FIRST_DUE, report=again) == []
    assert again.autopay == 0 and Repayment.objects.filter(loan=batched).count() == 1


def test_the_batch_leaves_a_borrower_short_of_cash_to_servicing_loan_by_loan(risk_model):
    short = active_loan()
    drain(short.borrower)
    paying = active_loan()
    report = DayReport()
    left = service_loans_batch(loan_ids=[short.pk, paying.pk], as_of=FIRST_DUE, report=report)
    assert left == [short.pk]
    assert report.autopay == 1
    assert not Repayment.objects.filter(loan=short).exists()
    assert ledger_report().ok
