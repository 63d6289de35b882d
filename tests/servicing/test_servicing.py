"""Servicing driven by run_servicing --as-of over a frozen calendar (DESIGN.md, "Servicing")."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from investments.models import Note
from loans import services as market
from loans.models import Loan
from payments.models import Distribution, Installment, Repayment
from payments.servicing.allocation import split_largest_remainder
from payments.servicing.selectors import payoff_quote
from payments.servicing.services import repayment_pay
from tests.factories import make_user
from tests.money import available, fund

pytestmark = pytest.mark.django_db
D = Decimal
START = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def active_loan(amount="1000.00", shares=("1000.00",), rate="12.00", term=12):
    """A loan disbursed on 2026-01-15 with one note per share."""
    with time_machine.travel(START, tick=False):
        borrower = make_user(verified=True)
        loan = market.loan_apply(borrower=borrower, amount=D(amount), term_months=term,
                                 purpose="car", max_rate=D("30"), staff_grade="C")
        for share in shares:
            lender = make_user()
            fund(lender, share)
            market.bid_place(lender=lender, loan_id=loan.pk, amount=D(share), rate=D(rate))
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
    loan.refresh_from_db()
    return loan


def drain(user):
    """The borrower spends the loan: nothing left for autopay."""
    from payments.services import wallet_withdraw

    wallet_withdraw(user=user, amount=available(user))


def servicing(day: str):
    call_command("run_servicing", as_of=day)


def test_split_by_largest_remainder_sums_exactly_with_ties_to_the_lowest_id():
    parts = split_largest_remainder(D("0.10"), [(3, D("1")), (1, D("1")), (2, D("1"))])
    assert parts == {1: D("0.04"), 2: D("0.03"), 3: D("0.03")}
    assert sum(split_largest_remainder(D("100.00"), [(1, D("33.33")), (2, D("66.67"))])
               .values()) == D("100.00")


def test_seven_awkward_notes_get_every_cent_over_the_life_of_the_loan(risk_model):
    shares = ("1234.56", "987.65", "1500.01", "333.33", "2000.00", "1111.11", "833.34")
    total = sum(D(s) for s in shares)
    loan = active_loan(amount=str(total), shares=shares, rate="13.37", term=36)
    fund(loan.borrower, "20000")
    # The first installment is paid in two parts: 100.00 by hand on its due date, the rest by
    # autopay; then autopay takes the other 35: 37 payments in all.
    repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("100.00"),
                  as_of=date(2026, 2, 15))
    payments = 0
    for month in range(1, 40):
        day = (START + timedelta(days=31 * month)).date()
        with time_machine.travel(datetime.combine(day, datetime.min.time(),
                                                  tzinfo=UTC), tick=False):
            servicing(day.isoformat())
        payments = Repayment.objects.filter(loan=loan, status="completed").count()
        loan.refresh_from_db()
        if loan.status == "repaid":
            break
    assert loan.status == "repaid" and payments == 37
    for repayment in Repayment.objects.filter(loan=loan):
        rows = list(repayment.distributions.all())
        assert sum(r.principal + r.interest + r.late_fee for r in rows) == repayment.amount
    for note in Note.objects.filter(loan=loan):
        assert note.principal_received == note.principal and note.status == "repaid"
        assert sum(d.principal for d in note.distributions.all()) == note.principal
    call_command("ledger_check")


def test_autopay_takes_the_installment_on_its_due_date_and_runs_once(risk_model):
    loan = active_loan()
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    assert first.due_date == date(2026, 2, 15)
    fund(loan.borrower, "200")
    servicing("2026-02-14")
    assert not Repayment.objects.filter(loan=loan).exists()
    servicing("2026-02-15")
    servicing("2026-02-15")
    repayments = Repayment.objects.filter(loan=loan)
    assert repayments.count() == 1 and repayments[0].amount == first.total
    first.refresh_from_db()
    assert first.status == "paid"
    lender = Note.objects.get(loan=loan).lender
    expected_net = first.total - (first.total * D("0.01")).quantize(D("0.01"))
    assert available(lender) == expected_net
    call_command("ledger_check")


def test_a_missed_payment_goes_late_default_and_charged_off(risk_model):
    loan = active_loan()
    drain(loan.borrower)
    servicing("2026-03-01")  # 14 days past due: grace
    loan.refresh_from_db()
    assert loan.status == "active" and loan.days_past_due == 14
    servicing("2026-03-03")  # 16 days: late, one late fee
    loan.refresh_from_db()
    inst = Installment.objects.get(loan=loan, number=1)
    assert loan.status == "late" and inst.late_fee == D("15.00")
    servicing("2026-03-04")
    inst.refresh_from_db()
    assert inst.late_fee == D("15.00")
    servicing("2026-06-16")  # 121 days
    loan.refresh_from_db()
    assert loan.status == "default"
    servicing("2026-07-15")  # 150 days
    loan.refresh_from_db()
    assert loan.status == "charged_off"
    note = Note.objects.get(loan=loan)
    assert note.status == "charged_off" and note.charged_off_principal == D("1000.00")
    assert note.outstanding_principal == 0
    call_command("ledger_check")


def test_a_late_fee_is_paid_first_and_passed_to_lenders(risk_model):
    loan = active_loan()
    drain(loan.borrower)
    servicing("2026-03-05")
    inst = Installment.objects.get(loan=loan, number=1)
    fund(loan.borrower, "500")
    with time_machine.travel(datetime(2026, 3, 5, 12, tzinfo=UTC), tick=False):
        repayment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                                  amount=inst.total + inst.late_fee, as_of=date(2026, 3, 5))
    assert repayment.late_fees == D("15.00")
    assert Distribution.objects.get(repayment=repayment).late_fee == D("15.00")
    loan.refresh_from_db()
    assert loan.status == "active" and loan.days_past_due == 0


def test_a_payment_ahead_pays_the_next_installment_then_prepays_and_keeps_the_installment(
        risk_model):
    loan = active_loan(amount="1200.00", shares=("1200.00",))
    installment = loan.monthly_payment
    fund(loan.borrower, "2000")
    repayment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("500"),
                              as_of=date(2026, 1, 20))
    first = Installment.objects.get(loan=loan, number=1)
    # The next installment is paid ahead with its scheduled interest (12.00 on 1,200.00 at
    # 1% a month), the rest prepays principal and is recorded on that row.
    assert repayment.interest == first.interest == D("12.00") and first.status == "paid"
    assert first.principal_paid + first.interest_paid == D("500.00")
    open_rows = Installment.objects.filter(loan=loan).exclude(status__in=("paid", "waived"))
    assert open_rows.count() < 11
    assert all(row.total == installment for row in list(open_rows)[:-1])
    loan.refresh_from_db()
    assert loan.outstanding_principal == D("712.00")
    assert sum(r.principal for r in open_rows) == D("712.00")


def test_extra_principal_pays_the_interest_accrued_to_the_day_first(risk_model):
    loan = active_loan(amount="1200.00", shares=("1200.00",))
    installment = loan.monthly_payment
    fund(loan.borrower, "2000")
    repayment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D("500"),
                              as_of=date(2026, 1, 20), apply_to="principal")
    # 5 of January's 31 days: 12.00 x 5 / 31 = 1.94 of interest, the rest principal.
    assert repayment.interest == D("1.94") and repayment.principal == D("498.06")
    loan.refresh_from_db()
    assert loan.outstanding_principal == D("701.94")
    first = Installment.objects.get(loan=loan, number=1)
    # Its interest: what was paid plus 26 days of the new balance (701.94 x 1% x 26/31 = 5.89);
    # what stays due on its date is the installment less the interest already paid.
    assert first.interest == D("1.94") + D("5.89")
    assert first.total - first.principal_paid - first.interest_paid == installment - D("1.94")
    rows = Installment.objects.filter(loan=loan)
    assert sum(r.principal - r.principal_paid for r in rows) == D("701.94")
    assert sum(r.principal for r in rows) == D("1200.00")


def test_payoff_quote_pays_the_loan_off_and_overpaying_is_refused(risk_model):
    loan = active_loan()
    fund(loan.borrower, "2000")
    quote = payoff_quote(loan, date(2026, 1, 30))
    assert quote.principal == D("1000.00") and D("0") < quote.interest < D("10.00")
    from communitylend.core.errors import ApplicationError

    with pytest.raises(ApplicationError, match="more than the payoff"):
        repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                      amount=quote.payoff_amount + D("0.01"), as_of=date(2026, 1, 30))
    repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=quote.payoff_amount,
                  as_of=date(2026, 1, 30))
    loan.refresh_from_db()
    assert loan.status == "repaid" and loan.outstanding_principal == 0
    assert Note.objects.get(loan=loan).status == "repaid"
    call_command("ledger_check")


def test_the_payment_apis(risk_model, api_as):
    loan = active_loan()
    client = api_as(loan.borrower)
    fund(loan.borrower, "300")
    with time_machine.travel(datetime(2026, 1, 20, 12, tzinfo=UTC), tick=False):
        now = client.post("/api/payments/schedule", {"loanId": loan.pk, "amount": "50.00",
                                                     "paymentDate": "2026-01-20"})
        assert now.status_code == 201, now.content
        assert now.json()["payment"]["status"] == "completed"
        later = client.post("/api/payments/schedule", {"loanId": loan.pk, "amount": "88.85",
                                                       "paymentDate": "2026-02-15"})
        assert later.json()["payment"]["status"] == "scheduled"
        history = client.get(f"/api/payments/history/{loan.pk}").json()
        assert len(history["payments"]) == 2 and len(history["schedule"]) >= 11
        assert set(history["summary"]) == {"totalPaid", "remainingBalance", "nextPaymentDue",
                                           "nextPaymentAmount"}
        payoff = client.get(f"/api/payments/payoff/{loan.pk}?date=2026-01-25").json()
        assert set(payoff) >= {"payoffAmount", "principal", "interest", "fees"}
        outsider = api_as(make_user())
        assert outsider.get(f"/api/payments/history/{loan.pk}").status_code == 404
        lender = Note.objects.get(loan=loan).lender
        assert api_as(lender).get(f"/api/payments/history/{loan.pk}").status_code == 200
        assert client.post("/api/payments/schedule", {"loanId": loan.pk, "amount": "-1",
                                                      "paymentDate": "2026-01-20"}).status_code == 400
    servicing("2026-02-15")
    assert Repayment.objects.get(kind="scheduled", status="completed").amount == D("88.85")
    assert Loan.objects.get(pk=loan.pk).status == "active"
