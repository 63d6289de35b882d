"""The books agree with the ledger (DESIGN.md, "Servicing"): what servicing records on loans,
notes, installments and repayments matches the money the ledger moved. Set-based SQL, one query
per rule; each violation names its loan or note. ``ledger_check`` runs it after the ledger's own
invariants (``payments.ledger_check``)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Sum
from django.db.models.functions import Round

from communitylend.core.money import ZERO, cents
from investments.models import Note, NoteStatus, Trade
from loans.disbursement import loan_reference
from loans.models import Loan, LoanStatus
from payments.models import (
    Account,
    AccountKind,
    Capitalization,
    Distribution,
    Installment,
    InstallmentStatus,
    LedgerLeg,
    Recovery,
    RecoveryShare,
    Repayment,
)

DISBURSED = (LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DEFAULT, LoanStatus.REPAID,
             LoanStatus.CHARGED_OFF)
CLOSED = (LoanStatus.REPAID, LoanStatus.CHARGED_OFF)


@dataclass
class BooksReport:
    problems: list[str] = field(default_factory=list)
    loans: int = 0
    notes: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _money(value) -> Decimal:
    # SQLite sums decimals in floating point; cents are what count.
    return cents(value or 0)


def books_report(limit: int = 20) -> BooksReport:
    report = BooksReport(loans=Loan.objects.filter(status__in=DISBURSED).count(),
                         notes=Note.objects.count())
    for rule in (_receivables, _invested, _note_receipts, _closed_loans, _schedules,
                 _repayment_parts, _pending_cash, _platform_receivable, _recoveries, _trades,
                 _capitalizations):
        found = rule()
        report.problems += found[:limit]
    return report


def _notes_outstanding_by_loan() -> dict[int, Decimal]:
    return {row["loan_id"]: _money(row["total"]) for row in Note.objects.values("loan_id")
            .annotate(total=Sum("outstanding_principal"))}


def _receivables() -> list[str]:
    """Each loan's principal receivable (a negative balance while owed) = its outstanding
    principal = the sum of its notes' outstanding principal; the interest hardship plans added
    to its principal = the sum of what they added to its notes'."""
    notes = _notes_outstanding_by_loan()
    capitalized = {row["loan_id"]: _money(row["total"]) for row in Note.objects.values(
        "loan_id").annotate(total=Sum("capitalized_principal"))}
    receivable = {code: _money(balance) for code, balance in Account.objects.filter(
        kind=AccountKind.LOAN_PRINCIPAL).values_list("code", "balance")}
    problems = []
    for pk, outstanding, added in Loan.objects.filter(status__in=DISBURSED).values_list(
            "pk", "outstanding_principal", "capitalized_principal").order_by("pk"):
        owed = -receivable.get(f"{loan_reference(pk)}:{AccountKind.LOAN_PRINCIPAL}", ZERO)
        on_notes = notes.get(pk, ZERO)
        if not (owed == outstanding == on_notes):
            problems.append(f"loan {pk}: receivable {owed} != outstanding principal "
                            f"{outstanding} != notes' outstanding {on_notes}")
        if added != capitalized.get(pk, ZERO):
            problems.append(f"loan {pk}: capitalized {added} != notes' capitalized "
                            f"{capitalized.get(pk, ZERO)}")
    return problems


def _invested() -> list[str]:
    """Each lender's invested account = the sum of their notes' outstanding principal."""
    notes = {row["lender_id"]: _money(row["total"]) for row in Note.objects.values("lender_id")
             .annotate(total=Sum("outstanding_principal"))}
    accounts = {user_id: _money(balance) for user_id, balance in Account.objects.filter(
        kind=AccountKind.USER_INVESTED).values_list("user_id", "balance")}
    return [f"lender {user_id}: invested account {accounts.get(user_id, ZERO)} != notes' "
            f"outstanding {notes.get(user_id, ZERO)}"
            for user_id in sorted(set(notes) | set(accounts))
            if accounts.get(user_id, ZERO) != notes.get(user_id, ZERO)]


def _note_receipts() -> list[str]:
    """Each note's received amounts = the sums of its distributions, and its principal = what
    it received + what is outstanding + what was charged off + what was sold on the market."""
    sums = {row["note_id"]: row for row in Distribution.objects.exclude(
        repayment__status=Repayment.Status.RETURNED).values("note_id").annotate(
        principal=Sum("principal"), interest=Sum("interest"), late_fee=Sum("late_fee"),
        fee=Sum("servicing_fee"))}
    problems = []
    for note in Note.objects.order_by("pk").values(
            "pk", "principal", "outstanding_principal", "principal_received", "interest_received",
            "late_fees_received", "servicing_fees_paid", "charged_off_principal",
            "sold_principal", "capitalized_principal"):
        got = sums.get(note["pk"], {})
        for mine, theirs in (("principal_received", "principal"),
                             ("interest_received", "interest"),
                             ("late_fees_received", "late_fee"),
                             ("servicing_fees_paid", "fee")):
            if note[mine] != _money(got.get(theirs)):
                problems.append(f"note {note['pk']}: {mine} {note[mine]} != distributions "
                                f"{_money(got.get(theirs))}")
        if note["principal"] + note["capitalized_principal"] != (
                note["principal_received"] + note["outstanding_principal"]
                + note["charged_off_principal"] + note["sold_principal"]):
            problems.append(f"note {note['pk']}: principal {note['principal']} + capitalized "
                            "!= received + outstanding + charged off + sold")
    return problems


def _closed_loans() -> list[str]:
    """A repaid or charged-off loan has nothing outstanding and no active note; a charged-off
    loan's notes are all charged off (or were repaid before)."""
    problems = [f"loan {pk} is {status} with {outstanding} outstanding"
                for pk, status, outstanding in Loan.objects.filter(
                    status__in=CLOSED, outstanding_principal__gt=0).values_list(
                    "pk", "status", "outstanding_principal")]
    problems += [f"note {pk} of {status} loan {loan_id} is still active"
                 for pk, loan_id, status in Note.objects.filter(
                     loan__status__in=CLOSED, status=NoteStatus.ACTIVE).values_list(
                     "pk", "loan_id", "loan__status")]
    return problems


def _schedules() -> list[str]:
    """Schedule rows reconcile: their principal sums to the loan's amount (plus the interest
    hardship plans added to it and a running deferral will add), the principal paid on them to
    what was repaid (that less what is outstanding or written off), and the interest and late
    fees paid on them to the repayments' interest and late fees."""
    rows = {row["loan_id"]: row for row in Installment.objects.values("loan_id").annotate(
        principal=Sum("principal"), principal_paid=Sum("principal_paid"),
        interest_paid=Sum("interest_paid"), late_fee_paid=Sum("late_fee_paid"),
        platform_fee_paid=Sum("platform_fee_paid"))}
    deferred = {row["loan_id"]: _money(row["total"]) for row in Installment.objects.filter(
        status=InstallmentStatus.DEFERRED).values("loan_id").annotate(
        total=Sum(F("interest") - F("interest_paid")))}
    paid = {row["loan_id"]: row for row in Repayment.objects.filter(
        status=Repayment.Status.COMPLETED).values("loan_id").annotate(
        principal=Sum("principal"), interest=Sum("interest"), late_fees=Sum("late_fees"),
        platform_fees=Sum("platform_fees"))}
    written_off = defaultdict(lambda: ZERO, {row["loan_id"]: _money(row["total"]) for row in
                                             Note.objects.values("loan_id").annotate(
                                                 total=Sum("charged_off_principal"))})
    problems = []
    for pk, amount, outstanding, added in Loan.objects.filter(
            status__in=DISBURSED).values_list("pk", "amount", "outstanding_principal",
                                              "capitalized_principal").order_by("pk"):
        row, pay = rows.get(pk, {}), paid.get(pk, {})
        amount += added
        # a running deferral's rows after it already carry the interest it will add
        checks = (("rows' principal", _money(row.get("principal")),
                   amount + deferred.get(pk, ZERO)),
                  ("principal paid on rows", _money(row.get("principal_paid")),
                   amount - outstanding - written_off[pk]),
                  ("principal paid on rows vs repayments", _money(row.get("principal_paid")),
                   _money(pay.get("principal"))),
                  ("interest paid on rows vs repayments", _money(row.get("interest_paid")),
                   _money(pay.get("interest"))),
                  ("late fees paid on rows vs repayments", _money(row.get("late_fee_paid")),
                   _money(pay.get("late_fees"))),
                  ("platform fees paid on rows vs repayments",
                   _money(row.get("platform_fee_paid")), _money(pay.get("platform_fees"))))
        problems += [f"loan {pk}: {what} {mine} != {theirs}"
                     for what, mine, theirs in checks if mine != theirs]
    return problems


def _repayment_parts() -> list[str]:
    """Each completed repayment's parts sum to its amount, and its distributions to its
    parts."""
    # Rounded in SQL: SQLite does decimal arithmetic in floating point.
    problems = [f"repayment {pk}: parts do not sum to {amount}" for pk, amount in
                Repayment.objects.filter(status=Repayment.Status.COMPLETED).annotate(
                    gap=Round(F("amount") - F("principal") - F("interest") - F("late_fees")
                              - F("platform_fees"), 2))
                .exclude(gap=0).values_list("pk", "amount")]
    shares = {row["repayment_id"]: row for row in Distribution.objects.values("repayment_id")
              .annotate(principal=Sum("principal"), interest=Sum("interest"),
                        late_fee=Sum("late_fee"), fee=Sum("servicing_fee"))}
    for rep in Repayment.objects.filter(status=Repayment.Status.COMPLETED).values(
            "pk", "principal", "interest", "late_fees", "servicing_fees"):
        got = shares.get(rep["pk"], {})
        if (_money(got.get("principal")), _money(got.get("interest")),
                _money(got.get("late_fee")), _money(got.get("fee"))) != (
                rep["principal"], rep["interest"], rep["late_fees"], rep["servicing_fees"]):
            problems.append(f"repayment {rep['pk']}: distributions do not sum to its parts")
    return problems


def _pending_cash() -> list[str]:
    """Each lender's pending cash = the net shares of the bank debits still in their return
    window."""
    owed = {row["note__lender_id"]: _money(row["total"]) for row in Distribution.objects.filter(
        repayment__funds_pending=True, repayment__status=Repayment.Status.COMPLETED)
        .values("note__lender_id").annotate(total=Sum("net"))}
    accounts = {user_id: _money(balance) for user_id, balance in Account.objects.filter(
        kind=AccountKind.USER_PENDING).values_list("user_id", "balance")}
    return [f"lender {user_id}: pending cash {accounts.get(user_id, ZERO)} != pending shares "
            f"{owed.get(user_id, ZERO)}" for user_id in sorted(set(owed) | set(accounts))
            if accounts.get(user_id, ZERO) != owed.get(user_id, ZERO)]


def _platform_receivable() -> list[str]:
    """What borrowers owe the platform (returned-payment fees, returns after release) = the
    platform fees unpaid on the schedules."""
    unpaid = _money(Installment.objects.aggregate(
        total=Sum(F("platform_fee") - F("platform_fee_paid")))["total"])
    balance = -_money(Account.objects.filter(
        kind=AccountKind.PLATFORM_BORROWER_RECEIVABLE).aggregate(total=Sum("balance"))["total"])
    return [] if unpaid == balance else [
        f"platform receivable {balance} != platform fees unpaid on schedules {unpaid}"]


def _recoveries() -> list[str]:
    """Each recovery's shares sum to it: gross, collection fee, servicing fee and net."""
    sums = {row["recovery_id"]: row for row in RecoveryShare.objects.values("recovery_id")
            .annotate(gross=Sum("gross"), collection=Sum("collection_fee"),
                      fee=Sum("servicing_fee"), net=Sum("net"))}
    problems = []
    for rec in Recovery.objects.values("pk", "amount", "collection_fee", "servicing_fees",
                                       "net"):
        got = sums.get(rec["pk"], {})
        if (_money(got.get("gross")), _money(got.get("collection")), _money(got.get("fee")),
                _money(got.get("net"))) != (rec["amount"], rec["collection_fee"],
                                            rec["servicing_fees"], rec["net"]):
            problems.append(f"recovery {rec['pk']}: shares do not sum to it")
    return problems


def _trades() -> list[str]:
    """Each market trade agrees with its ledger transaction and its notes: the buyer paid the
    price, the seller got it less the fee, the platform the fee; the sold note's principal
    moved between the two invested accounts; the sold note passed exactly that principal to
    the buyer's note (which started with it), on the same loan."""
    trades = list(Trade.objects.select_related("note", "buyer_note").order_by("pk"))
    if not trades:
        return []
    legs = defaultdict(list)
    for txn_id, kind, user_id, debit_, credit_ in LedgerLeg.objects.filter(
            transaction_id__in=[t.ledger_transaction_id for t in trades]).values_list(
            "transaction_id", "account__kind", "account__user_id", "debit", "credit"):
        legs[txn_id].append((kind, user_id, _money(debit_), _money(credit_)))
    problems = []
    for trade in trades:
        expected = sorted([
            (AccountKind.USER_AVAILABLE, trade.buyer_id, trade.price, ZERO),
            (AccountKind.USER_AVAILABLE, trade.seller_id, ZERO, trade.price - trade.fee),
            (AccountKind.PLATFORM_MARKET_FEES, None, ZERO, trade.fee),
            (AccountKind.USER_INVESTED, trade.seller_id, trade.principal, ZERO),
            (AccountKind.USER_INVESTED, trade.buyer_id, ZERO, trade.principal)])
        if sorted(legs[trade.ledger_transaction_id]) != expected:
            problems.append(f"trade {trade.pk}: ledger legs do not match its price, fee and "
                            "principal")
        sold, bought = trade.note, trade.buyer_note
        if not (sold.sold_principal == trade.principal == bought.principal
                and sold.status == NoteStatus.SOLD and sold.loan_id == bought.loan_id
                == trade.loan_id and bought.acquired_from_id == sold.pk
                and sold.lender_id == trade.seller_id and bought.lender_id == trade.buyer_id):
            problems.append(f"trade {trade.pk}: notes {sold.pk} -> {bought.pk} do not carry "
                            f"its principal {trade.principal}")
    return problems


def _capitalizations() -> list[str]:
    """Each note's capitalized principal = the sum of its capitalization rows (what hardship
    plans added to it, as statements show it)."""
    rows = {row["note_id"]: _money(row["total"]) for row in Capitalization.objects.values(
        "note_id").annotate(total=Sum("amount"))}
    notes = dict(Note.objects.filter(capitalized_principal__gt=0).values_list(
        "pk", "capitalized_principal"))
    return [f"note {pk}: capitalized {notes.get(pk, ZERO)} != its capitalization rows "
            f"{rows.get(pk, ZERO)}" for pk in sorted(set(rows) | set(notes))
            if notes.get(pk, ZERO) != rows.get(pk, ZERO)]
