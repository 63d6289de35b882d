"""The double-entry ledger: the only code that writes legs and balances.

It knows nothing of loans, bots or risk: callers name accounts by user, platform kind or an opaque
reference ("loan:12").

- ``ledger_post`` posts one transaction of two or more legs that sum to zero. It is NOT durable,
  so a service can compose several postings (a bid's hold, a disbursement) inside its own
  ``transaction.atomic(durable=True)``; the public wallet services are durable wrappers.
- It is idempotent on ``idempotency_key``: the same key with the same legs returns the original
  transaction and changes nothing; the same key with other legs is refused.
- It locks every account it touches with SELECT ... FOR NO KEY UPDATE in primary-key order (so
  two postings never deadlock; NO KEY, because only the balance changes: the foreign-key checks of
  legs being written elsewhere take KEY SHARE locks on the same accounts and must not wait for,
  or deadlock with, these), checks after locking that no user account would go negative, inserts
  the legs in one statement and writes each locked account's new balance. The database
  backs this up: legs are one-sided and positive (check constraint), user balances are never
  negative (check constraint), and on PostgreSQL statement-level triggers refuse, at the end of
  every statement that writes legs, any transaction it touched whose legs do not sum to zero
  (migration 0007: so a statement writes whole transactions).
- ``ledger_post_many`` posts a batch (daily servicing, the bot cycle) with a constant number of
  queries: one lock query, one COPY of the transactions and one of all their legs, one balance
  update.

Composing moves inside another service's transaction (a bid's hold, a disbursement, a repayment):
call ``ledger_post`` (or ``hold_funds`` / ``release_funds`` / ``transfer_funds``, thin
non-durable wrappers around it) inside your own ``transaction.atomic(durable=True)``; every
posting then commits or rolls back with your service. Build legs with ``debit``/``credit`` or
the leg builders ``hold_legs`` / ``release_legs`` / ``transfer_legs`` (also what a batch
``Posting`` takes). The durable, audited wallet services for single moves live in
``payments.services`` (``funds_hold``, ``funds_release``, ``funds_transfer``, ``wallet_*``).

Sign convention: ``balance = sum(credits) - sum(debits)`` for every account (see models.py).
User wallets are positive (what the platform owes its users), the external bank counterparty goes
negative as deposits arrive, a loan's principal account is negative while the borrower owes it.
Amounts are whole cents; nothing here rounds (callers round with ROUND_HALF_EVEN).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from communitylend.core.bulk import AnyOf, insert_rows, reserve_ids, update_rows
from communitylend.core.errors import ApplicationError
from communitylend.core.money import CENT, ZERO

from .models import USER_KINDS, Account, AccountKind, LedgerLeg, LedgerTransaction

MAX_LEG = Decimal(10) ** 12  # LedgerLeg amounts are DecimalField(max_digits=14, decimal_places=2)


class LedgerError(ApplicationError):
    pass


class InsufficientFunds(LedgerError):
    pass


class UnbalancedTransaction(LedgerError):
    pass


class IdempotencyConflict(LedgerError):
    pass


class InvalidAmount(LedgerError):
    pass


class AccountRef(NamedTuple):
    """An account named by its primary key (and, for ``update_rows``, a balance to write): what
    a batch's legs need instead of a loaded ``Account``."""

    pk: int
    balance: Decimal | None = None


class Leg(NamedTuple):
    """One side of a posting: a debit or a credit (a tuple: a day's servicing builds 260,000)."""

    account: Account | AccountRef
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


def _user_code(user_id: int, kind: str) -> str:
    return f"user:{user_id}:{kind}"


def account_for_user(user_id: int, kind: str) -> Account:
    """The user's account of ``kind`` (available, held or invested), created on first use."""
    if kind not in USER_KINDS:
        raise ValueError(f"{kind} is not a user account kind")
    return _get_or_create(_user_code(user_id, kind), kind=kind, user_id=user_id)


def platform_account(kind: str) -> Account:
    """The platform's single account of ``kind`` (fee revenue, bot capital, external bank)."""
    if kind in USER_KINDS or kind == AccountKind.LOAN_PRINCIPAL:
        raise ValueError(f"{kind} is not a platform account kind")
    return _get_or_create(f"platform:{kind}", kind=kind)


def account_for_reference(reference: str, kind: str) -> Account:
    """An account keyed by an opaque reference, e.g. ("loan:12", loan_principal)."""
    if kind in USER_KINDS:
        raise ValueError(f"{kind} accounts belong to a user: use account_for_user")
    if not reference:
        raise ValueError("a reference is required")
    return _get_or_create(f"{reference}:{kind}", kind=kind, reference=reference)


def accounts_for_users(user_ids, kinds) -> dict[tuple[int, str], Account]:
    """Many users' accounts of ``kinds`` by (user id, kind): one query once they exist (the
    missing ones are created, one by one: rare, a user's first money)."""
    if any(kind not in USER_KINDS for kind in kinds):
        raise ValueError("user account kinds only")
    wanted = {(int(user_id), kind) for user_id in user_ids for kind in kinds}
    found = {(a.user_id, a.kind): a for a in Account.objects.filter(
        AnyOf(F("user_id"), sorted({user_id for user_id, _ in wanted})), kind__in=list(kinds))}
    for user_id, kind in sorted(wanted - set(found)):
        found[(user_id, kind)] = account_for_user(user_id, kind)
    return found


def account_ids_for_references(references, kind: str) -> dict[str, int]:
    """Reference accounts' ids (e.g. loans' principal receivables) by reference, in one query
    (the missing ones are created, one by one: rare)."""
    if kind in USER_KINDS:
        raise ValueError(f"{kind} accounts belong to a user: use accounts_for_users")
    codes = {f"{reference}:{kind}": reference for reference in references}
    found = {codes[code]: pk for code, pk in Account.objects.filter(
        AnyOf(F("code"), list(codes))).values_list("code", "pk")}
    for reference in sorted(set(codes.values()) - set(found)):
        found[reference] = account_for_reference(reference, kind).pk
    return found


def user_accounts(user_id: int) -> dict[str, Account]:
    """All of a user's accounts by kind (one query once they exist)."""
    codes = {_user_code(user_id, kind): kind for kind in USER_KINDS}
    found = {codes[a.code]: a for a in Account.objects.filter(code__in=codes)}
    for kind in USER_KINDS:
        if kind not in found:
            found[kind] = account_for_user(user_id, kind)
    return found


# --- Posting ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Posting:
    kind: str
    legs: list[Leg]
    idempotency_key: str
    memo: str = ""
    acting_user_id: int | None = None


def _fingerprint(legs: Iterable[Leg]) -> str:
    # Quantized so that 50 and 50.00 are the same request (amounts are whole cents by now).
    parts = sorted(f"{leg.account.pk}:{leg.debit.quantize(CENT)}:{leg.credit.quantize(CENT)}"
                   for leg in legs)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _validate(posting: Posting) -> dict[int, Decimal]:
    """Per-account balance deltas of a posting, after checking its legs."""
    if len(posting.legs) < 2:
        raise UnbalancedTransaction("A ledger transaction needs at least two legs")
    deltas: dict[int, Decimal] = {}
    total = ZERO  # credits - debits
    for account, debit_, credit_ in posting.legs:  # a day's servicing checks 260,000 legs
        if not (debit_.is_finite() and credit_.is_finite()):
            raise UnbalancedTransaction("Ledger amounts must be numbers")
        if debit_ >= MAX_LEG or credit_ >= MAX_LEG:
            raise UnbalancedTransaction(f"A leg can be at most {MAX_LEG - CENT:,.2f}")
        if debit_ > 0 and credit_ == 0:
            amount, delta = debit_, -debit_
        elif credit_ > 0 and debit_ == 0:
            amount = delta = credit_
        else:
            raise UnbalancedTransaction("Each leg is one positive debit or one positive credit")
        if amount != amount.quantize(CENT):
            raise UnbalancedTransaction("Ledger amounts are whole cents")
        total += delta
        deltas[account.pk] = deltas.get(account.pk, ZERO) + delta
    if total != 0:
        debits = sum((leg.debit for leg in posting.legs), ZERO)
        raise UnbalancedTransaction(
            f"Legs do not balance: debits {debits} != credits {debits + total}")
    return deltas


def _insufficient(kind: str, balance: Decimal, needed: Decimal) -> InsufficientFunds:
    what = {AccountKind.USER_AVAILABLE: "available cash", AccountKind.USER_HELD: "held funds",
            AccountKind.USER_INVESTED: "invested principal"}[kind]
    return InsufficientFunds(
        f"Insufficient funds: {needed:,.2f} needed but only {balance:,.2f} of {what}",
        field="amount")


def _existing(key: str, fingerprint: str) -> LedgerTransaction | None:
    existing = LedgerTransaction.objects.filter(idempotency_key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise IdempotencyConflict("Idempotency key reused with different parameters",
                                  field="idempotency_key")
    return existing


def ledger_post(*, kind: str, legs: list[Leg], idempotency_key: str, memo: str = "",
                acting_user=None) -> tuple[LedgerTransaction, bool]:
    """Post one balanced transaction; returns (transaction, created).

    Not durable: runs in (a savepoint of) the caller's transaction when there is one. Raises
    ``UnbalancedTransaction`` for bad legs, ``InsufficientFunds`` when a user account would go
    negative and ``IdempotencyConflict`` when the key was used for other legs; in each case
    nothing is written.
    """
    posting = Posting(kind, list(legs), idempotency_key, memo,
                      getattr(acting_user, "pk", None))
    deltas = _validate(posting)  # before the fingerprint: it quantizes whole-cent amounts
    fingerprint = _fingerprint(posting.legs)
    existing = _existing(idempotency_key, fingerprint)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        locked = {a.pk: a for a in Account.objects.select_for_update(no_key=True)
                  .filter(pk__in=deltas).order_by("pk")}
        existing = _existing(idempotency_key, fingerprint)  # re-check after waiting for locks
        if existing is not None:
            return existing, False
        for pk, delta in deltas.items():
            account = locked[pk]
            if account.kind in USER_KINDS and account.balance + delta < 0:
                raise _insufficient(account.kind, account.balance, -delta)
        try:
            with transaction.atomic():
                txn = LedgerTransaction.objects.create(
                    kind=kind, memo=memo[:255], acting_user_id=posting.acting_user_id,
                    idempotency_key=idempotency_key, fingerprint=fingerprint)
        except IntegrityError:
            # Only a concurrent posting of the same key on other accounts gets here (one on the
            # same accounts waited for our locks and was found by the re-check above).
            raise IdempotencyConflict("Idempotency key reused with different parameters",
                                      field="idempotency_key") from None
        LedgerLeg.objects.bulk_create([
            LedgerLeg(transaction=txn, account_id=leg.account.pk, debit=leg.debit,
                      credit=leg.credit) for leg in posting.legs])
        for pk, delta in deltas.items():
            if delta:
                # The row is locked, so writing the exact Decimal is safe; F("balance") + delta
                # would let SQLite's floating-point arithmetic leave -0.0000000001 behind.
                locked[pk].balance += delta
                Account.objects.filter(pk=pk).update(balance=locked[pk].balance)
    return txn, True


def ledger_post_many(postings: list[Posting]) -> list[LedgerTransaction]:
    """Post a batch in the caller's transaction with a constant number of queries.

    For daily servicing and the bot cycle: one query for existing keys, one lock of every account
    touched (primary-key order), one bulk insert of transactions, bulk inserts of legs, one bulk
    balance update with the aggregated delta of each account. Each posting is checked in Python
    (balanced legs, whole cents) and the running balance of every user account is checked after
    each posting, so no order of the batch can pass through a negative balance. A leg's
    ``account`` needs only a ``pk`` here (``AccountRef`` saves loading tens of thousands of
    accounts only to name them).

    Postings whose key already exists with the same legs are skipped (idempotent; the returned
    list holds only the new transactions); a key that exists with other legs raises
    ``IdempotencyConflict``. The first posting that would overdraw a user account raises
    ``InsufficientFunds`` and nothing of the batch is written: callers that want per-item failure
    check balances first (e.g. with ``Account.objects.select_for_update()``) or split the batch.
    """
    if not postings:
        return []
    keys, all_deltas, fingerprints = _checked(postings)
    account_ids = sorted({pk for deltas in all_deltas for pk in deltas})
    with transaction.atomic():
        locked = _lock_balances(account_ids)
        # Read after locking: a concurrent batch with the same keys has committed by now.
        done = dict(LedgerTransaction.objects.filter(AnyOf(F("idempotency_key"), keys))
                    .values_list("idempotency_key", "fingerprint"))
        todo = []
        for posting, deltas, fingerprint in zip(postings, all_deltas, fingerprints, strict=True):
            if posting.idempotency_key not in done:
                todo.append((posting, deltas, fingerprint))
            elif done[posting.idempotency_key] != fingerprint:
                raise IdempotencyConflict(
                    f"Idempotency key {posting.idempotency_key} reused with different parameters",
                    field="idempotency_key")
        if not todo:
            return []
        _apply_deltas(account_ids, [deltas for _, deltas, _ in todo], locked)
        txns = _insert_postings([p for p, _, _ in todo], [f for _, _, f in todo])
    return txns


@dataclass
class WrittenPostings:
    """A batch whose transactions and legs are written but whose accounts are not yet locked
    or updated: ``ledger_write_many`` returns it, ``ledger_settle`` finishes it."""

    transactions: list[LedgerTransaction]
    deltas: list[dict[int, Decimal]]
    settled: bool = False


def ledger_write_many(postings: list[Posting]) -> WrittenPostings:
    """The first half of posting a batch whose accounts are locked last (daily servicing): the
    checks of ``ledger_post_many`` on each posting, then the transactions and legs in one COPY
    each, with no account locked. The caller writes its own rows (which may refer to the
    transactions), then calls ``ledger_settle`` in the same transaction; until then no balance
    has moved, and a transaction that commits without settling fails ``ledger_check``.

    Account locks are then held only from ``ledger_settle`` to the commit, so batches running
    side by side wait for each other only that long. The price: a key that exists already is
    refused (``IdempotencyConflict``), not skipped; the caller checks its keys first."""
    keys, all_deltas, fingerprints = _checked(postings)
    if LedgerTransaction.objects.filter(AnyOf(F("idempotency_key"), keys)).exists():
        raise IdempotencyConflict("A posting of this batch was already made",
                                  field="idempotency_key")
    txns = _insert_postings(postings, fingerprints)
    return WrittenPostings(txns, all_deltas)


def ledger_settle(written: WrittenPostings) -> None:
    """The second half: check now the foreign keys the caller's transaction has written so far
    (PostgreSQL checks them at commit otherwise, with the locks held), lock every account of the
    batch in primary-key order, check that no user account goes negative at any point of the
    batch (``InsufficientFunds``; the caller's transaction then rolls back) and write each
    account's new balance in one statement."""
    if written.settled:
        raise LedgerError("This batch is settled already")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    account_ids = sorted({pk for deltas in written.deltas for pk in deltas})
    _apply_deltas(account_ids, written.deltas)
    written.settled = True


def _checked(postings: list[Posting]):
    """A batch's keys (no duplicates), each posting's balance deltas (after checking its legs)
    and fingerprints."""
    keys = [p.idempotency_key for p in postings]
    if len(set(keys)) != len(keys):
        raise IdempotencyConflict("Duplicate idempotency keys in one batch")
    return keys, [_validate(p) for p in postings], [_fingerprint(p.legs) for p in postings]


def _insert_postings(postings, fingerprints) -> list[LedgerTransaction]:
    """One COPY for the transactions and one for every leg of the batch: the legs of each
    transaction arrive in one statement, as the statement-level balance check needs."""
    now = timezone.now()
    txns = [LedgerTransaction(pk=pk, kind=p.kind, memo=p.memo[:255],
                              acting_user_id=p.acting_user_id,
                              idempotency_key=p.idempotency_key, fingerprint=fingerprint,
                              created_at=now)
            for pk, p, fingerprint in zip(reserve_ids(LedgerTransaction, len(postings)),
                                          postings, fingerprints, strict=True)]
    insert_rows(LedgerTransaction, ["id", "kind", "memo", "acting_user", "idempotency_key",
                                    "fingerprint", "created_at"],
                ((t.pk, t.kind, t.memo, t.acting_user_id, t.idempotency_key, t.fingerprint,
                  now) for t in txns))
    insert_rows(LedgerLeg, ["transaction", "account", "debit", "credit"],
                ((txn.pk, leg.account.pk, leg.debit, leg.credit)
                 for txn, posting in zip(txns, postings, strict=True) for leg in posting.legs))
    return txns


def _lock_balances(account_ids) -> dict[int, tuple[str, Decimal]]:
    """Lock the accounts in primary-key order; (kind, balance) by id. Plain rows, one parameter
    for all the ids (communitylend.core.bulk.AnyOf): a batch locks tens of thousands of accounts."""
    return {pk: (kind, balance) for pk, kind, balance in Account.objects
            .select_for_update(no_key=True).filter(AnyOf(F("pk"), account_ids)).order_by("pk")
            .values_list("pk", "kind", "balance")}


def _apply_deltas(account_ids, all_deltas, locked=None) -> None:
    """Check the running balance of every user account after each posting, then write each
    account's final balance (one statement)."""
    if locked is None:
        locked = _lock_balances(account_ids)
    balances = {pk: balance for pk, (_, balance) in locked.items()}
    for deltas in all_deltas:
        for pk, delta in deltas.items():
            balances[pk] += delta
            if balances[pk] < 0 and locked[pk][0] in USER_KINDS:
                raise _insufficient(locked[pk][0], balances[pk] - delta, -delta)
    update_rows(Account, [AccountRef(pk, balances[pk]) for pk in account_ids
                          if balances[pk] != locked[pk][1]], ["balance"])


# --- Composable moves (no durability of their own) ----------------------------------------------


def hold_legs(user_id: int, amount: Decimal) -> list[Leg]:
    """Available -> held, as legs (for ``ledger_post`` or a batch ``Posting``)."""
    accounts = user_accounts(user_id)
    return [debit(accounts[AccountKind.USER_AVAILABLE], amount),
            credit(accounts[AccountKind.USER_HELD], amount)]


def release_legs(user_id: int, amount: Decimal) -> list[Leg]:
    """Held -> available, as legs."""
    accounts = user_accounts(user_id)
    return [debit(accounts[AccountKind.USER_HELD], amount),
            credit(accounts[AccountKind.USER_AVAILABLE], amount)]


def transfer_legs(from_account: Account, to_account: Account, amount: Decimal) -> list[Leg]:
    return [debit(from_account, amount), credit(to_account, amount)]


def hold_funds(*, user_id: int, amount: Decimal, key: str, memo: str = "", acting_user=None,
               kind: str = "hold"):
    """Available -> held (a bid's reservation, a pending withdrawal); (txn, created)."""
    return ledger_post(kind=kind, idempotency_key=key, memo=memo, acting_user=acting_user,
                       legs=hold_legs(user_id, amount))


def release_funds(*, user_id: int, amount: Decimal, key: str, memo: str = "",
                  acting_user=None, kind: str = "release"):
    """Held -> available; (txn, created)."""
    return ledger_post(kind=kind, idempotency_key=key, memo=memo, acting_user=acting_user,
                       legs=release_legs(user_id, amount))


def transfer_funds(*, from_account: Account, to_account: Account, amount: Decimal, key: str,
                   kind: str = "transfer", memo: str = "", acting_user=None):
    """One account -> another; (txn, created)."""
    return ledger_post(kind=kind, idempotency_key=key, memo=memo, acting_user=acting_user,
                       legs=transfer_legs(from_account, to_account, amount))
