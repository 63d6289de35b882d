"""Servicing one loan (DESIGN.md, "Servicing"): a borrower's payment, a scheduled payment, and
everything a day brings to one loan (scheduled payments, autopay, late fees, status and its
effects, reminders), each in one transaction. Money moves only through the ledger; the rules
themselves are in ``allocation``."""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import holidays
from django.db import transaction
from django.utils import timezone

from accounts.integrations import WebhookDraft, webhook_emit_many
from accounts.models import WebhookEvent
from accounts.services import audit_record, notification_create
from communitylend.core.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from communitylend.core.money import ZERO, cents
from investments.market.services import listings_requalify
from investments.models import Note, NoteStatus
from loans.disbursement import loan_reference
from loans.models import (
    CHARGE_OFF_DAYS,
    DEFAULT_DAYS,
    GRACE_DAYS,
    SERVICED,
    Loan,
    LoanStatus,
    status_for_days_past_due,
)
from payments.gateways import get_gateway
from payments.ledger import (
    IdempotencyConflict,
    InsufficientFunds,
    account_for_reference,
    account_for_user,
    credit,
    debit,
    ledger_post,
    platform_account,
    user_accounts,
)
from payments.models import (
    AccountKind,
    Capitalization,
    Distribution,
    GatewayPayment,
    HardshipPlan,
    Installment,
    InstallmentStatus,
    Repayment,
)
from payments.selectors import wallet_balances

from .allocation import (
    Allocation,
    ApplyTo,
    NoteShare,
    allocate,
    amount_owed,
    days_past_due_of,
    due_by,
    hardship_end,
    is_due,
    is_open,
    late_fee_for,
    note_receive,
    note_shares,
    paid_snapshot,
    payoff_amount,
    principal_or_interest_unpaid,
    settle_statuses,
    split_largest_remainder,
)
from .selectors import loan_terms, schedule_rows

REMINDER_DAYS = 3
COLLECTION_REMINDER_DAYS = (1, 7, 15)
RETURN_WINDOW_BUSINESS_DAYS = 4
INSTALLMENT_FIELDS = ["principal", "interest", "total", "principal_paid", "interest_paid",
                      "late_fee_paid", "platform_fee_paid", "status", "paid_at", "due_date"]


US_HOLIDAYS = holidays.country_holidays("US")  # federal holidays, every year on demand


def autopay_key(loan_id: int, day: date) -> str:
    """Autopay takes at most one payment a day per loan."""
    return f"autopay:{loan_id}:{day.isoformat()}"


def payment_received_notice(loan_id: int, amount: Decimal, outstanding: Decimal) -> dict:
    """The borrower's notice of a payment (both paths send the same words)."""
    return {"kind": "payment_received",
            "title": f"Payment of {amount:,.2f} received on loan #{loan_id}",
            "body": f"Outstanding principal is now {outstanding:,.2f}."
            + (" The loan is repaid in full. Thank you!" if outstanding == 0 else ""),
            "url": f"/loans/{loan_id}/schedule/"}


def note_payment_webhooks(*, loan_id: int, repayment_id: int, day: date, notes, shares,
                          only: set[int] | None = None) -> list[WebhookDraft]:
    """``note.payment_received`` for each note a payment reached (both paths send these);
    ``only``: the lenders subscribed (the batch asks first, so it builds no event for nobody)."""
    if only is not None:
        notes = [note for note in notes if note.lender_id in only]
    return [WebhookDraft(note.lender_id, WebhookEvent.NOTE_PAYMENT_RECEIVED, {
        "noteId": note.pk, "loanId": loan_id, "paymentId": repayment_id,
        "receivedOn": day.isoformat(), "principal": share.principal,
        "interest": share.interest, "lateFees": share.late_fee, "servicingFee": share.fee,
        "net": share.net, "outstandingPrincipal": note.outstanding_principal})
        for note in notes for share in (shares[note.pk],) if share.net or share.principal]


def payment_due_notice(loan_id: int, inst, autopay: bool) -> dict:
    return {"kind": "payment_due",
            "title": f"Payment of {inst.total:,.2f} due {inst.due_date:%Y-%m-%d}",
            "body": f"Installment {inst.number} of loan #{loan_id}. "
            + ("Autopay will take it from your wallet." if autopay else ""),
            "url": f"/loans/{loan_id}/schedule/",
            "dedupe_key": f"reminder:{loan_id}:{inst.number}:{inst.due_date}"}


def repayment_legs(*, borrower_account, amount: Decimal, notes: list, shares: dict[int, NoteShare],
                   note_accounts: dict, receivable, fees_account, platform_fees: Decimal = ZERO,
                   platform_receivable=None) -> tuple[list, Decimal]:
    """The ledger legs of a repayment: the borrower pays ``amount`` (from the wallet, or the bank
    for a bank debit); each note's lender gets the net share in cash (pending cash for a bank
    debit) and gives up the principal share from invested; the loan's receivable falls by the
    principal; the platform keeps the servicing fees, and what was owed to it (returned-payment
    fees) reduces its receivable from the borrower. ``note_accounts`` maps a note to its
    lender's (cash, invested) accounts. Returns the legs and the fees."""
    legs = [debit(borrower_account, amount)]
    if platform_fees > 0:
        legs.append(credit(platform_receivable, platform_fees))
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
    transaction. A bank debit comes from the bank and credits the lenders' pending cash."""
    bank_debit = repayment.method == Repayment.Method.BANK_DEBIT
    cash_kind = AccountKind.USER_PENDING if bank_debit else AccountKind.USER_AVAILABLE
    notes = list(Note.objects.select_for_update().filter(loan=loan, status=NoteStatus.ACTIVE)
                 .order_by("id"))
    shares = note_shares(principal=parts.principal, interest=parts.interest,
                         late_fees=parts.late_fees,
                         weights=[(n.pk, n.outstanding_principal) for n in notes])
    note_accounts = {}
    for note in notes:
        lender = user_accounts(note.lender_id)  # one query for both of the lender's accounts
        note_accounts[note.pk] = (lender[cash_kind], lender[AccountKind.USER_INVESTED])
    legs, total_fee = repayment_legs(
        borrower_account=(platform_account(AccountKind.EXTERNAL_BANK) if bank_debit else
                          account_for_user(loan.borrower_id, AccountKind.USER_AVAILABLE)),
        amount=repayment.amount, notes=notes, shares=shares, note_accounts=note_accounts,
        receivable=account_for_reference(loan_reference(loan.pk), AccountKind.LOAN_PRINCIPAL),
        fees_account=platform_account(AccountKind.PLATFORM_SERVICING_FEES),
        platform_fees=parts.platform_fees,
        platform_receivable=platform_account(AccountKind.PLATFORM_BORROWER_RECEIVABLE))
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
    webhook_emit_many(note_payment_webhooks(
        loan_id=loan.pk, repayment_id=repayment.pk,
        day=repayment.paid_on or repayment.scheduled_for or timezone.localdate(),
        notes=notes, shares=shares))
    repayment.servicing_fees = total_fee
    return txn


def repayment_for_key(*, loan_id: int, key: str) -> Repayment | None:
    """The payment a borrower already made or scheduled under ``key`` on the loan, if any."""
    return Repayment.objects.filter(idempotency_key__in=[
        f"manual:{loan_id}:{key}", f"scheduled:{loan_id}:{key}"]).first()


def _same_request(existing: Repayment, *, amount: Decimal, day: date, apply_to: str,
                  method: str = Repayment.Method.WALLET) -> None:
    """A key used again must carry the same request; anything else is a client's mistake."""
    if (existing.amount != amount or (existing.scheduled_for or existing.paid_on) != day
            or existing.apply_to != apply_to or existing.method != method):
        raise IdempotencyConflict("Idempotency key reused with different parameters",
                                  field="idempotency_key")


def _checked_amount(loan: Loan, amount) -> Decimal:
    """The payment's amount to the cent; refuses a loan not serviced and a non-positive
    amount."""
    if loan.status not in SERVICED:
        raise InvalidState(f"Cannot pay a loan that is {loan.get_status_display().lower()}")
    amount = cents(amount)
    if amount <= 0:
        raise ApplicationError("amount must be positive", field="amount")
    return amount


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
           apply_to: str = ApplyTo.INSTALLMENT, acting_user=None,
           scheduled: Repayment | None = None, report: "DayReport | None" = None,
           method: str = Repayment.Method.WALLET) -> Repayment:
    """Apply a payment to a locked loan on ``as_of``; the caller holds the transaction. A
    payment equal to the payoff quote closes the loan; more is refused. ``scheduled`` is a
    scheduled payment being taken now (it becomes the completed record). A bank debit pays
    what is due and the next installment, never principal ahead or the payoff (a return must
    be able to take back exactly what it paid), and its lenders' shares stay pending for the
    return window."""
    existing = Repayment.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.status in (Repayment.Status.COMPLETED,
                                                    Repayment.Status.RETURNED):
        if kind == Repayment.Kind.MANUAL:  # the borrower's retry: the same request only
            _same_request(existing, amount=cents(amount), day=as_of, apply_to=apply_to,
                          method=method)
        return existing
    amount = _checked_amount(loan, amount)
    installments = schedule_rows(loan, lock=True)
    terms = loan_terms(loan)
    quote = payoff_amount(installments, as_of, terms)
    if amount > quote:
        raise ApplicationError(f"That is more than the payoff amount of {quote:,.2f}",
                               field="amount")
    if amount != quote and active_plan(loan, as_of) is not None:
        due = due_by(installments, as_of)
        if amount > due:
            raise ApplicationError(
                f"While a hardship plan runs a payment pays what is due ({due:,.2f} today) or "
                f"the whole loan off ({quote:,.2f})", field="amount")
    bank_debit = method == Repayment.Method.BANK_DEBIT
    if bank_debit and (amount == quote or apply_to != ApplyTo.INSTALLMENT):
        raise ApplicationError("A bank debit pays installments only: pay a payoff or extra "
                               "principal from your wallet", field="method")
    before = paid_snapshot(installments)
    parts = allocate(installments, amount, as_of, terms=terms,
                     apply_to=ApplyTo.PAYOFF if amount == quote else apply_to)
    if bank_debit and parts.prepaid:
        raise ApplicationError("A bank debit pays what is due and the next installment at "
                               f"most: {amount - parts.prepaid:,.2f} today", field="amount")
    values = {"kind": kind, "status": Repayment.Status.COMPLETED, "amount": amount,
              "paid_on": as_of, "principal": parts.principal, "interest": parts.interest,
              "late_fees": parts.late_fees, "platform_fees": parts.platform_fees,
              "apply_to": apply_to, "method": method}
    if bank_debit:
        values |= {"applied": paid_snapshot(installments, since=before), "funds_pending": True,
                   "settles_on": add_business_days(as_of, RETURN_WINDOW_BUSINESS_DAYS)}
    repayment = _record_repayment(loan, values, key=key, scheduled=scheduled)
    try:
        with transaction.atomic():
            repayment.ledger_transaction = _distribute(loan, repayment, parts)
    except InsufficientFunds as exc:
        raise ApplicationError(f"Not enough cash in your wallet: {exc.message}",
                               field="amount") from exc
    if bank_debit:
        repayment.gateway_payment = GatewayPayment.objects.create(
            user_id=loan.borrower_id, direction=GatewayPayment.Direction.BANK_DEBIT,
            amount=amount, status=GatewayPayment.Status.SETTLED, gateway=get_gateway().name,
            idempotency_key=key[:120], settlement=repayment.ledger_transaction,
            settled_at=timezone.now())
    repayment.save(update_fields=["ledger_transaction", "servicing_fees", "gateway_payment"])
    loan.outstanding_principal -= parts.principal
    settle_statuses(installments, now=timezone.now(), repaid=loan.outstanding_principal == 0)
    if loan.outstanding_principal == 0:  # paid off under a plan: the plan is over
        HardshipPlan.objects.filter(loan=loan, status=HardshipPlan.Status.ACTIVE).update(
            status=HardshipPlan.Status.COMPLETED)
    Installment.objects.bulk_update([i for i in installments if i.pk], INSTALLMENT_FIELDS)
    audit_record(actor=acting_user, event="loan.repayment", target=repayment,
                 new={"amount": amount, "principal": parts.principal,
                      "interest": parts.interest, "late_fees": parts.late_fees})
    notification_create(user_id=loan.borrower_id,
                        **payment_received_notice(loan.pk, amount, loan.outstanding_principal))
    _update_status(loan, as_of, installments, report or DayReport(), actor=acting_user)
    return repayment


def repayment_pay(*, borrower, loan_id: int, amount, as_of: date | None = None,
                  idempotency_key: str | None = None, apply_to: str = ApplyTo.INSTALLMENT,
                  method: str = Repayment.Method.WALLET) -> Repayment:
    """The borrower pays now from the wallet. The loan is first serviced up to the day before
    (a catch-up never crosses a payment), then the payment is applied on ``as_of``."""
    as_of = as_of or timezone.localdate()
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != borrower.pk:
            raise PermissionDenied("Only the borrower can pay this loan")
        _replay(loan, through=as_of - timedelta(days=1), report=DayReport())
        return _apply(loan, amount=Decimal(amount), as_of=as_of, kind=Repayment.Kind.MANUAL,
                      key=f"manual:{loan.pk}:{idempotency_key or uuid.uuid4().hex}",
                      apply_to=apply_to, acting_user=borrower, method=method)


def repayment_schedule(*, borrower, loan_id: int, amount, payment_date: date,
                       idempotency_key: str | None = None, apply_to: str = ApplyTo.INSTALLMENT,
                       method: str = Repayment.Method.WALLET) -> Repayment:
    """Pay now if ``payment_date`` is today, else schedule it; servicing takes it that day."""
    today = timezone.localdate()
    if payment_date < today:
        raise ApplicationError("paymentDate cannot be in the past", field="payment_date")
    if apply_to not in ApplyTo.ALL:
        raise ApplicationError("applyTo must be installment or principal", field="apply_to")
    if method not in Repayment.Method.values:
        raise ApplicationError("method must be wallet or bank_debit", field="method")
    if payment_date == today:
        return repayment_pay(borrower=borrower, loan_id=loan_id, amount=amount,
                             idempotency_key=idempotency_key, apply_to=apply_to, method=method)
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
        repayment, created = Repayment.objects.get_or_create(idempotency_key=key, defaults={
            "loan": loan, "borrower": borrower, "kind": Repayment.Kind.SCHEDULED,
            "status": Repayment.Status.SCHEDULED, "amount": amount,
            "scheduled_for": payment_date, "apply_to": apply_to, "method": method})
        if not created:
            _same_request(repayment, amount=amount, day=payment_date, apply_to=apply_to,
                          method=method)
            return repayment
        audit_record(actor=borrower, event="loan.payment_scheduled", target=repayment,
                     new={"amount": amount, "date": payment_date.isoformat()})
    return repayment


# --- The days of one loan -----------------------------------------------------------------------


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
    days: int = 0  # days run by run_servicing (more than one when it caught up)
    released: int = 0  # bank debits whose lenders' shares left pending
    collection_reminders: int = 0
    plans_ended: int = 0

    def add(self, other: "DayReport") -> None:
        for name in ("loans", "autopay", "autopay_skipped", "scheduled", "late_fees",
                     "reminders", "charged_off", "errors", "days", "released",
                     "collection_reminders", "plans_ended"):
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
    "repaid": ("Loan #{id} repaid", "Your loan is repaid in full. Thank you!"),
}


def service_loan(*, loan_id: int, as_of: date, report: DayReport) -> None:
    """Every day of one loan from the day after its last serviced day through ``as_of``, in
    order, in one transaction (all or nothing): a replay, so one run over N skipped days leaves
    what N daily runs leave."""
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        _replay(loan, through=as_of, report=report)


def first_unserviced_day(loan: Loan) -> date:
    return (loan.serviced_through or timezone.localdate(loan.disbursed_at)) + timedelta(days=1)


def _replay(loan: Loan, *, through: date, report: DayReport) -> None:
    """Service each day with an event (DESIGN.md, "Servicing: the exact rules"), skipping the
    quiet ones in between, and record ``through`` as the last serviced day."""
    day = first_unserviced_day(loan)
    if loan.status not in SERVICED:
        # A loan closed (repaid, charged off) while a bank debit was settling: its lenders'
        # shares are still released when the window ends.
        _release_pending(loan, through, report)
        return
    if day > through:
        return
    while day <= through and loan.status in SERVICED:
        _service_day(loan, day, report)
        day = _next_event_day(loan, day, through)
    if loan.status in SERVICED:
        loan.days_past_due = (0 if active_plan(loan, through) is not None
                              else days_past_due_of(schedule_rows(loan), through))
    loan.serviced_through = through
    loan.save(update_fields=["serviced_through", "days_past_due", "updated_at"])


def _service_day(loan: Loan, day: date, report: DayReport) -> None:
    """One day of one loan, in the order of DESIGN.md: settlement (bank debits whose return
    window ended are released to the lenders), payments scheduled for the day, autopay, late
    fees, a hardship plan ending, then the status for the days past due at the end of the day,
    with its effects; the reminders of installments due within three days and the collection
    reminders at 1, 7 and 15 days past due."""
    _release_pending(loan, day, report)
    _take_scheduled_payments(loan, day, report)
    if loan.status in SERVICED and loan.autopay:
        _autopay(loan, day, report)
    if loan.status not in SERVICED:
        return
    installments = schedule_rows(loan, lock=True)
    _charge_late_fees(loan, installments, day, report)
    _end_plan(loan, installments, day, report)
    _update_status(loan, day, installments, report)
    if loan.status in SERVICED:
        _remind(loan, installments, day, report)
        _collections_remind(loan, installments, day, report)


def _next_event_day(loan: Loan, day: date, through: date) -> date:
    """The next day after ``day`` on which something can happen to the loan (through + 1 when
    nothing will): a due date (autopay, its reminder three days before, its late fee and
    status on its 16th day), the oldest arrears' default and charge-off days, a scheduled
    payment, or tomorrow while autopay has both something to take and cash to take it with."""
    installments = schedule_rows(loan)
    candidates = {through + timedelta(days=1)}
    owed = False
    for inst in installments:
        if not is_open(inst):
            continue
        candidates |= {inst.due_date - timedelta(days=REMINDER_DAYS), inst.due_date,
                       inst.due_date + timedelta(days=GRACE_DAYS + 1)}
        candidates |= {inst.due_date + timedelta(days=n) for n in COLLECTION_REMINDER_DAYS}
        owed = owed or is_due(inst, day)
    candidates |= set(Repayment.objects.filter(loan=loan, funds_pending=True).values_list(
        "settles_on", flat=True))
    plan = active_plan(loan)
    if plan is not None:
        candidates.add(plan.ends_on + timedelta(days=1))
    oldest = next((i for i in installments if is_open(i) and principal_or_interest_unpaid(i)
                   and i.due_date < day), None)
    if oldest is not None:
        candidates |= {oldest.due_date + timedelta(days=n) for n in (DEFAULT_DAYS, CHARGE_OFF_DAYS)}
    candidates |= set(Repayment.objects.filter(
        loan=loan, status=Repayment.Status.SCHEDULED, scheduled_for__gt=day)
        .values_list("scheduled_for", flat=True))
    if owed and loan.autopay and wallet_balances(loan.borrower_id)["available"] > 0:
        candidates.add(day + timedelta(days=1))
    return min(d for d in candidates if d > day)


def _take_scheduled_payments(loan: Loan, day: date, report: DayReport) -> None:
    """Payments scheduled for ``day`` (or an earlier day never taken), in the order they were
    made: one larger than the day's payoff quote takes the quote; one the wallet cannot cover
    fails whole and the borrower is told."""
    for scheduled in Repayment.objects.select_for_update().filter(
            loan=loan, status=Repayment.Status.SCHEDULED, scheduled_for__lte=day).order_by("id"):
        if loan.status not in SERVICED:
            break
        try:
            with transaction.atomic():
                quote = payoff_amount(schedule_rows(loan), day, loan_terms(loan))
                _apply(loan, amount=min(scheduled.amount, quote), as_of=day,
                       kind=Repayment.Kind.SCHEDULED, key=scheduled.idempotency_key,
                       apply_to=scheduled.apply_to, scheduled=scheduled, report=report,
                       method=scheduled.method)
            report.scheduled += 1
        except ApplicationError as exc:
            loan.refresh_from_db()
            scheduled.refresh_from_db()
            scheduled.status = Repayment.Status.FAILED
            scheduled.failure_reason = exc.message[:255]
            scheduled.save(update_fields=["status", "failure_reason"])
            notification_create(user_id=loan.borrower_id, kind="payment_failed",
                                title=f"Scheduled payment on loan #{loan.pk} failed",
                                body=f"{scheduled.amount:,.2f} could not be paid on "
                                     f"{day:%Y-%m-%d}: {exc.message}",
                                url=f"/loans/{loan.pk}/schedule/",
                                dedupe_key=f"payment-failed:{scheduled.pk}")


def _autopay(loan: Loan, day: date, report: DayReport) -> None:
    """What is due (arrears, their fees, today's installment) up to the wallet's available
    cash, as one payment; never ahead. At most one a day."""
    owed = due_by(schedule_rows(loan), day)
    if owed <= 0:
        return
    key = autopay_key(loan.pk, day)
    if Repayment.objects.filter(idempotency_key=key).exists():
        return
    amount = min(owed, wallet_balances(loan.borrower_id)["available"])
    if amount <= 0:
        report.autopay_skipped += 1
        return
    _apply(loan, amount=amount, as_of=day, kind=Repayment.Kind.AUTOPAY, key=key, report=report)
    report.autopay += 1


def _charge_late_fees(loan: Loan, installments: list[Installment], day: date,
                      report: DayReport) -> None:
    """A late fee, once per installment, on its 16th day past due if any of its principal or
    interest is still unpaid; none while a hardship plan runs."""
    if active_plan(loan, day) is not None:
        return
    for inst in installments:
        if (is_open(inst) and not inst.late_fee and principal_or_interest_unpaid(inst)
                and (day - inst.due_date).days > GRACE_DAYS):
            inst.late_fee = late_fee_for(inst, loan.monthly_payment)
            inst.status = InstallmentStatus.LATE
            inst.save(update_fields=["late_fee", "status"])
            report.late_fees += 1
            audit_record(actor=None, event="loan.late_fee", target=loan,
                         new={"installment": inst.number, "fee": inst.late_fee})


def _update_status(loan: Loan, day: date, installments: list[Installment], report: DayReport,
                   *, actor=None) -> None:
    """The loan's status from its days past due on ``day`` (repaid once nothing is
    outstanding), with every effect of the change: whatever path reaches day 150 (a payment,
    autopay, a catch-up, a late fee) charges the loan off and writes off every note."""
    old = loan.status
    if loan.outstanding_principal == 0:
        loan.status, loan.days_past_due = LoanStatus.REPAID, 0
        loan.repaid_at = loan.repaid_at or timezone.now()
    else:
        # A hardship plan pauses the days past due (DESIGN.md, "Servicing").
        loan.days_past_due = (0 if active_plan(loan, day) is not None
                              else days_past_due_of(installments, day))
        loan.status = status_for_days_past_due(loan.days_past_due)
    if loan.status == LoanStatus.CHARGED_OFF:
        _charge_off(loan)
        report.charged_off += 1
    loan.save(update_fields=["outstanding_principal", "days_past_due", "status", "repaid_at",
                             "updated_at"])
    # A listing of one of its notes that stops qualifying is suspended at once (and resumes).
    listings_requalify(loan_ids=[loan.pk], as_of=day)
    if loan.status == old:
        return
    report.transitions[loan.status] = report.transitions.get(loan.status, 0) + 1
    audit_record(actor=actor, event=f"loan.{loan.status}", target=loan,
                 old={"status": old}, new={"status": loan.status,
                                           "days_past_due": loan.days_past_due})
    if loan.status == LoanStatus.REPAID:
        return  # the payment's own notice says so
    title, body = STATUS_MESSAGES[loan.status]
    notification_create(user_id=loan.borrower_id, kind=f"loan_{loan.status}",
                        title=title.format(id=loan.pk), body=body.format(dpd=loan.days_past_due),
                        url=f"/loans/{loan.pk}/schedule/",
                        dedupe_key=f"status:{loan.pk}:{loan.status}:{day}")


def _remind(loan: Loan, installments: list[Installment], day: date, report: DayReport) -> None:
    """A reminder in the three days before each due date (once per installment)."""
    for inst in installments:
        if is_open(inst) and day < inst.due_date <= day + timedelta(days=REMINDER_DAYS):
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
    loan.outstanding_principal = ZERO  # written off: the books close with the notes
    for note in notes:
        note.charged_off_principal = note.outstanding_principal
        note.outstanding_principal = ZERO
        note.status = NoteStatus.CHARGED_OFF
    Note.objects.bulk_update(notes, ["charged_off_principal", "outstanding_principal", "status"])
    webhook_emit_many([WebhookDraft(note.lender_id, WebhookEvent.NOTE_CHARGED_OFF, {
        "noteId": note.pk, "loanId": loan.pk, "chargedOffPrincipal": note.charged_off_principal})
        for note in notes])
    for note in notes:
        notification_create(user_id=note.lender_id, kind="charge_off",
                            title=f"Loan #{loan.pk} charged off",
                            body=f"{note.charged_off_principal:,.2f} of your note's principal "
                                 "was written off after 150 days past due.",
                            url="/portfolio/", dedupe_key=f"charge-off:{loan.pk}:{note.pk}")
    return total


# --- Settlement, hardship plans, collections ----------------------------------------------------


def add_business_days(day: date, count: int) -> date:
    """``count`` business days after ``day``: Monday to Friday except US federal holidays."""
    found = 0
    while found < count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in US_HOLIDAYS:
            found += 1
    return day


def _lender_totals(distributions, value) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = {}
    for dist in distributions:
        totals[dist.note.lender_id] = totals.get(dist.note.lender_id, ZERO) + value(dist)
    return totals


def _release_pending(loan: Loan, day: date, report: DayReport) -> None:
    """Bank debits whose return window ended by ``day``: each lender's pending share becomes
    available cash (one ledger transaction per payment)."""
    for repayment in Repayment.objects.select_for_update().filter(
            loan=loan, funds_pending=True, settles_on__lte=day).order_by("id"):
        release_shares(loan, repayment)
        report.released += 1


def release_shares(loan: Loan, repayment: Repayment) -> None:
    """One locked, pending bank debit's shares: pending -> available for each lender."""
    distributions = list(repayment.distributions.select_related("note"))
    legs = []
    for lender_id, net in sorted(_lender_totals(distributions, lambda d: d.net).items()):
        if net > 0:
            legs += [debit(account_for_user(lender_id, AccountKind.USER_PENDING), net),
                     credit(account_for_user(lender_id, AccountKind.USER_AVAILABLE), net)]
    if legs:
        ledger_post(kind="bank_debit_release", legs=legs,
                    idempotency_key=f"release:{repayment.pk}",
                    memo=f"Bank debit on loan #{loan.pk} settled: shares released")
    Repayment.objects.filter(pk=repayment.pk, funds_pending=True).update(funds_pending=False)
    repayment.funds_pending = False
    audit_record(actor=None, event="loan.payment_released", target=repayment,
                 new={"amount": repayment.amount, "settles_on": repayment.settles_on})


def active_plan(loan: Loan, day: date | None = None) -> HardshipPlan | None:
    """The loan's active hardship plan (running on ``day`` when given)."""
    plan = HardshipPlan.objects.filter(loan_id=loan.pk,
                                       status=HardshipPlan.Status.ACTIVE).first()
    if plan is not None and day is not None and not plan.starts_on <= day <= plan.ends_on:
        return None
    return plan


def capitalize_interest(loan: Loan, amount: Decimal, *, plan: HardshipPlan, day: date,
                        key: str, memo: str) -> None:
    """Interest added to a locked loan's principal (a hardship plan's, DESIGN.md): the loan's
    receivable and its active notes' outstanding principal grow by it, split by outstanding
    principal to the cent (largest remainder), in one ledger transaction; the lenders'
    invested accounts carry it; the loan is saved."""
    if amount <= 0:
        return
    notes = list(Note.objects.select_for_update().filter(loan=loan, status=NoteStatus.ACTIVE)
                 .order_by("id"))
    parts = split_largest_remainder(amount, [(n.pk, n.outstanding_principal) for n in notes])
    per_lender: dict[int, Decimal] = {}
    for note in notes:
        note.outstanding_principal += parts[note.pk]
        note.capitalized_principal += parts[note.pk]
        per_lender[note.lender_id] = per_lender.get(note.lender_id, ZERO) + parts[note.pk]
    legs = [debit(account_for_reference(loan_reference(loan.pk), AccountKind.LOAN_PRINCIPAL),
                  amount)]
    legs += [credit(account_for_user(lender_id, AccountKind.USER_INVESTED), share)
             for lender_id, share in sorted(per_lender.items()) if share > 0]
    txn, _ = ledger_post(kind="capitalization", legs=legs, idempotency_key=f"capitalize:{key}",
                         memo=memo)
    Note.objects.bulk_update(notes, ["outstanding_principal", "capitalized_principal"])
    Capitalization.objects.bulk_create([
        Capitalization(note=note, plan=plan, amount=parts[note.pk], day=day,
                       ledger_transaction=txn) for note in notes if parts[note.pk] > 0])
    loan.outstanding_principal += amount
    loan.capitalized_principal += amount
    loan.save(update_fields=["outstanding_principal", "capitalized_principal", "updated_at"])


def _end_plan(loan: Loan, installments: list, day: date, report: DayReport) -> None:
    """A hardship plan ends by itself the day after its last month's due date: the interest
    of its months not paid is added to the principal and the rows after it re-amortize
    (``allocation.hardship_end``)."""
    plan = active_plan(loan)
    if plan is None or day <= plan.ends_on:
        return
    changed = HardshipPlan.objects.filter(pk=plan.pk, status=HardshipPlan.Status.ACTIVE).update(
        status=HardshipPlan.Status.COMPLETED)
    if changed != 1:
        return
    end = hardship_end(installments, starts_on=plan.starts_on, ends_on=plan.ends_on,
                       terms=loan_terms(loan))
    Installment.objects.bulk_update(installments, INSTALLMENT_FIELDS)
    capitalize_interest(loan, end.capitalized, plan=plan, day=day,
                        key=f"hardship:{plan.pk}:end",
                        memo=f"Hardship plan #{plan.pk}'s interest added to loan #{loan.pk}'s "
                             "principal")
    plan.capitalized += end.capitalized
    HardshipPlan.objects.filter(pk=plan.pk).update(capitalized=plan.capitalized)
    loan.monthly_payment = end.installment
    loan.save(update_fields=["monthly_payment", "updated_at"])
    report.plans_ended += 1
    audit_record(actor=None, event="loan.hardship_completed", target=plan,
                 old={"status": HardshipPlan.Status.ACTIVE},
                 new={"status": HardshipPlan.Status.COMPLETED, "day": day.isoformat(),
                      "capitalized": end.capitalized, "installment": end.installment})
    notification_create(user_id=loan.borrower_id, kind="hardship_completed",
                        title=f"Your hardship plan on loan #{loan.pk} has ended",
                        body="Your payments follow the new schedule from now on.",
                        url=f"/loans/{loan.pk}/schedule/", dedupe_key=f"hardship-end:{plan.pk}")


def collection_notice(loan_id: int, days: int, owed: Decimal) -> dict:
    return {"kind": "collections",
            "title": f"Loan #{loan_id} is {days} day{'s' if days != 1 else ''} past due",
            "body": f"{owed:,.2f} is past due. Please pay it now"
            + (": a late fee is charged after 15 days." if days < 15 else
               ": a late fee is charged tomorrow."),
            "url": f"/loans/{loan_id}/pay/"}


def _collections_remind(loan: Loan, installments: list[Installment], day: date,
                        report: DayReport) -> None:
    """Reminders at 1, 7 and 15 days past due, each once per installment in arrears (email
    and in-app through the notification outbox); none under a hardship plan."""
    if active_plan(loan, day) is not None:
        return
    oldest = next((i for i in installments if i.due_date < day and is_open(i)
                   and principal_or_interest_unpaid(i)), None)
    if oldest is None:
        return
    days = (day - oldest.due_date).days
    if days not in COLLECTION_REMINDER_DAYS:
        return
    owed = sum((amount_owed(i) for i in installments if is_open(i) and i.due_date < day), ZERO)
    if notification_create(user_id=loan.borrower_id, **collection_notice(loan.pk, days, owed),
                           dedupe_key=f"collections:{loan.pk}:{oldest.number}:{days}"):
        report.collection_reminders += 1
