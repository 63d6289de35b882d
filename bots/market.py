"""Standing buy orders on the secondary market, run by the bots' engine: on every cycle (Celery
beat, with the bots) and on every new listing (a handler ``BotsConfig.ready()`` registers with
``investments.market.hooks``). Also the bots' disclosed market making: each running bot keeps one
order at a note's model value (its expected cash flows discounted at the bot's required return)
less a published spread, within a published liquidity budget (``MARKET_MAKER_*`` settings).

Matching (DESIGN.md, "Secondary market"): listings best price first (lowest price percent, then
the oldest listing); for each, the oldest order that matches it buys it, through the same
``listing_buy`` service a person uses. An order never spends over its budget; cash is checked
at the trade (an order whose buyer lacks the cash is passed over). The match itself is
vectorized per grade (numpy over the orders) so one cycle over 5,000 orders and 50,000 listings
stays within seconds."""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communitylend.core.errors import ApplicationError
from communitylend.core.money import GRADES, cents_down
from investments.market.selectors import note_figures, trading_halted
from investments.market.services import listing_buy, order_set_market_maker
from investments.models import BuyOrder, Listing, ListingStatus, Note
from payments.models import Account, AccountKind

from .models import BotLender, BotStatus

logger = logging.getLogger(__name__)


@dataclass
class MatchReport:
    listings: int = 0
    orders: int = 0
    trades: int = 0
    failed: int = 0
    seconds: float = 0.0
    trade_ids: list = field(default_factory=list)


def market_maker_terms(bot: BotLender) -> dict:
    """A bot's published market-making terms."""
    required = bot.min_expected_return if bot.min_expected_return is not None \
        else Decimal(str(settings.MARKET_MAKER_REQUIRED_RETURN))
    return {"required_return": Decimal(required),
            "spread": Decimal(str(settings.MARKET_MAKER_SPREAD)),
            "budget": cents_down(bot.capital * Decimal(str(settings.MARKET_MAKER_BUDGET_SHARE))
                                 / 100),
            "max_per_note": bot.max_per_loan, "grades": list(bot.grades or GRADES)}


def market_maker_orders_sync() -> int:
    """Keep each bot's market-making order in step with its published terms and status."""
    bots = list(BotLender.objects.select_related("user"))
    for bot in bots:
        order_set_market_maker(buyer=bot.user, enabled=bot.status == BotStatus.RUNNING,
                               **market_maker_terms(bot))
    return len(bots)


class _Orders:
    """One grade's matching orders as arrays, oldest first."""

    def __init__(self, orders: list[BuyOrder], buyer_index: dict[int, int]):
        self.orders = orders
        self.term_min = np.array([o.term_left_min for o in orders], dtype=np.int32)
        self.term_max = np.array([o.term_left_max for o in orders], dtype=np.int32)
        self.max_pp = np.array([float(o.max_price_percent) for o in orders])
        self.min_yield = np.array([float(o.min_yield) for o in orders])
        self.max_per = np.array([float(o.max_per_note) for o in orders])
        self.left = np.array([float(o.budget_left) for o in orders])
        self.buyer = np.array([buyer_index[o.buyer_id] for o in orders], dtype=np.int64)
        self.best_pp = float(self.max_pp.max()) if orders else -1.0

    def candidates(self, listing, cash: np.ndarray, seller: int) -> np.ndarray:
        price = float(listing["price"])
        mask = ((self.term_min <= listing["remaining_payments"])
                & (self.term_max >= listing["remaining_payments"])
                & (self.max_pp >= float(listing["price_percent"]))
                & (self.min_yield <= float(listing["yield_to_maturity"]))
                & (self.max_per >= price) & (self.left >= price)
                & (cash[self.buyer] >= price) & (self.buyer != seller))
        return np.flatnonzero(mask)


def _load_orders():
    orders = [o for o in BuyOrder.objects.filter(enabled=True).order_by("created_at", "id")
              if o.budget_left > 0]
    buyers = sorted({o.buyer_id for o in orders})
    buyer_index = {user_id: i for i, user_id in enumerate(buyers)}
    cash = np.zeros(len(buyers) + 1)  # the last slot: sellers who hold no order
    for user_id, balance in Account.objects.filter(
            kind=AccountKind.USER_AVAILABLE, user_id__in=buyers).values_list("user_id",
                                                                             "balance"):
        cash[buyer_index[user_id]] = float(balance)
    by_grade = defaultdict(list)
    for order in orders:
        for grade in order.grades:
            by_grade[grade].append(order)
    return ({g: _Orders(rows, buyer_index) for g, rows in by_grade.items()}, buyer_index, cash,
            len(orders))


def _model_price_ok(order: BuyOrder, listing: dict, as_of: date, cache: dict) -> bool:
    """A market-making order pays at most the model value at its required return less its
    spread."""
    if order.required_return is None:
        return True
    figures = cache.get(listing["id"])
    if figures is None:
        note = Note.objects.select_related("loan").get(pk=listing["note_id"])
        figures = cache[listing["id"]] = note_figures(note, as_of=as_of)
    limit = figures.model_value(order.required_return) * (1 - (order.spread or 0) / 100)
    return listing["price"] <= limit


def market_match_run(*, listing_ids=None, as_of: date | None = None) -> MatchReport:
    """One matching pass over the listed notes (or ``listing_ids``) and every enabled order."""
    started = time.monotonic()
    as_of = as_of or timezone.localdate()
    report = MatchReport()
    if trading_halted():
        return report
    books, buyer_index, cash, report.orders = _load_orders()
    if not books:
        report.seconds = time.monotonic() - started
        return report
    listings = Listing.objects.filter(status=ListingStatus.LISTED, grade__in=list(books))
    if listing_ids is not None:
        listings = listings.filter(pk__in=list(listing_ids))
    rows = list(listings.order_by("price_percent", "created_at", "id").values(
        "id", "note_id", "seller_id", "grade", "price", "price_percent", "yield_to_maturity",
        "remaining_payments"))
    report.listings = len(rows)
    nobody = len(cash) - 1
    figures_cache: dict = {}
    for listing in rows:
        book = books[listing["grade"]]
        if float(listing["price_percent"]) > book.best_pp:
            continue
        seller = buyer_index.get(listing["seller_id"], nobody)
        for i in book.candidates(listing, cash, seller):
            order = book.orders[i]
            if not _model_price_ok(order, listing, as_of, figures_cache):
                continue
            if _buy(order, listing, as_of, report):
                price = float(listing["price"])
                for other in books.values():  # the order is in one book per grade
                    for j, o in enumerate(other.orders):
                        if o.pk == order.pk:
                            other.left[j] -= price
                cash[buyer_index[order.buyer_id]] -= price
                if seller != nobody:
                    cash[seller] += price * 0.99
            break
    report.seconds = time.monotonic() - started
    return report


def _buy(order: BuyOrder, listing: dict, as_of: date, report: MatchReport) -> bool:
    try:
        trade = listing_buy(buyer=order.buyer, listing_id=listing["id"], order_id=order.pk,
                            idempotency_key=f"order:{order.pk}:listing:{listing['id']}",
                            as_of=as_of)
    except ApplicationError as exc:  # sold meanwhile, suspended, cash spent elsewhere
        report.failed += 1
        logger.info("Order %s did not buy listing %s: %s", order.pk, listing["id"], exc)
        return False
    report.trades += 1
    report.trade_ids.append(trade.pk)
    return True


def market_cycle_run(*, as_of: date | None = None) -> MatchReport:
    """What each bot cycle does on the market: the bots' orders in step, then a match."""
    market_maker_orders_sync()
    return market_match_run(as_of=as_of)


def match_new_listing(listing_id: int) -> None:
    """The handler for a new listing: match it against the standing orders after commit
    (queued on Celery: the request that listed it does not wait)."""
    # A task module imports this one: the import is here to keep the two apart at load time.
    from .tasks import match_listing

    transaction.on_commit(lambda: match_listing.delay(listing_id))
