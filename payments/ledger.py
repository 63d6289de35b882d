"""The double-entry ledger: the only code that writes legs and balances.

It knows nothing of loans, bots or risk: callers name accounts by user, platform kind or an opaque
reference ("loan:12").

- ``ledger_post`` posts one transaction of two or more legs that sum to zero. It is NOT durable,
  so a service can compose several postings (a bid's hold, a disbursement) inside its own
  ``transaction.atomic(durable=True)``; the public wallet services are durable wrappers.
- It is idempotent on ``idempotency_key``: the same key with the same legs returns the original
  transaction and changes nothing; the same key with other legs is refused.
- It locks every account it touches with SELECT ... FOR UPDATE in primary-key order (so two
  postings never deadlock), checks after locking that no user account would go negative, inserts
  the legs in one statement and updates each cached balance with an F() expression. The database
  backs this up: legs are one-sided and positive (check constraint), user balances are never
  negative (check constraint), and on PostgreSQL a deferred constraint trigger refuses at commit
  any transaction whose legs do not sum to zero.
- ``ledger_post_many`` posts a batch (daily servicing, the bot cycle) with a constant number of
  queries: one lock query, bulk inserts, one bulk balance update.

Sign convention: ``balance = sum(credits) - sum(debits)`` for every account (see models.py).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F

from communitylend.errors import ApplicationError

from .models import USER_KINDS, Account, AccountKind, LedgerLeg, LedgerTransaction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class LedgerError(ApplicationError):
    pass


class InsufficientFunds(LedgerError):
    pass


class UnbalancedTransaction(LedgerError):
    pass


class IdempotencyConflict(LedgerError):
    pass


@dataclass(frozen=True)
class Leg:
    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def debit(account: Account, amount) -> Leg:
    return Leg(account, debit=Decimal(amount))


def credit(account: Account, amount) -> Leg:
    return Leg(account, credit=Decimal(amount))


# --- Accounts -----------------------------------------------------------------------------------


def _get_or_create(code: str, **fields) -> Account:
    account = Account.objects.filter(code=code).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(code=code, **fields)
    except IntegrityError:  # created concurrently
        return Account.objects.get(code=code)


def account_for_user(user_id: int, kind: str) -> Account:
    if kind not in USER_KINDS:
        raise ValueError(f"{kind} is not a user account kind")
    return _get_or_create(f"user:{user_id}:{kind}", kind=kind, user_id=user_id)


def platform_account(kind: str) -> Account:
    if kind in USER_KINDS or kind == AccountKind.LOAN_PRINCIPAL:
        raise ValueError(f"{kind} is not a platform account kind")
    return _get_or_create(f"platform:{kind}", kind=kind)


def account_for_reference(reference: str, kind: str) -> Account:
    return _get_or_create(f"{reference}:{kind}", kind=kind, reference=reference)


def user_accounts(user_id: int) -> dict[str, Account]:
    return {kind: account_for_user(user_id, kind) for kind in USER_KINDS}


# --- Posting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    kind: str
    legs: list[Leg]
    idempotency_key: str
    memo: str = ""
    acting_user_id: int | None = None


def _fingerprint(legs: Iterable[Leg]) -> str:
    parts = sorted(f"{leg.account.pk}:{leg.debit}:{leg.credit}" for leg in legs)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _validate(posting: Posting) -> dict[int, Decimal]:
    """Per-account balance deltas of a posting, after checking its legs."""
    if len(posting.legs) < 2:
        raise UnbalancedTransaction("A ledger transaction needs at least two legs")
    deltas: dict[int, Decimal] = defaultdict(lambda: ZERO)
    total_debit = total_credit = ZERO
    for leg in posting.legs:
        if (leg.debit > 0) == (leg.credit > 0) or leg.debit < 0 or leg.credit < 0:
            raise UnbalancedTransaction("Each leg is one positive debit or one positive credit")
        if leg.debit != leg.debit.quantize(CENT) or leg.credit != leg.credit.quantize(CENT):
            raise UnbalancedTransaction("Ledger amounts are whole cents")
        total_debit += leg.debit
        total_credit += leg.credit
        deltas[leg.account.pk] += leg.credit - leg.debit
    if total_debit != total_credit:
        raise UnbalancedTransaction(
            f"Legs do not balance: debits {total_debit} != credits {total_credit}")
    return deltas


def _insufficient(account: Account, needed: Decimal) -> InsufficientFunds:
    what = {AccountKind.USER_AVAILABLE: "available cash", AccountKind.USER_HELD: "held funds",
            AccountKind.USER_INVESTED: "invested principal"}[account.kind]
    return InsufficientFunds(
        f"Insufficient funds: {needed:,.2f} needed but only {account.balance:,.2f} of "
        f"{what}", field="amount")


def _existing(key: str, fingerprint: str) -> LedgerTransaction | None:
    existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise IdempotencyConflict("Idempotency key reused with different parameters",
                                  field="idempotency_key")
    return existing


def ledger_post(*, kind: str, legs: list[Leg], idempotency_key: str, memo: str = "",
                acting_user=None) -> tuple[LedgerTransaction, bool]:
    """Post one balanced transaction; returns (transaction, created)."""
    posting = Posting(kind, list(legs), idempotency_key, memo,
                      getattr(acting_user, "pk", None))
    deltas = _validate(posting)
    fingerprint = _fingerprint(posting.legs)
    existing = _existing(idempotency_key, fingerprint)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        locked = {a.pk: a for a in Account.objects.select_for_update()
                  .filter(pk__in=deltas).order_by("pk")}
        existing = _existing(idempotency_key, fingerprint)  # re-check after waiting for locks
        if existing is not None:
            return existing, False
        for pk, delta in deltas.items():
            account = locked[pk]
            if account.kind in USER_KINDS and account.balance + delta < 0:
                raise _insufficient(account, -delta)
        txn = LedgerTransaction.objects.create(
            kind=kind, memo=memo[:255], acting_user_id=posting.acting_user_id,
            idempotency_key=idempotency_key, fingerprint=fingerprint)
        LedgerLeg.objects.bulk_create([
            LedgerLeg(transaction=txn, account_id=leg.account.pk, debit=leg.debit,
                      credit=leg.credit) for leg in posting.legs])
        for pk, delta in deltas.items():
            if delta:
                Account.objects.filter(pk=pk).update(balance=F("balance") + delta)
                locked[pk].balance += delta
    return txn, True


def ledger_post_many(postings: list[Posting]) -> list[LedgerTransaction]:
    """Post a batch in the caller's transaction with a constant number of queries.

    Postings whose key already exists are skipped (idempotent). The first posting that would
    overdraw a user account raises InsufficientFunds and nothing of the batch is written
    (callers that want per-item failure check balances first, or post item by item).
    """
    if not postings:
        return []
    keys = [p.idempotency_key for p in postings]
    if len(set(keys)) != len(keys):
        raise IdempotencyConflict("Duplicate idempotency keys in one batch")
    done = set(LedgerTransaction.objects.filter(idempotency_key__in=keys)
               .values_list("idempotency_key", flat=True))
    todo = [p for p in postings if p.idempotency_key not in done]
    if not todo:
        return []
    all_deltas = [_validate(p) for p in todo]
    account_ids = sorted({pk for deltas in all_deltas for pk in deltas})
    with transaction.atomic():
        locked = {a.pk: a for a in Account.objects.select_for_update()
                  .filter(pk__in=account_ids).order_by("pk")}
        balances = {pk: account.balance for pk, account in locked.items()}
        for deltas in all_deltas:
            for pk, delta in deltas.items():
                balances[pk] += delta
                if locked[pk].kind in USER_KINDS and balances[pk] < 0:
                    raise _insufficient(locked[pk], -delta)
        txns = LedgerTransaction.objects.bulk_create([
            LedgerTransaction(kind=p.kind, memo=p.memo[:255], acting_user_id=p.acting_user_id,
                              idempotency_key=p.idempotency_key, fingerprint=_fingerprint(p.legs))
            for p in todo])
        LedgerLeg.objects.bulk_create([
            LedgerLeg(transaction_id=txn.pk, account_id=leg.account.pk, debit=leg.debit,
                      credit=leg.credit)
            for txn, posting in zip(txns, todo, strict=True) for leg in posting.legs
        ], batch_size=2000)
        changed = [locked[pk] for pk in account_ids if balances[pk] != locked[pk].balance]
        for account in changed:
            account.balance = balances[account.pk]
        Account.objects.bulk_update(changed, ["balance"], batch_size=1000)
    return txns


# --- Composable moves (no durability of their own) ----------------------------------------------


def hold_funds(*, user_id: int, amount: Decimal, key: str, memo: str = "", acting_user=None):
    """Available -> held (a bid's reservation, a pending withdrawal)."""
    accounts = user_accounts(user_id)
    return ledger_post(kind="hold", idempotency_key=key, memo=memo, acting_user=acting_user,
                       legs=[debit(accounts[AccountKind.USER_AVAILABLE], amount),
                             credit(accounts[AccountKind.USER_HELD], amount)])


def release_funds(*, user_id: int, amount: Decimal, key: str, memo: str = "", acting_user=None):
    """Held -> available."""
    accounts = user_accounts(user_id)
    return ledger_post(kind="release", idempotency_key=key, memo=memo, acting_user=acting_user,
                       legs=[debit(accounts[AccountKind.USER_HELD], amount),
                             credit(accounts[AccountKind.USER_AVAILABLE], amount)])


def transfer_funds(*, from_account: Account, to_account: Account, amount: Decimal, key: str,
                   kind: str = "transfer", memo: str = "", acting_user=None):
    return ledger_post(kind=kind, idempotency_key=key, memo=memo, acting_user=acting_user,
                       legs=[debit(from_account, amount), credit(to_account, amount)])
