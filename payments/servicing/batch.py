"""The day's servicing run over every loan, in batches (DESIGN.md, "Servicing"; STYLE.md rule 3).

``run_servicing`` cuts the loans with something to do into batches that keep each borrower's
loans together. ``service_loans_batch`` handles the day's common case for a whole batch in one
transaction with set-based SQL; what it leaves goes loan by loan through ``service_loan``. Both
paths call the same rule functions (``allocation``: the note split and fee; ``services``: the
ledger legs, the notices), so the batch is a faster way to write what the one-loan path writes,
never a second statement of the rules.
"""

import logging
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.integrations import webhook_emit_many, webhook_subscribers
from accounts.models import WebhookEvent
from accounts.services import (
    NotificationDraft,
    audit_entry,
    audit_record_many,
    notification_create_many,
)
from communitylend.core.bulk import AnyOf, insert_rows, reserve_ids, update_rows
from communitylend.core.money import ZERO
from investments.market.services import listings_requalify
from investments.models import Note, NoteStatus
from loans.disbursement import loan_reference
from loans.models import SERVICED, Loan, LoanStatus
from payments.ledger import (
    AccountRef,
    Posting,
    account_ids_for_references,
    accounts_for_users,
    ledger_settle,
    ledger_write_many,
    platform_account,
)
from payments.models import (
    Account,
    AccountKind,
    ApplyTo,
    Distribution,
    HardshipPlan,
    Installment,
    InstallmentStatus,
    Repayment,
)

from .allocation import CLOSED_INSTALLMENT, note_receive, note_shares
from .services import (
    REMINDER_DAYS,
    DayReport,
    autopay_key,
    note_payment_webhooks,
    payment_due_notice,
    payment_received_notice,
    repayment_legs,
    service_loan,
)

logger = logging.getLogger(__name__)

# Loans per transaction: each batch updates every lender's accounts once, so bigger batches
# update them fewer times a day; the lenders' account locks are held only from ledger_settle to
# the commit, whatever the size (README, "Benchmarks", has the figures by size).
BATCH_SIZE = 5000


def run_servicing(*, as_of: date, batch_size: int = BATCH_SIZE,
                  workers: int | None = None) -> DayReport:
    """Service every loan up to the end of ``as_of``, catching up on any day missed before it:
    each day from the earliest day a loan with work has not been serviced for runs in date order
    (so a catch-up over N days writes what N daily runs write, and the batch path still takes
    each day's common case); running it twice for the same day changes nothing. The report
    counts loan-days."""
    report = DayReport()
    work = _loans_with_work(as_of)
    days = _days_behind(as_of, work)
    for day in days:
        report.add(run_servicing_day(day=day, batch_size=batch_size, workers=workers,
                                     work=work if day == as_of else None))
        report.days += 1
    return report


def _days_behind(as_of: date, work: list[tuple]) -> list[date]:
    """The days to run: from the earliest first unserviced day of a loan with work by
    ``as_of`` (never serviced: the day after its disbursement) through ``as_of``."""
    first = min(((through + timedelta(days=1)) if through else
                 timezone.localdate(disbursed) + timedelta(days=1)
                 for _, _, through, disbursed in work), default=as_of)
    return [first + timedelta(days=n) for n in range((as_of - first).days + 1)] \
        if first <= as_of else [as_of]


def run_servicing_day(*, day: date, batch_size: int = BATCH_SIZE, workers: int | None = None,
                      work: list[tuple] | None = None) -> DayReport:
    """One day for every loan with work that day (loans already serviced through it are done).

    Loans go in batches of about ``batch_size``, each borrower's loans in one batch (in primary-
    key order, so they draw on the wallet in that order): ``service_loans_batch`` handles the
    day's common case for a whole batch in one transaction with bulk writes; the loans it leaves
    (scheduled payments, arrears, payoffs, a borrower short of cash...) then go one by one
    through ``service_loan``, each in its own transaction. If a batch fails it wrote nothing,
    and its loans go one by one too.

    On PostgreSQL the batches run on ``workers`` connections at once (``SERVICING_WORKERS``),
    unless the caller holds a transaction (other connections could not see its rows)."""
    batches = _borrower_batches(_loans_with_work(day) if work is None else work, batch_size)
    if workers is None:
        workers = settings.SERVICING_WORKERS
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        workers = 1
    report = DayReport()
    if workers <= 1 or len(batches) <= 1:
        for batch in batches:
            report.add(_service_batch(batch, day))
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="servicing") as pool:
            for batch_report in pool.map(lambda batch: _service_batch(batch, day, thread=True),
                                         batches):
                report.add(batch_report)
    _requalify_listings(day)
    return report


def _requalify_listings(day: date) -> None:
    """Market listings' figures are recomputed daily (accrued interest grows, payments land):
    those that stopped qualifying are suspended, those that qualify again resume."""
    try:
        with transaction.atomic(durable=not connection.in_atomic_block):
            listings_requalify(as_of=day)
    except Exception:  # noqa: BLE001 - the day's servicing stands; tomorrow's run retries
        logger.exception("Recomputing market listings for %s failed", day)


def _loans_with_work(as_of: date) -> list[tuple]:
    """(loan, borrower, last serviced day, disbursed at) of every loan with something to do by
    ``as_of`` (or a reminder to send) and not serviced through it, ordered by borrower, then
    loan."""
    horizon = as_of + timedelta(days=REMINDER_DAYS)
    behind = Q(loan__serviced_through__isnull=True) | Q(loan__serviced_through__lt=as_of)
    fields = ("loan_id", "loan__borrower_id", "loan__serviced_through", "loan__disbursed_at")
    due = Installment.objects.filter(
        behind, Q(due_date__lte=horizon), loan__status__in=SERVICED).exclude(
        status__in=CLOSED_INSTALLMENT).order_by().values_list(*fields).distinct()
    scheduled = Repayment.objects.filter(
        behind, status=Repayment.Status.SCHEDULED, scheduled_for__lte=as_of).values_list(*fields)
    settling = Repayment.objects.filter(
        behind, funds_pending=True, settles_on__lte=as_of).values_list(*fields)
    plans = HardshipPlan.objects.filter(
        behind, status=HardshipPlan.Status.ACTIVE, ends_on__lt=as_of).values_list(*fields)
    return sorted(set(due) | set(scheduled) | set(settling) | set(plans),
                  key=lambda row: (row[1], row[0]))


def _borrower_batches(rows, batch_size: int) -> list[list[int]]:
    """(loan, borrower, ...) rows ordered by borrower, then loan, cut into batches of at least
    ``batch_size`` loans (the last may be smaller) that never split a borrower; each batch in
    primary-key order."""
    batches, current, last_borrower = [], [], None
    for loan_id, borrower_id, *_ in rows:
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
    serviced_through: date | None
    updated_at: object = None


LOAN_ROW_FIELDS = ("pk", "borrower_id", "status", "autopay", "outstanding_principal",
                   "days_past_due", "serviced_through")


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
    platform_fee: Decimal
    platform_fee_paid: Decimal
    status: str


INSTALLMENT_ROW_FIELDS = ("pk", "loan_id", "number", "due_date", "principal", "interest",
                          "total", "principal_paid", "interest_paid", "late_fee",
                          "late_fee_paid", "platform_fee", "platform_fee_paid", "status")


@dataclass(slots=True)
class _NoteRow:
    """The fields of a note a repayment changes, with its lender's two accounts."""

    pk: int
    loan_id: int
    lender_id: int
    outstanding_principal: Decimal
    principal_received: Decimal
    interest_received: Decimal
    late_fees_received: Decimal
    servicing_fees_paid: Decimal
    status: str
    available_account: int | None
    invested_account: int | None
    updated_at: object = None


NOTE_ROW_FIELDS = ("pk", "loan_id", "lender_id", "outstanding_principal", "principal_received",
                   "interest_received", "late_fees_received", "servicing_fees_paid", "status")


@dataclass(slots=True)
class _Payment:
    loan: _LoanRow
    installment: _InstallmentRow
    key: str
    borrower_account: int
    notes: list = field(default_factory=list)
    shares: dict = field(default_factory=dict)
    fee: Decimal = ZERO


@dataclass
class _BatchState:
    """What a batch read under its locks: the loans, their open installments up to the reminder
    horizon, the scheduled payments and autopay keys already taken, the borrowers' wallets."""

    loans: list[_LoanRow]
    open_rows: dict[int, list[_InstallmentRow]]
    scheduled: set[int]
    taken: set[str]
    wallets: dict[int, tuple[int, Decimal]]
    settling: set[int]  # a bank debit's pending shares to release: service_loan does it
    plan_changes: set[int]  # a hardship plan ending: service_loan does it


def service_loans_batch(*, loan_ids: list[int], as_of: date, report: DayReport) -> list[int]:
    """The day's common case for many loans in one transaction; returns the loans left for
    ``service_loan`` (in primary-key order).

    Handled here, exactly as ``service_loan`` would: an active loan on autopay, with no
    scheduled payment due, whose only open installment due by ``as_of`` falls due on ``as_of``,
    untouched and not its last (autopay takes it: the same repayment, allocation, distribution
    to the notes, ledger legs, audit row and notice), or that has nothing due (reminders only).
    Such a loan has no event between its last serviced day and ``as_of`` (no due date, no
    arrears, nothing scheduled), so the day is the whole replay. Everything else (scheduled
    payments, arrears, late fees, a payoff, a borrower short of cash) is left, and so is every
    later loan of a borrower who has a left loan in the batch, so that each borrower's loans
    still draw on the wallet in primary-key order. Loans serviced through ``as_of`` already are
    done.

    Set-based: a constant number of queries per batch (locks in primary-key order: loans, then
    the accounts last, through ``ledger_settle``), bulk inserts, one UPDATE per table. Rows are
    read as plain values (``_LoanRow``...), not model instances, and every list of ids is one
    query parameter (``AnyOf``): at 5,000 loans a batch both cost more than the queries."""
    if not loan_ids:
        return []
    with transaction.atomic(durable=True):
        state = _read_batch(loan_ids, as_of)
        payments, quiet, left = _sort_loans(state, as_of)
        now = timezone.now()
        if payments:
            _pay_installments(payments, as_of=as_of, now=now)
            report.autopay += len(payments)
        for loan in quiet:
            loan.days_past_due, loan.serviced_through, loan.updated_at = 0, as_of, now
        update_rows(Loan, quiet, ["days_past_due", "serviced_through", "updated_at"])
        report.reminders += _remind([p.loan for p in payments] + quiet, state.open_rows,
                                    as_of=as_of)
        if payments:  # a payment changes what a note's listing is worth
            listings_requalify(loan_ids=[p.loan.pk for p in payments], as_of=as_of)
    # A loan closed while a bank debit was settling still has its lenders' shares released.
    closed = Repayment.objects.filter(AnyOf(F("loan_id"), loan_ids), funds_pending=True,
                                      settles_on__lte=as_of).exclude(loan__status__in=SERVICED)
    return sorted(set(left) | set(closed.values_list("loan_id", flat=True)))


def _read_batch(loan_ids: list[int], as_of: date) -> _BatchState:
    horizon = as_of + timedelta(days=REMINDER_DAYS)
    loans = [_LoanRow(*row) for row in Loan.objects.select_for_update()
             .filter(AnyOf(F("pk"), loan_ids)).order_by("pk").values_list(*LOAN_ROW_FIELDS)]
    loans = [loan for loan in loans if loan.status in SERVICED  # others: nothing to do
             and (loan.serviced_through is None or loan.serviced_through < as_of)]
    ids = [loan.pk for loan in loans]
    scheduled = set(Repayment.objects.filter(
        AnyOf(F("loan_id"), ids), status=Repayment.Status.SCHEDULED,
        scheduled_for__lte=as_of).values_list("loan_id", flat=True))
    # Every open installment up to the reminder horizon (the rows this day can touch); the
    # loan rows' locks keep every other writer of them out.
    open_rows: dict[int, list[_InstallmentRow]] = defaultdict(list)
    for row in (Installment.objects.filter(AnyOf(F("loan_id"), ids), due_date__lte=horizon)
                .exclude(status__in=CLOSED_INSTALLMENT)
                .order_by("loan_id", "number").values_list(*INSTALLMENT_ROW_FIELDS)):
        open_rows[row[1]].append(_InstallmentRow(*row))
    keys = [autopay_key(loan.pk, as_of) for loan in loans]
    taken = set(Repayment.objects.filter(AnyOf(F("idempotency_key"), keys))
                .values_list("idempotency_key", flat=True))
    # Read, not locked (loans before accounts, always): a withdrawal racing in between makes
    # ledger_settle refuse the batch, and its loans then go one by one. A borrower with
    # no wallet has no cash: those loans go one by one too.
    wallets = {user_id: (pk, balance) for user_id, pk, balance in Account.objects.filter(
        AnyOf(F("user_id"), list({loan.borrower_id for loan in loans})),
        kind=AccountKind.USER_AVAILABLE).values_list("user_id", "pk", "balance")}
    settling = set(Repayment.objects.filter(
        AnyOf(F("loan_id"), ids), funds_pending=True, settles_on__lte=as_of)
        .values_list("loan_id", flat=True))
    plan_changes = set(HardshipPlan.objects.filter(
        AnyOf(F("loan_id"), ids), status=HardshipPlan.Status.ACTIVE, ends_on__lt=as_of)
        .values_list("loan_id", flat=True))
    return _BatchState(loans, open_rows, scheduled, taken, wallets, settling, plan_changes)


def _sort_loans(state: _BatchState, as_of: date):
    """(autopay payments to make, loans with nothing due, loans left for ``service_loan``)."""
    cash = {user_id: balance for user_id, (_, balance) in state.wallets.items()}
    payments: list[_Payment] = []
    quiet: list[_LoanRow] = []
    left: list[int] = []
    slow_borrowers: set[int] = set()
    for loan in state.loans:
        rows = state.open_rows[loan.pk]
        due = [i for i in rows if i.due_date <= as_of]
        simple = (loan.status == LoanStatus.ACTIVE and loan.pk not in state.scheduled
                  and loan.borrower_id not in slow_borrowers
                  and loan.pk not in state.settling and loan.pk not in state.plan_changes
                  and all(i.late_fee == i.late_fee_paid and i.platform_fee == i.platform_fee_paid
                          for i in rows))
        if simple and not due:
            quiet.append(loan)
            continue
        if simple and len(due) == 1 and loan.autopay and _untouched_and_not_last(
                loan, due[0], as_of, state.taken, cash.get(loan.borrower_id, ZERO)):
            cash[loan.borrower_id] -= due[0].total
            payments.append(_Payment(loan, due[0], autopay_key(loan.pk, as_of),
                                     state.wallets[loan.borrower_id][0]))
            continue
        left.append(loan.pk)
        slow_borrowers.add(loan.borrower_id)
    return payments, quiet, left


def _untouched_and_not_last(loan: _LoanRow, inst: _InstallmentRow, as_of: date,
                            taken: set[str], cash: Decimal) -> bool:
    """The installment falling due today that autopay can take whole as scheduled, leaving
    principal outstanding, with the cash for it."""
    owed = inst.total
    return (inst.due_date == as_of and inst.status == InstallmentStatus.DUE
            and not inst.principal_paid
            and not inst.interest_paid and not inst.late_fee and not inst.platform_fee
            and inst.principal + inst.interest == owed and owed > 0
            and loan.outstanding_principal - inst.principal > 0
            and autopay_key(loan.pk, as_of) not in taken and cash >= owed)


def _load_notes(payments: list[_Payment]) -> list[_NoteRow]:
    """The active notes of the paid loans (locked), each with its lender's two accounts."""
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
    missing = [n for n in notes if n.available_account is None or n.invested_account is None]
    if missing:  # a lender's first repayment into a wallet never created: rare
        accounts = accounts_for_users({n.lender_id for n in missing},
                                      [AccountKind.USER_AVAILABLE, AccountKind.USER_INVESTED])
        for note in missing:
            note.available_account = accounts[(note.lender_id, AccountKind.USER_AVAILABLE)].pk
            note.invested_account = accounts[(note.lender_id, AccountKind.USER_INVESTED)].pk
    for note in notes:
        by_loan[note.loan_id].notes.append(note)
    return notes


def _postings(payments: list[_Payment], *, now) -> list[Posting]:
    """Each payment split across its notes and turned into ledger legs, by the same rule
    functions the one-loan path calls; the notes' figures move with it."""
    receivables = account_ids_for_references([loan_reference(p.loan.pk) for p in payments],
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
        payment.shares = note_shares(principal=inst.principal, interest=inst.interest,
                                     late_fees=ZERO,
                                     weights=[(n.pk, n.outstanding_principal)
                                              for n in payment.notes])
        legs, payment.fee = repayment_legs(
            borrower_account=ref(payment.borrower_account), amount=inst.total,
            notes=payment.notes, shares=payment.shares,
            note_accounts={n.pk: (ref(n.available_account), ref(n.invested_account))
                           for n in payment.notes},
            receivable=ref(receivables[loan_reference(loan.pk)]), fees_account=fees_account)
        for note in payment.notes:
            note_receive(note, payment.shares[note.pk])
            note.updated_at = now
        postings.append(Posting(kind="repayment", legs=legs,
                                idempotency_key=f"repayment:{payment.key}",
                                memo=f"Repayment on loan #{loan.pk}"))
    return postings


def _pay_installments(payments: list[_Payment], *, as_of: date, now) -> None:
    """Autopay of one untouched installment per loan: ``_apply`` + ``_distribute`` in bulk."""
    notes = _load_notes(payments)
    # The transactions and legs now, the accounts' locks and balances last (ledger_settle):
    # batches running side by side wait for each other's locks only from there to the commit.
    # A key that exists already fails the batch, and its loans go one by one.
    written = ledger_write_many(_postings(payments, now=now))
    rep_ids = _insert_repayments(payments, written.transactions, as_of=as_of, now=now)
    update_rows(Note, notes, ["outstanding_principal", "principal_received", "interest_received",
                              "servicing_fees_paid", "status", "updated_at"])
    # The installment is paid exactly as scheduled: its paid amounts are its amounts.
    Installment.objects.filter(AnyOf(F("pk"), [p.installment.pk for p in payments])).update(
        principal_paid=F("principal"), interest_paid=F("interest"),
        status=InstallmentStatus.PAID, paid_at=now)
    for payment in payments:
        loan = payment.loan
        loan.outstanding_principal -= payment.installment.principal
        loan.days_past_due, loan.serviced_through, loan.updated_at = 0, as_of, now
    update_rows(Loan, [p.loan for p in payments],
                ["outstanding_principal", "days_past_due", "serviced_through", "updated_at"])
    audit_record_many((audit_entry(
        actor=None, event="loan.repayment", target=rep_id, target_type="payments.repayment",
        new={"amount": p.installment.total, "principal": p.installment.principal,
             "interest": p.installment.interest, "late_fees": ZERO})
        for rep_id, p in zip(rep_ids, payments, strict=True)), now=now)
    subscribed = webhook_subscribers({n.lender_id for p in payments for n in p.notes},
                                     WebhookEvent.NOTE_PAYMENT_RECEIVED)
    if subscribed:
        webhook_emit_many([draft for rep_id, p in zip(rep_ids, payments, strict=True)
                           for draft in note_payment_webhooks(
                               loan_id=p.loan.pk, repayment_id=rep_id, day=as_of, notes=p.notes,
                               shares=p.shares, only=subscribed)], now=now)
    notification_create_many([NotificationDraft(user_id=p.loan.borrower_id,
                                                **payment_received_notice(
                                                    p.loan.pk, p.installment.total,
                                                    p.loan.outstanding_principal))
                              for p in payments], now=now)
    ledger_settle(written)


def _insert_repayments(payments: list[_Payment], txns, *, as_of: date, now) -> list[int]:
    """The repayments and their distributions as plain rows (tens of thousands a day; nothing
    reads them back as model instances in this transaction)."""
    rep_ids = reserve_ids(Repayment, len(payments))
    insert_rows(Repayment, ["id", "loan", "borrower", "kind", "status", "amount", "scheduled_for",
                            "paid_on", "principal", "interest", "late_fees", "servicing_fees",
                            "idempotency_key", "ledger_transaction", "failure_reason",
                            "apply_to", "created_at"],
                ((rep_id, p.loan.pk, p.loan.borrower_id, Repayment.Kind.AUTOPAY,
                  Repayment.Status.COMPLETED, p.installment.total, None, as_of,
                  p.installment.principal, p.installment.interest, ZERO, p.fee, p.key,
                  txn.pk, "", ApplyTo.INSTALLMENT, now)
                 for rep_id, p, txn in zip(rep_ids, payments, txns, strict=True)))
    insert_rows(Distribution, ["repayment", "note", "principal", "interest", "late_fee",
                               "servicing_fee", "net"],
                ((rep_id, note.pk, share.principal, share.interest, share.late_fee, share.fee,
                  share.net)
                 for rep_id, payment in zip(rep_ids, payments, strict=True)
                 for note in payment.notes for share in (payment.shares[note.pk],)))
    return rep_ids


def _remind(loans: list[_LoanRow], open_rows, *, as_of: date) -> int:
    """Reminders three days before each due date (once per installment: dedupe keys)."""
    drafts = [NotificationDraft(user_id=loan.borrower_id,
                                **payment_due_notice(loan.pk, inst, loan.autopay))
              for loan in loans for inst in open_rows[loan.pk]
              if as_of < inst.due_date <= as_of + timedelta(days=REMINDER_DAYS)
              and inst.status not in CLOSED_INSTALLMENT]
    return len(notification_create_many(drafts)) if drafts else 0
