"""Wallet services: deposits, withdrawals, holds, releases and transfers, all through the ledger.

Each public service is ``transaction.atomic(durable=True)``, locks the accounts it changes in
primary-key order (inside ``ledger_post``), is idempotent on its key and writes an audit row.
Deposits and withdrawals go through the payment gateway (``payments.gateways``): the request is
recorded (a withdrawal reserves the money: available -> held) and committed, then the gateway is
called, and its signed webhook (``webhook_receive``) settles the payment once: deposit external
bank -> available, withdrawal held -> external bank, or a failed withdrawal released. The sandbox
delivers that webhook within the same request.

Other apps moving money as part of their own change (a bid, a disbursement) do not call these
durable services from inside their transaction: they compose the non-durable helpers of
``payments.ledger`` (``ledger_post``, ``hold_funds``, ``release_funds``, ``transfer_funds``,
``ledger_post_many``) inside their own ``transaction.atomic(durable=True)``.

Errors are ``ApplicationError`` subclasses (400 with a message): ``InvalidAmount``,
``InsufficientFunds``, ``IdempotencyConflict`` (a key reused with other parameters).
"""

import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import audit_record
from communitylend.core.errors import ApplicationError
from communitylend.core.money import CENT

from .gateways import (
    RETURNED,
    SUCCEEDED,
    Gateway,
    GatewayUnavailable,
    SignatureError,
    get_gateway,
)
from .ledger import (
    MAX_LEG,
    IdempotencyConflict,
    InsufficientFunds,
    InvalidAmount,
    LedgerError,
    account_for_user,
    credit,
    debit,
    hold_funds,
    ledger_post,
    platform_account,
    release_funds,
    transfer_funds,
)
from .models import AccountKind, GatewayEvent, GatewayPayment, LedgerTransaction
from .selectors import wallet_balances

MAX_DEPOSIT = Decimal("1000000.00")  # per deposit (the limit)
MAX_WITHDRAWAL = Decimal("1000000.00")
MAX_AMOUNT = MAX_LEG - CENT  # anything the ledger can store in one leg


def validate_amount(value, *, field: str = "amount", maximum: Decimal | None = None) -> Decimal:
    """A positive amount of whole cents (at most ``maximum``), or InvalidAmount saying why not."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidAmount(f"{field} must be a number like 125.00", field=field) from None
    if not amount.is_finite():
        raise InvalidAmount(f"{field} must be a number like 125.00", field=field)
    if amount <= 0:
        raise InvalidAmount(f"{field} must be positive", field=field)
    limit = min(maximum, MAX_AMOUNT) if maximum is not None else MAX_AMOUNT
    if amount > limit:
        raise InvalidAmount(f"{field} can be at most {limit:,.2f}", field=field)
    if amount != amount.quantize(CENT):
        raise InvalidAmount(f"{field} can have at most two decimals", field=field)
    return amount.quantize(CENT)


def _payment_for_key(user: User, key: str, direction: str, amount: Decimal):
    existing = GatewayPayment.objects.filter(user=user, idempotency_key=key).first()
    if existing and (existing.direction != direction or existing.amount != amount):
        raise IdempotencyConflict("Idempotency key reused with different parameters",
                                  field="idempotency_key")
    return existing


def _refuse_more_than_available(user: User, requested: Decimal) -> None:
    """Name the limit that binds: a withdrawal above the available cash is refused with the
    balance, not with the per-request ceiling (the hold re-checks the balance under a lock)."""
    available = wallet_balances(user.pk)["available"]
    if requested > available:
        raise InsufficientFunds(f"Insufficient funds: {requested:,.2f} needed but only "
                                f"{available:,.2f} of available cash", field="amount")


def _start(user: User, amount, idempotency_key, direction) -> tuple[GatewayPayment, bool]:
    maximum = MAX_DEPOSIT if direction == GatewayPayment.Direction.DEPOSIT else MAX_WITHDRAWAL
    amount = validate_amount(amount)
    key = (idempotency_key or uuid.uuid4().hex)[:120]
    gateway = get_gateway()
    existing = _payment_for_key(user, key, direction, amount)
    if existing is None:  # a replay answers with its payment whatever the balance is now
        if direction == GatewayPayment.Direction.WITHDRAWAL:
            _refuse_more_than_available(user, amount)
        amount = validate_amount(amount, maximum=maximum)
    if existing is not None:
        if existing.status == GatewayPayment.Status.PENDING and existing.external_id == "" \
                and gateway.settles_immediately and existing.gateway == gateway.name:
            # The first request stopped between recording the payment and the sandbox's
            # callback (a crash, a timeout): finish it now. Settlement is once-only.
            _call_gateway(gateway, existing)
            existing.refresh_from_db()
        return existing, False
    try:
        payment = _create_payment(user, key, direction, amount, gateway)
    except IntegrityError:  # the same key submitted twice at once: the first one wins
        return _payment_for_key(user, key, direction, amount), False
    _call_gateway(gateway, payment)  # after commit: provider I/O never holds our locks
    payment.refresh_from_db()
    return payment, True


def _create_payment(user, key, direction, amount, gateway) -> GatewayPayment:
    with transaction.atomic(durable=True):
        payment = GatewayPayment.objects.create(user=user, direction=direction, amount=amount,
                                                gateway=gateway.name, idempotency_key=key)
        if direction == GatewayPayment.Direction.WITHDRAWAL:
            # Reserve first, so that the money cannot be bid or withdrawn twice while the
            # provider pays it out; the webhook moves it to the bank or releases it.
            hold_funds(user_id=user.pk, amount=amount, key=f"gateway:{payment.pk}:reserve",
                       kind="withdrawal_reserve", memo="Withdrawal requested", acting_user=user)
        audit_record(actor=user, event=f"wallet.{direction}_requested", target=payment,
                     new={"amount": amount, "gateway": gateway.name, "key": key})
    return payment


def _call_gateway(gateway: Gateway, payment: GatewayPayment) -> None:
    create = (gateway.create_deposit if payment.direction == GatewayPayment.Direction.DEPOSIT
              else gateway.create_withdrawal)
    try:
        result = create(payment)
    except GatewayUnavailable as exc:
        payment_fail(payment_id=payment.pk, reason=f"Payment provider unavailable: {exc}")
        raise ApplicationError("The payment provider is unavailable; nothing was charged. "
                               "Please try again.", field="amount") from exc
    if result.external_id:
        GatewayPayment.objects.filter(pk=payment.pk, external_id="").update(
            external_id=result.external_id[:100])


def wallet_deposit(*, user: User, amount, idempotency_key: str | None = None
                   ) -> tuple[GatewayPayment, bool]:
    """Deposit through the gateway; returns (GatewayPayment, created).

    The same key again returns the original payment with created=False and changes nothing;
    the same key with another amount raises IdempotencyConflict. The ledger posting
    (external bank -> available) happens when the gateway's webhook says the money arrived: for
    the sandbox within this call.
    """
    return _start(user, amount, idempotency_key, GatewayPayment.Direction.DEPOSIT)


def wallet_withdraw(*, user: User, amount, idempotency_key: str | None = None
                    ) -> tuple[GatewayPayment, bool]:
    """Reserve the amount (available -> held; InsufficientFunds if it is not there), then let
    the gateway pay it out; its webhook settles it (held -> external bank) or, on failure,
    releases it. Returns (GatewayPayment, created) like ``wallet_deposit``."""
    return _start(user, amount, idempotency_key, GatewayPayment.Direction.WITHDRAWAL)


# Who handles a bank debit's return: servicing registers itself here (PaymentsConfig.ready),
# so the gateway's webhook reaches it without the ledger side importing loan code.
_return_handlers: list = []


def return_handler_register(handler) -> None:
    """``handler(gateway_payment_id=..., reason=...)`` runs inside the webhook's transaction."""
    if handler not in _return_handlers:
        _return_handlers.append(handler)


def webhook_receive(*, gateway_name: str, headers, body: bytes) -> tuple[GatewayPayment | None,
                                                                         bool]:
    """Apply a signed gateway event once; returns (payment, duplicate).

    Bad or missing signature, malformed body, unknown payment or a wrong amount: ApplicationError
    and nothing is recorded (the provider retries, or someone looks). A repeated event id:
    (None, True) and nothing happens. An event for a payment already settled or failed is
    recorded and otherwise ignored.
    """
    try:
        gateway = get_gateway(gateway_name)
    except LookupError as exc:
        raise ApplicationError(str(exc)) from exc
    try:
        gateway.verify_webhook(headers, body)
        event = gateway.parse_event(body)
    except SignatureError as exc:
        raise ApplicationError(str(exc)) from exc
    with transaction.atomic(durable=True):
        try:
            with transaction.atomic():
                GatewayEvent.objects.create(gateway=gateway.name, event_id=event.event_id[:100],
                                            payload=event.raw or {})
        except IntegrityError:
            return None, True
        try:
            payment_id = uuid.UUID(event.payment_id)
        except ValueError:
            raise ApplicationError("Unknown payment in webhook event") from None
        payment = GatewayPayment.objects.filter(pk=payment_id, gateway=gateway.name).first()
        if payment is None:
            raise ApplicationError("Unknown payment in webhook event")
        if event.type == RETURNED:  # the handler locks the loan, then the payment
            _returned(payment, event)
            payment.refresh_from_db()
            return payment, False
        payment = GatewayPayment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != GatewayPayment.Status.PENDING:
            return payment, False
        if event.amount != payment.amount:
            raise ApplicationError("Webhook amount does not match the payment")
        _settle(payment, succeeded=event.type == SUCCEEDED, reason=event.reason)
    return payment, False


def _returned(payment: GatewayPayment, event) -> None:
    """A ``payment.returned`` event: only a settled bank debit of the same amount; the handler
    (servicing) locks and re-checks it."""
    if payment.direction != GatewayPayment.Direction.BANK_DEBIT:
        raise ApplicationError("Only a bank debit can be returned", field="payment")
    if payment.status == GatewayPayment.Status.RETURNED:
        raise ApplicationError("This payment was already returned", field="payment")
    if event.amount != payment.amount:
        raise ApplicationError("Webhook amount does not match the payment")
    if not _return_handlers:
        raise ApplicationError("No handler for returned payments is installed")
    for handler in _return_handlers:
        handler(gateway_payment_id=payment.pk, reason=event.reason)


def payment_fail(*, payment_id, reason: str) -> GatewayPayment:
    """Mark a pending payment failed (a withdrawal's reservation is released). Used when the
    provider refuses at creation; a provider's own failure arrives through the webhook."""
    with transaction.atomic(durable=True):
        payment = GatewayPayment.objects.select_for_update().get(pk=payment_id)
        if payment.status == GatewayPayment.Status.PENDING:
            _settle(payment, succeeded=False, reason=reason)
    return payment


def _settle(payment: GatewayPayment, *, succeeded: bool, reason: str = "") -> None:
    """Settle a locked, pending payment (inside the caller's transaction)."""
    bank = platform_account(AccountKind.EXTERNAL_BANK)
    available = account_for_user(payment.user_id, AccountKind.USER_AVAILABLE)
    held = account_for_user(payment.user_id, AccountKind.USER_HELD)
    deposit = payment.direction == GatewayPayment.Direction.DEPOSIT
    txn = None
    if succeeded:
        legs = ([debit(bank, payment.amount), credit(available, payment.amount)] if deposit
                else [debit(held, payment.amount), credit(bank, payment.amount)])
        txn, _ = ledger_post(kind="deposit" if deposit else "withdrawal", legs=legs,
                             idempotency_key=f"gateway:{payment.pk}:settle",
                             memo=f"{'Deposit' if deposit else 'Withdrawal'} "
                                  f"({payment.gateway})",
                             acting_user=payment.user)
        status = GatewayPayment.Status.SETTLED
    else:
        if not deposit:
            txn, _ = release_funds(user_id=payment.user_id, amount=payment.amount,
                                   key=f"gateway:{payment.pk}:release",
                                   kind="withdrawal_release",
                                   memo="Withdrawal failed: funds released")
        status = GatewayPayment.Status.FAILED
    # Compare-and-swap: the row is locked, so exactly one settlement flips it.
    changed = GatewayPayment.objects.filter(pk=payment.pk, status=GatewayPayment.Status.PENDING
                                            ).update(status=status, settlement=txn,
                                                     settled_at=timezone.now(),
                                                     failure_reason=reason[:255])
    if changed != 1:
        raise ApplicationError("The payment was settled concurrently")
    payment.refresh_from_db()
    audit_record(actor=None, event=f"wallet.{payment.direction}_{payment.status}",
                 target=payment, old={"status": GatewayPayment.Status.PENDING},
                 new={"status": payment.status, "amount": payment.amount,
                      "reason": payment.failure_reason})


# --- Durable wrappers for holds, releases, transfers --------------------------------------------
#
# For a single move requested on its own. A service that moves money as part of a larger change
# (placing a bid, disbursing a loan) calls the non-durable ``payments.ledger`` helpers inside its
# own durable transaction instead.


def _require_key(idempotency_key: str) -> str:
    if not idempotency_key or not str(idempotency_key).strip():
        raise ApplicationError("An idempotency key is required", field="idempotency_key")
    return str(idempotency_key)[:120]


def _funds_move(post, event: str, *, user: User, amount, idempotency_key: str, memo: str,
                acting_user: User | None) -> LedgerTransaction:
    amount = validate_amount(amount)
    key = _require_key(idempotency_key)
    actor = acting_user or user
    with transaction.atomic(durable=True):
        txn, created = post(user_id=user.pk, amount=amount, key=key, memo=memo, acting_user=actor)
        if created:
            audit_record(actor=actor, event=event, target=txn,
                         new={"user": user.pk, "amount": amount, **_balances(user.pk)})
    return txn


def funds_hold(*, user: User, amount, idempotency_key: str, memo: str = "",
               acting_user: User | None = None) -> LedgerTransaction:
    """Available -> held. InsufficientFunds (nothing changes) when available is short."""
    return _funds_move(hold_funds, "funds.held", user=user, amount=amount,
                       idempotency_key=idempotency_key, memo=memo, acting_user=acting_user)


def funds_release(*, user: User, amount, idempotency_key: str, memo: str = "",
                  acting_user: User | None = None) -> LedgerTransaction:
    """Held -> available. InsufficientFunds (nothing changes) when held is short."""
    return _funds_move(release_funds, "funds.released", user=user, amount=amount,
                       idempotency_key=idempotency_key, memo=memo, acting_user=acting_user)


def funds_transfer(*, from_user: User | None = None, to_user: User | None = None,
                   from_kind: str = AccountKind.USER_AVAILABLE,
                   to_kind: str = AccountKind.USER_AVAILABLE, amount, idempotency_key: str,
                   memo: str = "", kind: str = "transfer",
                   acting_user: User | None = None) -> LedgerTransaction:
    """Move money between two accounts: a user's account of ``*_kind`` when ``*_user`` is
    given, else the platform account of ``*_kind`` (e.g. bot capital -> a bot's wallet).
    InsufficientFunds (nothing changes) when a user account would go negative."""
    amount = validate_amount(amount)
    key = _require_key(idempotency_key)
    source = (account_for_user(from_user.pk, from_kind) if from_user
              else platform_account(from_kind))
    target = account_for_user(to_user.pk, to_kind) if to_user else platform_account(to_kind)
    if source.pk == target.pk:
        raise LedgerError("Cannot transfer an account to itself")
    with transaction.atomic(durable=True):
        txn, created = transfer_funds(from_account=source, to_account=target, amount=amount,
                                      key=key, kind=kind, memo=memo, acting_user=acting_user)
        if created:
            audit_record(actor=acting_user, event="funds.transferred", target=txn,
                         new={"from": source.code, "to": target.code, "amount": amount})
    return txn


def _balances(user_id: int) -> dict:
    balances = wallet_balances(user_id)
    return {"available": balances["available"], "held": balances["held"]}
