"""Bot lenders and auto-invest rules: one strategy, run by one engine (DESIGN.md, "Bots").

A ``Strategy`` is the set of fields the engine reads: who to lend to (eligibility), how much
(sizing and concentration limits, as percentages of the investor's capital) and at what rate
(pricing and re-bidding). A ``BotLender`` is a platform-run lender with a configured capital; an
``AutoInvestRule`` is a person's strategy plus the cash they want to keep. Every decision the
engine takes (bid, re-bid, skip and why, or an error) is a ``BotDecision`` row.

Units: rates, spreads and the DTI are percent (7.5 = 7.5% a year); ``loan_share``,
``max_capital_use``, ``grade_limits`` and ``borrower_limit`` are percent of capital; amounts are
dollars.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

ZERO = Decimal("0.00")


class Strategy(models.Model):
    # Eligibility
    min_credit_score = models.PositiveSmallIntegerField(
        default=650, validators=[MinValueValidator(300), MaxValueValidator(850)])
    max_debt_to_income = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="Highest borrower debt-to-income, percent; empty means no limit.")
    grades = models.JSONField(default=list, blank=True,
                              help_text='Risk grades to lend to, e.g. ["A", "B"]; empty: all.')
    purposes = models.JSONField(default=list, blank=True,
                                help_text="Loan purposes to lend to; empty: all.")
    terms = models.JSONField(default=list, blank=True,
                             help_text="Terms in months to lend to; empty: all.")
    verified_only = models.BooleanField(default=True,
                                        help_text="Lend only to borrowers whose KYC is verified.")

    # Sizing and concentration
    loan_share = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("1.00"),
        help_text="Amount per loan, percent of capital (then bounded by the floor and cap).")
    min_per_loan = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("25.00"),
                                       help_text="Smallest bid worth placing (at least 25.00).")
    max_per_loan = models.DecimalField(max_digits=12, decimal_places=2,
                                       default=Decimal("5000.00"),
                                       help_text="Largest amount in any one loan.")
    max_capital_use = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("90.00"),
        help_text="Ceiling on capital deployed (held in bids + invested), percent of capital.")
    grade_limits = models.JSONField(
        default=dict, blank=True,
        help_text='Per-grade ceiling, percent of capital, e.g. {"C": 30}; missing grades: 100.')
    borrower_limit = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("5.00"),
        help_text="Ceiling on what one borrower may owe us, percent of capital.")

    # Pricing and re-bidding
    rate_spread = models.DecimalField(
        max_digits=5, decimal_places=2, default=ZERO,
        help_text="Points added to the grade's recommended rate (may be negative).")
    rate_jitter = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.25"),
        help_text="Random jitter of at most this many points either way.")
    min_rate = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                   help_text="Never bid below this rate, percent; empty: none.")
    min_expected_return = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        help_text="Bid (and re-bid) only where the expected net return at our rate, after "
                  "expected losses and the 1% fee, is at least this, percent a year; empty: no "
                  "minimum.")
    rebid_step = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.25"),
        help_text="Points to lower an outbid bid by, once per cycle.")
    rebid_floor_margin = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("1.00"),
        help_text="Own floor for re-bids: the grade floor plus this many points.")

    class Meta:
        abstract = True


STRATEGY_FIELDS = [f.name for f in Strategy._meta.fields]


class BotStatus(models.TextChoices):
    RUNNING = "running", "Running"
    STOPPED = "stopped", "Stopped"


class BotStyle(models.TextChoices):
    CONSERVATIVE = "conservative", "Conservative"
    AGGRESSIVE = "aggressive", "Aggressive"
    BALANCED = "balanced", "Balanced"
    FAST = "fast_decisions", "Fast decisions"
    ULTRA_CONSERVATIVE = "ultra_conservative", "Ultra-conservative"
    FLEXIBLE = "flexible", "Flexible"


class BotLender(Strategy):
    """A platform-run lender. Its wallet is funded from the platform's bot-capital account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="bot_lender")
    name = models.CharField(max_length=100, unique=True)
    style = models.CharField(max_length=20, choices=BotStyle.choices)
    capital = models.DecimalField(max_digits=14, decimal_places=2,
                                  help_text="Configured capital; reset restores available cash "
                                  "to it, and the limits are percentages of it.")
    status = models.CharField(max_length=10, choices=BotStatus.choices,
                              default=BotStatus.STOPPED)
    reset_count = models.PositiveIntegerField(default=0)
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(capital__gt=0), name="bot_capital_positive"),
        ]

    def __str__(self):
        return self.name


class AutoInvestRule(Strategy):
    """A person's auto-invest rule: their available cash less ``cash_reserve`` is what it uses."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="auto_invest_rules")
    name = models.CharField(max_length=100, blank=True)
    enabled = models.BooleanField(default=True)
    cash_reserve = models.DecimalField(max_digits=14, decimal_places=2, default=ZERO,
                                       help_text="Available cash the rule always leaves alone.")
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["enabled", "user"], name="autoinvest_enabled_user")]

    def __str__(self):
        return self.name or f"Rule #{self.pk}"


class DecisionAction(models.TextChoices):
    BID = "bid", "Bid"
    REBID = "rebid", "Re-bid"
    SKIP = "skip", "Skip"
    ERROR = "error", "Error"


class BotDecision(models.Model):
    """One decision of the engine for one investor (a bot or a rule) and, mostly, one loan."""

    bot = models.ForeignKey(BotLender, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="decisions")
    rule = models.ForeignKey(AutoInvestRule, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="decisions")
    lender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")
    loan = models.ForeignKey("loans.Loan", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    bid = models.ForeignKey("loans.Bid", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+")
    action = models.CharField(max_length=10, choices=DecisionAction.choices)
    reason = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["bot", "created_at"], name="botdecision_bot_time"),
            models.Index(fields=["rule", "created_at"], name="botdecision_rule_time"),
            models.Index(fields=["action", "created_at"], name="botdecision_action_time"),
            models.Index(fields=["lender", "loan"], name="botdecision_lender_loan"),
            models.Index(fields=["created_at"], name="botdecision_time"),
        ]

    def __str__(self):
        return f"{self.action} loan #{self.loan_id}: {self.reason}"


class BotCycleLock(models.Model):
    """One row: the lease of the running cycle. Taken with a compare-and-swap on
    ``lease_until`` so it works on SQLite and PostgreSQL and across worker processes; a crashed
    holder's lease simply runs out."""

    holder = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField()
    acquired_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"bot cycle lock held by {self.holder or 'nobody'} until {self.lease_until}"
