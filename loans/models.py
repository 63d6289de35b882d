"""Loan applications, listings and bids (DESIGN.md, "Loan lifecycle").

A loan is one row through its whole life: listed -> (funded | partially_funded) -> active ->
(repaid | late -> default -> charged_off), or expired / cancelled. While listed, ``amount`` is the
requested amount and ``interest_rate`` the borrower's maximum; after acceptance ``amount`` is the
principal disbursed and ``interest_rate`` the clearing rate (API.md, "Loans and bids").
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communitylend.core.money import TERMS, cents

MIN_LOAN = Decimal("1000.00")
MAX_LOAN = Decimal("40000.00")
MIN_BID = Decimal("25.00")
TERM_CHOICES = [(t, t) for t in TERMS]  # as DRF sees ChoiceField(choices=TERMS)
ORIGINATION_FEE_RATES = {"A": Decimal("0.01"), "B": Decimal("0.02"), "C": Decimal("0.03"),
                         "D": Decimal("0.04"), "E": Decimal("0.05")}
PARTIAL_FUNDING_THRESHOLD = Decimal("0.70")


def origination_fee(amount: Decimal, grade: str) -> Decimal:
    """The platform's fee at disbursement, a share of the principal by grade (half-even)."""
    return cents(amount * ORIGINATION_FEE_RATES[grade])


class Purpose(models.TextChoices):
    DEBT_CONSOLIDATION = "debt_consolidation", "Debt consolidation"
    CREDIT_CARD = "credit_card", "Credit card refinancing"
    HOME_IMPROVEMENT = "home_improvement", "Home improvement"
    MAJOR_PURCHASE = "major_purchase", "Major purchase"
    MEDICAL = "medical", "Medical"
    CAR = "car", "Car"
    BUSINESS = "business", "Business"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other"


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


class LoanStatus(models.TextChoices):
    LISTED = "listed", "Listed"
    FUNDED = "funded", "Funded (awaiting acceptance)"
    PARTIALLY_FUNDED = "partially_funded", "Partially funded (awaiting acceptance)"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"
    ACTIVE = "active", "Active"
    LATE = "late", "Late"
    DEFAULT = "default", "Default"
    CHARGED_OFF = "charged_off", "Charged off"
    REPAID = "repaid", "Repaid"


AWAITING_ACCEPTANCE = (LoanStatus.FUNDED, LoanStatus.PARTIALLY_FUNDED)
ACCEPTABLE = (LoanStatus.LISTED, LoanStatus.FUNDED, LoanStatus.PARTIALLY_FUNDED)
SERVICED = (LoanStatus.ACTIVE, LoanStatus.LATE, LoanStatus.DEFAULT)

# Delinquency by days past due of the oldest unpaid installment (DESIGN.md, "Servicing").
GRACE_DAYS = 15
DEFAULT_DAYS = 121
CHARGE_OFF_DAYS = 150


def status_for_days_past_due(days: int) -> str:
    """A serviced loan's status for its days past due: 0-15 active (grace), 16-120 late,
    121-149 default, 150 and more charged off."""
    if days >= CHARGE_OFF_DAYS:
        return LoanStatus.CHARGED_OFF
    if days >= DEFAULT_DAYS:
        return LoanStatus.DEFAULT
    if days > GRACE_DAYS:
        return LoanStatus.LATE
    return LoanStatus.ACTIVE


class Loan(models.Model):
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 db_index=False, related_name="loans")  # loan_borrower_status
    requested_amount = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    max_rate = models.DecimalField(
        max_digits=7, decimal_places=4,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
        help_text="The borrower's maximum rate, percent a year.",
    )
    interest_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True,
                                        help_text="Clearing rate once accepted.")
    term_months = models.PositiveSmallIntegerField()
    purpose = models.CharField(max_length=30, choices=Purpose.choices)
    description = models.TextField(blank=True, max_length=2000)
    collateral_description = models.TextField(blank=True, max_length=1000)
    status = models.CharField(max_length=20, choices=LoanStatus.choices,
                              default=LoanStatus.LISTED)

    # Risk at application (risk module) and, for imported loans, the grade staff assigned.
    risk_grade = models.CharField(max_length=1, choices=Grade.choices)
    model_grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    ml_score = models.PositiveSmallIntegerField(null=True, blank=True)
    probability_default = models.DecimalField(max_digits=6, decimal_places=4, null=True,
                                              blank=True)
    recommended_rate = models.DecimalField(max_digits=7, decimal_places=4)
    floor_rate = models.DecimalField(max_digits=7, decimal_places=4)
    expected_loss_share = models.DecimalField(
        max_digits=6, decimal_places=4, default=Decimal("0.0000"),
        help_text="Share of the principal the model expects the loan to lose (PD x loss given "
                  "default), as priced when listed; what portfolios take off expected returns.")
    risk_assessment = models.ForeignKey("risk.RiskAssessment", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    # Live auction state, kept in step with the bids under the loan's row lock.
    bid_total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    bid_count = models.PositiveIntegerField(default=0)
    clearing_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)

    monthly_payment = models.DecimalField(max_digits=12, decimal_places=2)
    total_payment = models.DecimalField(max_digits=14, decimal_places=2)
    origination_fee = models.DecimalField(max_digits=12, decimal_places=2,
                                          default=Decimal("0.00"),
                                          help_text="Estimate while listed; charged at acceptance.")
    apr = models.DecimalField(max_digits=7, decimal_places=2, default=Decimal("0.00"),
                              help_text="APR including the origination fee (at the maximum "
                              "rate while listed, at the clearing rate once accepted).")

    created_at = models.DateTimeField(auto_now_add=True)
    funding_deadline = models.DateTimeField()
    acceptance_deadline = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    disbursed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Servicing state (payments.servicing keeps it in step with the installments).
    outstanding_principal = models.DecimalField(max_digits=12, decimal_places=2,
                                                default=Decimal("0.00"))
    # Interest hardship plans added to the principal (so the schedule's principal sums to the
    # amount plus this).
    capitalized_principal = models.DecimalField(max_digits=12, decimal_places=2,
                                                default=Decimal("0.00"),
                                                db_default=Decimal("0.00"))
    days_past_due = models.PositiveIntegerField(default=0)
    serviced_through = models.DateField(
        null=True, blank=True,
        help_text="The last day servicing has run for (a replay starts the day after).")
    autopay = models.BooleanField(default=True)
    repaid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(condition=Q(amount__lte=models.F("requested_amount")),
                                   name="loan_amount_at_most_requested"),
            models.CheckConstraint(condition=Q(term_months__in=TERMS), name="loan_term_allowed"),
            models.CheckConstraint(condition=Q(bid_total__gte=0), name="loan_bid_total_nonneg"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="loan_status_created"),
            models.Index(fields=["status", "amount"], name="loan_status_amount"),
            models.Index(fields=["status", "max_rate"], name="loan_status_rate"),
            models.Index(fields=["status", "funding_deadline"], name="loan_status_deadline"),
            models.Index(fields=["status", "acceptance_deadline"], name="loan_status_acceptdl"),
            models.Index(fields=["status", "risk_grade"], name="loan_status_grade"),
            models.Index(fields=["borrower", "status"], name="loan_borrower_status"),
            models.Index(fields=["status", "days_past_due"], name="loan_status_dpd"),
        ]

    def __str__(self):
        return f"Loan #{self.pk} {self.amount} {self.term_months}m {self.risk_grade}"

    @property
    def is_open(self) -> bool:
        return self.status == LoanStatus.LISTED

    @property
    def funded_amount(self) -> Decimal:
        """Covered amount: min(sum of open bids, amount) while listed; the amount once active."""
        if self.status in (LoanStatus.LISTED, LoanStatus.FUNDED, LoanStatus.PARTIALLY_FUNDED):
            return min(self.bid_total, self.amount)
        if self.status in (LoanStatus.EXPIRED, LoanStatus.CANCELLED):
            return Decimal("0.00")
        return self.amount

    @property
    def funded_percent(self) -> int:
        if not self.requested_amount:
            return 0
        return int(min(self.bid_total, self.requested_amount) * 100 / self.requested_amount)

    @property
    def origination_fee_rate(self) -> Decimal:
        return ORIGINATION_FEE_RATES[self.risk_grade]

    @property
    def rate_below_floor(self) -> bool:
        return self.max_rate < self.floor_rate


class BidStatus(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    PARTLY_WON = "partly_won", "Partly won"
    LOST = "lost", "Lost"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Bid(models.Model):
    """A lender's offer: up to ``amount`` at no less than ``rate``. Its amount is held in the
    lender's wallet while open. ``placed_at`` is its time priority: it is reset when the amount
    grows (the new money queues behind earlier bids at the same rate), kept otherwise."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="bids")
    lender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="bids")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    rate = models.DecimalField(max_digits=7, decimal_places=4)
    status = models.CharField(max_length=12, choices=BidStatus.choices, default=BidStatus.OPEN)
    accepted_amount = models.DecimalField(max_digits=12, decimal_places=2,
                                          default=Decimal("0.00"))
    placed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every change; the "
                                          "hold's idempotency key includes it.")
    source = models.CharField(max_length=20, default="manual",
                              help_text="manual, api, bot or auto_invest")

    class Meta:
        ordering = ["rate", "placed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "lender"], condition=Q(status="open"),
                                    name="one_open_bid_per_lender_per_loan"),
            models.CheckConstraint(condition=Q(amount__gte=MIN_BID), name="bid_amount_min"),
            models.CheckConstraint(condition=Q(accepted_amount__gte=0)
                                   & Q(accepted_amount__lte=models.F("amount")),
                                   name="bid_accepted_within_amount"),
        ]
        indexes = [
            models.Index(fields=["loan", "status", "rate", "placed_at"], name="bid_book"),
            models.Index(fields=["lender", "status"], name="bid_lender_status"),
        ]

    def __str__(self):
        return f"Bid #{self.pk} {self.amount} @ {self.rate}%"


class RiskTolerance(models.TextChoices):
    CONSERVATIVE = "conservative", "Conservative (grades A-B)"
    BALANCED = "balanced", "Balanced (grades B-D)"
    AGGRESSIVE = "aggressive", "Aggressive (grades C-E)"


class LenderPreference(models.Model):
    """What a lender says they want; loan matching ranks listings by it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="lender_preference")
    risk_tolerance = models.CharField(max_length=20, choices=RiskTolerance.choices, blank=True)
    min_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    terms = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Preferences of {self.user_id}"


class LoanDocument(models.Model):
    """A KYC document its owner attached to one of their loan applications (proof of income
    for this loan, say). The document keeps its own review status and note (accounts); a
    document may support several of the owner's applications, each once."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="document_links",
                             db_index=False)  # the unique (loan, document) index covers it
    document = models.ForeignKey("accounts.KycDocument", on_delete=models.CASCADE,
                                 related_name="loan_links")
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["loan", "document"],
                                               name="loan_document_once")]

    def __str__(self):
        return f"document {self.document_id} for loan {self.loan_id}"


class LoanAgreement(models.Model):
    """One version of the loan agreement's text, written by staff in the admin. The newest
    published version is the one borrowers accept; a version someone has signed is never edited
    again (a change is a new version), so a signature always points at the words it agreed to."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Loan agreement")
    text = models.TextField(help_text="Plain text. Placeholders filled in for each loan: "
                            "{borrower_name}, {loan_id}, {lender_count}, {date}.")
    published_at = models.DateTimeField(default=timezone.now,
                                        help_text="Borrowers see this version from this time.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"{self.title} v{self.version}"


class SignedAgreement(models.Model):
    """The borrower's consent and the copy they signed, kept with the loan: the agreement's
    version, the final terms and schedule as shown, when, from which address and browser."""

    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="signed_agreement")
    borrower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="signed_agreements")
    agreement = models.ForeignKey(LoanAgreement, on_delete=models.PROTECT,
                                  related_name="signatures")
    version = models.PositiveIntegerField()
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    terms = models.JSONField(help_text="The final terms as accepted (money as strings).")
    text = models.TextField(help_text="The signed copy: agreement, terms box, schedule, consent.")
    sha256 = models.CharField(max_length=64, help_text="Digest of the signed copy's text.")

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self):
        return f"Loan #{self.loan_id} agreement v{self.version} signed {self.signed_at:%Y-%m-%d}"
