"""Bots and auto-invest: the cycle, the bots' controls and the rules' CRUD (STYLE.md rule 2).

The cycle (every 30 s by Celery beat, or ``manage.py run_bots``):

1. take the cycle lock (a lease on one ``BotCycleLock`` row, taken with a compare-and-swap, so
   two cycles never overlap, on SQLite or PostgreSQL, in one process or many; on PostgreSQL the
   lease of a holder whose database session ended, a killed worker, is taken over at once);
2. load once: running bots, enabled rules, open listings with their borrowers, every open bid on
   them, the investors' wallets and their exposure (open bids + active notes by grade and
   borrower);
3. decide in Python (``bots.engine``), one investor at a time: one failing investor is logged
   and skipped, the others go on;
4. write: new bids through ``loans.batch.bids_place_batch`` (one transaction per source), re-bids
   through ``loans.services.bid_update`` (they are few), decisions with one ``bulk_create``.

Bots bid through the same checks as people (there is no side door): a refused order is logged as
a skip with the marketplace's reason.
"""

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User, VerificationStatus
from accounts.services import audit_record
from communitylend.core.bulk import insert_rows
from communitylend.core.errors import ApplicationError, InvalidState, NotFound
from communitylend.core.money import CENT, ZERO
from investments.models import Note, NoteStatus
from loans.batch import BidOrder, bids_place_batch
from loans.models import Bid, BidStatus, Loan, LoanStatus
from loans.pricing import active_pricing
from loans.services import bid_update, bid_withdraw
from payments.ledger import account_for_user
from payments.models import USER_KINDS, Account, AccountKind, LedgerTransaction
from payments.selectors import wallet_balances
from payments.services import funds_transfer

from . import engine
from .engine import Decision, Exposure, Investor, Market, OpenBid, Wallet
from .models import (
    STRATEGY_FIELDS,
    AutoInvestRule,
    BotCycleLock,
    BotDecision,
    BotLender,
    BotStatus,
    DecisionAction,
)
from .strategy import clean_strategy, strategy_values

logger = logging.getLogger(__name__)
SKIPPED_MESSAGE = "skipped: another cycle is running"
RULE_FIELDS = [*STRATEGY_FIELDS, "name", "enabled", "cash_reserve"]


# --- The cycle lock -----------------------------------------------------------------------------


def _lease_seconds() -> int:
    return getattr(settings, "BOT_CYCLE_LEASE_SECONDS", 300)


def cycle_lock_acquire(*, lease_seconds: int | None = None) -> str | None:
    """Take the cycle lease; returns a token, or None while another holder's lease runs.

    One UPDATE ... WHERE lease_until <= now is the compare-and-swap: the database lets exactly
    one of two concurrent callers change the row. A holder that dies without releasing blocks
    the next cycles for at most the lease (wall-clock time, whatever ``now`` a cycle simulates).
    """
    now = timezone.now()
    if not BotCycleLock.objects.filter(pk=1).exists():
        try:
            with transaction.atomic():
                BotCycleLock.objects.create(pk=1, holder="", lease_until=now - timedelta(seconds=1))
        except IntegrityError:  # created concurrently
            pass
    token = _holder_token()
    lease = timedelta(seconds=lease_seconds or _lease_seconds())
    taken = BotCycleLock.objects.filter(pk=1, lease_until__lte=now).update(
        holder=token, lease_until=now + lease, acquired_at=now)
    if taken == 0:
        # A worker killed mid-cycle (SIGKILL, a lost machine) never releases, and its task is
        # redelivered at once to another worker: on PostgreSQL, take over a lease whose
        # holder's database session has ended instead of skipping cycles until it runs out.
        holder = BotCycleLock.objects.filter(pk=1).values_list("holder", flat=True).first()
        if holder and _holder_gone(holder):
            taken = BotCycleLock.objects.filter(pk=1, holder=holder).update(
                holder=token, lease_until=now + lease, acquired_at=now)
            if taken:
                logger.warning("Bot cycle: took over the lease of %s, whose session ended", holder)
    return token if taken == 1 else None


def _holder_token() -> str:
    """A lock holder's token; on PostgreSQL it names the holder's backend process."""
    token = uuid.uuid4().hex
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            token = f"pg{cursor.fetchone()[0]}:{token}"
    return token


def _holder_gone(holder: str) -> bool:
    """True when ``holder`` held the lease from a PostgreSQL session that no longer exists (its
    process died: PostgreSQL ends the session when the client's connection drops)."""
    pid = holder.split(":", 1)[0].removeprefix("pg")
    if connection.vendor != "postgresql" or not holder.startswith("pg") or not pid.isdigit():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [int(pid)])
        return cursor.fetchone() is None


def cycle_lock_release(token: str) -> None:
    BotCycleLock.objects.filter(pk=1, holder=token).update(holder="", lease_until=timezone.now())


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
    bots_qs = BotLender.objects.filter(status=BotStatus.RUNNING).select_related("user")
    if bot_name:
        bots_qs = bots_qs.filter(name__iexact=bot_name)
    bots = list(bots_qs)
    rules = list(AutoInvestRule.objects.filter(enabled=True, user__is_active=True)
                 .select_related("user")) if include_rules else []
    if not bots and not rules:
        return CycleResult()
    user_ids = sorted({b.user_id for b in bots} | {r.user_id for r in rules})

    listings = list(Loan.objects.filter(status=LoanStatus.LISTED, funding_deadline__gt=now)
                    .select_related("borrower").order_by("funding_deadline", "id"))
    listed = {loan.pk for loan in listings}
    books: dict[int, list[OpenBid]] = defaultdict(list)
    for row in (Bid.objects.filter(status=BidStatus.OPEN, loan__status=LoanStatus.LISTED,
                                   loan__funding_deadline__gt=now)
                .values_list("id", "loan_id", "lender_id", "amount", "rate", "placed_at", "source")):
        if row[1] in listed:
            books[row[1]].append(OpenBid(*row))
    wallets = _wallets(user_ids)
    exposures = _exposures(user_ids, wallets)
    market = Market(listings=listings, books=books, wallets=wallets, exposures=exposures,
                    uncovered={loan.pk: max(loan.amount - loan.bid_total, ZERO)
                               for loan in listings},
                    pricing=active_pricing() if any(
                        s.min_expected_return is not None for s in [*bots, *rules]) else None)
    my_bids: dict[int, dict[int, OpenBid]] = defaultdict(dict)
    for book in books.values():
        for bid in book:
            if bid.lender_id in wallets:
                my_bids[bid.lender_id][bid.loan_id] = bid

    investors = [Investor("bot", bot, bot.user_id, bot.capital, last_run_at=bot.last_run_at)
                 for bot in bots]
    for rule in rules:
        wallet = wallets[rule.user_id]
        total = wallet.available + wallet.held + wallet.invested
        investors.append(Investor("rule", rule, rule.user_id,
                                  max(total - rule.cash_reserve, ZERO),
                                  reserve=rule.cash_reserve, last_run_at=rule.last_run_at))
    reports = {(i.kind, i.id): InvestorReport(i.label, i.kind) for i in investors}
    # Who decides first gets the listings bots compete for. People's rules go before the
    # platform's bots (the bots are there for liquidity, not to crowd out customers), and the
    # bots take turns: their order rotates with the cycle.
    robots = [i for i in investors if i.kind == "bot"]
    turn = engine.cycle_bucket(now) % len(robots) if robots else 0
    investors = [i for i in investors if i.kind == "rule"] + robots[turn:] + robots[:turn]
    rule_owner = _rule_owners(rules) if rules else {}
    first_rule = {}
    for rule in rules:
        first_rule.setdefault(rule.user_id, rule.pk)

    decisions: list[Decision] = []
    for investor in investors:
        if investor.kind == "bot":
            def may_rebid(bid):
                return True
        else:
            def may_rebid(bid, rule_id=investor.id, user_id=investor.user_id):
                return bid.source == "auto_invest" and rule_owner.get(
                    (user_id, bid.loan_id), first_rule[user_id]) == rule_id
        try:
            decisions += engine.decide(investor, market, my_bids=my_bids[investor.user_id],
                                       may_rebid=may_rebid,
                                       rng=engine.rng_for(investor.kind, investor.id, now))
        except Exception as exc:  # noqa: BLE001 - one failing investor must not stop the cycle
            logger.exception("Bot cycle: %s failed", investor.label)
            _fail(investor, exc, reports, decisions)

    for source, kind in (("bot", "bot"), ("auto_invest", "rule")):
        _place([d for d in decisions if d.action == DecisionAction.BID
                and d.investor.kind == kind], source=source, now=now, reports=reports,
               decisions=decisions)
    for decision in [d for d in decisions if d.action == DecisionAction.REBID]:
        _rebid(decision, now=now, reports=reports, decisions=decisions)

    for decision in decisions:
        report = reports[(decision.investor.kind, decision.investor.id)]
        if decision.action == DecisionAction.SKIP:
            report.skips += 1
    _log(decisions, now)
    ok = {key for key, report in reports.items() if not report.error}
    BotLender.objects.filter(pk__in=[pk for kind, pk in ok if kind == "bot"]).update(
        last_run_at=started_at)
    AutoInvestRule.objects.filter(pk__in=[pk for kind, pk in ok if kind == "rule"]).update(
        last_run_at=started_at)
    return CycleResult(reports=list(reports.values()), listings=len(listings))


def _wallets(user_ids) -> dict[int, Wallet]:
    wallets = {user_id: Wallet() for user_id in user_ids}
    names = {AccountKind.USER_AVAILABLE: "available", AccountKind.USER_HELD: "held",
             AccountKind.USER_INVESTED: "invested"}
    for user_id, kind, balance in (Account.objects.filter(user_id__in=user_ids, kind__in=USER_KINDS)
                                   .values_list("user_id", "kind", "balance")):
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


def _fail(investor: Investor, exc: Exception, reports, decisions: list[Decision]) -> None:
    reports[(investor.kind, investor.id)].error = f"{type(exc).__name__}: {exc}"[:200]
    decisions[:] = [d for d in decisions if d.investor is not investor]
    decisions.append(Decision(investor, DecisionAction.ERROR,
                              reason=f"cycle failed: {type(exc).__name__}: {exc}"[:255]))


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


# --- Bots ---------------------------------------------------------------------------------------


def _capital_key(bot: BotLender) -> str:
    return f"bot:{bot.user.email}:capital"


def bot_create(*, name: str, email: str, style: str, capital, strategy: dict,
               status: str = BotStatus.RUNNING, acting_user: User | None = None) -> BotLender:
    """Create a bot lender (a lender user who cannot log in, named after the bot so staff see its
    name on bids) and fund its wallet with ``capital`` from the platform's bot capital."""
    capital = clean_strategy({"capital": capital})["capital"]
    values = clean_strategy(strategy)
    with transaction.atomic(durable=True):
        # The platform runs the bot: no KYC to wait for, no password, no email to confirm.
        user = User.objects.create_user(
            email=email, password=None, first_name=name, last_name="", is_lender=True,
            verification_status=VerificationStatus.VERIFIED, verified_at=timezone.now(),
            verification_note="Platform-run bot lender")
        bot = BotLender.objects.create(user=user, name=name, style=style, capital=capital,
                                       status=status, **values)
        for kind in USER_KINDS:  # the whole wallet now, not on the first cycle's bids
            account_for_user(user.pk, kind)
        audit_record(actor=acting_user, event="bot.created", target=bot,
                     new={"name": name, "style": style, "capital": capital, "status": status})
    bot_fund_initial(bot=bot)
    return bot


def bot_fund_initial(*, bot: BotLender) -> bool:
    """Move the bot's initial capital from the platform's bot capital to its wallet, once (the
    key is the bot's). Returns True if it moved now."""
    key = _capital_key(bot)
    if LedgerTransaction.objects.filter(idempotency_key=key).exists():
        return False
    funds_transfer(from_kind=AccountKind.PLATFORM_BOT_CAPITAL, to_user=bot.user,
                   to_kind=AccountKind.USER_AVAILABLE, amount=bot.capital, idempotency_key=key,
                   memo=f"Capital for {bot.name}")
    return True


def _set_status(*, acting_user: User | None, bot_id: int, old: str, new: str) -> BotLender:
    with transaction.atomic(durable=True):
        bot = BotLender.objects.select_for_update().filter(pk=bot_id).first()
        if bot is None:
            raise NotFound("Bot not found")
        if bot.status != old:
            raise InvalidState(f"{bot.name} is already {bot.get_status_display().lower()}")
        changed = BotLender.objects.filter(pk=bot.pk, status=old).update(
            status=new, updated_at=timezone.now())
        if changed != 1:
            raise InvalidState(f"{bot.name} changed concurrently: try again")
        bot.status = new
        audit_record(actor=acting_user, event=f"bot.{'started' if new == BotStatus.RUNNING else 'stopped'}",
                     target=bot, old={"status": old}, new={"status": new})
    return bot


def bot_start(*, acting_user: User | None, bot_id: int) -> BotLender:
    return _set_status(acting_user=acting_user, bot_id=bot_id, old=BotStatus.STOPPED,
                       new=BotStatus.RUNNING)


def bot_stop(*, acting_user: User | None, bot_id: int) -> BotLender:
    """Stop bidding and re-bidding; the bot's open bids stay (reset withdraws them)."""
    return _set_status(acting_user=acting_user, bot_id=bot_id, old=BotStatus.RUNNING,
                       new=BotStatus.STOPPED)


@dataclass
class ResetResult:
    withdrawn: int
    kept: int
    transferred: Decimal  # > 0 from bot capital to the bot, < 0 back to bot capital


def bot_reset(*, acting_user: User | None, bot_id: int) -> ResetResult:
    """Withdraw the bot's open bids on open listings (bids on listings already closed await the
    borrower and cannot be withdrawn) and bring its available cash back to its configured
    capital through the ledger, from or to the platform's bot capital. Its notes stay.

    Holds the cycle lock meanwhile, so no cycle bids for the bot between the two steps."""
    token = cycle_lock_acquire()
    if token is None:
        raise InvalidState("A bot cycle is running: try the reset again in a few seconds")
    try:
        bot = BotLender.objects.select_related("user").filter(pk=bot_id).first()
        if bot is None:
            raise NotFound("Bot not found")
        withdrawn = kept = 0
        for bid_id, loan_status in (Bid.objects.filter(lender=bot.user, status=BidStatus.OPEN)
                                    .values_list("id", "loan__status")):
            if loan_status != LoanStatus.LISTED:
                kept += 1
                continue
            try:
                bid_withdraw(lender=bot.user, bid_id=bid_id)
                withdrawn += 1
            except ApplicationError:  # the listing closed meanwhile
                kept += 1
        with transaction.atomic(durable=True):
            bot = BotLender.objects.select_for_update().select_related("user").get(pk=bot.pk)
            bot.reset_count += 1
            BotLender.objects.filter(pk=bot.pk).update(reset_count=bot.reset_count,
                                                       updated_at=timezone.now())
        available = wallet_balances(bot.user_id)["available"]
        difference = bot.capital - available
        key = f"bot:{bot.user.email}:reset:{bot.reset_count}"
        if difference > 0:
            funds_transfer(from_kind=AccountKind.PLATFORM_BOT_CAPITAL, to_user=bot.user,
                           amount=difference, idempotency_key=key, acting_user=acting_user,
                           memo=f"Reset of {bot.name}: capital restored")
        elif difference < 0:
            funds_transfer(from_user=bot.user, to_kind=AccountKind.PLATFORM_BOT_CAPITAL,
                           amount=-difference, idempotency_key=key, acting_user=acting_user,
                           memo=f"Reset of {bot.name}: surplus returned")
        with transaction.atomic(durable=True):
            audit_record(actor=acting_user, event="bot.reset", target=bot,
                         old={"available": available},
                         new={"available": bot.capital, "withdrawn": withdrawn, "kept": kept,
                              "transferred": difference})
    finally:
        cycle_lock_release(token)
    return ResetResult(withdrawn=withdrawn, kept=kept, transferred=difference)


def bot_update(*, acting_user: User | None, bot_id: int, data: dict) -> BotLender:
    """Change a bot's strategy fields or configured capital (reset applies a new capital)."""
    allowed = {*STRATEGY_FIELDS, "capital", "style"}
    unknown = set(data) - allowed
    if unknown:
        raise ApplicationError(f"Cannot change {', '.join(sorted(unknown))}",
                               field=sorted(unknown)[0])
    # Not durable: it moves no money, and the admin's change view calls it inside its own
    # transaction.
    with transaction.atomic():
        bot = BotLender.objects.select_for_update().filter(pk=bot_id).first()
        if bot is None:
            raise NotFound("Bot not found")
        current = {**strategy_values(bot), "capital": bot.capital}
        cleaned = clean_strategy({k: v for k, v in data.items() if k != "style"},
                                 current=current)
        if "style" in data:
            cleaned["style"] = data["style"]
        old = {k: getattr(bot, k) for k in cleaned if getattr(bot, k) != cleaned[k]}
        for name, value in cleaned.items():
            setattr(bot, name, value)
        bot.save()
        if old:
            audit_record(actor=acting_user, event="bot.updated", target=bot, old=old,
                         new={k: cleaned[k] for k in old})
    return bot


# --- Auto-invest rules --------------------------------------------------------------------------


def _rule_values(rule: AutoInvestRule) -> dict:
    return {name: getattr(rule, name) for name in RULE_FIELDS}


def _check_rule_fields(data: dict) -> None:
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown field {sorted(unknown)[0]}", field=sorted(unknown)[0])


def auto_invest_rule_create(*, user: User, data: dict) -> AutoInvestRule:
    _check_rule_fields(data)
    defaults = _rule_values(AutoInvestRule())
    cleaned = clean_strategy(data, current=defaults)
    with transaction.atomic(durable=True):
        rule = AutoInvestRule.objects.create(user=user, **cleaned)
        audit_record(actor=user, event="auto_invest.created", target=rule,
                     new={k: v for k, v in _rule_values(rule).items() if k in cleaned})
    return rule


def _rule_for(user: User, rule_id: int, *, lock: bool = False) -> AutoInvestRule:
    qs = AutoInvestRule.objects.select_for_update() if lock else AutoInvestRule.objects
    rule = qs.filter(pk=rule_id, user=user).first()
    if rule is None:
        raise NotFound("Auto-invest rule not found")
    return rule


def auto_invest_rule_update(*, user: User, rule_id: int, data: dict) -> AutoInvestRule:
    _check_rule_fields(data)
    with transaction.atomic(durable=True):
        rule = _rule_for(user, rule_id, lock=True)
        cleaned = clean_strategy(data, current=_rule_values(rule))
        old = {k: getattr(rule, k) for k in cleaned if getattr(rule, k) != cleaned[k]}
        for name, value in cleaned.items():
            setattr(rule, name, value)
        rule.save()
        if old:
            audit_record(actor=user, event="auto_invest.updated", target=rule, old=old,
                         new={k: cleaned[k] for k in old})
    return rule


def auto_invest_rule_delete(*, user: User, rule_id: int) -> None:
    """Delete the rule; bids it placed stay open (they are the user's bids, on the bids page)."""
    with transaction.atomic(durable=True):
        rule = _rule_for(user, rule_id, lock=True)
        audit_record(actor=user, event="auto_invest.deleted", target=rule,
                     old={"name": rule.name, "enabled": rule.enabled})
        rule.delete()
