"""Notes: a lender's share of a funded loan, with everything it has received."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Round

ZERO = Decimal("0.00")


class NoteStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    REPAID = "repaid", "Repaid"
    CHARGED_OFF = "charged_off", "Charged off"
    SOLD = "sold", "Sold"


class Note(models.Model):
    # note_loan and note_lender_status cover both foreign keys (no index of their own).
    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="notes",
                             db_index=False)
    lender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               db_index=False, related_name="notes")
    # Null on a note bought on the secondary market: it continues ``acquired_from``.
    bid = models.OneToOneField("loans.Bid", on_delete=models.PROTECT, related_name="note",
                               null=True, blank=True)
    acquired_from = models.OneToOneField("self", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="sold_as")
    principal = models.DecimalField(max_digits=12, decimal_places=2)
    rate = models.DecimalField(max_digits=7, decimal_places=4)
    outstanding_principal = models.DecimalField(max_digits=12, decimal_places=2)
    principal_received = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    interest_received = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    late_fees_received = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    servicing_fees_paid = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    charged_off_principal = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    # Principal passed to a buyer when the note was sold (the buyer's note starts with it), so
    # principal = received + outstanding + charged off + sold, for every note.
    sold_principal = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                         db_default=ZERO)  # bulk inserts name no value
    # Interest a hardship plan added to the note's principal (DESIGN.md, "Servicing: the exact
    # rules"), so principal + capitalized = received + outstanding + charged off + sold.
    capitalized_principal = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO,
                                                db_default=ZERO)
    # What the buyer paid for a note bought on the market (null for a note from an auction).
    purchase_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=NoteStatus.choices,
                              default=NoteStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal__gt=0), name="note_principal_positive"),
            models.CheckConstraint(
                condition=Q(outstanding_principal__gte=0)
                # Rounded: SQLite adds decimals in floating point.
                & Q(outstanding_principal__lte=Round(models.F("principal")
                                                     + models.F("capitalized_principal"), 2)),
                name="note_outstanding_within_principal",
            ),
        ]
        indexes = [
            models.Index(fields=["lender", "status"], name="note_lender_status"),
            models.Index(fields=["loan", "id"], name="note_loan"),
        ]

    def __str__(self):
        return f"Note #{self.pk} on loan #{self.loan_id}: {self.principal}"

    @property
    def net_received(self) -> Decimal:
        return (self.principal_received + self.interest_received + self.late_fees_received
                - self.servicing_fees_paid)


# --- The secondary market (DESIGN.md, "Secondary market") ----------------------------------------


class ListingStatus(models.TextChoices):
    LISTED = "listed", "Listed"
    SUSPENDED = "suspended", "Suspended (the note does not qualify now)"
    SOLD = "sold", "Sold"
    CANCELLED = "cancelled", "Cancelled"


OPEN_LISTING = (ListingStatus.LISTED, ListingStatus.SUSPENDED)


class Listing(models.Model):
    """A whole note offered at a price. The figures (outstanding principal, accrued interest,
    price percent, yield) are the ones of ``figures_on``: recomputed when the listing is made or
    repriced, when servicing touches the loan and daily; filters and sorts read them."""

    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="listings")
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="market_listings", db_index=False)
    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    grade = models.CharField(max_length=1)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(max_length=10, choices=ListingStatus.choices,
                              default=ListingStatus.LISTED)
    suspended_reason = models.CharField(max_length=200, blank=True)
    outstanding_principal = models.DecimalField(max_digits=12, decimal_places=2)
    accrued_interest = models.DecimalField(max_digits=12, decimal_places=2)
    price_percent = models.DecimalField(max_digits=7, decimal_places=2)
    yield_to_maturity = models.DecimalField(max_digits=8, decimal_places=2)
    remaining_payments = models.PositiveSmallIntegerField()
    figures_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["price_percent", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["note"], condition=Q(status__in=OPEN_LISTING),
                                    name="listing_one_open_per_note"),
            models.CheckConstraint(condition=Q(price__gt=0), name="listing_price_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "price_percent", "id"], name="listing_price"),
            models.Index(fields=["status", "yield_to_maturity", "id"], name="listing_yield"),
            models.Index(fields=["status", "created_at", "id"], name="listing_created"),
            models.Index(fields=["seller", "status"], name="listing_seller"),
            models.Index(fields=["loan", "status"], name="listing_loan"),
        ]

    def __str__(self):
        return f"Listing #{self.pk} of note #{self.note_id} at {self.price}"


class BuyOrder(models.Model):
    """A standing buy order: it buys listings that match, best price first, within its budget.
    Cash is checked at each trade, never held. A bot's market-making order also prices each note
    at its model value (discounted at ``required_return``) less ``spread`` percent."""

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="buy_orders")
    grades = models.JSONField(default=list)
    term_left_min = models.PositiveSmallIntegerField(default=1)
    term_left_max = models.PositiveSmallIntegerField(default=60)
    max_price_percent = models.DecimalField(max_digits=7, decimal_places=2,
                                            default=Decimal("100.00"))
    min_yield = models.DecimalField(max_digits=7, decimal_places=2, default=ZERO)
    max_per_note = models.DecimalField(max_digits=12, decimal_places=2)
    budget = models.DecimalField(max_digits=14, decimal_places=2)
    spent = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO)
    enabled = models.BooleanField(default=True)
    required_return = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    spread = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="order_budget_nonneg"),
            models.CheckConstraint(condition=Q(spent__gte=0) & Q(spent__lte=models.F("budget")),
                                   name="order_spent_within_budget"),
            models.CheckConstraint(condition=Q(max_per_note__gt=0),
                                   name="order_per_note_positive"),
        ]
        indexes = [models.Index(fields=["enabled", "created_at", "id"], name="order_enabled")]

    def __str__(self):
        return f"Buy order #{self.pk} of {self.buyer_id}"

    @property
    def budget_left(self) -> Decimal:
        return self.budget - self.spent


class Trade(models.Model):
    """One sale of a whole note: the seller's note is closed as sold and the buyer's note
    continues it (``buyer_note.acquired_from = note``). One ledger transaction moves the money."""

    listing = models.OneToOneField(Listing, on_delete=models.PROTECT, related_name="trade")
    note = models.OneToOneField(Note, on_delete=models.PROTECT, related_name="sale")
    buyer_note = models.OneToOneField(Note, on_delete=models.PROTECT, related_name="purchase")
    loan = models.ForeignKey("loans.Loan", on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="market_sales", db_index=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="market_purchases", db_index=False)
    order = models.ForeignKey(BuyOrder, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="trades")
    price = models.DecimalField(max_digits=12, decimal_places=2)
    fee = models.DecimalField(max_digits=12, decimal_places=2)
    principal = models.DecimalField(max_digits=12, decimal_places=2)
    accrued_interest = models.DecimalField(max_digits=12, decimal_places=2)
    price_percent = models.DecimalField(max_digits=7, decimal_places=2)
    # For statements: price - fee - principal - accrued interest (DESIGN.md).
    seller_gain = models.DecimalField(max_digits=12, decimal_places=2)
    ledger_transaction = models.ForeignKey("payments.LedgerTransaction", on_delete=models.PROTECT,
                                           related_name="+")
    idempotency_key = models.CharField(max_length=120, unique=True)
    traded_at = models.DateTimeField()

    class Meta:
        ordering = ["-traded_at", "-id"]
        indexes = [models.Index(fields=["seller", "traded_at"], name="trade_seller"),
                   models.Index(fields=["buyer", "traded_at"], name="trade_buyer"),
                   models.Index(fields=["traded_at"], name="trade_time")]

    def __str__(self):
        return f"Trade #{self.pk}: note #{self.note_id} for {self.price}"


class MarketControl(models.Model):
    """One row (pk 1): staff's switch that halts all trading (listing, buying, orders)."""

    trading_halted = models.BooleanField(default=False)
    reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "market control"

    def __str__(self):
        return "Trading halted" if self.trading_halted else "Trading open"
