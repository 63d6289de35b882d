"""Loan servicing (DESIGN.md, "Servicing"): schedules, repayments, distribution to lenders,
late fees, delinquency, charge-off. Reads loans and notes; money moves only through the ledger.

Allocation of every payment: late fees, then interest due, then principal due (installments due
by the payment date, oldest first), then prepayment of principal, which keeps the installment and
shortens the term (the rows not yet due are re-amortized from the new balance).

Interest accrues per period on the balance at the start of the period (the schedule's figure); a
payoff quote adds the current period's interest pro rata to the days elapsed.

Distribution: each part of a payment (principal, interest, late fee) is split across the loan's
notes in proportion to their outstanding principal before the payment, to the cent, by largest
remainder (ties by note id), so the parts sum exactly to the whole. The platform keeps a servicing
fee of 1% of each lender's share (rounded half-even).

Delinquency by days past due of the oldest unpaid installment: 0 current, 1-15 grace (loan still
active), 16-120 late, 121-149 default, 150 charged off (outstanding principal written off on every
note). A late fee of max(15.00, 5% of the installment) is assessed once per installment 16 days
after its due date, and passed to lenders when paid.
"""

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.services import audit_record, notification_create
from communitylend.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from payments.amortization import Schedule, add_months, monthly_rate, rows_from_balance

from .bulk import AnyOf, insert_rows, reserve_ids, update_rows
from .ledger import (
    InsufficientFunds,
    account_for_reference,
    account_for_user,
    credit,
    debit,
    ledger_post,
    platform_account,
    user_accounts,
)
from .models import Account, AccountKind, Distribution, Installment, InstallmentStatus, Repayment

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SERVICING_FEE_RATE = Decimal("0.01")
GRACE_DAYS = 15
DEFAULT_DAYS = 121
CHARGE_OFF_DAYS = 150
LATE_FEE_MIN = Decimal("15.00")
LATE_FEE_RATE = Decimal("0.05")
REMINDER_DAYS = 3


def _cents(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN)


def schedule_create(*, loan, schedule: Schedule) -> list[Installment]:
    """Store a new loan's amortization schedule (inside the disbursement transaction)."""
    from loans.models import Loan

    Loan.objects.filter(pk=loan.pk).update(outstanding_principal=loan.amount)
    loan.outstanding_principal = loan.amount
    return Installment.objects.bulk_create([
        Installment(loan=loan, number=row.period, due_date=row.due_date, principal=row.principal,
                    interest=row.interest, total=row.payment)
        for row in schedule.rows
    ])


# --- Splitting to the cent ----------------------------------------------------------------------


def split_largest_remainder(total: Decimal, weights: list[tuple[int, Decimal]]) -> dict[int, Decimal]:
    """Split ``total`` (cents) in proportion to ``weights`` [(id, weight)]; parts sum to total.
    Leftover cents go to the largest remainders, ties to the lowest id."""
    total = _cents(total)
    weight_sum = sum((w for _, w in weights), ZERO)
    if total == 0 or weight_sum <= 0:
        return {key: ZERO for key, _ in weights}
    cents = int(total / CENT)
    raw = [(key, Decimal(cents) * w / weight_sum) for key, w in weights]
    floors = {key: int(share) for key, share in raw}
    left = cents - sum(floors.values())
    order = sorted(raw, key=lambda item: (-(item[1] - int(item[1])), item[0]))
    for key, _ in order[:left]:
        floors[key] += 1
    return {key: Decimal(value) * CENT for key, value in floors.items()}


# --- Reading the state of a loan ----------------------------------------------------------------


def _open_installments(loan) -> list[Installment]:
    return list(Installment.objects.select_for_update().filter(loan=loan).exclude(
        status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED)).order_by("number"))


def _due(inst: Installment, as_of: date) -> bool:
    return inst.due_date <= as_of


@dataclass
class Quote:
    payoff_amount: Decimal
    principal: Decimal
    interest: Decimal
    fees: Decimal


def _last_due_before(loan, installments, as_of: date) -> date:
    paid_or_due = [i.due_date for i in Installment.objects.filter(loan=loan, due_date__lte=as_of)]
    return max(paid_or_due) if paid_or_due else timezone.localdate(loan.disbursed_at)


def payoff_quote(loan, as_of: date) -> Quote:
    """What pays the loan off on ``as_of``: outstanding principal, interest due and the current
    period's interest pro rata to the days elapsed, and unpaid late fees."""
    installments = list(Installment.objects.filter(loan=loan).exclude(
        status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED)).order_by("number"))
    fees = sum((i.late_fee - i.late_fee_paid for i in installments), ZERO)
    interest = sum((i.interest - i.interest_paid for i in installments if _due(i, as_of)), ZERO)
    upcoming = next((i for i in installments if not _due(i, as_of)), None)
    if upcoming is not None and upcoming.interest_paid < upcoming.interest:
        start = _last_due_before(loan, installments, as_of)
        period_days = max((upcoming.due_date - start).days, 1)
        elapsed = min(max((as_of - start).days, 0), period_days)
        accrued = _cents((upcoming.interest - upcoming.interest_paid) * elapsed / period_days)
        interest += accrued
    principal = loan.outstanding_principal
    return Quote(payoff_amount=principal + interest + fees, principal=principal,
                 interest=interest, fees=fees)


# --- Applying a payment -------------------------------------------------------------------------


@dataclass
class Allocation:
    late_fees: Decimal = ZERO
    interest: Decimal = ZERO
    principal: Decimal = ZERO
    prepaid: Decimal = ZERO


def _allocate(loan, installments: list[Installment], amount: Decimal, as_of: date,
              payoff: bool) -> Allocation:
    """Apply ``amount`` to the installments in place (late fees, interest due, principal due,
    prepayment) and return the parts."""
    left = amount
    result = Allocation()
    for inst in installments:
        take = min(left, inst.late_fee - inst.late_fee_paid)
        if take > 0:
            inst.late_fee_paid += take
            result.late_fees += take
            left -= take
    due = [i for i in installments if _due(i, as_of)]
    for inst in due:
        take = min(left, inst.interest - inst.interest_paid)
        if take > 0:
            inst.interest_paid += take
            result.interest += take
            left -= take
    for inst in due:
        take = min(left, inst.principal - inst.principal_paid)
        if take > 0:
            inst.principal_paid += take
            result.principal += take
            left -= take
    if payoff and left > 0:
        # A payoff also settles the current period's accrued interest.
        upcoming = next((i for i in installments if not _due(i, as_of)), None)
        if upcoming is not None:
            take = min(left, upcoming.interest - upcoming.interest_paid,
                       left - (loan.outstanding_principal - result.principal))
            if take > 0:
                upcoming.interest_paid += take
                upcoming.interest = upcoming.interest_paid
                result.interest += take
                left -= take
    if left > 0:  # prepayment of principal
        result.principal += left
        result.prepaid = left
    return result


def _reamortize(loan, installments: list[Installment], as_of: date, prepaid: Decimal) -> None:
    """After a prepayment keep the installment and shorten the term: rows not yet due (and
    untouched) are rebuilt from the new balance."""
    if prepaid <= 0:
        return
    future = [i for i in installments if not _due(i, as_of) and i.principal_paid == 0
              and i.interest_paid == 0]
    if not future:
        return
    balance = loan.outstanding_principal
    # Principal still scheduled in due/partly paid rows is part of the balance too.
    scheduled_elsewhere = sum((i.principal - i.principal_paid for i in installments
                               if i not in future), ZERO)
    balance -= scheduled_elsewhere
    first = future[0]
    installment = loan.monthly_payment
    start = timezone.localdate(loan.disbursed_at)
    rows = rows_from_balance(balance, loan.interest_rate, installment, first_period=first.number,
                             start=start, max_periods=len(future)) if balance > 0 else []
    for inst, row in zip(future, rows, strict=False):
        inst.principal, inst.interest, inst.total = row.principal, row.interest, row.payment
        inst.due_date = row.due_date
    for inst in future[len(rows):]:
        inst.principal = inst.interest = inst.total = ZERO
        inst.status = InstallmentStatus.WAIVED


def _distribute(loan, repayment: Repayment, parts: Allocation):
    from investments.models import Note, NoteStatus

    notes = list(Note.objects.select_for_update().filter(loan=loan, status=NoteStatus.ACTIVE)
                 .order_by("id"))
    weights = [(n.pk, n.outstanding_principal) for n in notes]
    shares = {name: split_largest_remainder(getattr(parts, name), weights)
              for name in ("principal", "interest", "late_fees")}
    rows, legs = [], []
    total_fee = ZERO
    borrower = account_for_user(loan.borrower_id, AccountKind.USER_AVAILABLE)
    receivable = account_for_reference(f"loan:{loan.pk}", AccountKind.LOAN_PRINCIPAL)
    legs.append(debit(borrower, repayment.amount))
    for note in notes:
        principal = shares["principal"][note.pk]
        interest = shares["interest"][note.pk]
        late_fee = shares["late_fees"][note.pk]
        gross = principal + interest + late_fee
        fee = _cents(gross * SERVICING_FEE_RATE)
        net = gross - fee
        total_fee += fee
        rows.append(Distribution(repayment=repayment, note=note, principal=principal,
                                 interest=interest, late_fee=late_fee, servicing_fee=fee, net=net))
        lender = user_accounts(note.lender_id)  # one query for both of the lender's accounts
        if net > 0:
            legs.append(credit(lender[AccountKind.USER_AVAILABLE], net))
        if principal > 0:
            legs.append(debit(lender[AccountKind.USER_INVESTED], principal))
        note.outstanding_principal -= principal
        note.principal_received += principal
        note.interest_received += interest
        note.late_fees_received += late_fee
        note.servicing_fees_paid += fee
        if note.outstanding_principal == 0:
            note.status = NoteStatus.REPAID
    if parts.principal > 0:
        legs.append(credit(receivable, parts.principal))
    if total_fee > 0:
        legs.append(credit(platform_account(AccountKind.PLATFORM_SERVICING_FEES), total_fee))
    txn, _ = ledger_post(kind="repayment", legs=legs,
                         idempotency_key=f"repayment:{repayment.idempotency_key}",
                         memo=f"Repayment on loan #{loan.pk}")
    Distribution.objects.bulk_create(rows)
    Note.objects.bulk_update(notes, ["outstanding_principal", "principal_received",
                                     "interest_received", "late_fees_received",
                                     "servicing_fees_paid", "status"])
    repayment.servicing_fees = total_fee
    return txn


def _lock_loan(loan_id: int):
    from loans.models import Loan

    loan = Loan.objects.select_for_update().filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("Loan not found")
    return loan


def _apply(loan, *, amount: Decimal, as_of: date, kind: str, key: str,
           acting_user=None, scheduled: Repayment | None = None) -> Repayment:
    """Apply a payment to a locked loan; the caller holds the transaction. ``scheduled`` is a
    scheduled payment being taken now (it becomes the completed record)."""
    from loans.models import SERVICED, LoanStatus

    existing = Repayment.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.status == Repayment.Status.COMPLETED:
        return existing
    if loan.status not in SERVICED:
        raise InvalidState(f"Cannot pay a loan that is {loan.get_status_display().lower()}")
    amount = _cents(amount)
    if amount <= 0:
        raise ApplicationError("amount must be positive", field="amount")
    quote = payoff_quote(loan, as_of)
    if amount > quote.payoff_amount:
        raise ApplicationError(f"That is more than the payoff amount of "
                               f"{quote.payoff_amount:,.2f}", field="amount")
    installments = _open_installments(loan)
    payoff = amount == quote.payoff_amount
    parts = _allocate(loan, installments, amount, as_of, payoff)
    values = {"kind": kind, "status": Repayment.Status.COMPLETED, "amount": amount,
              "paid_on": as_of, "principal": parts.principal, "interest": parts.interest,
              "late_fees": parts.late_fees}
    if scheduled is not None:
        for name, value in values.items():
            setattr(scheduled, name, value)
        scheduled.save(update_fields=list(values))
        repayment = scheduled
    else:
        repayment = Repayment.objects.create(loan=loan, borrower_id=loan.borrower_id,
                                             idempotency_key=key, **values)
    try:
        with transaction.atomic():
            repayment.ledger_transaction = _distribute(loan, repayment, parts)
    except InsufficientFunds as exc:
        raise ApplicationError(f"Not enough cash in your wallet: {exc.message}",
                               field="amount") from exc
    repayment.save(update_fields=["ledger_transaction", "servicing_fees"])
    loan.outstanding_principal -= parts.principal
    # Installments due and now covered are paid; a prepayment re-amortizes the rest.
    prepaid = parts.prepaid
    remaining_principal = loan.outstanding_principal
    for inst in installments:
        if inst.principal_paid >= inst.principal and inst.interest_paid >= inst.interest \
                and inst.late_fee_paid >= inst.late_fee:
            inst.status = InstallmentStatus.PAID
            inst.paid_at = timezone.now()
        elif inst.principal_paid or inst.interest_paid:
            inst.status = InstallmentStatus.PARTIAL
    if remaining_principal == 0:
        for inst in installments:
            if inst.status != InstallmentStatus.PAID:
                inst.status = InstallmentStatus.WAIVED if not (inst.principal_paid or
                                                                inst.interest_paid) else \
                    InstallmentStatus.PAID
    elif prepaid > 0:
        _reamortize(loan, installments, as_of, prepaid)
    Installment.objects.bulk_update(installments, ["principal", "interest", "total",
                                                   "principal_paid", "interest_paid",
                                                   "late_fee_paid", "status", "paid_at",
                                                   "due_date"])
    old_status = loan.status
    if remaining_principal == 0:
        loan.status = LoanStatus.REPAID
        loan.repaid_at = timezone.now()
    loan.days_past_due = _days_past_due(loan, as_of)
    if loan.status != LoanStatus.REPAID:
        loan.status = _status_for(loan.days_past_due)
    loan.save(update_fields=["outstanding_principal", "status", "repaid_at", "days_past_due",
                             "updated_at"])
    audit_record(actor=acting_user, event="loan.repayment", target=repayment,
                 new={"amount": amount, "principal": parts.principal,
                      "interest": parts.interest, "late_fees": parts.late_fees})
    if old_status != loan.status:
        audit_record(actor=acting_user, event=f"loan.{loan.status}", target=loan,
                     old={"status": old_status}, new={"status": loan.status})
    notification_create(user_id=loan.borrower_id, kind="payment_received",
                        title=f"Payment of {amount:,.2f} received on loan #{loan.pk}",
                        body=f"Outstanding principal is now {loan.outstanding_principal:,.2f}."
                        + (" The loan is repaid in full. Thank you!" if remaining_principal == 0
                           else ""),
                        url=f"/loans/{loan.pk}/schedule/")
    return repayment


def repayment_pay(*, borrower, loan_id: int, amount, as_of: date | None = None,
                  idempotency_key: str | None = None) -> Repayment:
    """The borrower pays now from the wallet."""
    import uuid

    as_of = as_of or timezone.localdate()
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != borrower.pk:
            raise PermissionDenied("Only the borrower can pay this loan")
        return _apply(loan, amount=Decimal(amount), as_of=as_of, kind=Repayment.Kind.MANUAL,
                      key=f"manual:{loan.pk}:{idempotency_key or uuid.uuid4().hex}",
                      acting_user=borrower)


def repayment_schedule(*, borrower, loan_id: int, amount, payment_date: date,
                       idempotency_key: str | None = None) -> Repayment:
    """Pay now if ``payment_date`` is today, else schedule it; servicing takes it that day."""
    import uuid

    today = timezone.localdate()
    if payment_date < today:
        raise ApplicationError("paymentDate cannot be in the past", field="payment_date")
    if payment_date == today:
        return repayment_pay(borrower=borrower, loan_id=loan_id, amount=amount,
                             idempotency_key=idempotency_key)
    amount = _cents(amount)
    if amount <= 0:
        raise ApplicationError("amount must be positive", field="amount")
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != borrower.pk:
            raise PermissionDenied("Only the borrower can pay this loan")
        from loans.models import SERVICED

        if loan.status not in SERVICED:
            raise InvalidState(f"Cannot pay a loan that is {loan.get_status_display().lower()}")
        key = f"scheduled:{loan.pk}:{idempotency_key or uuid.uuid4().hex}"
        repayment, _ = Repayment.objects.get_or_create(idempotency_key=key, defaults={
            "loan": loan, "borrower": borrower, "kind": Repayment.Kind.SCHEDULED,
            "status": Repayment.Status.SCHEDULED, "amount": amount,
            "scheduled_for": payment_date})
        audit_record(actor=borrower, event="loan.payment_scheduled", target=repayment,
                     new={"amount": amount, "date": payment_date.isoformat()})
    return repayment


# --- The daily run ------------------------------------------------------------------------------


def _days_past_due(loan, as_of: date) -> int:
    oldest = Installment.objects.filter(loan=loan, due_date__lt=as_of).exclude(
        status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED)).order_by("number").first()
    return (as_of - oldest.due_date).days if oldest else 0


def _status_for(days: int) -> str:
    from loans.models import LoanStatus

    if days >= CHARGE_OFF_DAYS:
        return LoanStatus.CHARGED_OFF
    if days >= DEFAULT_DAYS:
        return LoanStatus.DEFAULT
    if days > GRACE_DAYS:
        return LoanStatus.LATE
    return LoanStatus.ACTIVE


def _charge_off(loan) -> Decimal:
    """Write off the outstanding principal on every note (idempotent by its key)."""
    from investments.models import Note, NoteStatus

    notes = list(Note.objects.select_for_update().filter(loan=loan, status=NoteStatus.ACTIVE)
                 .order_by("id"))
    total = sum((n.outstanding_principal for n in notes), ZERO)
    if total > 0:
        legs = [debit(account_for_user(n.lender_id, AccountKind.USER_INVESTED),
                      n.outstanding_principal) for n in notes if n.outstanding_principal > 0]
        legs.append(credit(account_for_reference(f"loan:{loan.pk}", AccountKind.LOAN_PRINCIPAL),
                           total))
        ledger_post(kind="charge_off", legs=legs, idempotency_key=f"loan:{loan.pk}:charge-off",
                    memo=f"Charge-off of loan #{loan.pk}")
    for note in notes:
        note.charged_off_principal = note.outstanding_principal
        note.outstanding_principal = ZERO
        note.status = NoteStatus.CHARGED_OFF
    Note.objects.bulk_update(notes, ["charged_off_principal", "outstanding_principal", "status"])
    for note in notes:
        notification_create(user_id=note.lender_id, kind="charge_off",
                            title=f"Loan #{loan.pk} charged off",
                            body=f"{note.charged_off_principal:,.2f} of your note's principal "
                                 "was written off after 150 days past due.",
                            url="/portfolio/", dedupe_key=f"charge-off:{loan.pk}:{note.pk}")
    return total


STATUS_MESSAGES = {
    "late": ("Payment late on loan #{id}", "Your loan is {dpd} days past due. Please pay as "
             "soon as you can to avoid default."),
    "default": ("Loan #{id} is in default", "Your loan is {dpd} days past due and in default."),
    "charged_off": ("Loan #{id} charged off", "Your loan was charged off after {dpd} days past "
                    "due."),
    "active": ("Loan #{id} is current again", "Thank you: your loan is back on schedule."),
}


@dataclass
class DayReport:
    loans: int = 0
    autopay: int = 0
    autopay_skipped: int = 0
    scheduled: int = 0
    late_fees: int = 0
    transitions: dict = field(default_factory=dict)
    reminders: int = 0
    charged_off: int = 0
    errors: int = 0

    def add(self, other: "DayReport") -> None:
        for name in ("loans", "autopay", "autopay_skipped", "scheduled", "late_fees",
                     "reminders", "charged_off", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for status, count in other.transitions.items():
            self.transitions[status] = self.transitions.get(status, 0) + count


def service_loan(*, loan_id: int, as_of: date, report: DayReport) -> None:
    """Everything due on one loan up to ``as_of``, in one transaction (all or nothing)."""
    from loans.models import SERVICED
    from payments.selectors import wallet_balances

    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.status not in SERVICED:
            return
        # Scheduled payments first (the borrower chose them), then autopay per installment.
        for scheduled in Repayment.objects.select_for_update().filter(
                loan=loan, status=Repayment.Status.SCHEDULED, scheduled_for__lte=as_of):
            try:
                with transaction.atomic():
                    _apply(loan, amount=min(scheduled.amount,
                                            payoff_quote(loan, scheduled.scheduled_for)
                                            .payoff_amount),
                           as_of=scheduled.scheduled_for, kind=Repayment.Kind.SCHEDULED,
                           key=scheduled.idempotency_key, scheduled=scheduled)
                report.scheduled += 1
            except ApplicationError as exc:
                scheduled.refresh_from_db()
                scheduled.status = Repayment.Status.FAILED
                scheduled.failure_reason = exc.message[:255]
                scheduled.save(update_fields=["status", "failure_reason"])
        if loan.autopay:
            for inst in Installment.objects.filter(loan=loan, due_date__lte=as_of).exclude(
                    status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED)).order_by(
                    "number"):
                owed = (inst.total - inst.principal_paid - inst.interest_paid
                        + inst.late_fee - inst.late_fee_paid)
                key = f"autopay:{loan.pk}:{inst.number}:{inst.due_date.isoformat()}"
                if owed <= 0 or Repayment.objects.filter(idempotency_key=key).exists():
                    continue
                if wallet_balances(loan.borrower_id)["available"] < owed:
                    report.autopay_skipped += 1
                    continue
                _apply(loan, amount=owed, as_of=max(inst.due_date, as_of),
                       kind=Repayment.Kind.AUTOPAY, key=key)
                report.autopay += 1
                loan.refresh_from_db()
                if loan.status not in SERVICED:
                    break
        loan.refresh_from_db()
        if loan.status not in SERVICED:
            return
        # Late fees, once per installment, 16 days after its due date.
        overdue = Installment.objects.select_for_update().filter(
            loan=loan, due_date__lt=as_of - timedelta(days=GRACE_DAYS), late_fee=0).exclude(
            status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED))
        for inst in overdue:
            inst.late_fee = max(LATE_FEE_MIN, _cents(inst.total * LATE_FEE_RATE))
            inst.status = InstallmentStatus.LATE
            inst.save(update_fields=["late_fee", "status"])
            report.late_fees += 1
            audit_record(actor=None, event="loan.late_fee", target=loan,
                         new={"installment": inst.number, "fee": inst.late_fee})
        old = loan.status
        loan.days_past_due = _days_past_due(loan, as_of)
        loan.status = _status_for(loan.days_past_due)
        if loan.status == "charged_off":
            _charge_off(loan)
            report.charged_off += 1
        loan.save(update_fields=["days_past_due", "status", "updated_at"])
        if loan.status != old:
            report.transitions[loan.status] = report.transitions.get(loan.status, 0) + 1
            audit_record(actor=None, event=f"loan.{loan.status}", target=loan,
                         old={"status": old}, new={"status": loan.status,
                                                   "days_past_due": loan.days_past_due})
            title, body = STATUS_MESSAGES[loan.status]
            notification_create(user_id=loan.borrower_id, kind=f"loan_{loan.status}",
                                title=title.format(id=loan.pk),
                                body=body.format(dpd=loan.days_past_due),
                                url=f"/loans/{loan.pk}/schedule/",
                                dedupe_key=f"status:{loan.pk}:{loan.status}:{as_of}")
        # Reminder three days before each due date.
        upcoming = Installment.objects.filter(
            loan=loan, due_date__gt=as_of, due_date__lte=as_of + timedelta(days=REMINDER_DAYS)
        ).exclude(status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED))
        for inst in upcoming:
            if notification_create(
                    user_id=loan.borrower_id, kind="payment_due",
                    title=f"Payment of {inst.total:,.2f} due {inst.due_date:%Y-%m-%d}",
                    body=f"Installment {inst.number} of loan #{loan.pk}. "
                         + ("Autopay will take it from your wallet." if loan.autopay else ""),
                    url=f"/loans/{loan.pk}/schedule/",
                    dedupe_key=f"reminder:{loan.pk}:{inst.number}:{inst.due_date}"):
                report.reminders += 1


# Loans per transaction: each batch updates every lender's accounts once, so bigger batches
# update them fewer times a day; the lenders' account locks are held only from ledger_settle to
# the commit (well under a second), whatever the size. On two connections: 5,000 1,172-1,264
# loans/s, 2,500 1,017, 10,000 1,214 (two batches: no overlap left at the end of the day).
BATCH_SIZE = 5000


def run_servicing(*, as_of: date, batch_size: int = BATCH_SIZE,
                  workers: int | None = None) -> DayReport:
    """Service every loan up to the end of ``as_of`` (catching up on anything earlier); running
    it twice for the same day changes nothing.

    Loans go in batches of about ``batch_size``, each borrower's loans in one batch (in primary-
    key order, so they draw on the wallet in that order): ``service_loans_batch`` handles the
    day's common case for a whole batch in one transaction with bulk writes; the loans it leaves
    (scheduled payments, late or defaulted loans, payoffs, a borrower short of cash...) then go
    one by one through ``service_loan``, each in its own transaction. If a batch fails it wrote
    nothing, and its loans go one by one too.

    On PostgreSQL the batches run on ``workers`` connections at once (``SERVICING_WORKERS``),
    unless the caller holds a transaction (other connections could not see its rows)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings
    from django.db import connection

    from loans.models import SERVICED

    horizon = as_of + timedelta(days=REMINDER_DAYS)
    # (loan, borrower) of every loan with something to do: the batches keep borrowers whole.
    due = Installment.objects.filter(
        Q(due_date__lte=horizon), loan__status__in=SERVICED).exclude(
        status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED)).order_by().values_list(
        "loan_id", "loan__borrower_id").distinct()
    scheduled = Repayment.objects.filter(
        status=Repayment.Status.SCHEDULED, scheduled_for__lte=as_of).values_list(
        "loan_id", "loan__borrower_id")
    rows = sorted(set(due) | set(scheduled), key=lambda row: (row[1], row[0]))
    batches = _borrower_batches(rows, batch_size)
    if workers is None:
        workers = settings.SERVICING_WORKERS
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        workers = 1
    report = DayReport()
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            report.add(_service_batch(batch, as_of))
        return report
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="servicing") as pool:
        for batch_report in pool.map(lambda batch: _service_batch(batch, as_of, thread=True),
                                     batches):
            report.add(batch_report)
    return report


def _borrower_batches(rows, batch_size: int) -> list[list[int]]:
    """(loan, borrower) rows ordered by borrower, then loan, cut into batches of at least
    ``batch_size`` loans (the last may be smaller) that never split a borrower; each batch in
    primary-key order."""
    batches, current, last_borrower = [], [], None
    for loan_id, borrower_id in rows:
        if len(current) >= batch_size and borrower_id != last_borrower:
            batches.append(sorted(current))
            current = []
        current.append(loan_id)
        last_borrower = borrower_id
    if current:
        batches.append(sorted(current))
    return batches


def _service_batch(loan_ids: list[int], as_of: date, *, thread: bool = False) -> DayReport:
    """One batch: the common case in bulk, then what it left one by one."""
    from django.db import connection

    report = DayReport()
    try:
        try:
            rest = service_loans_batch(loan_ids=loan_ids, as_of=as_of, report=report)
        except Exception:  # noqa: BLE001 - the batch wrote nothing: each loan on its own
            logger.exception("Servicing batch of %s loans failed; servicing them one by one",
                             len(loan_ids))
            report, rest = DayReport(), loan_ids
        report.loans += len(loan_ids) - len(rest)
        for loan_id in rest:
            report.loans += 1
            try:
                service_loan(loan_id=loan_id, as_of=as_of, report=report)
            except Exception:  # noqa: BLE001 - one loan's failure must not stop the day
                report.errors += 1
                logger.exception("Servicing loan %s failed", loan_id)
    finally:
        if thread:
            connection.close()  # this thread's own connection
    return report


# --- The day's common case, for many loans at once -------------------------------------------


@dataclass(slots=True)
class _LoanRow:
    """The fields of a loan the day's common case reads and writes (plain rows, not models)."""

    pk: int
    borrower_id: int
    status: str
    autopay: bool
    outstanding_principal: Decimal
    days_past_due: int
    updated_at: object = None


LOAN_ROW_FIELDS = ("pk", "borrower_id", "status", "autopay", "outstanding_principal",
                   "days_past_due")


@dataclass(slots=True)
class _InstallmentRow:
    pk: int
    loan_id: int
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal
    total: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    late_fee: Decimal
    late_fee_paid: Decimal
    status: str


INSTALLMENT_ROW_FIELDS = ("pk", "loan_id", "number", "due_date", "principal", "interest",
                          "total", "principal_paid", "interest_paid", "late_fee",
                          "late_fee_paid", "status")


@dataclass(slots=True)
class _NoteRow:
    """The fields of a note a repayment changes, with its lender's two accounts."""

    pk: int
    loan_id: int
    lender_id: int
    outstanding_principal: Decimal
    principal_received: Decimal
    interest_received: Decimal
    servicing_fees_paid: Decimal
    status: str
    available_account: int | None
    invested_account: int | None
    updated_at: object = None


NOTE_ROW_FIELDS = ("pk", "loan_id", "lender_id", "outstanding_principal", "principal_received",
                   "interest_received", "servicing_fees_paid", "status")


@dataclass(slots=True)
class _Payment:
    loan: _LoanRow
    installment: _InstallmentRow
    key: str
    borrower_account: int
    notes: list = field(default_factory=list)
    shares: dict = field(default_factory=dict)


def service_loans_batch(*, loan_ids: list[int], as_of: date, report: DayReport) -> list[int]:
    """The day's common case for many loans in one transaction; returns the loans left for
    ``service_loan`` (in primary-key order).

    Handled here, exactly as ``service_loan`` would: an active loan on autopay, with no
    scheduled payment due, whose only open installment due by ``as_of`` is untouched and not its
    last (autopay takes it: the same repayment, allocation, distribution to the notes, ledger
    legs, audit row and notice), or that has nothing due (reminders only). Everything else
    (scheduled payments, late or defaulted loans, late fees, a payoff, a borrower short of cash)
    is left, and so is every later loan of a borrower who has a left loan in the batch, so that
    each borrower's loans still draw on the wallet in primary-key order.

    Set-based: a constant number of queries per batch (locks in primary-key order: loans, then
    the accounts last, through ``ledger_settle``), bulk inserts, one UPDATE per table. Rows are
    read as plain values (``_LoanRow``...), not model instances, and every list of ids is one
    query parameter (``AnyOf``): at 5,000 loans a batch both cost more than the queries."""
    from loans.models import SERVICED, Loan, LoanStatus

    if not loan_ids:
        return []
    left: list[int] = []
    horizon = as_of + timedelta(days=REMINDER_DAYS)
    with transaction.atomic(durable=True):
        loans = [_LoanRow(*row) for row in Loan.objects.select_for_update()
                 .filter(AnyOf(F("pk"), loan_ids)).order_by("pk").values_list(*LOAN_ROW_FIELDS)]
        loans = [loan for loan in loans if loan.status in SERVICED]  # others: nothing to do
        ids = [loan.pk for loan in loans]
        scheduled = set(Repayment.objects.filter(
            AnyOf(F("loan_id"), ids), status=Repayment.Status.SCHEDULED,
            scheduled_for__lte=as_of).values_list("loan_id", flat=True))
        # Every open installment up to the reminder horizon (the rows this day can touch); the
        # loan rows' locks keep every other writer of them out.
        open_rows: dict[int, list[_InstallmentRow]] = defaultdict(list)
        for row in (Installment.objects.filter(AnyOf(F("loan_id"), ids), due_date__lte=horizon)
                    .exclude(status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED))
                    .order_by("loan_id", "number").values_list(*INSTALLMENT_ROW_FIELDS)):
            open_rows[row[1]].append(_InstallmentRow(*row))
        keys = {loan.pk: [f"autopay:{loan.pk}:{i.number}:{i.due_date.isoformat()}"
                          for i in open_rows[loan.pk] if i.due_date <= as_of] for loan in loans}
        taken = set(Repayment.objects.filter(
            AnyOf(F("idempotency_key"), [k for ks in keys.values() for k in ks]))
            .values_list("idempotency_key", flat=True))
        # Read, not locked (loans before accounts, always): a withdrawal racing in between makes
        # ledger_settle refuse the batch, and its loans then go one by one. A borrower with
        # no wallet has no cash: those loans go one by one too.
        wallets = {user_id: (pk, balance) for user_id, pk, balance in Account.objects.filter(
            AnyOf(F("user_id"), list({loan.borrower_id for loan in loans})),
            kind=AccountKind.USER_AVAILABLE).values_list("user_id", "pk", "balance")}
        cash = {user_id: balance for user_id, (_, balance) in wallets.items()}

        payments: list[_Payment] = []
        quiet: list[_LoanRow] = []  # nothing due: reminders (and days past due back to 0) only
        slow_borrowers: set[int] = set()
        for loan in loans:
            due = [i for i in open_rows[loan.pk] if i.due_date <= as_of]
            simple = (loan.status == LoanStatus.ACTIVE and loan.pk not in scheduled
                      and loan.borrower_id not in slow_borrowers
                      and all(i.late_fee == i.late_fee_paid for i in open_rows[loan.pk]))
            if simple and not due:
                quiet.append(loan)
                continue
            if simple and len(due) == 1 and loan.autopay:
                inst = due[0]
                owed = inst.total
                if (inst.status == InstallmentStatus.DUE and not inst.principal_paid
                        and not inst.interest_paid and not inst.late_fee
                        and inst.principal + inst.interest == owed and owed > 0
                        and loan.outstanding_principal - inst.principal > 0
                        and keys[loan.pk][0] not in taken
                        and cash.get(loan.borrower_id, ZERO) >= owed):
                    cash[loan.borrower_id] -= owed
                    payments.append(_Payment(loan, inst, keys[loan.pk][0],
                                             wallets[loan.borrower_id][0]))
                    continue
            left.append(loan.pk)
            slow_borrowers.add(loan.borrower_id)

        now = timezone.now()
        if payments:
            _pay_installments(payments, as_of=as_of, now=now)
            report.autopay += len(payments)
        stale = [loan for loan in quiet if loan.days_past_due]
        for loan in stale:
            loan.days_past_due = 0
            loan.updated_at = now
        update_rows(Loan, stale, ["days_past_due", "updated_at"])
        report.reminders += _remind(
            [loan for loan in [p.loan for p in payments] + quiet], open_rows, as_of=as_of)
    return left


def _lender_accounts(notes: list[_NoteRow]) -> None:
    """Fill in the accounts the notes' query did not find (a lender's first repayment into a
    wallet never created: rare)."""
    from .ledger import accounts_for_users

    missing = [n for n in notes if n.available_account is None or n.invested_account is None]
    if not missing:
        return
    accounts = accounts_for_users({n.lender_id for n in missing},
                                  [AccountKind.USER_AVAILABLE, AccountKind.USER_INVESTED])
    for note in missing:
        note.available_account = accounts[(note.lender_id, AccountKind.USER_AVAILABLE)].pk
        note.invested_account = accounts[(note.lender_id, AccountKind.USER_INVESTED)].pk


def _pay_installments(payments: list[_Payment], *, as_of: date, now) -> None:
    """Autopay of one untouched installment per loan: ``_apply`` + ``_distribute`` in bulk."""
    from accounts.models import AuditEvent
    from investments.models import Note, NoteStatus
    from loans.models import Loan

    from .ledger import (
        AccountRef,
        Leg,
        Posting,
        account_ids_for_references,
        ledger_settle,
        ledger_write_many,
    )

    def lender_account(kind):
        return Subquery(Account.objects.filter(user_id=OuterRef("lender_id"), kind=kind)
                        .values("pk")[:1])

    by_loan = {p.loan.pk: p for p in payments}
    notes = [_NoteRow(*row) for row in Note.objects.select_for_update()
             .filter(AnyOf(F("loan_id"), list(by_loan)), status=NoteStatus.ACTIVE)
             .annotate(available_account=lender_account(AccountKind.USER_AVAILABLE),
                       invested_account=lender_account(AccountKind.USER_INVESTED))
             .order_by("loan_id", "id")
             .values_list(*NOTE_ROW_FIELDS, "available_account", "invested_account")]
    _lender_accounts(notes)
    for note in notes:
        by_loan[note.loan_id].notes.append(note)
    receivables = account_ids_for_references([f"loan:{pk}" for pk in by_loan],
                                             AccountKind.LOAN_PRINCIPAL)
    refs: dict[int, AccountRef] = {}

    def ref(pk: int) -> AccountRef:  # one per account: a lender's are in many legs
        found = refs.get(pk)
        if found is None:
            found = refs[pk] = AccountRef(pk)
        return found

    fees_account = ref(platform_account(AccountKind.PLATFORM_SERVICING_FEES).pk)

    postings = []
    for payment in payments:
        loan, inst = payment.loan, payment.installment
        amount = _cents(inst.total)
        weights = [(n.pk, n.outstanding_principal) for n in payment.notes]
        principal = split_largest_remainder(inst.principal, weights)
        interest = split_largest_remainder(inst.interest, weights)
        legs = [Leg(ref(payment.borrower_account), debit=amount)]
        total_fee = ZERO
        for note in payment.notes:
            paid = principal[note.pk]
            gross = paid + interest[note.pk]
            fee = _cents(gross * SERVICING_FEE_RATE)
            net = gross - fee
            total_fee += fee
            payment.shares[note.pk] = (paid, interest[note.pk], fee, net)
            if net > 0:
                legs.append(Leg(ref(note.available_account), ZERO, net))
            if paid > 0:
                legs.append(Leg(ref(note.invested_account), paid))
            note.outstanding_principal -= paid
            note.principal_received += paid
            note.interest_received += interest[note.pk]
            note.servicing_fees_paid += fee
            note.updated_at = now
            if note.outstanding_principal == 0:
                note.status = NoteStatus.REPAID
        if inst.principal > 0:
            legs.append(Leg(ref(receivables[f"loan:{loan.pk}"]), credit=inst.principal))
        if total_fee > 0:
            legs.append(Leg(fees_account, credit=total_fee))
        postings.append(Posting(kind="repayment", legs=legs,
                                idempotency_key=f"repayment:{payment.key}",
                                memo=f"Repayment on loan #{loan.pk}"))
        payment.shares["fee"] = total_fee
    # The transactions and legs now, the accounts' locks and balances last (ledger_settle):
    # batches running side by side wait for each other's locks only from there to the commit.
    # A key that exists already fails the batch, and its loans go one by one.
    written = ledger_write_many(postings)
    txns = written.transactions

    # Plain rows through COPY (payments.bulk): tens of thousands a day, nothing reads them back
    # as model instances in this transaction.
    rep_ids = reserve_ids(Repayment, len(payments))
    insert_rows(Repayment, ["id", "loan", "borrower", "kind", "status", "amount", "scheduled_for",
                            "paid_on", "principal", "interest", "late_fees", "servicing_fees",
                            "idempotency_key", "ledger_transaction", "failure_reason",
                            "created_at"],
                ((rep_id, p.loan.pk, p.loan.borrower_id, Repayment.Kind.AUTOPAY,
                  Repayment.Status.COMPLETED, _cents(p.installment.total), None, as_of,
                  p.installment.principal, p.installment.interest, ZERO, p.shares["fee"], p.key,
                  txn.pk, "", now) for rep_id, p, txn in zip(rep_ids, payments, txns, strict=True)))
    insert_rows(Distribution, ["repayment", "note", "principal", "interest", "late_fee",
                               "servicing_fee", "net"],
                ((rep_id, note.pk, *payment.shares[note.pk][:2], ZERO,
                  *payment.shares[note.pk][2:])
                 for rep_id, payment in zip(rep_ids, payments, strict=True)
                 for note in payment.notes))
    update_rows(Note, notes, ["outstanding_principal", "principal_received", "interest_received",
                              "servicing_fees_paid", "status", "updated_at"])
    # The installment is paid exactly as scheduled: its paid amounts are its amounts.
    Installment.objects.filter(AnyOf(F("pk"), [p.installment.pk for p in payments])).update(
        principal_paid=F("principal"), interest_paid=F("interest"),
        status=InstallmentStatus.PAID, paid_at=now)
    for payment in payments:
        loan = payment.loan
        loan.outstanding_principal -= payment.installment.principal
        loan.days_past_due, loan.updated_at = 0, now
    update_rows(Loan, [p.loan for p in payments],
                ["outstanding_principal", "days_past_due", "updated_at"])
    insert_rows(AuditEvent, ["actor", "event", "target_type", "target_id", "old", "new",
                             "created_at"],
                ((None, "loan.repayment", "payments.repayment", str(rep_id), None, json.dumps(
                    {"amount": str(_cents(p.installment.total)),
                     "principal": str(p.installment.principal),
                     "interest": str(p.installment.interest), "late_fees": str(ZERO)}), now)
                 for rep_id, p in zip(rep_ids, payments, strict=True)))
    notices = _notify([(p.loan.borrower_id, "payment_received",
                        f"Payment of {_cents(p.installment.total):,.2f} received on loan "
                        f"#{p.loan.pk}",
                        f"Outstanding principal is now {p.loan.outstanding_principal:,.2f}.",
                        f"/loans/{p.loan.pk}/schedule/", None) for p in payments], now=now)
    _queue_emails(notices)
    ledger_settle(written)


def _notify(rows, *, now) -> list[int]:
    """Notices (user, kind, title, body, url, dedupe key) with their emails pending; their
    ids."""
    from accounts.models import Notification

    ids = reserve_ids(Notification, len(rows))
    insert_rows(Notification, ["id", "user", "kind", "title", "body", "url", "created_at",
                               "read_at", "email_status", "email_attempts", "email_claimed_at",
                               "emailed_at", "dedupe_key"],
                ((pk, user_id, kind, title[:200], body, url, now, None,
                  Notification.EmailStatus.PENDING, 0, None, None, dedupe)
                 for pk, (user_id, kind, title, body, url, dedupe) in zip(ids, rows,
                                                                          strict=True)))
    return ids


def _remind(loans, open_rows, *, as_of: date) -> int:
    """Reminders three days before each due date (once per installment: dedupe keys)."""
    from accounts.models import Notification

    wanted = {}
    for loan in loans:
        for inst in open_rows[loan.pk]:
            if as_of < inst.due_date <= as_of + timedelta(days=REMINDER_DAYS) \
                    and inst.status not in (InstallmentStatus.PAID, InstallmentStatus.WAIVED):
                wanted[f"reminder:{loan.pk}:{inst.number}:{inst.due_date}"] = (loan, inst)
    if not wanted:
        return 0
    sent = set(Notification.objects.filter(dedupe_key__in=list(wanted))
               .values_list("dedupe_key", flat=True))
    notices = _notify([(loan.borrower_id, "payment_due",
                        f"Payment of {inst.total:,.2f} due {inst.due_date:%Y-%m-%d}",
                        f"Installment {inst.number} of loan #{loan.pk}. "
                        + ("Autopay will take it from your wallet." if loan.autopay else ""),
                        f"/loans/{loan.pk}/schedule/", key)
                       for key, (loan, inst) in wanted.items() if key not in sent],
                      now=timezone.now())
    _queue_emails(notices)
    return len(notices)


EMAIL_CHUNK = 500


def _queue_emails(notification_ids: list[int]) -> None:
    """After commit, queue the notices' emails in chunks (one task per chunk, not per notice);
    if the broker is down they stay pending and the outbox sweep sends them."""
    if not notification_ids:
        return

    def enqueue():
        from .tasks import send_notification_emails

        for start in range(0, len(notification_ids), EMAIL_CHUNK):
            try:
                send_notification_emails.delay(notification_ids[start:start + EMAIL_CHUNK])
            except Exception:  # noqa: BLE001 - the outbox sweep retries
                logger.warning("Could not queue servicing emails; the sweep will send them",
                               exc_info=True)
                return

    transaction.on_commit(enqueue)


def schedule_summary(loan, as_of: date) -> dict:
    installments = list(Installment.objects.filter(loan=loan).order_by("number"))
    total_paid = sum((r.amount for r in loan.repayments.filter(
        status=Repayment.Status.COMPLETED)), ZERO)
    upcoming = next((i for i in installments if i.status not in (InstallmentStatus.PAID,
                                                                  InstallmentStatus.WAIVED)),
                    None)
    return {
        "total_paid": total_paid,
        "remaining_balance": loan.outstanding_principal,
        "next_payment_due": upcoming.due_date if upcoming else None,
        "next_payment_amount": (upcoming.total - upcoming.principal_paid - upcoming.interest_paid
                                + upcoming.late_fee - upcoming.late_fee_paid) if upcoming else None,
    }


__all__ = ["add_months", "monthly_rate", "payoff_quote", "repayment_pay", "repayment_schedule",
           "run_servicing", "schedule_create", "split_largest_remainder"]
