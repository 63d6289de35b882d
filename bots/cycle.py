"""The bot cycle (every 30 s by Celery beat, or ``manage.py run_bots``):

1. take the cycle lock (``bots.lease``), so two cycles never overlap;
2. load once: running bots, enabled rules, open listings with their borrowers, every open bid on
   them, the investors' wallets and their exposure (open bids + active notes by grade and
   borrower);
3. decide in Python (``bots.engine``), one investor at a time: one failing investor is logged
   and skipped, the others go on;
4. write: new bids through ``loans.batch.bids_place_batch`` (one transaction per source), re-bids
   through ``loans.services.bid_update`` (they are few), decisions with one bulk insert.

Bots bid through the same checks as people (there is no side door): a refused order is logged as
a skip with the marketplace's reason.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.flags import flag_enabled
from accounts.models import FeatureFlag
from communitylend.core.bulk import insert_rows
from communitylend.core.errors import ApplicationError
from communitylend.core.money import CENT, ZERO
from investments.models import Note, NoteStatus
from loans.batch import BidOrder, bids_place_batch
from loans.models import Bid, BidStatus, Loan, LoanStatus
from loans.pricing import active_pricing
from loans.services import bid_update
from payments.models import USER_KINDS, Account, AccountKind

from . import engine
from .engine import Decision, Exposure, Investor, Market, OpenBid, Wallet
from .lease import cycle_lock_acquire, cycle_lock_release
from .models import AutoInvestRule, BotDecision, BotLender, BotStatus, DecisionAction

logger = logging.getLogger(__name__)
SKIPPED_MESSAGE = "skipped: another cycle is running"


# --- Reports ------------------------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@dataclass
class InvestorReport:
    label: str
    kind: str
    bids: int = 0
    amount: Decimal = ZERO
    rebids: int = 0
    skips: int = 0
    refused: int = 0
    error: str = ""

    def line(self) -> str:
        if self.error:
            return f"{self.label}: FAILED ({self.error})"
        text = (f"{self.label}: {_count(self.bids, 'bid')} ({self.amount:,.2f}), "
                f"{_count(self.rebids, 're-bid')}, {self.skips} skipped")
        return text + (f", {self.refused} refused" if self.refused else "")


@dataclass
class CycleResult:
    skipped: str = ""
    reports: list[InvestorReport] = field(default_factory=list)
    listings: int = 0
    seconds: float = 0.0

    def _total(self, name):
        return sum((getattr(r, name) for r in self.reports), 0)

    @property
    def bids(self) -> int:
        return self._total("bids")

    @property
    def rebids(self) -> int:
        return self._total("rebids")

    @property
    def errors(self) -> int:
        return sum(1 for r in self.reports if r.error)

    @property
    def amount(self) -> Decimal:
        return sum((r.amount for r in self.reports), ZERO)

    def summary(self) -> str:
        if self.skipped:
            return f"bot cycle {self.skipped}"
        bots = sum(1 for r in self.reports if r.kind == "bot")
        rules = len(self.reports) - bots
        return (f"bot cycle: {_count(bots, 'bot')}, {_count(rules, 'auto-invest rule')}, "
                f"{_count(self.listings, 'open listing')}: {_count(self.bids, 'bid')} "
                f"({self.amount:,.2f}), {_count(self.rebids, 're-bid')}, "
                f"{self._total('skips')} skipped, {self.errors} failed in {self.seconds:.2f} s")


# --- The cycle ----------------------------------------------------------------------------------


def bot_cycle_run(*, now: datetime | None = None, bot_name: str | None = None,
                  include_rules: bool = True) -> CycleResult:
    """Run every running bot (or only ``bot_name``) and every enabled auto-invest rule once.
    Returns at once with ``skipped`` set if another cycle holds the lock."""
    started = time.monotonic()
    token = cycle_lock_acquire()
    if token is None:
        return CycleResult(skipped=SKIPPED_MESSAGE)
    try:
        result = _cycle(now=now or timezone.now(), bot_name=bot_name,
                        include_rules=include_rules and not bot_name)
    finally:
        cycle_lock_release(token)
    result.seconds = time.monotonic() - started
    return result


def _cycle(*, now: datetime, bot_name: str | None, include_rules: bool) -> CycleResult:
    started_at = timezone.now()
    bots, rules = _load_bots_and_rules(bot_name=bot_name, include_rules=include_rules)
    if not bots and not rules:
        return CycleResult()
    user_ids = sorted({b.user_id for b in bots} | {r.user_id for r in rules})
    market, my_bids = _load_market(now=now, user_ids=user_ids, needs_pricing=any(
        s.min_expected_return is not None for s in [*bots, *rules]))
    investors = _investors(bots, rules, market.wallets)
    reports = {(i.kind, i.id): InvestorReport(i.label, i.kind) for i in investors}
    decisions = _decide(_in_turn(investors, now), market, my_bids=my_bids,
                        may_rebid_for=_rebid_rights(rules), now=now, reports=reports)
    _write_orders(decisions, now=now, reports=reports)
    _count_skips(decisions, reports)
    _log(decisions, now)
    _mark_run(reports, at=started_at)
    return CycleResult(reports=list(reports.values()), listings=len(market.listings))


# --- Load ---------------------------------------------------------------------------------------


def _load_bots_and_rules(*, bot_name: str | None,
                         include_rules: bool) -> tuple[list[BotLender], list[AutoInvestRule]]:
    bots = BotLender.objects.filter(status=BotStatus.RUNNING).select_related("user")
    if bot_name:
        bots = bots.filter(name__iexact=bot_name)
    bots = list(bots)
    # ENABLE_AUTO_MATCHING off: people's auto-invest rules sit out; the bots still bid.
    include_rules = include_rules and flag_enabled(FeatureFlag.AUTO_MATCHING)
    rules = list(AutoInvestRule.objects.filter(enabled=True, user__is_active=True)
                 .select_related("user")) if include_rules else []
    return bots, rules


# Every field of the listing, and of its borrower only what the strategies read (the rest of a
# borrower's row is decrypted and decoded for nothing: a fifth of a cycle over 10,000 listings).
LISTING_FIELDS = (*(f.name for f in Loan._meta.concrete_fields),
                  *(f"borrower__{name}" for name in engine.BORROWER_FIELDS))


def _load_market(*, now: datetime, user_ids: list[int],
                 needs_pricing: bool) -> tuple[Market, dict[int, dict[int, OpenBid]]]:
    """The snapshot every investor decides on, and each investor's user's open bid by listing."""
    listings = list(Loan.objects.filter(status=LoanStatus.LISTED, funding_deadline__gt=now)
                    .select_related("borrower").only(*LISTING_FIELDS)
                    .order_by("funding_deadline", "id"))
    listed = {loan.pk for loan in listings}
    books: dict[int, list[OpenBid]] = defaultdict(list)
    for row in (Bid.objects.filter(status=BidStatus.OPEN, loan__status=LoanStatus.LISTED,
                                   loan__funding_deadline__gt=now)
                .values_list("id", "loan_id", "lender_id", "amount", "rate", "placed_at", "source")):
        if row[1] in listed:
            books[row[1]].append(OpenBid(*row))
    wallets = _wallets(user_ids)
    exposures = _exposures(user_ids, wallets)
    market = Market(now=now, listings=listings, books=books, wallets=wallets, exposures=exposures,
                    uncovered={loan.pk: max(loan.amount - loan.bid_total, ZERO)
                               for loan in listings},
                    pricing=active_pricing() if needs_pricing else None)
    my_bids: dict[int, dict[int, OpenBid]] = defaultdict(dict)
    for book in books.values():
        for bid in book:
            if bid.lender_id in wallets:
                my_bids[bid.lender_id][bid.loan_id] = bid
    return market, my_bids


def _wallets(user_ids) -> dict[int, Wallet]:
    wallets = {user_id: Wallet() for user_id in user_ids}
    names = {AccountKind.USER_AVAILABLE: "available", AccountKind.USER_HELD: "held",
             AccountKind.USER_INVESTED: "invested"}
    for user_id, kind, balance in (Account.objects.filter(user_id__in=user_ids, kind__in=USER_KINDS)
                                   .values_list("user_id", "kind", "balance")):
        if kind in names:  # pending bank-debit shares are not spendable
            setattr(wallets[user_id], names[kind], balance)
    return wallets


def _exposures(user_ids, wallets) -> dict[int, Exposure]:
    """Held + invested in total (from the wallets), and by grade and by borrower from the open
    bids and the active notes (two grouped queries)."""
    exposures = {user_id: Exposure(deployed=wallets[user_id].held + wallets[user_id].invested)
                 for user_id in user_ids}
    rows = list(Bid.objects.filter(status=BidStatus.OPEN, lender_id__in=user_ids)
                .values("lender_id", "loan__risk_grade", "loan__borrower_id")
                .annotate(total=Sum("amount")).order_by())
    rows += list(Note.objects.filter(status=NoteStatus.ACTIVE, lender_id__in=user_ids)
                 .values("lender_id", "loan__risk_grade", "loan__borrower_id")
                 .annotate(total=Sum("outstanding_principal")).order_by())
    for row in rows:
        # SQLite sums decimals in floating point: back to cents.
        exposures[row["lender_id"]].add(row["loan__risk_grade"], row["loan__borrower_id"],
                                        Decimal(row["total"] or 0).quantize(CENT))
    return exposures


def _investors(bots: list[BotLender], rules: list[AutoInvestRule],
               wallets: dict[int, Wallet]) -> list[Investor]:
    """The bots, then the rules. A rule's capital is its user's whole wallet (cash, held and
    invested) less the cash reserve it keeps."""
    investors = [Investor("bot", bot, bot.user_id, bot.capital, last_run_at=bot.last_run_at)
                 for bot in bots]
    for rule in rules:
        wallet = wallets[rule.user_id]
        total = wallet.available + wallet.held + wallet.invested
        investors.append(Investor("rule", rule, rule.user_id,
                                  max(total - rule.cash_reserve, ZERO),
                                  reserve=rule.cash_reserve, last_run_at=rule.last_run_at))
    return investors


# --- Decide -------------------------------------------------------------------------------------


def _in_turn(investors: list[Investor], now: datetime) -> list[Investor]:
    # Who decides first gets the listings bots compete for. People's rules go before the
    # platform's bots (the bots are there for liquidity, not to crowd out customers), and the
    # bots take turns: their order rotates with the cycle.
    robots = [i for i in investors if i.kind == "bot"]
    turn = engine.cycle_bucket(now) % len(robots) if robots else 0
    return [i for i in investors if i.kind == "rule"] + robots[turn:] + robots[:turn]


def _rebid_rights(rules: list[AutoInvestRule]) -> Callable[[Investor], Callable[[OpenBid], bool]]:
    """For each investor, which of its user's open bids it may re-bid: a bot all of them, a rule
    the auto-invest bids it placed. A user may have several rules on one wallet, and each bid must
    have one manager: a bid that no decision ties to a rule belongs to the user's first rule."""
    rule_owner = _rule_owners(rules) if rules else {}
    first_rule = {}
    for rule in rules:
        first_rule.setdefault(rule.user_id, rule.pk)

    def may_rebid_for(investor: Investor) -> Callable[[OpenBid], bool]:
        if investor.kind == "bot":
            return lambda bid: True

        def may_rebid(bid: OpenBid) -> bool:
            return bid.source == "auto_invest" and rule_owner.get(
                (investor.user_id, bid.loan_id), first_rule[investor.user_id]) == investor.id
        return may_rebid
    return may_rebid_for


def _rule_owners(rules) -> dict[tuple[int, int], int]:
    """(user, loan) -> the rule that placed the user's auto-invest bid on an open listing."""
    owners = {}
    for user_id, loan_id, rule_id in (
            BotDecision.objects.filter(lender_id__in={r.user_id for r in rules},
                                       action=DecisionAction.BID, rule__isnull=False,
                                       loan__status=LoanStatus.LISTED)
            .order_by("created_at", "id").values_list("lender_id", "loan_id", "rule_id")):
        owners[(user_id, loan_id)] = rule_id
    return owners


def _decide(investors: list[Investor], market: Market, *, my_bids, may_rebid_for, now,
            reports) -> list[Decision]:
    decisions: list[Decision] = []
    for investor in investors:
        try:
            decisions += engine.decide(investor, market, my_bids=my_bids[investor.user_id],
                                       may_rebid=may_rebid_for(investor),
                                       rng=engine.rng_for(investor.kind, investor.id, now))
        except Exception as exc:  # noqa: BLE001 - one failing investor must not stop the cycle
            logger.exception("Bot cycle: %s failed", investor.label)
            _fail(investor, exc, reports, decisions)
    return decisions


def _fail(investor: Investor, exc: Exception, reports, decisions: list[Decision]) -> None:
    reports[(investor.kind, investor.id)].error = f"{type(exc).__name__}: {exc}"[:200]
    decisions[:] = [d for d in decisions if d.investor is not investor]
    decisions.append(Decision(investor, DecisionAction.ERROR,
                              reason=f"cycle failed: {type(exc).__name__}: {exc}"[:255]))


# --- Write --------------------------------------------------------------------------------------


def _write_orders(decisions: list[Decision], *, now, reports) -> None:
    """New bids in one batch per source (a bot's bids are ``bot``, a rule's ``auto_invest``),
    then the re-bids one by one."""
    for source, kind in (("bot", "bot"), ("auto_invest", "rule")):
        _place([d for d in decisions if d.action == DecisionAction.BID
                and d.investor.kind == kind], source=source, now=now, reports=reports,
               decisions=decisions)
    for decision in [d for d in decisions if d.action == DecisionAction.REBID]:
        _rebid(decision, now=now, reports=reports, decisions=decisions)


def _place(orders: list[Decision], *, source: str, now, reports, decisions) -> None:
    """Write the new bids in one batch; if the batch itself fails, once more per investor, so
    that one investor's bad order cannot stop the others."""
    if not orders:
        return
    try:
        _apply_batch(orders, source=source, now=now, reports=reports)
        return
    except Exception:  # noqa: BLE001 - retried below, investor by investor
        logger.exception("Bot cycle: batch of %s bids failed; retrying per investor", len(orders))
    by_investor: dict[tuple, list[Decision]] = defaultdict(list)
    for decision in orders:
        by_investor[(decision.investor.kind, decision.investor.id)].append(decision)
    for group in by_investor.values():
        try:
            _apply_batch(group, source=source, now=now, reports=reports)
        except Exception as exc:  # noqa: BLE001
            logger.exception("Bot cycle: %s's bids failed", group[0].investor.label)
            _fail(group[0].investor, exc, reports, decisions)


def _apply_batch(orders: list[Decision], *, source: str, now, reports) -> None:
    results = bids_place_batch(
        orders=[BidOrder(d.investor.user_id, d.loan.pk, d.amount, d.rate) for d in orders],
        source=source, now=now)
    for decision, result in zip(orders, results, strict=True):
        report = reports[(decision.investor.kind, decision.investor.id)]
        if result.placed:
            decision.bid_id = result.bid.pk
            report.bids += 1
            report.amount += decision.amount
        else:
            decision.action = DecisionAction.SKIP
            decision.reason = f"bid refused: {result.refused}"[:255]
            report.refused += 1


def _rebid(decision: Decision, *, now, reports, decisions) -> None:
    investor = decision.investor
    report = reports[(investor.kind, investor.id)]
    if report.error:
        return
    try:
        bid_update(lender=investor.obj.user, bid_id=decision.bid_id, rate=decision.rate, now=now)
    except ApplicationError as exc:
        decision.action = DecisionAction.SKIP
        decision.reason = f"re-bid refused: {exc.message}"[:255]
        report.refused += 1
    except Exception as exc:  # noqa: BLE001
        logger.exception("Bot cycle: %s's re-bid failed", investor.label)
        _fail(investor, exc, reports, decisions)
    else:
        report.rebids += 1


def _log(decisions: list[Decision], now) -> None:
    # Append-only and tens of thousands of rows on a busy market's first cycle: plain tuples
    # through communitylend.core.bulk (COPY on PostgreSQL) rather than model instances.
    insert_rows(BotDecision, ["bot", "rule", "lender", "loan", "bid", "action", "reason", "amount",
                              "rate", "created_at"],
                ((d.investor.id if d.investor.kind == "bot" else None,
                  d.investor.id if d.investor.kind == "rule" else None, d.investor.user_id,
                  d.loan.pk if d.loan is not None else None, d.bid_id or None, d.action,
                  d.reason[:255], d.amount, d.rate, now) for d in decisions if d.log))


def _count_skips(decisions: list[Decision], reports) -> None:
    for decision in decisions:
        if decision.action == DecisionAction.SKIP:
            reports[(decision.investor.kind, decision.investor.id)].skips += 1


def _mark_run(reports, *, at: datetime) -> None:
    # The engine logs skips only on listings changed since an investor's last run: a failed
    # investor keeps its old mark, so its next cycle logs again what this one lost.
    ok = {key for key, report in reports.items() if not report.error}
    BotLender.objects.filter(pk__in=[pk for kind, pk in ok if kind == "bot"]).update(
        last_run_at=at)
    AutoInvestRule.objects.filter(pk__in=[pk for kind, pk in ok if kind == "rule"]).update(
        last_run_at=at)
