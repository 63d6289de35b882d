"""Bots and auto-invest rules: the bots' controls and the rules' changes (STYLE.md rule 2).

The cycle that runs them is ``bots.cycle``; the lock it holds, ``bots.lease``.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User, VerificationStatus
from accounts.services import audit_record
from communitylend.core.errors import ApplicationError, InvalidState, NotFound
from loans.models import Bid, BidStatus, LoanStatus
from loans.services import bid_withdraw
from payments.ledger import account_for_user
from payments.models import USER_KINDS, AccountKind, LedgerTransaction
from payments.selectors import wallet_balances
from payments.services import funds_transfer

from .lease import cycle_lock_acquire, cycle_lock_release
from .models import STRATEGY_FIELDS, AutoInvestRule, BotLender, BotStatus
from .strategy import clean_strategy, strategy_values

RULE_FIELDS = [*STRATEGY_FIELDS, "name", "enabled", "cash_reserve"]


def _save_and_audit(obj, cleaned: dict, *, actor: User | None, event: str) -> None:
    """Set ``cleaned`` on ``obj``, save it, and write one audit row with the old and new values
    of the fields that changed (none when nothing did)."""
    old = {k: getattr(obj, k) for k in cleaned if getattr(obj, k) != cleaned[k]}
    for name, value in cleaned.items():
        setattr(obj, name, value)
    obj.save()
    if old:
        audit_record(actor=actor, event=event, target=obj, old=old,
                     new={k: cleaned[k] for k in old})


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
        _save_and_audit(bot, cleaned, actor=acting_user, event="bot.updated")
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
        _save_and_audit(rule, cleaned, actor=user, event="auto_invest.updated")
    return rule


def auto_invest_rule_delete(*, user: User, rule_id: int) -> None:
    """Delete the rule; bids it placed stay open (they are the user's bids, on the bids page)."""
    with transaction.atomic(durable=True):
        rule = _rule_for(user, rule_id, lock=True)
        audit_record(actor=user, event="auto_invest.deleted", target=rule,
                     old={"name": rule.name, "enabled": rule.enabled})
        rule.delete()
