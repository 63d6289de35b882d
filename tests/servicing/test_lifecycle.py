"""The rest of a loan's life (issue 21): bank debits that come back, hardship plans, collection
reminders and recoveries, through the services (the APIs: test_lifecycle_api.py)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from accounts.models import Notification
from communitylend.core.errors import ApplicationError, NotFound, PermissionDenied
from investments.models import Note
from loans.models import Loan
from payments.ledger_check import ledger_report
from payments.models import (
    Account,
    AccountKind,
    GatewayPayment,
    HardshipPlan,
    Installment,
    Repayment,
)
from payments.selectors import wallet_balances
from payments.servicing.books import books_report
from payments.servicing.lifecycle import (
    hardship_confirm,
    hardship_decide,
    hardship_request,
    recovery_record,
)
from payments.servicing.selectors import loan_has_hardship, payoff_quote
from payments.servicing.services import add_business_days, repayment_pay
from payments.servicing.settlement import repayment_return
from payments.servicing.statements import statement_csv, statement_for
from tests.factories import make_staff
from tests.money import fund
from tests.servicing.test_servicing import active_loan, drain, servicing

pytestmark = pytest.mark.django_db
D = Decimal


def pending(user):
    return Account.objects.filter(user=user, kind=AccountKind.USER_PENDING).values_list(
        "balance", flat=True).first() or D("0.00")


def at(day: str):
    return time_machine.travel(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC),
                               tick=False)


def bank_debit(loan, amount, day: str) -> Repayment:
    with at(day):
        return repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=D(amount),
                             as_of=date.fromisoformat(day), method="bank_debit")


# --- Settlement ---------------------------------------------------------------------------------


def test_business_days_skip_weekends_and_federal_holidays():
    # Friday 2026-02-13; Monday 2026-02-16 is Washington's Birthday.
    assert add_business_days(date(2026, 2, 13), 4) == date(2026, 2, 20)
    assert add_business_days(date(2026, 2, 18), 4) == date(2026, 2, 24)


def test_a_bank_debit_credits_lenders_as_pending_until_the_window_passes(risk_model):
    loan = active_loan(shares=("600.00", "400.00"))
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    rep = bank_debit(loan, first.total, "2026-02-13")
    assert rep.settles_on == date(2026, 2, 20) and rep.funds_pending
    lenders = [n.lender for n in Note.objects.filter(loan=loan).order_by("id")]
    nets = [d.net for d in rep.distributions.order_by("note_id")]
    assert [pending(u) for u in lenders] == nets
    # visible, not withdrawable, not re-investable: available cash is what it was
    assert [wallet_balances(u.pk)["available"] for u in lenders] == [D("0.00"), D("0.00")]
    first.refresh_from_db()
    assert first.status == "paid"
    with at("2026-02-19"):
        servicing("2026-02-19")
    assert pending(lenders[0]) == nets[0]
    with at("2026-02-20"):
        servicing("2026-02-20")
    rep.refresh_from_db()
    assert not rep.funds_pending and [pending(u) for u in lenders] == [0, 0]
    assert [wallet_balances(u.pk)["available"] for u in lenders] == nets


def test_a_return_inside_the_window_reverses_everything_in_one_transaction(risk_model):
    loan = active_loan(shares=("600.00", "400.00"))
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    note_before = list(Note.objects.filter(loan=loan).order_by("id").values())
    rep = bank_debit(loan, first.total, "2026-02-17")
    with at("2026-02-19"):
        repayment_return(gateway_payment_id=rep.gateway_payment_id, reason="R01",
                         as_of=date(2026, 2, 19))
    rep.refresh_from_db()
    loan.refresh_from_db()
    first.refresh_from_db()
    assert rep.status == "returned" and rep.returned_on == date(2026, 2, 19)
    assert list(Note.objects.filter(loan=loan).order_by("id").values()) == [
        {**n, "updated_at": m["updated_at"]} for n, m in zip(
            note_before, Note.objects.filter(loan=loan).order_by("id").values(), strict=True)]
    assert first.principal_paid == first.interest_paid == 0 and first.status == "due"
    assert first.platform_fee == D("15.00")
    assert loan.outstanding_principal == D("1000.00") and loan.days_past_due == 4
    assert all(pending(n.lender) == 0 for n in Note.objects.filter(loan=loan))
    assert GatewayPayment.objects.get(pk=rep.gateway_payment_id).status == "returned"
    assert Notification.objects.filter(user=loan.borrower, kind="payment_returned").count() == 1
    assert Notification.objects.filter(kind="payment_reversed").count() == 2
    # the fee is allocated first: autopay takes the fee and the installment again
    fund(loan.borrower, "500")
    with at("2026-02-20"):
        servicing("2026-02-20")
    again = Repayment.objects.get(loan=loan, kind="autopay")
    assert again.amount == first.total + D("15.00") and again.platform_fees == D("15.00")
    first.refresh_from_db()
    assert first.status == "paid"


def test_a_return_after_release_is_carried_by_the_platform_not_the_lenders(risk_model):
    loan = active_loan(shares=("1000.00",))
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    rep = bank_debit(loan, first.total, "2026-02-13")
    with at("2026-02-23"):
        servicing("2026-02-23")  # released on the 20th
    lender = Note.objects.get(loan=loan).lender
    cash = wallet_balances(lender.pk)["available"]
    from payments.services import wallet_withdraw
    wallet_withdraw(user=lender, amount=cash)  # the lender spent it: nothing to take back
    with at("2026-02-24"):
        repayment_return(gateway_payment_id=rep.gateway_payment_id, reason="R02",
                         as_of=date(2026, 2, 24))
    rep.refresh_from_db()
    assert rep.status == "completed" and rep.returned_on == date(2026, 2, 24)
    assert wallet_balances(lender.pk)["available"] == 0
    owed = Installment.objects.filter(loan=loan, platform_fee__gt=0).get()
    assert owed.platform_fee == first.total + D("15.00")
    receivable = Account.objects.get(kind=AccountKind.PLATFORM_BORROWER_RECEIVABLE)
    assert receivable.balance == -(first.total + D("15.00"))
    Loan.objects.filter(pk=loan.pk).update(autopay=False)
    fund(loan.borrower, "500")
    with at("2026-02-25"):
        paid = repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                             amount=first.total + D("15.00"), as_of=date(2026, 2, 25))
    assert paid.platform_fees == first.total + D("15.00") and paid.principal == 0
    receivable.refresh_from_db()
    assert receivable.balance == 0


def test_a_loan_paid_off_while_a_bank_debit_settles_still_releases_its_shares(risk_model):
    from payments.servicing.selectors import payoff_quote

    loan = active_loan()
    drain(loan.borrower)
    first = Installment.objects.get(loan=loan, number=1)
    rep = bank_debit(loan, first.total, "2026-02-13")
    fund(loan.borrower, "2000")
    with at("2026-02-16"):
        servicing("2026-02-15")
        loan.refresh_from_db()
        quote = payoff_quote(loan, date(2026, 2, 16)).payoff_amount
        repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=quote,
                      as_of=date(2026, 2, 16))
    loan.refresh_from_db()
    lender = Note.objects.get(loan=loan).lender
    assert loan.status == "repaid" and pending(lender) == rep.distributions.get().net
    with at("2026-02-20"):
        servicing("2026-02-20")
    rep.refresh_from_db()
    assert not rep.funds_pending and pending(lender) == 0


def test_returns_refuse_wallet_cash_unknown_and_already_returned_payments(risk_model):
    loan = active_loan()
    first = Installment.objects.get(loan=loan, number=1)
    with at("2026-02-13"):
        wallet_payment = repayment_pay(borrower=loan.borrower, loan_id=loan.pk,
                                       amount=D("10.00"), as_of=date(2026, 2, 13))
    assert wallet_payment.gateway_payment_id is None
    deposit = GatewayPayment.objects.filter(direction="deposit").first()
    with pytest.raises(ApplicationError, match="Only a bank debit"):
        repayment_return(gateway_payment_id=deposit.pk, reason="R01")
    import uuid
    with pytest.raises(NotFound):
        repayment_return(gateway_payment_id=uuid.uuid4(), reason="R01")
    rep = bank_debit(loan, first.total - D("10.00"), "2026-02-14")
    with at("2026-02-16"):
        repayment_return(gateway_payment_id=rep.gateway_payment_id, reason="R01",
                         as_of=date(2026, 2, 16))
        with pytest.raises(ApplicationError, match="already returned"):
            repayment_return(gateway_payment_id=rep.gateway_payment_id, reason="R01",
                             as_of=date(2026, 2, 16))


def test_a_bank_debit_never_prepays_or_pays_off(risk_model):
    loan = active_loan()
    with pytest.raises(ApplicationError, match="bank debit"):
        bank_debit(loan, "900.00", "2026-02-13")
    assert not Repayment.objects.filter(method="bank_debit").exists()


# --- Hardship plans -----------------------------------------------------------------------------


def _late_loan():
    loan = active_loan(shares=("600.00", "400.00"))
    drain(loan.borrower)
    with at("2026-03-05"):
        servicing("2026-03-05")  # 18 days past due: late, a late fee
    loan.refresh_from_db()
    assert loan.status == "late"
    return loan


def test_a_hardship_plan_needs_two_different_staff_and_reschedules_the_loan(risk_model):
    loan = _late_loan()
    first_staff, second_staff = make_staff(), make_staff()
    with at("2026-03-06"):
        plan = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind="deferral",
                                months=3, reason="Lost my job", as_of=date(2026, 3, 6))
        hardship_decide(staff=first_staff, plan_id=plan.pk, decision="approve")
        with pytest.raises(PermissionDenied):
            hardship_confirm(staff=first_staff, plan_id=plan.pk, as_of=date(2026, 3, 6))
        plan = hardship_confirm(staff=second_staff, plan_id=plan.pk, as_of=date(2026, 3, 6))
    loan.refresh_from_db()
    assert plan.status == "active" and loan_has_hardship(loan)
    assert loan.status == "active" and loan.days_past_due == 0
    rows = list(Installment.objects.filter(loan=loan).order_by("number"))
    assert len(rows) == 15  # 12 + the 3 deferred months
    # The first installment's interest (unpaid) is added to the principal on approval: the
    # loan's, split over its notes (600 and 400).
    arrears = plan.capitalized
    assert arrears == loan.capitalized_principal > 0
    assert loan.outstanding_principal == loan.amount + plan.capitalized
    notes = list(Note.objects.filter(loan=loan).order_by("-principal"))
    assert sum(n.capitalized_principal for n in notes) == plan.capitalized
    assert notes[0].outstanding_principal == D("600.00") + notes[0].capitalized_principal
    assert rows[0].principal == rows[0].principal_paid == 0 and rows[0].interest == 0
    deferred = [r for r in rows if r.number in (2, 3, 4)]  # the next three due dates
    assert all(r.principal == 0 and r.interest > 0 and r.status == "deferred" for r in deferred)
    assert rows[0].late_fee == D("15.00") and rows[0].status == "late"  # the fee stays due
    assert plan.ends_on == date(2026, 5, 15)
    after = [r for r in rows if r.number >= 5]
    deferral_interest = sum(r.interest for r in deferred)
    assert sum(r.principal for r in after) == loan.outstanding_principal + deferral_interest
    assert ledger_report().ok and books_report().ok, books_report().problems
    # under the plan: no late fee, days past due paused, then it ends by itself
    with at("2026-05-15"):
        servicing("2026-05-15")
    loan.refresh_from_db()
    assert loan.days_past_due == 0 and Installment.objects.filter(
        loan=loan, late_fee__gt=0).count() == 1
    with at("2026-05-16"):
        servicing("2026-05-16")
    plan.refresh_from_db()
    assert plan.status == "completed" and not loan_has_hardship(loan)
    # At its end the deferred months' interest joins the principal; the schedule after is the
    # one approval showed.
    loan.refresh_from_db()
    assert plan.capitalized == arrears + deferral_interest == loan.capitalized_principal
    assert loan.outstanding_principal == loan.amount + plan.capitalized
    assert [(r.principal, r.interest) for r in Installment.objects.filter(
        loan=loan, number__gte=5).order_by("number")] == [(r.principal, r.interest)
                                                          for r in after]
    assert all(r.status == "waived" and r.total == 0 for r in Installment.objects.filter(
        loan=loan, number__in=(2, 3, 4)))
    assert ledger_report().ok and books_report().ok, books_report().problems
    # The yearly statements show it: each lender their notes' share (earned, not cash), the
    # borrower the whole.
    for note in Note.objects.filter(loan=loan):
        statement = statement_for(user=note.lender, year=2026)
        line = next(n for n in statement.notes if n.note_id == note.pk)
        assert line.interest_capitalized == note.capitalized_principal > 0
        assert statement.net_received == sum(
            (n.principal_received + n.interest + n.late_fees + n.recoveries - n.servicing_fees
             for n in statement.notes), D("0.00"))
    assert statement_for(user=loan.borrower, year=2026).borrower_interest_capitalized \
        == plan.capitalized
    assert "interest_capitalized" in statement_csv(statement_for(user=loan.borrower,
                                                                 year=2026))
    from accounts.models import AuditEvent
    assert set(AuditEvent.objects.filter(target_type="payments.hardshipplan")
               .values_list("event", flat=True)) == {
        "hardship.requested", "hardship.decided", "hardship.active", "loan.hardship_completed"}


def _plan(loan, kind, months, day):
    a, b = make_staff(), make_staff()
    with at(day):
        plan = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind=kind,
                                months=months, reason="Hours cut", as_of=date.fromisoformat(day))
        hardship_decide(staff=a, plan_id=plan.pk, decision="approve")
        return hardship_confirm(staff=b, plan_id=plan.pk, as_of=date.fromisoformat(day))


def test_a_payoff_during_a_deferral_pays_the_interest_deferred_so_far(risk_model):
    """No interest forgiven: a borrower paying off in the middle of a deferral pays the
    deferred months' interest accrued to that day (the arrears' is already principal)."""
    loan = _late_loan()
    _plan(loan, "deferral", 3, "2026-03-06")
    loan.refresh_from_db()
    deferred = list(Installment.objects.filter(loan=loan, status="deferred").order_by("number"))
    with at("2026-04-25"):
        servicing("2026-04-24")
        quote = payoff_quote(loan=Loan.objects.get(pk=loan.pk), as_of=date(2026, 4, 25))
        # the months to March 15 and April 15 whole, then 10 of April 15 - May 15's 30 days
        accrued = deferred[0].interest + deferred[1].interest + (
            deferred[2].interest * 10 / 30).quantize(D("0.01"))
        assert quote.interest == accrued
        assert quote.payoff_amount == loan.outstanding_principal + accrued + D("15.00")
        fund(loan.borrower, quote.payoff_amount)
        with pytest.raises(ApplicationError, match="hardship plan runs"):
            repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount="100.00",
                          as_of=date(2026, 4, 25))
        repayment_pay(borrower=loan.borrower, loan_id=loan.pk, amount=quote.payoff_amount,
                      as_of=date(2026, 4, 25))
    loan.refresh_from_db()
    assert loan.status == "repaid" and loan.outstanding_principal == 0
    assert HardshipPlan.objects.get(loan=loan).status == "completed"
    assert sum(n.interest_received for n in Note.objects.filter(loan=loan)) == accrued
    assert ledger_report().ok and books_report().ok, books_report().problems


def test_a_reduced_plan_left_unpaid_adds_its_interest_to_the_principal(risk_model):
    loan = _late_loan()
    plan = _plan(loan, "reduced", 2, "2026-03-06")
    interest = sum(r.interest for r in Installment.objects.filter(loan=loan, number__in=(2, 3)))
    with at("2026-05-16"):
        servicing("2026-05-16")
    plan.refresh_from_db()
    loan.refresh_from_db()
    assert plan.status == "completed" and plan.capitalized > interest
    assert loan.outstanding_principal == loan.amount + plan.capitalized
    assert loan.days_past_due == 1  # the first installment after the plan (due May 15)
    assert ledger_report().ok and books_report().ok, books_report().problems


def test_a_reduced_plan_asks_only_the_interest_for_its_months(risk_model):
    loan = _late_loan()
    a, b = make_staff(), make_staff()
    with at("2026-03-06"):
        plan = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind="reduced",
                                months=2, reason="Medical bills", as_of=date(2026, 3, 6))
        hardship_decide(staff=a, plan_id=plan.pk, decision="approve")
        hardship_confirm(staff=b, plan_id=plan.pk, as_of=date(2026, 3, 6))
    rows = {r.number: r for r in Installment.objects.filter(loan=loan)}
    assert len(rows) == 12
    assert rows[2].principal == rows[3].principal == 0 and rows[2].interest > 0
    assert rows[2].total == rows[2].interest and rows[4].principal > 0


def test_hardship_requests_refuse_bad_input_and_change_nothing(risk_model):
    loan = active_loan()
    staff = make_staff()
    for kind, months, reason, field in (("pause", 1, "x", "type"), ("deferral", 4, "x", "months"),
                                        ("reduced", 0, "x", "months"),
                                        ("reduced", 7, "x", "months"),
                                        ("deferral", 2, "  ", "reason")):
        with pytest.raises(ApplicationError) as exc:
            hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind=kind, months=months,
                             reason=reason)
        assert exc.value.field == field
    plan = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind="deferral", months=1,
                            reason="Hours cut")
    with pytest.raises(ApplicationError, match="already has"):
        hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind="deferral", months=1,
                         reason="again")
    hardship_decide(staff=staff, plan_id=plan.pk, decision="reject")
    hardship_confirm(staff=make_staff(), plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.status == "rejected" and HardshipPlan.objects.count() == 1


# --- Collections and recoveries -----------------------------------------------------------------


def test_collection_reminders_at_1_7_and_15_days_past_due_once_each(risk_model):
    loan = active_loan()
    drain(loan.borrower)
    with at("2026-03-10"):
        servicing("2026-03-10")  # one catch-up over the whole arrears
    with at("2026-03-11"):
        servicing("2026-03-11")
    titles = list(Notification.objects.filter(user=loan.borrower, kind="collections")
                  .order_by("id").values_list("title", flat=True))
    assert titles == [f"Loan #{loan.pk} is 1 day past due",
                      f"Loan #{loan.pk} is 7 days past due",
                      f"Loan #{loan.pk} is 15 days past due"]


def test_a_recovery_goes_to_the_charged_off_notes_less_the_fees(risk_model):
    loan = active_loan(shares=("333.33", "333.33", "333.34"))
    drain(loan.borrower)
    with at("2026-07-15"):
        servicing("2026-07-15")
    loan.refresh_from_db()
    assert loan.status == "charged_off"
    staff = make_staff()
    with at("2026-08-01"):
        rec = recovery_record(staff=staff, loan_id=loan.pk, amount="100.01", source="debt_sale",
                              received_on=date(2026, 8, 1), idempotency_key="k1")
        again = recovery_record(staff=staff, loan_id=loan.pk, amount="100.01",
                                source="debt_sale", received_on=date(2026, 8, 1),
                                idempotency_key="k1")
    assert again.pk == rec.pk
    shares = list(rec.shares.order_by("note_id"))
    assert rec.collection_fee == D("30.00")
    assert sum(s.gross for s in shares) == D("100.01")
    assert [s.collection_fee for s in shares] == [D("10.00"), D("10.00"), D("10.00")]
    assert [s.gross - s.collection_fee for s in shares] == [D("23.34"), D("23.33"), D("23.34")]
    assert [s.servicing_fee for s in shares] == [D("0.23"), D("0.23"), D("0.23")]
    for share in shares:
        assert wallet_balances(share.note.lender_id)["available"] == share.net


def test_recoveries_refuse_bad_input(risk_model):
    loan = active_loan()
    staff = make_staff()
    with pytest.raises(ApplicationError, match="charged-off"):
        recovery_record(staff=staff, loan_id=loan.pk, amount="10", source="borrower",
                        received_on=date(2026, 1, 15))
    with pytest.raises(ApplicationError):
        recovery_record(staff=staff, loan_id=loan.pk, amount="-5", source="borrower",
                        received_on=date(2026, 1, 15))
    with pytest.raises(PermissionDenied):
        recovery_record(staff=loan.borrower, loan_id=loan.pk, amount="10", source="borrower",
                        received_on=date(2026, 1, 15))
