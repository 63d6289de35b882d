"""The double-entry ledger, the payment gateway's records, and loan servicing.

Sign convention (one rule for every account): ``balance = sum(credits) - sum(debits)``.
So user wallets, which the platform owes its users, are positive; the external bank counterparty
goes negative as deposits arrive (money that came in from outside); a loan's principal
receivable is negative while the borrower owes it (an asset), and each lender's ``invested``
account holds the matching positive principal of their notes.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

ZERO = Decimal("0.00")


class AccountKind(models.TextChoices):
    USER_AVAILABLE = "user_available", "Available cash"
    USER_HELD = "user_held", "Held (bids, pending withdrawals)"
    USER_INVESTED = "user_invested", "Invested principal (notes)"
    USER_PENDING = "user_pending", "Pending (bank debits within their return window)"
    PLATFORM_ORIGINATION_FEES = "platform_origination_fees", "Origination-fee revenue"
    PLATFORM_SERVICING_FEES = "platform_servicing_fees", "Servicing-fee revenue"
    PLATFORM_MARKET_FEES = "platform_market_fees", "Secondary-market trading-fee revenue"
    PLATFORM_BOT_CAPITAL = "platform_bot_capital", "Bot capital"
    EXTERNAL_BANK = "external_bank", "External bank (deposits and withdrawals)"
    LOAN_PRINCIPAL = "loan_principal", "Loan principal receivable"
    PLATFORM_COLLECTION_FEES = "platform_collection_fees", "Collection-fee revenue (recoveries)"
    PLATFORM_RETURNED_PAYMENT_FEES = ("platform_returned_payment_fees",
                                      "Returned-payment-fee revenue")
    PLATFORM_BORROWER_RECEIVABLE = ("platform_borrower_receivable",
                                    "Owed by borrowers to the platform (returned-payment fees, "
                                    "returns after release)")


USER_KINDS = (AccountKind.USER_AVAILABLE, AccountKind.USER_HELD, AccountKind.USER_INVESTED,
              AccountKind.USER_PENDING)


class Account(models.Model):
    code = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=30, choices=AccountKind.choices)
    # Foreign keys whose own index would repeat the first column of a composite index below
    # say db_index=False: one index fewer to write per row (a servicing day writes 300,000).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, db_index=False,
                             on_delete=models.PROTECT, related_name="ledger_accounts")
    reference = models.CharField(max_length=64, blank=True, help_text="e.g. loan:123")
    balance = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO,
                                  help_text="Cache of sum(credits) - sum(debits), kept in the "
                                  "same transaction as the legs.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0) | ~Q(kind__in=USER_KINDS),
                                   name="account_user_balance_nonnegative"),
        ]
        indexes = [models.Index(fields=["user", "kind"], name="account_user_kind")]

    def __str__(self):
        return self.code


class LedgerTransaction(models.Model):
    kind = models.CharField(max_length=30)
    memo = models.CharField(max_length=255, blank=True)
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    idempotency_key = models.CharField(max_length=120, unique=True)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the legs: a repeated key "
                                   "with other legs is refused.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "created_at"], name="ledgertxn_kind")]

    def __str__(self):
        return f"{self.kind} #{self.pk}"


class LedgerLeg(models.Model):
    """One side of a transaction: a positive debit or a positive credit, never both."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT,
                                    related_name="legs")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="legs",
                                db_index=False)  # leg_account_txn covers it
    debit = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    credit = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="leg_one_positive_side",
            ),
        ]
        indexes = [models.Index(fields=["account", "transaction"], name="leg_account_txn")]

    def __str__(self):
        return f"{self.account_id} D{self.debit} C{self.credit}"


class GatewayPayment(models.Model):
    """A deposit or withdrawal through a payment gateway; settled by the gateway's webhook."""

    class Direction(models.TextChoices):
        DEPOSIT = "deposit", "Deposit"
        WITHDRAWAL = "withdrawal", "Withdrawal"
        BANK_DEBIT = "bank_debit", "Bank debit (a loan payment)"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SETTLED = "settled", "Settled"
        FAILED = "failed", "Failed"
        RETURNED = "returned", "Returned by the bank"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="gateway_payments")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    gateway = models.CharField(max_length=30)
    external_id = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=120)
    settlement = models.ForeignKey(LedgerTransaction, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    failure_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # A bank debit the bank returned: when, and the ledger transaction that reversed it.
    returned_at = models.DateTimeField(null=True, blank=True)
    return_transaction = models.ForeignKey(LedgerTransaction, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "idempotency_key"],
                                    name="gateway_payment_idempotent"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="gateway_amount_positive"),
        ]
        indexes = [models.Index(fields=["gateway", "external_id"], name="gateway_external")]


class GatewayEvent(models.Model):
    """A webhook event received; its id is recorded so a repeated delivery changes nothing."""

    gateway = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gateway", "event_id"], name="gateway_event_once"),
        ]


# --- Servicing ----------------------------------------------------------------------------------


class InstallmentStatus(models.TextChoices):
    DUE = "due", "Due"
    PARTIAL = "partial", "Partly paid"
    PAID = "paid", "Paid"
    LATE = "late", "Late"
    WAIVED = "waived", "Not due (prepaid)"
    DEFERRED = "deferred", "Deferred (hardship: its interest is added to the principal)"


class Installment(models.Model):
    """One period of a loan's amortization schedule and what has been paid against it."""

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="installments",
                             db_index=False)  # installment_number_once covers it
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    principal = models.DecimalField(max_digits=12, decimal_places=2)
    interest = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    principal_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    interest_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    late_fee = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    late_fee_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    # Owed to the platform, not the lenders: the returned-payment fee and, after a return that
    # came once the lenders' shares were released, the amount the platform advanced them.
    platform_fee = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                       db_default=ZERO)
    platform_fee_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                            db_default=ZERO)
    status = models.CharField(max_length=10, choices=InstallmentStatus.choices,
                              default=InstallmentStatus.DUE)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="installment_number_once"),
            models.CheckConstraint(condition=Q(principal_paid__lte=models.F("principal"))
                                   & Q(interest_paid__lte=models.F("interest")),
                                   name="installment_not_overpaid"),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="installment_due")]

    def __str__(self):
        return f"Loan #{self.loan_id} installment {self.number} due {self.due_date}"


class ApplyTo(models.TextChoices):
    """What a payment beyond what is due goes to (DESIGN.md, "Servicing")."""

    INSTALLMENT = "installment", "Next installment, then principal"
    PRINCIPAL = "principal", "Extra principal"


class Repayment(models.Model):
    """A payment by the borrower: now, scheduled for a date, or taken by autopay."""

    class Kind(models.TextChoices):
        MANUAL = "manual", "Paid now"
        SCHEDULED = "scheduled", "Scheduled"
        AUTOPAY = "autopay", "Autopay"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed (not enough cash)"
        CANCELLED = "cancelled", "Cancelled"
        RETURNED = "returned", "Returned by the bank (reversed)"

    class Method(models.TextChoices):
        WALLET = "wallet", "Wallet cash"
        BANK_DEBIT = "bank_debit", "Bank debit"

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="repayments",
                             db_index=False)  # repayment_loan covers it
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="repayments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    scheduled_for = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    principal = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    interest = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    late_fees = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    platform_fees = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                        db_default=ZERO)
    servicing_fees = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.WALLET,
                              db_default=Method.WALLET)
    gateway_payment = models.OneToOneField(GatewayPayment, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="repayment")
    # A bank debit's lender shares are pending until ``settles_on`` (4 business days).
    settles_on = models.DateField(null=True, blank=True)
    funds_pending = models.BooleanField(default=False, db_default=False)
    returned_on = models.DateField(null=True, blank=True)
    return_reason = models.CharField(max_length=64, blank=True, default="", db_default="")
    # What the payment applied to each schedule row, so a return can take exactly that back:
    # {number: [principal, interest, late_fee, platform_fee]} (bank debits only).
    applied = models.JSONField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)
    ledger_transaction = models.ForeignKey(LedgerTransaction, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    failure_reason = models.CharField(max_length=255, blank=True)
    apply_to = models.CharField(max_length=11, choices=ApplyTo.choices,
                                default=ApplyTo.INSTALLMENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]
        indexes = [models.Index(fields=["status", "scheduled_for"], name="repayment_due"),
                   models.Index(fields=["loan", "status"], name="repayment_loan")]

    def __str__(self):
        return f"Repayment #{self.pk} of loan #{self.loan_id}: {self.amount}"


class Distribution(models.Model):
    """One note's share of one repayment, to the cent."""

    # distribution_once_per_note and distribution_note cover both foreign keys.
    repayment = models.ForeignKey(Repayment, on_delete=models.PROTECT, db_index=False,
                                  related_name="distributions")
    note = models.ForeignKey("investments.Note", on_delete=models.PROTECT, db_index=False,
                             related_name="distributions")
    principal = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    interest = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    late_fee = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    servicing_fee = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    net = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["repayment", "note"],
                                               name="distribution_once_per_note")]
        indexes = [models.Index(fields=["note", "repayment"], name="distribution_note")]


# --- Loan life: hardship plans, recoveries, reconciliation ---------------------------------------


class HardshipPlan(models.Model):
    """A borrower's hardship plan (DESIGN.md, "Servicing"): asked by the borrower, decided by one
    staff member and confirmed by another (four eyes), then active until it ends by itself."""

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", "Deferral (no payment due)"
        REDUCED = "reduced", "Reduced payments (interest only)"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        AWAITING_CONFIRMATION = "awaiting_confirmation", "Decided, awaiting a second staff member"
        ACTIVE = "active", "Active"
        REJECTED = "rejected", "Rejected"
        COMPLETED = "completed", "Completed"

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        REJECT = "reject", "Reject"

    OPEN = (Status.REQUESTED, Status.AWAITING_CONFIRMATION, Status.ACTIVE)

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT,
                             related_name="hardship_plans")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    months = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=2000)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    staff_note = models.CharField(max_length=255, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    capitalized = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                      help_text="Interest added to the principal: the "
                                      "arrears' on approval, the plan's own at its end")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["loan"], condition=Q(status__in=[
                "requested", "awaiting_confirmation", "active"]), name="hardship_one_open_plan"),
            models.CheckConstraint(condition=Q(months__gte=1) & Q(months__lte=6),
                                   name="hardship_months_range"),
        ]

    def __str__(self):
        return f"Hardship plan #{self.pk} ({self.kind}, {self.months} months) on loan " \
               f"#{self.loan_id}"


class Capitalization(models.Model):
    """Interest a hardship plan added to a note's principal (DESIGN.md, "Servicing: the exact
    rules", Hardship): one row per note each time, so a note's ``capitalized_principal`` is the
    sum of its rows and a yearly statement shows the year's."""

    note = models.ForeignKey("investments.Note", on_delete=models.PROTECT,
                             related_name="capitalizations", db_index=False)
    plan = models.ForeignKey(HardshipPlan, on_delete=models.PROTECT,
                             related_name="capitalizations")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    day = models.DateField()
    ledger_transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT,
                                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="capitalization_amount_positive")]
        indexes = [models.Index(fields=["note", "day"], name="capitalization_note_day")]

    def __str__(self):
        return f"{self.amount} capitalized on note #{self.note_id} ({self.day})"


class Recovery(models.Model):
    """Money recovered on a charged-off loan, distributed to its charged-off notes."""

    class Source(models.TextChoices):
        BORROWER = "borrower", "The borrower's payment"
        DEBT_SALE = "debt_sale", "Debt sale price"

    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="recoveries")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=10, choices=Source.choices)
    received_on = models.DateField()
    collection_fee = models.DecimalField(max_digits=12, decimal_places=2)
    servicing_fees = models.DecimalField(max_digits=12, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    idempotency_key = models.CharField(max_length=120, unique=True)
    ledger_transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT,
                                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name_plural = "recoveries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive"),
        ]

    def __str__(self):
        return f"Recovery #{self.pk} of {self.amount} on loan #{self.loan_id}"


class RecoveryShare(models.Model):
    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="shares")
    note = models.ForeignKey("investments.Note", on_delete=models.PROTECT,
                             related_name="recovery_shares")
    gross = models.DecimalField(max_digits=12, decimal_places=2)
    collection_fee = models.DecimalField(max_digits=12, decimal_places=2)
    servicing_fee = models.DecimalField(max_digits=12, decimal_places=2)
    net = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recovery", "note"],
                                               name="recovery_share_once_per_note")]


class ReconciliationRun(models.Model):
    """One run of ``reconcile``: the gateway's settlement file for a day against the ledger."""

    day = models.DateField()
    file_path = models.CharField(max_length=500)
    file_lines = models.PositiveIntegerField(default=0)
    ledger_entries = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    break_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Reconciliation of {self.day} ({self.break_count} breaks)"

    @property
    def ok(self) -> bool:
        return self.break_count == 0


class ReconciliationBreak(models.Model):
    class Kind(models.TextChoices):
        MISSING_IN_LEDGER = "missing_in_ledger", "In the file, not in the ledger"
        MISSING_IN_FILE = "missing_in_file", "In the ledger, not in the file"
        AMOUNT_MISMATCH = "amount_mismatch", "Amounts differ"
        DUPLICATE = "duplicate", "Duplicate line in the file"

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="breaks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=120)
    file_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    ledger_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)

    def __str__(self):
        return f"{self.get_kind_display()}: {self.reference}"


class ServicingRun(models.Model):
    """A servicing run spread over the Celery workers (payments/servicing/distributed.py): each
    day it replays is a chord of batches, and the day counts as done only when every batch has
    recorded itself done; the run is done when its last day is."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    as_of = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    days_done = models.JSONField(default=list)  # ISO dates, in order
    report = models.JSONField(default=dict)
    error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"servicing run to {self.as_of} ({self.status})"


class ServicingBatch(models.Model):
    """One batch of one day of a ``ServicingRun``: written when the day is dispatched, marked
    done by the batch's task (a redelivered batch finds it done, or does the work once: the
    servicing itself is idempotent)."""

    run = models.ForeignKey(ServicingRun, on_delete=models.CASCADE, related_name="batches")
    day = models.DateField()
    index = models.PositiveIntegerField()
    loan_ids = models.JSONField()
    report = models.JSONField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "day", "index"],
                                               name="servicing_batch_unique")]

    def __str__(self):
        return f"batch {self.index} of {self.day} (run {self.run_id})"
