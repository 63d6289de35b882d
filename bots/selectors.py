"""Reads for the bot dashboard and the auto-invest page: a fixed number of grouped queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from communitylend.core.money import CENT, ZERO, cents
from investments.models import BuyOrder, Note, NoteStatus, Trade
from loans.models import Bid, BidStatus
from payments.models import USER_KINDS, Account, AccountKind

from .models import AutoInvestRule, BotDecision, BotLender, DecisionAction


@dataclass
class BotStats:
    bot: BotLender
    available: Decimal
    held: Decimal
    invested: Decimal
    bids_placed: int
    bids_open: int
    won: int
    lost: int
    average_rate: Decimal | None
    interest_earned: Decimal
    defaults: int

    @property
    def deployed(self) -> Decimal:
        return self.held + self.invested

    @property
    def utilization(self) -> Decimal:
        """Deployed as a percent of the configured capital."""
        if not self.bot.capital:
            return ZERO
        return (self.deployed * 100 / self.bot.capital).quantize(Decimal("0.1"))

    @property
    def win_rate(self) -> Decimal | None:
        """Won or partly won, as a percent of the bids decided (won + lost)."""
        decided = self.won + self.lost
        return (Decimal(self.won) * 100 / decided).quantize(Decimal("0.1")) if decided else None


def bot_stats() -> list[BotStats]:
    bots = list(BotLender.objects.select_related("user").order_by("id"))
    user_ids = [b.user_id for b in bots]
    balances: dict[tuple[int, str], Decimal] = {
        (user_id, kind): balance for user_id, kind, balance in
        Account.objects.filter(user_id__in=user_ids, kind__in=USER_KINDS)
        .values_list("user_id", "kind", "balance")}
    won_statuses = (BidStatus.WON, BidStatus.PARTLY_WON)
    bids = {row["lender_id"]: row for row in
            Bid.objects.filter(lender_id__in=user_ids).values("lender_id").annotate(
                placed=Count("id"), open=Count("id", filter=Q(status=BidStatus.OPEN)),
                won=Count("id", filter=Q(status__in=won_statuses)),
                lost=Count("id", filter=Q(status=BidStatus.LOST)),
                average_rate=Avg("rate")).order_by()}
    notes = {row["lender_id"]: row for row in
             Note.objects.filter(lender_id__in=user_ids).values("lender_id").annotate(
                 interest=Sum("interest_received"),
                 defaults=Count("id", filter=Q(status=NoteStatus.CHARGED_OFF))).order_by()}
    stats = []
    for bot in bots:
        bid_row = bids.get(bot.user_id, {})
        note_row = notes.get(bot.user_id, {})
        average = bid_row.get("average_rate")
        stats.append(BotStats(
            bot=bot,
            available=balances.get((bot.user_id, AccountKind.USER_AVAILABLE), ZERO),
            held=balances.get((bot.user_id, AccountKind.USER_HELD), ZERO),
            invested=balances.get((bot.user_id, AccountKind.USER_INVESTED), ZERO),
            bids_placed=bid_row.get("placed", 0), bids_open=bid_row.get("open", 0),
            won=bid_row.get("won", 0), lost=bid_row.get("lost", 0),
            average_rate=Decimal(average).quantize(CENT) if average is not None else None,
            interest_earned=cents(note_row.get("interest") or 0),
            defaults=note_row.get("defaults", 0),
        ))
    return stats


def decisions_per_hour(*, hours: int = 48, now: datetime | None = None) -> dict:
    """Bids and re-bids per hour and bot over the last ``hours``, for the dashboard's chart:
    {"labels": [...], "series": {bot name: [count per label]}}."""
    now = now or timezone.now()
    start = (now - timedelta(hours=hours - 1)).replace(minute=0, second=0, microsecond=0)
    rows = (BotDecision.objects
            .filter(created_at__gte=start, bot__isnull=False,
                    action__in=(DecisionAction.BID, DecisionAction.REBID))
            .annotate(hour=TruncHour("created_at"))
            .values("hour", "bot__name").annotate(n=Count("id")).order_by("hour"))
    labels = [start + timedelta(hours=i) for i in range(hours)]
    index = {timezone.localtime(h).strftime("%Y-%m-%d %H:00"): i for i, h in enumerate(labels)}
    series: dict[str, list[int]] = {}
    for row in rows:
        key = timezone.localtime(row["hour"]).strftime("%Y-%m-%d %H:00")
        if key in index:
            series.setdefault(row["bot__name"], [0] * hours)[index[key]] += row["n"]
    return {"labels": list(index), "series": series}


def rules_of(user) -> list[AutoInvestRule]:
    return list(AutoInvestRule.objects.filter(user=user).order_by("id"))


def rule_activity(user, *, limit: int = 20):
    """The user's latest auto-invest decisions that did something (bids and re-bids)."""
    return (BotDecision.objects.filter(lender=user, rule__isnull=False,
                                       action__in=(DecisionAction.BID, DecisionAction.REBID))
            .select_related("rule", "loan").order_by("-created_at", "-id")[:limit])


def market_making() -> list[dict]:
    """Each bot's market making on the note market: its published order (required return,
    spread, liquidity budget, spent) and what it bought and still holds. Two queries."""
    orders = {o.buyer_id: o for o in BuyOrder.objects.filter(
        required_return__isnull=False, buyer__bot_lender__isnull=False)}
    bought = {row["buyer_id"]: row for row in Trade.objects.filter(
        buyer__bot_lender__isnull=False).values("buyer_id").annotate(
        trades=Count("id"), paid=Sum("price"),
        held=Sum("buyer_note__outstanding_principal",
                 filter=Q(buyer_note__status=NoteStatus.ACTIVE))).order_by()}
    return [{"buyer_id": user_id, "order": order, **bought.get(user_id, {})}
            for user_id, order in orders.items()]
