"""Bank debits that come back (DESIGN.md, "Servicing": settlement). A borrower's bank debit is
applied at once, its lenders' shares held as pending cash until the return window (4 business
days) ends; servicing then releases them (``services._release_pending``). A return reported
while they are pending reverses the payment and its distribution in one ledger transaction,
restores what it paid on the schedule and charges the borrower the returned-payment fee. A
return reported after the release is the platform's loss: the lenders keep what was released,
and what the borrower still owes is owed to the platform (the platform's receivable from the
borrower carries it), with the fee, before anything else on the loan."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.services import audit_record, notification_create
from communitylend.core.errors import ApplicationError, NotFound
from communitylend.core.money import ZERO
from investments.models import Note, NoteStatus
from loans.disbursement import loan_reference
from loans.models import SERVICED
from payments.ledger import (
    account_for_reference,
    account_for_user,
    credit,
    debit,
    ledger_post,
    platform_account,
)
from payments.models import (
    AccountKind,
    GatewayPayment,
    Installment,
    InstallmentStatus,
    Repayment,
)

from .allocation import is_open, take_back
from .selectors import schedule_rows
from .services import (
    INSTALLMENT_FIELDS,
    DayReport,
    _charge_late_fees,
    _lender_totals,
    _lock_loan,
    _replay,
    _update_status,
    release_shares,
)

RETURNED_PAYMENT_FEE = Decimal("15.00")
RETURN_REASONS = {"R01": "Insufficient funds", "R02": "Account closed",
                  "R03": "No account / unable to locate", "R08": "Payment stopped",
                  "R10": "Not authorized by the customer"}


def repayment_return(*, gateway_payment_id, reason: str, as_of: date | None = None,
                     acting_user=None) -> Repayment:
    """The bank returned a bank debit (durable: the command and tests; the webhook calls
    ``repayment_return_locked`` inside its own transaction)."""
    with transaction.atomic(durable=True):
        return repayment_return_locked(gateway_payment_id=gateway_payment_id, reason=reason,
                                       as_of=as_of, acting_user=acting_user)


def _checked(payment: GatewayPayment | None) -> None:
    if payment is None:
        raise NotFound("Unknown payment")
    if payment.direction != GatewayPayment.Direction.BANK_DEBIT:
        raise ApplicationError("Only a bank debit can be returned; wallet cash and deposits "
                               "settle at once", field="payment")
    if payment.status == GatewayPayment.Status.RETURNED:
        raise ApplicationError("This payment was already returned", field="payment")
    if payment.status != GatewayPayment.Status.SETTLED:
        raise ApplicationError(f"A {payment.status} payment cannot be returned", field="payment")


def repayment_return_locked(*, gateway_payment_id, reason: str, as_of: date | None = None,
                            acting_user=None) -> Repayment:
    """Reverse a bank debit inside the caller's transaction. Locks the loan first (as servicing
    does: a return and the release of the same payment's shares never interleave), then the
    payment; re-checks its state after the locks."""
    as_of = as_of or timezone.localdate()
    reason = (reason or "R01")[:64]
    found = GatewayPayment.objects.filter(pk=gateway_payment_id).first()
    _checked(found)
    repayment = Repayment.objects.filter(gateway_payment_id=found.pk).first()
    if repayment is None:
        raise ApplicationError("This bank debit paid no loan", field="payment")
    loan = _lock_loan(repayment.loan_id)
    _replay(loan, through=as_of - timedelta(days=1), report=DayReport())
    payment = GatewayPayment.objects.select_for_update().get(pk=found.pk)
    _checked(payment)
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
    if repayment.funds_pending and loan.status in SERVICED:
        txn = _reverse(loan, repayment)
        repayment.status = Repayment.Status.RETURNED
        outcome = "reversed"
    else:
        txn = _platform_loss(loan, repayment)
        outcome = "platform_loss"
    repayment.returned_on, repayment.return_reason = as_of, reason
    repayment.funds_pending = False
    repayment.save(update_fields=["status", "returned_on", "return_reason", "funds_pending"])
    changed = GatewayPayment.objects.filter(pk=payment.pk, status=GatewayPayment.Status.SETTLED
                                            ).update(status=GatewayPayment.Status.RETURNED,
                                                     returned_at=timezone.now(),
                                                     return_transaction=txn,
                                                     failure_reason=reason)
    if changed != 1:
        raise ApplicationError("The payment was returned concurrently", field="payment")
    if loan.status in SERVICED:
        rows = schedule_rows(loan, lock=True)
        _charge_late_fees(loan, rows, as_of, DayReport())
        _update_status(loan, as_of, rows, DayReport(), actor=acting_user)
    audit_record(actor=acting_user, event="loan.payment_returned", target=repayment,
                 new={"amount": repayment.amount, "reason": reason, "outcome": outcome,
                      "fee": RETURNED_PAYMENT_FEE})
    _notify(loan, repayment, reason, outcome)
    return repayment


def _fee_row(rows: list[Installment], touched: list[int]) -> Installment:
    """The row that carries what the borrower owes the platform: the oldest the payment paid
    (or the oldest open one, or the last)."""
    for number in sorted(touched):
        return next(i for i in rows if i.number == number)
    return next((i for i in rows if is_open(i)), rows[-1])


def _reverse(loan, repayment: Repayment):
    """The return inside the window: every leg of the payment backwards (the bank gets the
    amount back, each lender's pending cash and invested principal return to what they were,
    the loan owes the principal again, the servicing fees are given back), plus the fee; the
    notes and the schedule rows lose what the payment gave them."""
    distributions = list(repayment.distributions.select_related("note"))
    notes = {n.pk: n for n in Note.objects.select_for_update().filter(
        pk__in=[d.note_id for d in distributions]).order_by("pk")}
    principal = sum((d.principal for d in distributions), ZERO)
    fees = sum((d.servicing_fee for d in distributions), ZERO)
    receivable = platform_account(AccountKind.PLATFORM_BORROWER_RECEIVABLE)
    legs = [credit(platform_account(AccountKind.EXTERNAL_BANK), repayment.amount),
            debit(receivable, RETURNED_PAYMENT_FEE + repayment.platform_fees),
            credit(platform_account(AccountKind.PLATFORM_RETURNED_PAYMENT_FEES),
                   RETURNED_PAYMENT_FEE)]
    for lender_id, net in sorted(_lender_totals(distributions, lambda d: d.net).items()):
        if net > 0:
            legs.append(debit(account_for_user(lender_id, AccountKind.USER_PENDING), net))
    for lender_id, part in sorted(_lender_totals(distributions, lambda d: d.principal).items()):
        if part > 0:
            legs.append(credit(account_for_user(lender_id, AccountKind.USER_INVESTED), part))
    if principal > 0:
        legs.append(debit(account_for_reference(loan_reference(loan.pk),
                                                AccountKind.LOAN_PRINCIPAL), principal))
    if fees > 0:
        legs.append(debit(platform_account(AccountKind.PLATFORM_SERVICING_FEES), fees))
    txn, _ = ledger_post(kind="bank_debit_return", legs=legs,
                         idempotency_key=f"return:{repayment.pk}",
                         memo=f"Bank debit on loan #{loan.pk} returned")
    for dist in distributions:
        note = notes[dist.note_id]
        note.outstanding_principal += dist.principal
        note.principal_received -= dist.principal
        note.interest_received -= dist.interest
        note.late_fees_received -= dist.late_fee
        note.servicing_fees_paid -= dist.servicing_fee
        if note.outstanding_principal > 0 and note.status == NoteStatus.REPAID:
            note.status = NoteStatus.ACTIVE
    Note.objects.bulk_update(list(notes.values()), [
        "outstanding_principal", "principal_received", "interest_received",
        "late_fees_received", "servicing_fees_paid", "status"])
    loan.outstanding_principal += principal
    loan.save(update_fields=["outstanding_principal", "updated_at"])
    rows = schedule_rows(loan, lock=True)
    take_back(rows, repayment.applied or {})
    _owe_platform(_fee_row(rows, [int(n) for n in (repayment.applied or {})]),
                  RETURNED_PAYMENT_FEE)
    Installment.objects.bulk_update(rows, [*INSTALLMENT_FIELDS, "platform_fee"])
    return txn


def _owe_platform(row: Installment, amount: Decimal) -> None:
    """The row now carries ``amount`` owed to the platform: it is open until that is paid."""
    row.platform_fee += amount
    if row.status in (InstallmentStatus.PAID, InstallmentStatus.WAIVED):
        row.status, row.paid_at = InstallmentStatus.PARTIAL, None


def _platform_loss(loan, repayment: Repayment):
    """The return after the release (or on a closed loan): the lenders keep what they got (a
    closed loan's shares still pending are released first); the platform pays the bank back and
    the borrower owes it the amount and the fee."""
    if repayment.funds_pending:
        release_shares(loan, repayment)
    owed = repayment.amount + RETURNED_PAYMENT_FEE
    txn, _ = ledger_post(kind="bank_debit_return", legs=[
        debit(platform_account(AccountKind.PLATFORM_BORROWER_RECEIVABLE), owed),
        credit(platform_account(AccountKind.EXTERNAL_BANK), repayment.amount),
        credit(platform_account(AccountKind.PLATFORM_RETURNED_PAYMENT_FEES),
               RETURNED_PAYMENT_FEE)],
        idempotency_key=f"return:{repayment.pk}",
        memo=f"Bank debit on loan #{loan.pk} returned after release")
    row = _fee_row(schedule_rows(loan, lock=True), [])
    _owe_platform(row, owed)
    row.save(update_fields=["platform_fee", "status", "paid_at"])
    return txn


def _notify(loan, repayment: Repayment, reason: str, outcome: str) -> None:
    why = RETURN_REASONS.get(reason, reason)
    notification_create(
        user_id=loan.borrower_id, kind="payment_returned",
        title=f"Your bank returned your payment of {repayment.amount:,.2f} on loan #{loan.pk}",
        body=f"Reason: {why}. A returned-payment fee of {RETURNED_PAYMENT_FEE:,.2f} was added"
             " and the payment is due again.", url=f"/loans/{loan.pk}/schedule/",
        dedupe_key=f"returned:{repayment.pk}")
    if outcome != "reversed":
        return
    for lender_id in sorted({d.note.lender_id for d in repayment.distributions
                             .select_related("note")}):
        notification_create(
            user_id=lender_id, kind="payment_reversed",
            title=f"A payment on loan #{loan.pk} was returned by the borrower's bank",
            body="Your pending share of it was reversed; it had not been released to your "
                 "available cash.", url="/portfolio/",
            dedupe_key=f"returned:{repayment.pk}:{lender_id}")


def bank_debit_return_handler(*, gateway_payment_id, reason: str) -> None:
    """What the gateway's ``payment.returned`` webhook calls (registered in PaymentsConfig)."""
    repayment_return_locked(gateway_payment_id=gateway_payment_id, reason=reason)
