"""Many bids in one transaction with a bounded number of queries (the bot cycle's write path).

``bids_place_batch`` is ``loans.services.bid_place`` for a list of orders: the same checks (it
imports them, it does not copy them), the same hold (available -> held, key
``bid:<id>:hold:1``), the same live state, but with set-based reads and bulk writes:

1. lock every affected loan once (``select_for_update`` in primary-key order, as ``bid_place``
   does), then their open bids, then the lenders' cash accounts (primary-key order again: loans
   before accounts, like every marketplace service, so the batch cannot deadlock with them);
2. re-check each order against the locked state, in order, counting the orders accepted before
   it (two orders of one lender on one loan, or two orders that together over-cover a loan);
3. ``bulk_create`` the bids, post every hold with ``ledger_post_many``, recompute each loan's
   ``bid_total`` / ``bid_count`` / ``clearing_rate`` with ``loans.auction.clear`` and write them
   with one ``bulk_update``.

An order that fails a check is returned refused, with the reason, and the others go ahead. A batch
order never asks for more than the listing's uncovered amount, so it cannot push anyone's bid out
of the clearing: there is nobody to send an outbid notice to.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import NotificationDraft, audit_entry, audit_record_many, notification_create_many
from communitylend.core.bulk import update_rows
from communitylend.core.errors import ApplicationError, NotFound
from payments.ledger import InsufficientFunds, Posting, account_for_user, credit, debit, ledger_post_many
from payments.models import Account, AccountKind

from .auction import bid_views, clear
from .models import Bid, BidStatus, Loan
from .rules import BidRejected, bid_problem

ZERO = Decimal("0.00")
CASH_KINDS = (AccountKind.USER_AVAILABLE, AccountKind.USER_HELD)


@dataclass(frozen=True)
class BidOrder:
    lender_id: int
    loan_id: int
    amount: Decimal
    rate: Decimal


@dataclass(frozen=True)
class BidResult:
    order: BidOrder
    bid: Bid | None = None
    refused: str = ""
    field: str | None = None

    @property
    def placed(self) -> bool:
        return self.bid is not None


def _as_order(order) -> BidOrder:
    if isinstance(order, BidOrder):
        return order
    lender_id, loan_id, amount, rate = order
    return BidOrder(int(lender_id), int(loan_id), Decimal(amount), Decimal(rate))


def _lock_cash_accounts(lender_ids) -> dict[tuple[int, str], Account]:
    """The lenders' available and held accounts, locked in primary-key order (created first for
    a lender who has never had one: rare, and outside the lock query)."""
    wanted = {(user_id, kind) for user_id in lender_ids for kind in CASH_KINDS}
    existing = set(Account.objects.filter(user_id__in=lender_ids, kind__in=CASH_KINDS)
                   .values_list("user_id", "kind"))
    for user_id, kind in sorted(wanted - existing):
        account_for_user(user_id, kind)
    return {(a.user_id, a.kind): a for a in Account.objects.select_for_update(no_key=True)
            .filter(user_id__in=lender_ids, kind__in=CASH_KINDS).order_by("pk")}


def bids_place_batch(*, orders, source: str, now: datetime | None = None) -> list[BidResult]:
    """Place many bids in one durable transaction; one ``BidResult`` per order, in order.

    ``orders`` are ``BidOrder``s or ``(lender_id, loan_id, amount, rate)`` tuples. A refused
    order carries the same message ``bid_place`` would have raised."""
    now = now or timezone.now()
    orders = [_as_order(o) for o in orders]
    if not orders:
        return []
    loan_ids = sorted({o.loan_id for o in orders})
    lender_ids = sorted({o.lender_id for o in orders})
    results: list[BidResult | None] = [None] * len(orders)
    with transaction.atomic(durable=True):
        loans = {loan.pk: loan for loan in Loan.objects.select_for_update()
                 .filter(pk__in=loan_ids).order_by("pk")}
        books: dict[int, list[Bid]] = defaultdict(list)
        for bid in (Bid.objects.select_for_update().filter(loan_id__in=loans, status=BidStatus.OPEN)
                    .order_by("rate", "placed_at", "id")):
            books[bid.loan_id].append(bid)
        lenders = User.objects.in_bulk(lender_ids)
        accounts = _lock_cash_accounts(list(lenders))
        cash = {user_id: account.balance for (user_id, kind), account in accounts.items()
                if kind == AccountKind.USER_AVAILABLE}
        covered = {loan_id: sum((b.amount for b in bids), ZERO) for loan_id, bids in books.items()}
        bidders = {(b.loan_id, b.lender_id) for bids in books.values() for b in bids}

        accepted: list[tuple[int, BidOrder]] = []
        for index, order in enumerate(orders):
            try:
                _check_order(order, loans.get(order.loan_id), lenders.get(order.lender_id),
                             now=now, bidders=bidders, covered=covered, cash=cash)
            except ApplicationError as exc:
                results[index] = BidResult(order, refused=exc.message, field=exc.field)
                continue
            bidders.add((order.loan_id, order.lender_id))
            covered[order.loan_id] = covered.get(order.loan_id, ZERO) + order.amount
            cash[order.lender_id] -= order.amount
            accepted.append((index, order))

        if accepted:
            _write(accepted, results, loans=loans, books=books, accounts=accounts,
                   lenders=lenders, source=source, now=now)
    return results  # type: ignore[return-value]


def _check_order(order: BidOrder, loan: Loan | None, lender: User | None, *, now, bidders,
                 covered, cash) -> None:
    """The checks of ``bid_place`` against the locked state plus the orders accepted so far."""
    if loan is None:
        raise NotFound("Loan not found")
    if lender is None:
        raise NotFound("Lender not found")
    if problem := bid_problem(loan, lender_id=lender.pk, amount=order.amount, rate=order.rate,
                              now=now):
        raise problem
    if settings.LENDER_KYC_REQUIRED and not lender.is_verified:
        raise BidRejected("Verify your identity before lending")
    if (loan.pk, lender.pk) in bidders:
        raise BidRejected("You already have an open bid on this listing: change it instead",
                          field="loan_id")
    uncovered = loan.amount - covered.get(loan.pk, ZERO)
    if order.amount > uncovered:
        raise BidRejected(f"A batch bid cannot be more than the uncovered amount "
                          f"({max(uncovered, ZERO):,.2f})", field="amount")
    available = cash.get(lender.pk, ZERO)
    if order.amount > available:
        raise InsufficientFunds(f"Insufficient funds: {order.amount:,.2f} needed but only "
                                f"{available:,.2f} of available cash", field="amount")


def _write(accepted, results, *, loans, books, accounts, lenders, source, now) -> None:
    bids = Bid.objects.bulk_create([
        Bid(loan_id=o.loan_id, lender_id=o.lender_id, amount=o.amount, rate=o.rate,
            status=BidStatus.OPEN, placed_at=now, source=source, version=1)
        for _, o in accepted], batch_size=500)
    for (index, order), bid in zip(accepted, bids, strict=True):
        results[index] = BidResult(order, bid=bid)
        books[bid.loan_id].append(bid)

    # The same legs as ``payments.ledger.hold_funds``: available -> held, key bid:<id>:hold:1.
    ledger_post_many([
        Posting(kind="hold", idempotency_key=f"bid:{bid.pk}:hold:1",
                memo=f"Bid #{bid.pk} on loan #{bid.loan_id}", acting_user_id=bid.lender_id,
                legs=[debit(accounts[(bid.lender_id, AccountKind.USER_AVAILABLE)], bid.amount),
                      credit(accounts[(bid.lender_id, AccountKind.USER_HELD)], bid.amount)])
        for bid in bids])

    changed_at = timezone.now()
    touched = []
    for loan_id in sorted({bid.loan_id for bid in bids}):
        loan, book = loans[loan_id], books[loan_id]
        clearing = clear(bid_views(book), loan.amount)
        loan.bid_total = sum((b.amount for b in book), ZERO)
        loan.bid_count = len(book)
        loan.clearing_rate = clearing.clearing_rate if clearing.fully_covered else None
        loan.updated_at = changed_at
        touched.append(loan)
    # One UPDATE ... FROM unnest(arrays) (PostgreSQL): bulk_update's CASE WHEN per row cost
    # more in Python than the whole decision log (profiled: README, "Faster under load").
    update_rows(Loan, touched, ["bid_total", "bid_count", "clearing_rate", "updated_at"])

    new_lenders = [pk for pk in {bid.lender_id for bid in bids} if not lenders[pk].is_lender]
    if new_lenders:
        User.objects.filter(pk__in=new_lenders).update(is_lender=True)
    # The audit rows and notices ``bid_place`` writes one by one (audit_record,
    # notification_create), written in bulk: one row per bid, one notice per listing and hour.
    # Stamped with the clock, not the simulated ``now``, as ``bid_place``'s rows are.
    audit_record_many((audit_entry(actor=bid.lender_id, event="bid.placed", target=bid,
                                   new={"loan": bid.loan_id, "amount": bid.amount,
                                        "rate": bid.rate, "source": source})
                       for bid in bids), now=changed_at)
    hour = now.strftime("%Y%m%d%H")
    notification_create_many([
        NotificationDraft(user_id=loan.borrower_id, kind="bid_received",
                          title=f"New bids on loan #{loan.pk}",
                          body=f"Your listing is {loan.funded_percent}% covered by "
                               f"{loan.bid_count} bids.",
                          url=f"/loans/{loan.pk}/", dedupe_key=f"bid-received:{loan.pk}:{hour}")
        for loan in touched], email=False, now=now)
