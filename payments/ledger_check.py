"""The ledger's invariants, checked in SQL (used by ``ledger_check`` and the tests)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round

from .models import USER_KINDS, Account, LedgerLeg, LedgerTransaction


@dataclass
class LedgerReport:
    transactions: int = 0
    accounts: int = 0
    legs: int = 0
    unbalanced: list = field(default_factory=list)
    cache_mismatches: list = field(default_factory=list)
    negative: list = field(default_factory=list)
    total_balance: Decimal = Decimal("0.00")  # sum of every cached balance: zero when balanced

    @property
    def ok(self) -> bool:
        return not (self.unbalanced or self.cache_mismatches or self.negative
                    or self.total_balance != 0)


def ledger_report(limit: int = 20) -> LedgerReport:
    """Every transaction balanced, every cached balance == the sum of its legs, no user account
    negative, all balances together zero. Set-based SQL; lists at most ``limit`` of each kind."""
    report = LedgerReport(transactions=LedgerTransaction.objects.count(),
                          accounts=Account.objects.count(), legs=LedgerLeg.objects.count())
    # Rounded to the cent: SQLite sums decimals in floating point (PostgreSQL is exact).
    report.unbalanced = list(
        LedgerLeg.objects.values("transaction_id")
        .annotate(debits=Sum("debit"), credits=Sum("credit"),
                  imbalance=Round(Sum("debit") - Sum("credit"), 2))
        .exclude(imbalance=0).values("transaction_id", "debits", "credits")[:limit])
    empty = LedgerTransaction.objects.filter(legs__isnull=True).values_list("pk", flat=True)
    report.unbalanced += [{"transaction_id": pk, "debits": 0, "credits": 0, "empty": True}
                          for pk in empty[:limit]]
    money = DecimalField(max_digits=18, decimal_places=2)
    sums = (LedgerLeg.objects.filter(account=OuterRef("pk")).values("account")
            .annotate(total=Sum(F("credit") - F("debit"), output_field=money)).values("total"))
    report.cache_mismatches = list(
        Account.objects.annotate(leg_total=Round(Coalesce(Subquery(sums, output_field=money),
                                                          Value(0, output_field=money)), 2),
                                 cached=Round(F("balance"), 2))
        .exclude(cached=F("leg_total")).values("code", "balance", "leg_total")[:limit])
    report.negative = list(Account.objects.filter(kind__in=USER_KINDS)
                           .filter(Q(balance__lt=0)).values("code", "balance")[:limit])
    total = Account.objects.aggregate(total=Round(Coalesce(Sum("balance"),
                                                           Value(0, output_field=money)), 2))
    report.total_balance = Decimal(str(total["total"] or 0)).quantize(Decimal("0.01"))
    return report
