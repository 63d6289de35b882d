from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from communitylend.core.money import CENT, ZERO

from .models import USER_KINDS, Account, AccountKind, LedgerLeg

# A history filter value -> the ledger transaction kinds it shows (other values: that kind only).
KIND_FILTERS = {
    "deposit": ("deposit",),
    "withdrawal": ("withdrawal", "withdrawal_reserve", "withdrawal_release"),
    "hold": ("hold",),
    "release": ("release",),
}


def wallet_balances(user_id: int) -> dict[str, Decimal]:
    """{available, held, total, invested, pending} from the cached balances (one query).
    ``pending``: lenders' shares of bank debits still in their return window (shown, not
    spendable, not in ``total``)."""
    rows = dict(Account.objects.filter(user_id=user_id, kind__in=USER_KINDS)
                .values_list("kind", "balance"))
    available = rows.get(AccountKind.USER_AVAILABLE, ZERO)
    held = rows.get(AccountKind.USER_HELD, ZERO)
    return {"available": available, "held": held, "total": available + held,
            "invested": rows.get(AccountKind.USER_INVESTED, ZERO),
            "pending": rows.get(AccountKind.USER_PENDING, ZERO)}


def wallet_legs(user_id: int, *, kind: str | None = None, date_from: date | None = None,
                date_to: date | None = None) -> QuerySet[LedgerLeg]:
    """The user's cash movements (available and held accounts), newest first."""
    qs = (LedgerLeg.objects
          .filter(account__user_id=user_id,
                  account__kind__in=(AccountKind.USER_AVAILABLE, AccountKind.USER_HELD))
          .select_related("transaction", "account")
          .order_by("-transaction__created_at", "-transaction_id", "id"))
    if kind:
        qs = qs.filter(transaction__kind__in=KIND_FILTERS.get(kind, (kind,)))
    if date_from:
        qs = qs.filter(transaction__created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(transaction__created_at__date__lte=date_to)
    return qs


def total_in_user_wallets() -> Decimal:
    """Cash the platform owes all users (available + held), from the cached balances."""
    total = Account.objects.filter(
        kind__in=(AccountKind.USER_AVAILABLE, AccountKind.USER_HELD)
    ).aggregate(total=Sum("balance"))["total"] or ZERO
    # SQLite sums decimals in floating point; PostgreSQL is exact. Cents are what count.
    return Decimal(total).quantize(CENT)
