"""Reads of a serviced loan: its schedule, what is past due, what pays it off."""

import copy
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from communitylend.core.errors import ApplicationError
from communitylend.core.money import ZERO, cents
from payments.models import HardshipPlan, Installment, Repayment

from .allocation import (
    CLOSED_INSTALLMENT,
    Allocation,
    ApplyTo,
    Terms,
    allocate,
    amount_owed,
    fees_unpaid,
    is_open,
    payoff_amount,
    settle_statuses,
)


def schedule_rows(loan, *, lock: bool = False) -> list[Installment]:
    """The loan's whole schedule in order (locked when ``lock``)."""
    rows = Installment.objects.filter(loan=loan)
    if lock:
        rows = rows.select_for_update()
    return list(rows.order_by("number"))




def loan_terms(loan) -> Terms:
    return Terms(outstanding_principal=loan.outstanding_principal, rate=loan.interest_rate,
                 installment=loan.monthly_payment,
                 disbursed_on=timezone.localdate(loan.disbursed_at))




@dataclass
class Quote:
    payoff_amount: Decimal
    principal: Decimal
    interest: Decimal
    fees: Decimal


def payoff_quote(loan, as_of: date) -> Quote:
    """What pays the loan off on ``as_of`` (and exactly closes it): outstanding principal,
    unpaid interest of installments due, the running period's accrued interest and unpaid
    fees."""
    rows = schedule_rows(loan)
    terms = loan_terms(loan)
    total = payoff_amount(rows, as_of, terms)
    fees = sum((fees_unpaid(i) for i in rows if is_open(i)), ZERO)
    principal = loan.outstanding_principal
    return Quote(payoff_amount=total, principal=principal, interest=total - principal - fees,
                 fees=fees)




def schedule_summary(loan, as_of: date) -> dict:
    installments = schedule_rows(loan)
    total_paid = sum((r.amount for r in loan.repayments.filter(
        status=Repayment.Status.COMPLETED)), ZERO)
    upcoming = next((i for i in installments if i.status not in CLOSED_INSTALLMENT), None)
    return {
        "total_paid": total_paid,
        "remaining_balance": loan.outstanding_principal,
        "next_payment_due": upcoming.due_date if upcoming else None,
        "next_payment_amount": amount_owed(upcoming) if upcoming else None,
    }



@dataclass
class RowEffect:
    number: int
    due_date: date
    late_fee: Decimal
    interest: Decimal
    principal: Decimal
    settled: bool  # paid in full by this payment


@dataclass
class PaymentPreview:
    """What a payment would do, before the borrower confirms it: its parts, the rows it pays
    (and whether each is then settled), and the principal left."""

    amount: Decimal
    day: date
    apply_to: str
    payoff: bool
    parts: Allocation
    outstanding_after: Decimal
    rows: list[RowEffect] = field(default_factory=list)


def payment_preview(loan, *, amount, day: date, apply_to: str) -> PaymentPreview:
    """The allocation rule run on a copy of the schedule as it stands (a payment dated later is
    applied on its day to the schedule as it is then)."""
    rows = schedule_rows(loan)
    copies = [copy.copy(i) for i in rows]
    terms = loan_terms(loan)
    amount = cents(amount)
    quote = payoff_amount(copies, day, terms)
    if amount > quote:
        raise ApplicationError(f"That is more than the payoff amount of {quote:,.2f}",
                               field="amount")
    payoff = amount == quote
    parts = allocate(copies, amount, day, terms=terms,
                     apply_to=ApplyTo.PAYOFF if payoff else apply_to)
    outstanding = terms.outstanding_principal - parts.principal
    settle_statuses(copies, now=None, repaid=outstanding == 0)
    effects = []
    for before, after in zip(rows, copies, strict=True):
        paid = (after.late_fee_paid - before.late_fee_paid + after.platform_fee_paid
                - before.platform_fee_paid, after.interest_paid
                - before.interest_paid, after.principal_paid - before.principal_paid)
        if any(paid):
            effects.append(RowEffect(after.number, after.due_date, *paid,
                                     settled=after.status in CLOSED_INSTALLMENT))
    return PaymentPreview(amount=amount, day=day, apply_to=apply_to, payoff=payoff,
                          parts=parts, outstanding_after=outstanding, rows=effects)


def hardship_plan_for(loan) -> "HardshipPlan | None":
    """The loan's hardship plan that is requested, awaiting confirmation or running (the
    newest), if any."""
    return HardshipPlan.objects.filter(loan_id=getattr(loan, "pk", loan),
                                       status__in=HardshipPlan.OPEN).order_by("-id").first()


def loan_has_hardship(loan) -> bool:
    """True while a hardship plan runs on the loan (its notes cannot be sold: the secondary
    market's sale qualification calls this). ``loan``: a Loan or its id."""
    return HardshipPlan.objects.filter(loan_id=getattr(loan, "pk", loan),
                                       status=HardshipPlan.Status.ACTIVE).exists()
