"""Uniform-price auction clearing (DESIGN.md, "Auction clearing"), as pure functions.

Bids are sorted by rate ascending, then by placement time (then id, for a total order). Bids are
accepted until the loan amount is reached, the last one possibly in part. Every accepted bid earns
the same rate: the highest accepted bid rate. If the bids do not cover the amount, every bid is
accepted in full and the covered amount is their sum.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class BidView:
    id: int
    amount: Decimal
    rate: Decimal
    placed_at: datetime


def bid_views(bids) -> list[BidView]:
    """The auction's view of ``bids`` (model rows, or the bot engine's snapshot of them)."""
    return [BidView(b.id, b.amount, b.rate, b.placed_at) for b in bids]


@dataclass(frozen=True)
class Clearing:
    accepted: dict[int, Decimal]  # bid id -> accepted amount (> 0)
    clearing_rate: Decimal | None  # None when no bid is accepted
    covered: Decimal  # min(sum of bids, loan amount)
    fully_covered: bool

    def accepted_amount(self, bid_id: int) -> Decimal:
        return self.accepted.get(bid_id, ZERO)


def clear(bids, amount: Decimal) -> Clearing:
    accepted: dict[int, Decimal] = {}
    remaining = Decimal(amount)
    highest = None
    for bid in sorted(bids, key=lambda b: (b.rate, b.placed_at, b.id)):
        if remaining <= 0:
            break
        take = min(bid.amount, remaining)
        if take <= 0:
            continue
        accepted[bid.id] = take
        remaining -= take
        highest = bid.rate
    covered = Decimal(amount) - remaining
    return Clearing(accepted=accepted, clearing_rate=highest, covered=covered,
                    fully_covered=remaining <= 0)


WINNING, PARTLY_WINNING, OUTBID = "winning", "partly_winning", "outbid"
STANDING_LABELS = {WINNING: "Winning", PARTLY_WINNING: "Partly winning", OUTBID: "Outbid",
                   "won": "Won", "lost": "Lost", "withdrawn": "Withdrawn"}


def standing(bid_id: int, amount: Decimal, clearing: Clearing) -> str:
    """An open bid's place if the auction closed now: all of it accepted, part, or none."""
    accepted = clearing.accepted_amount(bid_id)
    if accepted >= amount:
        return WINNING
    return PARTLY_WINNING if accepted > 0 else OUTBID
