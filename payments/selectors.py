import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import QuerySet, Sum

from communitylend.core.money import CENT, ZERO, format_money

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


# --- The wallet's history as people read it -----------------------------------------------------

BID_KEY = re.compile(r"^bid:(\d+):")
HISTORY_WINDOW = 1000  # transactions read for one history view (newest first)


@dataclass
class Movement:
    """One line of the wallet's history: a transaction, or a bid's holds and releases together.
    ``available`` and ``held`` are the changes to each balance (positive: more)."""

    when: datetime
    kind: str
    title: str
    available: Decimal = ZERO
    held: Decimal = ZERO
    steps: list[str] = field(default_factory=list)
    key: str = ""  # the ledger transaction's idempotency key (a bid's movements share a prefix)

    @property
    def is_bid(self) -> bool:
        return self.kind == "bid"


def _step_words(kind: str, memo: str, available: Decimal, held: Decimal) -> str:
    amount = max(abs(available), abs(held))
    if kind == "hold":
        return f"held {format_money(amount)}"
    if kind == "release":
        reason = memo.split(" ", 2)[-1] if memo.startswith("Bid #") else memo
        return f"released {format_money(amount)} ({reason.strip(': ')})"
    return f"{kind.replace('_', ' ')} {format_money(amount)}"


def wallet_history(user_id: int, *, kind: str | None = None, date_from: date | None = None,
                   date_to: date | None = None) -> list[Movement]:
    """The user's movements, newest first: one line per transaction (its available and held
    legs together), and one line per bid for all of that bid's holds and releases."""
    legs = wallet_legs(user_id, kind=kind, date_from=date_from, date_to=date_to)
    transactions: dict[int, Movement] = {}
    bids: dict[int, Movement] = {}
    order: list[Movement] = []
    rows = legs.values_list("transaction_id", "transaction__kind", "transaction__memo",
                            "transaction__idempotency_key", "transaction__created_at",
                            "account__kind", "debit", "credit")
    for txn_id, txn_kind, memo, key, created, account_kind, debit, credit in rows[
            :HISTORY_WINDOW * 2]:
        change = credit - debit
        movement = transactions.get(txn_id)
        if movement is None:
            movement = Movement(when=created, kind=txn_kind, title=memo or txn_kind, key=key)
            transactions[txn_id] = movement
            order.append(movement)
        if account_kind == AccountKind.USER_HELD:
            movement.held += change
        else:
            movement.available += change
    history: list[Movement] = []
    for movement in order:
        match = BID_KEY.match(movement.key)
        if not match or movement.kind not in ("hold", "release"):
            history.append(movement)
            continue
        bid_id = int(match.group(1))
        group = bids.get(bid_id)
        if group is None:  # the newest of the bid's movements: the line's place and date
            group = Movement(when=movement.when, kind="bid", title=f"Bid #{bid_id}")
            bids[bid_id] = group
            history.append(group)
        group.available += movement.available
        group.held += movement.held
        group.steps.insert(0, f"{movement.when:%Y-%m-%d}: " + _step_words(
            movement.kind, movement.title, movement.available, movement.held))
        if movement.title.startswith(f"Bid #{bid_id} on loan"):
            group.title = movement.title
    return history
