"""The bot cycle spread over every Celery worker (``BOT_CYCLE_CELERY``; README, "Scaling out").

How each bot's cash decisions stay consistent: the coordinating task takes the cycle lease,
loads the market once and lets every investor decide in turn over the whole snapshot, exactly as
``bots.cycle.bot_cycle_run`` does (so no bot can commit the same cash on two listings, and each
sees what the investors before it took). Only then is the work split: the orders (new bids and
re-bids) are partitioned by listing into ``BOT_CYCLE_PARTITIONS`` groups, each a task of a chord
that places its group with the in-process path's own functions (``bids_place_batch``, which
re-checks every order and the lender's cash under the locks, and ``bid_update``) and logs its
decisions. The callback adds up the reports, marks the investors run and releases the lease (the
lease covers the whole chord, so two cycles never overlap). A partition redelivered after a lost
worker places nothing twice: a lender's second open bid on a listing is refused by the same
checks, and the holds follow the bids.

What the partitions run side by side is bounded by the lenders' cash rows: every partition's
transaction locks the accounts of the bots it bids for, and the six bots bid on nearly every
listing, so the partitions' writes queue on those rows; the gain is in the rest (reading the
locked loans, clearing, the decision log).
"""

import logging
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import User

from . import cycle
from .engine import Decision
from .lease import cycle_lock_acquire, cycle_lock_release
from .models import DecisionAction

logger = logging.getLogger(__name__)


@dataclass
class _Investor:
    """The investor of an order, as a partition task rebuilds it from the message."""

    kind: str
    id: int
    user_id: int
    label: str

    @property
    def obj(self):  # bid_update needs the lender: ``investor.obj.user``
        return self

    @property
    def user(self) -> User:
        if not hasattr(self, "_user"):
            self._user = User.objects.get(pk=self.user_id)
        return self._user


@dataclass
class CyclePlan:
    """What the coordinator hands the chord: the lease, the partitions, the reports so far."""

    token: str
    now: datetime
    started_at: datetime
    partitions: list[list[dict]]
    reports: dict[str, dict]
    listings: int


def bot_cycle_plan(*, now: datetime | None = None, partitions: int = 8) -> CyclePlan | str:
    """Take the lease, decide, log the skips, and split the orders by listing; the message
    ``cycle.SKIPPED_MESSAGE`` if another cycle holds the lease."""
    started = timezone.now()
    now = now or started
    token = cycle_lock_acquire()
    if token is None:
        return cycle.SKIPPED_MESSAGE
    try:
        bots, rules = cycle._load_bots_and_rules(bot_name=None, include_rules=True)
        if not bots and not rules:
            return CyclePlan(token, now, started, [], {}, 0)
        user_ids = sorted({b.user_id for b in bots} | {r.user_id for r in rules})
        market, my_bids = cycle._load_market(now=now, user_ids=user_ids, needs_pricing=any(
            s.min_expected_return is not None for s in [*bots, *rules]))
        investors = cycle._investors(bots, rules, market.wallets)
        reports = {(i.kind, i.id): cycle.InvestorReport(i.label, i.kind) for i in investors}
        decisions = cycle._decide(cycle._in_turn(investors, now), market, my_bids=my_bids,
                                  may_rebid_for=cycle._rebid_rights(rules), now=now,
                                  reports=reports)
        orders = [d for d in decisions
                  if d.action in (DecisionAction.BID, DecisionAction.REBID)]
        rest = [d for d in decisions
                if d.action not in (DecisionAction.BID, DecisionAction.REBID)]
        cycle._count_skips(rest, reports)
        cycle._log(rest, now)
        groups: list[list[dict]] = [[] for _ in range(max(1, partitions))]
        listing_ids = sorted({d.loan.pk for d in orders})
        per_group = -(-len(listing_ids) // len(groups)) if listing_ids else 1
        group_of = {pk: n // per_group for n, pk in enumerate(listing_ids)}
        for decision in orders:  # in decision order within each group
            groups[group_of[decision.loan.pk]].append(_order_message(decision))
    except Exception:
        cycle_lock_release(token)
        raise
    return CyclePlan(token, now, started, [g for g in groups if g],
                     _reports_message(reports), len(market.listings))


def _order_message(decision: Decision) -> dict:
    investor = decision.investor
    return {"kind": investor.kind, "investor": investor.id, "user": investor.user_id,
            "label": investor.label, "action": decision.action, "reason": decision.reason,
            "loan": decision.loan.pk, "amount": str(decision.amount),
            "rate": str(decision.rate), "bid": decision.bid_id, "log": decision.log}


def _decision(message: dict, investors: dict) -> Decision:
    key = (message["kind"], message["investor"])
    investor = investors.setdefault(key, _Investor(message["kind"], message["investor"],
                                                   message["user"], message["label"]))
    return Decision(investor, message["action"], message["reason"],
                    loan=SimpleNamespace(pk=message["loan"]),
                    amount=Decimal(message["amount"]), rate=Decimal(message["rate"]),
                    bid_id=message["bid"], log=message["log"])


def bot_cycle_partition_run(*, orders: list[dict], now: datetime) -> dict[str, dict]:
    """One partition's orders (on any worker): placed and logged as the in-process cycle
    does; returns the per-investor reports."""
    investors: dict = {}
    decisions = [_decision(m, investors) for m in orders]
    reports = {key: cycle.InvestorReport(inv.label, inv.kind) for key, inv in investors.items()}
    cycle._write_orders(decisions, now=now, reports=reports)
    cycle._count_skips(decisions, reports)
    cycle._log(decisions, now)
    return _reports_message(reports)


def _reports_message(reports) -> dict[str, dict]:
    return {f"{kind}:{pk}": {**asdict(report), "amount": str(report.amount)}
            for (kind, pk), report in reports.items()}


def bot_cycle_finish(*, token: str, started_at: datetime, reports: list[dict[str, dict]],
                     listings: int, began: float | None = None) -> cycle.CycleResult:
    """The chord's callback: the reports added up, the investors marked run, the lease
    released."""
    total: dict[tuple[str, int], cycle.InvestorReport] = {}
    for part in reports:
        for key, data in part.items():
            kind, pk = key.split(":")
            report = total.setdefault((kind, int(pk)),
                                      cycle.InvestorReport(data["label"], data["kind"]))
            for name in ("bids", "rebids", "skips", "refused"):
                setattr(report, name, getattr(report, name) + data[name])
            report.amount += Decimal(str(data["amount"]))
            report.error = report.error or data["error"]
    try:
        cycle._mark_run(total, at=started_at)
    finally:
        cycle_lock_release(token)
    result = cycle.CycleResult(reports=list(total.values()), listings=listings)
    if began is not None:
        result.seconds = time.time() - began
    return result
