"""Reads of a serviced loan: what is open, what is past due, what pays it off."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from communitylend.core.money import ZERO
from payments.models import Installment, Repayment

from .allocation import CLOSED_INSTALLMENT, accrued_interest, amount_owed, is_due


def open_installments(loan, *, lock: bool = False) -> list[Installment]:
    """The loan's installments not yet paid or waived, in order (locked when ``lock``)."""
    rows = Installment.objects.filter(loan=loan).exclude(status__in=CLOSED_INSTALLMENT)
    if lock:
        rows = rows.select_for_update()
    return list(rows.order_by("number"))


def days_past_due(loan, as_of: date) -> int:
    """Days since the due date of the oldest open installment due before ``as_of``."""
    oldest = Installment.objects.filter(loan=loan, due_date__lt=as_of).exclude(
        status__in=CLOSED_INSTALLMENT).order_by("number").first()
    return (as_of - oldest.due_date).days if oldest else 0


def _period_start(loan, as_of: date) -> date:
    """The last due date on or before ``as_of`` (paid or not), else the disbursement date."""
    due_dates = Installment.objects.filter(loan=loan, due_date__lte=as_of).values_list(
        "due_date", flat=True)
    return max(due_dates, default=None) or timezone.localdate(loan.disbursed_at)


@dataclass
class Quote:
    payoff_amount: Decimal
    principal: Decimal
    interest: Decimal
    fees: Decimal


def payoff_quote(loan, as_of: date) -> Quote:
    """What pays the loan off on ``as_of``: outstanding principal, interest due and the current
    period's interest pro rata to the days elapsed, and unpaid late fees."""
    installments = open_installments(loan)
    fees = sum((i.late_fee - i.late_fee_paid for i in installments), ZERO)
    interest = sum((i.interest - i.interest_paid for i in installments if is_due(i, as_of)), ZERO)
    upcoming = next((i for i in installments if not is_due(i, as_of)), None)
    if upcoming is not None and upcoming.interest_paid < upcoming.interest:
        interest += accrued_interest(upcoming, period_start=_period_start(loan, as_of),
                                     as_of=as_of)
    principal = loan.outstanding_principal
    return Quote(payoff_amount=principal + interest + fees, principal=principal,
                 interest=interest, fees=fees)


def schedule_summary(loan, as_of: date) -> dict:
    installments = list(Installment.objects.filter(loan=loan).order_by("number"))
    total_paid = sum((r.amount for r in loan.repayments.filter(
        status=Repayment.Status.COMPLETED)), ZERO)
    upcoming = next((i for i in installments if i.status not in CLOSED_INSTALLMENT), None)
    return {
        "total_paid": total_paid,
        "remaining_balance": loan.outstanding_principal,
        "next_payment_due": upcoming.due_date if upcoming else None,
        "next_payment_amount": amount_owed(upcoming) if upcoming else None,
    }
