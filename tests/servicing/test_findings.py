"""The seven findings of the outside servicing audit (issue 16), each written as it was found."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from investments.models import Note
from investments.selectors import portfolio_summary
from loans import services as market
from loans.disbursement import loan_reference
from payments.models import Account, AccountKind, Installment, Repayment
from payments.selectors import wallet_balances
from payments.servicing.selectors import payoff_quote
from payments.servicing.services import DayReport, repayment_pay, service_loan
from tests.factories import make_user
from tests.money import fund
from tests.servicing.test_servicing import START, active_loan, drain

pytestmark = pytest.mark.django_db
D = Decimal
FIRST_DUE = date(2026, 2, 15)


def at(day: date):
    return time_machine.travel(datetime.combine(day, datetime.min.time(), tzinfo=UTC) +
                               timedelta(hours=12), tick=False)


def servicing(day: date):
    with at(day):
        call_command("run_servicing", as_of=day.isoformat())


def _written_off(loan):
    loan.refresh_from_db()
    notes = list(Note.objects.filter(loan=loan))
    receivable = Account.objects.get(code=f"{loan_reference(loan.pk)}:{AccountKind.LOAN_PRINCIPAL}")
    invested = [wallet_balances(n.lender_id)["invested"] for n in notes]
    return (loan.status, loan.outstanding_principal, [n.status for n in notes],
            [n.outstanding_principal for n in notes], receivable.balance, invested)


def test_a_loan_reaching_day_150_through_a_payment_is_charged_off_and_written_off(risk_model):
    loan = active_loan()
    drain(loan.borrower)
    day_149 = FIRST_DUE + timedelta(days=149)
    servicing(day_149)
    loan.refresh_from_db()
    assert loan.status == "default" and loan.days_past_due == 149
    fund(loan.borrower, "20.00")
    with at(day_149):
        from payments.servicing.services import repayment_schedule

        repayment_schedule(borrower=loan.borrower, loan_id=loan.pk, amount=D("20.00"),
                           payment_date=day_149 + timedelta(days=1))
    servicing(day_149 + timedelta(days=1))
    status, outstanding, notes, on_notes, receivable, invested = _written_off(loan)
    assert status == "charged_off" and outstanding == 0
    assert notes == ["charged_off"] and on_notes == [D("0.00")]
    assert receivable == 0 and invested == [D("0.00")]
    assert Repayment.objects.get(loan=loan, kind="scheduled").status == "completed"


def test_a_late_catch_up_to_day_150_charges_off_and_writes_off(risk_model):
    loan = active_loan()
    drain(loan.borrower)
    servicing(FIRST_DUE + timedelta(days=170))  # never serviced before
    status, outstanding, notes, on_notes, receivable, invested = _written_off(loan)
    assert status == "charged_off" and outstanding == 0 and notes == ["charged_off"]
    assert receivable == 0 and invested == [D("0.00")]
    # Eight... here five missed due dates by day 150: each had its late fee on its 16th day.
    late = Installment.objects.filter(loan=loan, due_date__lte=FIRST_DUE + timedelta(days=150)
                                      - timedelta(days=16))
    assert late.count() >= 4 and all(i.late_fee == D("15.00") for i in late)


def _state(loan):
    loan.refresh_from_db()
    rows = [(i.number, i.due_date, i.principal, i.interest, i.principal_paid, i.interest_paid,
             i.late_fee, i.late_fee_paid, i.status)
            for i in Installment.objects.filter(loan=loan).order_by("number")]
    notes = [(n.principal, n.outstanding_principal, n.principal_received, n.interest_received,
              n.late_fees_received, n.servicing_fees_paid, n.status)
             for n in Note.objects.filter(loan=loan).order_by("principal", "id")]
    payments = [(r.paid_on, r.kind, r.amount, r.principal, r.interest, r.late_fees)
                for r in Repayment.objects.filter(loan=loan).order_by("paid_on", "id")]
    return (loan.status, loan.outstanding_principal, loan.days_past_due, rows, notes, payments,
            wallet_balances(loan.borrower_id)["available"])


def test_catching_up_three_months_late_books_each_autopay_on_its_own_date(risk_model):
    daily = active_loan(amount="3000.00", shares=("1000.01", "999.99", "1000.00"))
    late = active_loan(amount="3000.00", shares=("1000.01", "999.99", "1000.00"))
    day, last = START.date(), date(2026, 5, 20)
    while day < last:
        day += timedelta(days=1)
        with at(day):
            service_loan(loan_id=daily.pk, as_of=day, report=DayReport())
    with at(last):
        service_loan(loan_id=late.pk, as_of=last, report=DayReport())
    a, b = _state(daily), _state(late)
    assert a == b
    autopays = [p for p in b[5] if p[1] == "autopay"]
    assert [p[0] for p in autopays] == [date(2026, 2, 15), date(2026, 3, 15), date(2026, 4, 15),
                                        date(2026, 5, 15)]
    assert len({p[4] for p in autopays}) == 4  # each month's own interest, not all on the first


def test_paying_the_outstanding_principal_the_day_before_a_due_date_forgives_no_interest(
        risk_model):
    loan = active_loan()
    fund(loan.borrower, "2000")
    day = FIRST_DUE - timedelta(days=1)
    quote = payoff_quote(loan, day)
    repayment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("1000.00"),
                              as_of=day)
    loan.refresh_from_db()
    assert quote.interest > 0
    assert loan.status == "active" and loan.outstanding_principal > 0
    # What is left to pay off that day is exactly what the quote asked beyond the payment, or
    # more (the next installment was paid ahead with its whole month's interest).
    assert payoff_quote(loan, day).payoff_amount >= quote.payoff_amount - D("1000.00")
    assert repayment.interest == Installment.objects.get(loan=loan, number=1).interest


def test_a_mid_month_prepayment_of_extra_principal_keeps_the_interest_to_date(risk_model):
    loan = active_loan()
    fund(loan.borrower, "2000")
    day = date(2026, 1, 30)
    quote = payoff_quote(loan, day)
    repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("300.00"), as_of=day,
                  apply_to="principal")
    # The payoff quote falls by exactly what was paid: no interest forgiven, none charged twice.
    loan.refresh_from_db()
    assert payoff_quote(loan, day).payoff_amount == quote.payoff_amount - D("300.00")
    first = Installment.objects.get(loan=loan, number=1)
    accrued = (D("10.00") * 15 / 31).quantize(D("0.01"))
    assert first.interest_paid == accrued


def test_expected_return_takes_the_fee_off_principal_too(risk_model):
    loan = active_loan()
    lender = Note.objects.get(loan=loan).lender
    interest = sum(i.interest for i in Installment.objects.filter(loan=loan))
    expected = ((D("1000.00") + interest) * D("0.99") - D("1000.00")).quantize(D("0.01"))
    assert portfolio_summary(lender)["expected_return"] == expected


def test_schedule_rows_reconcile_after_a_prepayment_and_a_payoff(risk_model):
    loan = active_loan()
    fund(loan.borrower, "2000")
    repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("400.00"),
                  as_of=date(2026, 1, 25))
    rows = Installment.objects.filter(loan=loan)
    assert sum(r.principal for r in rows) == D("1000.00")
    loan.refresh_from_db()
    quote = payoff_quote(loan, date(2026, 3, 3))
    repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=quote.payoff_amount,
                  as_of=date(2026, 3, 3))
    loan.refresh_from_db()
    assert loan.status == "repaid"
    rows = list(Installment.objects.filter(loan=loan))
    paid = Repayment.objects.filter(loan=loan, status="completed")
    assert sum(r.principal for r in rows) == sum(r.principal_paid for r in rows) == D("1000.00")
    assert sum(r.interest for r in rows) == sum(r.interest_paid for r in rows) \
        == sum(p.interest for p in paid)
    assert all(r.status in ("paid", "waived") for r in rows)
    assert all(r.principal == r.interest == 0 for r in rows if r.status == "waived")


def test_ledger_check_reports_books_that_disagree_with_the_ledger(risk_model, capsys):
    loan = active_loan()
    call_command("ledger_check")
    note = Note.objects.get(loan=loan)
    Note.objects.filter(pk=note.pk).update(outstanding_principal=D("999.00"))
    with pytest.raises(CommandError, match="1 problems|problems - FAILED"):
        call_command("ledger_check")
    out = capsys.readouterr().out
    assert f"loan {loan.pk}" in out and f"lender {note.lender_id}" in out
    Note.objects.filter(pk=note.pk).update(outstanding_principal=D("1000.00"))


def test_bid_rates_take_four_decimals_through_the_auction_and_servicing(client, risk_model):
    with time_machine.travel(START, tick=False):
        borrower = make_user(verified=True)
        loan = market.loan_apply(borrower=borrower, amount=D("1000"), term_months=12,
                                 purpose="car", max_rate=D("30"), staff_grade="C")
        lender = make_user()
        fund(lender, "1000")
        client.force_login(lender)
        response = client.post("/api/investments/create", {"loanId": loan.pk, "amount": "1000.00",
                                             "rate": "12.3456"}, content_type="application/json")
        assert response.status_code == 201, response.content
        assert response.json()["bid"]["rate"] == 12.3456
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
    loan.refresh_from_db()
    assert loan.interest_rate == D("12.3456")
    first = Installment.objects.get(loan=loan, number=1)
    assert first.interest == (D("1000") * D("12.3456") / 1200).quantize(D("0.01"))


def test_a_repeated_payment_key_answers_200_with_the_original_and_a_changed_body_400(
        client, risk_model):
    loan = active_loan()
    fund(loan.borrower, "500")
    client.force_login(loan.borrower)
    today = date.today().isoformat()
    with time_machine.travel(datetime(2026, 1, 20, 12, tzinfo=UTC), tick=False):
        today = "2026-01-20"
        body = {"loanId": loan.pk, "amount": "50.00", "paymentDate": today,
                "idempotencyKey": "same-click"}
        first = client.post("/api/payments/schedule", body, content_type="application/json")
        again = client.post("/api/payments/schedule", body, content_type="application/json")
        other = client.post("/api/payments/schedule", {**body, "amount": "60.00"},
                            content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["payment"]["id"] == first.json()["payment"]["id"]
    assert other.status_code == 400 and "idempotency" in other.content.decode().lower()
    assert Repayment.objects.filter(loan=loan).count() == 1
