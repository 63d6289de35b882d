"""Servicing one loan (DESIGN.md, "Servicing"): a borrower's payment, a scheduled payment, and
everything a day brings to one loan (scheduled payments, autopay, late fees, status and its
effects, reminders), each in one transaction. Money moves only through the ledger; the rules
themselves are in ``allocation``."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record, notification_create
from communitylend.core.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from communitylend.core.money import ZERO, cents
from investments.models import Note, NoteStatus
from loans.disbursement import loan_reference
from loans.models import GRACE_DAYS, SERVICED, Loan, LoanStatus, status_for_days_past_due
from payments.ledger import (
    InsufficientFunds,
    account_for_reference,
    account_for_user,
    credit,
    debit,
    ledger_post,
    platform_account,
    user_accounts,
)
from payments.models import AccountKind, Distribution, Installment, InstallmentStatus, Repayment
from payments.selectors import wallet_balances

from .allocation import (
    CLOSED_INSTALLMENT,
    Allocation,
    NoteShare,
    allocate,
    amount_owed,
    late_fee_for,
    note_receive,
    note_shares,
    reamortize,
    settle_statuses,
)
from .selectors import days_past_due, open_installments, payoff_quote

REMINDER_DAYS = 3
INSTALLMENT_FIELDS = ["principal", "interest", "total", "principal_paid", "interest_paid",
                      "late_fee_paid", "status", "paid_at", "due_date"]


def autopay_key(loan_id: int, inst) -> str:
    return f"autopay:{loan_id}:{inst.number}:{inst.due_date.isoformat()}"


def payment_received_notice(loan_id: int, amount: Decimal, outstanding: Decimal) -> dict:
    """The borrower's notice of a payment (both paths send the same words)."""
    return {"kind": "payment_received",
            "title": f"Payment of {amount:,.2f} received on loan #{loan_id}",
            "body": f"Outstanding principal is now {outstanding:,.2f}."
            + (" The loan is repaid in full. Thank you!" if outstanding == 0 else ""),
            "url": f"/loans/{loan_id}/schedule/"}


def payment_due_notice(loan_id: int, inst, autopay: bool) -> dict:
    return {"kind": "payment_due",
            "title": f"Payment of {inst.total:,.2f} due {inst.due_date:%Y-%m-%d}",
            "body": f"Installment {inst.number} of loan #{loan_id}. "
            + ("Autopay will take it from your wallet." if autopay else ""),
            "url": f"/loans/{loan_id}/schedule/",
            "dedupe_key": f"reminder:{loan_id}:{inst.number}:{inst.due_date}"}


def repayment_legs(*, borrower_account, amount: Decimal, notes: list, shares: dict[int, NoteShare],
                   note_accounts: dict, receivable, fees_account) -> tuple[list, Decimal]:
    """The ledger legs of a repayment: the borrower pays ``amount``; each note's lender gets the
    net share in cash and gives up the principal share from invested; the loan's receivable
    falls by the principal; the platform keeps the servicing fees. ``note_accounts`` maps a note
    to its lender's (available, invested) accounts. Returns the legs and the fees."""
    legs = [debit(borrower_account, amount)]
    principal = total_fee = ZERO
    for note in notes:
        share = shares[note.pk]
        available, invested = note_accounts[note.pk]
        if share.net > 0:
            legs.append(credit(available, share.net))
        if share.principal > 0:
            legs.append(debit(invested, share.principal))
        principal += share.principal
        total_fee += share.fee
    if principal > 0:
        legs.append(credit(receivable, principal))
    if total_fee > 0:
        legs.append(credit(fees_account, total_fee))
    return legs, total_fee


# --- Paying -------------------------------------------------------------------------------------


def _lock_loan(loan_id: int) -> Loan:
    loan = Loan.objects.select_for_update().filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("Loan not found")
    return loan


def _distribute(loan: Loan, repayment: Repayment, parts: Allocation):
    """Split the payment across the loan's active notes and post it; the caller holds the
    transaction."""
    notes = list(Note.objects.select_for_update().filter(loan=loan, status=NoteStatus.ACTIVE)
                 .order_by("id"))
    shares = note_shares(principal=parts.principal, interest=parts.interest,
                         late_fees=parts.late_fees,
                         weights=[(n.pk, n.outstanding_principal) for n in notes])
    note_accounts = {}
    for note in notes:
        lender = user_accounts(note.lender_id)  # one query for both of the lender's accounts
        note_accounts[note.pk] = (lender[AccountKind.USER_AVAILABLE],
                                  lender[AccountKind.USER_INVESTED])
    legs, total_fee = repayment_legs(
        borrower_account=account_for_user(loan.borrower_id, AccountKind.USER_AVAILABLE),
        amount=repayment.amount, notes=notes, shares=shares, note_accounts=note_accounts,
        receivable=account_for_reference(loan_reference(loan.pk), AccountKind.LOAN_PRINCIPAL),
        fees_account=platform_account(AccountKind.PLATFORM_SERVICING_FEES))
    txn, _ = ledger_post(kind="repayment", legs=legs,
                         idempotency_key=f"repayment:{repayment.idempotency_key}",
                         memo=f"Repayment on loan #{loan.pk}")
    Distribution.objects.bulk_create([
        Distribution(repayment=repayment, note=note, principal=shares[note.pk].principal,
                     interest=shares[note.pk].interest, late_fee=shares[note.pk].late_fee,
                     servicing_fee=shares[note.pk].fee, net=shares[note.pk].net)
        for note in notes])
    for note in notes:
        note_receive(note, shares[note.pk])
    Note.objects.bulk_update(notes, ["outstanding_principal", "principal_received",
                                     "interest_received", "late_fees_received",
                                     "servicing_fees_paid", "status"])
    repayment.servicing_fees = total_fee
    return txn


def _checked_amount(loan: Loan, amount, as_of: date) -> tuple[Decimal, bool]:
    """The payment's amount to the cent, and whether it pays the loan off; refuses a loan not
    serviced, a non-positive amount and more than the payoff quote."""
    if loan.status not in SERVICED:
        raise InvalidState(f"Cannot pay a loan that is {loan.get_status_display().lower()}")
    amount = cents(amount)
    if amount <= 0:
        raise ApplicationError("amount must be positive", field="amount")
    quote = payoff_quote(loan, as_of)
    if amount > quote.payoff_amount:
        raise ApplicationError(f"That is more than the payoff amount of "
                               f"{quote.payoff_amount:,.2f}", field="amount")
    return amount, amount == quote.payoff_amount


def _record_repayment(loan: Loan, values: dict, *, key: str,
                      scheduled: Repayment | None) -> Repayment:
    if scheduled is None:
        return Repayment.objects.create(loan=loan, borrower_id=loan.borrower_id,
                                        idempotency_key=key, **values)
    for name, value in values.items():
        setattr(scheduled, name, value)
    scheduled.save(update_fields=list(values))
    return scheduled


def _apply(loan: Loan, *, amount: Decimal, as_of: date, kind: str, key: str,
           acting_user=None, scheduled: Repayment | None = None) -> Repayment:
    """Apply a payment to a locked loan; the caller holds the transaction. ``scheduled`` is a
    scheduled payment being taken now (it becomes the completed record)."""
    existing = Repayment.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.status == Repayment.Status.COMPLETED:
        return existing
    amount, payoff = _checked_amount(loan, amount, as_of)
    installments = open_installments(loan, lock=True)
    parts = allocate(installments, amount, as_of, payoff=payoff,
                     outstanding_principal=loan.outstanding_principal)
    repayment = _record_repayment(loan, {
        "kind": kind, "status": Repayment.Status.COMPLETED, "amount": amount, "paid_on": as_of,
        "principal": parts.principal, "interest": parts.interest,
        "late_fees": parts.late_fees}, key=key, scheduled=scheduled)
    try:
        with transaction.atomic():
            repayment.ledger_transaction = _distribute(loan, repayment, parts)
    except InsufficientFunds as exc:
        raise ApplicationError(f"Not enough cash in your wallet: {exc.message}",
                               field="amount") from exc
    repayment.save(update_fields=["ledger_transaction", "servicing_fees"])
    loan.outstanding_principal -= parts.principal
    _settle_installments(loan, installments, parts, as_of)
    old_status = loan.status
    _update_loan_after_payment(loan, as_of)
    audit_record(actor=acting_user, event="loan.repayment", target=repayment,
                 new={"amount": amount, "principal": parts.principal,
                      "interest": parts.interest, "late_fees": parts.late_fees})
    if old_status != loan.status:
        audit_record(actor=acting_user, event=f"loan.{loan.status}", target=loan,
                     old={"status": old_status}, new={"status": loan.status})
    notification_create(user_id=loan.borrower_id,
                        **payment_received_notice(loan.pk, amount, loan.outstanding_principal))
    return repayment


def _settle_installments(loan: Loan, installments: list[Installment], parts: Allocation,
                         as_of: date) -> None:
    """Installments now covered are paid; a prepayment re-amortizes the rest."""
    repaid = loan.outstanding_principal == 0
    settle_statuses(installments, now=timezone.now(), repaid=repaid)
    if not repaid and parts.prepaid > 0:
        reamortize(installments, as_of, outstanding_principal=loan.outstanding_principal,
                   rate=loan.interest_rate, installment=loan.monthly_payment,
                   start=timezone.localdate(loan.disbursed_at))
    Installment.objects.bulk_update(installments, INSTALLMENT_FIELDS)


def _update_loan_after_payment(loan: Loan, as_of: date) -> None:
    if loan.outstanding_principal == 0:
        loan.status = LoanStatus.REPAID
        loan.repaid_at = timezone.now()
    loan.days_past_due = days_past_due(loan, as_of)
    if loan.status != LoanStatus.REPAID:
        loan.status = status_for_days_past_due(loan.days_past_due)
    loan.save(update_fields=["outstanding_principal", "status", "repaid_at", "days_past_due",
                             "updated_at"])


def repayment_pay(*, borrower, loan_id: int, amount, as_of: date | None = None,
                  idempotency_key: str | None = None) -> Repayment:
    """The borrower pays now from the wallet."""
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
    today = timezone.localdate()
    if payment_date < today:
        raise ApplicationError("paymentDate cannot be in the past", field="payment_date")
    if payment_date == today:
        return repayment_pay(borrower=borrower, loan_id=loan_id, amount=amount,
                             idempotency_key=idempotency_key)
    amount = cents(amount)
    if amount <= 0:
        raise ApplicationError("amount must be positive", field="amount")
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != borrower.pk:
            raise PermissionDenied("Only the borrower can pay this loan")
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


# --- A day of one loan --------------------------------------------------------------------------


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


STATUS_MESSAGES = {
    "late": ("Payment late on loan #{id}", "Your loan is {dpd} days past due. Please pay as "
             "soon as you can to avoid default."),
    "default": ("Loan #{id} is in default", "Your loan is {dpd} days past due and in default."),
    "charged_off": ("Loan #{id} charged off", "Your loan was charged off after {dpd} days past "
                    "due."),
    "active": ("Loan #{id} is current again", "Thank you: your loan is back on schedule."),
}


def service_loan(*, loan_id: int, as_of: date, report: DayReport) -> None:
    """Everything due on one loan up to ``as_of``, in one transaction (all or nothing)."""
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.status not in SERVICED:
            return
        # Scheduled payments first (the borrower chose them), then autopay per installment.
        _take_scheduled_payments(loan, as_of, report)
        if loan.autopay:
            _autopay(loan, as_of, report)
        loan.refresh_from_db()
        if loan.status not in SERVICED:
            return
        _charge_late_fees(loan, as_of, report)
        _update_status(loan, as_of, report)
        _remind(loan, as_of, report)


def _take_scheduled_payments(loan: Loan, as_of: date, report: DayReport) -> None:
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


def _autopay(loan: Loan, as_of: date, report: DayReport) -> None:
    """Each installment due by ``as_of`` and still owed, if the wallet covers all of it."""
    for inst in Installment.objects.filter(loan=loan, due_date__lte=as_of).exclude(
            status__in=CLOSED_INSTALLMENT).order_by("number"):
        owed = amount_owed(inst)
        key = autopay_key(loan.pk, inst)
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


def _charge_late_fees(loan: Loan, as_of: date, report: DayReport) -> None:
    """A late fee, once per installment, on its 16th day past due."""
    overdue = Installment.objects.select_for_update().filter(
        loan=loan, due_date__lt=as_of - timedelta(days=GRACE_DAYS), late_fee=0).exclude(
        status__in=CLOSED_INSTALLMENT)
    for inst in overdue:
        inst.late_fee = late_fee_for(inst)
        inst.status = InstallmentStatus.LATE
        inst.save(update_fields=["late_fee", "status"])
        report.late_fees += 1
        audit_record(actor=None, event="loan.late_fee", target=loan,
                     new={"installment": inst.number, "fee": inst.late_fee})


def _update_status(loan: Loan, as_of: date, report: DayReport) -> None:
    """The status for the days past due, with its effects (a charge-off writes off the notes)."""
    old = loan.status
    loan.days_past_due = days_past_due(loan, as_of)
    loan.status = status_for_days_past_due(loan.days_past_due)
    if loan.status == LoanStatus.CHARGED_OFF:
        _charge_off(loan)
        report.charged_off += 1
    loan.save(update_fields=["days_past_due", "status", "updated_at"])
    if loan.status == old:
        return
    report.transitions[loan.status] = report.transitions.get(loan.status, 0) + 1
    audit_record(actor=None, event=f"loan.{loan.status}", target=loan,
                 old={"status": old}, new={"status": loan.status,
                                           "days_past_due": loan.days_past_due})
    title, body = STATUS_MESSAGES[loan.status]
    notification_create(user_id=loan.borrower_id, kind=f"loan_{loan.status}",
                        title=title.format(id=loan.pk), body=body.format(dpd=loan.days_past_due),
                        url=f"/loans/{loan.pk}/schedule/",
                        dedupe_key=f"status:{loan.pk}:{loan.status}:{as_of}")


def _remind(loan: Loan, as_of: date, report: DayReport) -> None:
    """A reminder three days before each due date."""
    upcoming = Installment.objects.filter(
        loan=loan, due_date__gt=as_of, due_date__lte=as_of + timedelta(days=REMINDER_DAYS)
    ).exclude(status__in=CLOSED_INSTALLMENT)
    for inst in upcoming:
        if notification_create(user_id=loan.borrower_id,
                               **payment_due_notice(loan.pk, inst, loan.autopay)):
            report.reminders += 1


def _charge_off(loan: Loan) -> Decimal:
    """Write off the outstanding principal on every note (idempotent by its key)."""
    notes = list(Note.objects.select_for_update().filter(loan=loan, status=NoteStatus.ACTIVE)
                 .order_by("id"))
    total = sum((n.outstanding_principal for n in notes), ZERO)
    if total > 0:
        legs = [debit(account_for_user(n.lender_id, AccountKind.USER_INVESTED),
                      n.outstanding_principal) for n in notes if n.outstanding_principal > 0]
        legs.append(credit(account_for_reference(loan_reference(loan.pk),
                                                 AccountKind.LOAN_PRINCIPAL), total))
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
