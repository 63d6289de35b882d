"""Wallet services: deposits, withdrawals, holds, releases and transfers, all through the ledger.

Each public service is ``transaction.atomic(durable=True)``, locks the accounts it changes in
primary-key order (inside ``ledger_post``), is idempotent on its key and writes an audit row.
Deposits and withdrawals go through the payment gateway; the gateway's signed webhook
(``webhook_receive``) settles them, for the sandbox within the same request.
"""

import logging
import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import audit_record
from communitylend.errors import ApplicationError

from .gateways import SignatureError, get_gateway
from .ledger import (
    IdempotencyConflict,
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

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")
MAX_DEPOSIT = Decimal("1000000.00")


def validate_amount(value, *, field: str = "amount", maximum: Decimal | None = None) -> Decimal:
    """A positive amount of whole cents (at most ``maximum``), or a 400 saying why not."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"{field} must be a number like 125.00", field=field) from None
    if not amount.is_finite():
        raise ApplicationError(f"{field} must be a number like 125.00", field=field)
    if amount <= 0:
        raise ApplicationError(f"{field} must be positive", field=field)
    if amount != amount.quantize(CENT):
        raise ApplicationError(f"{field} can have at most two decimals", field=field)
    if maximum is not None and amount > maximum:
        raise ApplicationError(f"{field} can be at most {maximum:,.2f}", field=field)
    return amount.quantize(CENT)


def _payment_for_key(user: User, key: str, direction: str, amount: Decimal):
    existing = GatewayPayment.objects.filter(user=user, idempotency_key=key).first()
    if existing and (existing.direction != direction or existing.amount != amount):
        raise IdempotencyConflict("Idempotency key reused with different parameters",
                                  field="idempotency_key")
    return existing


def _start(user: User, amount, idempotency_key, direction) -> tuple[GatewayPayment, bool]:
    maximum = MAX_DEPOSIT if direction == GatewayPayment.Direction.DEPOSIT else None
    amount = validate_amount(amount, maximum=maximum)
    key = (idempotency_key or uuid.uuid4().hex)[:120]
    gateway = get_gateway()
    existing = _payment_for_key(user, key, direction, amount)
    if existing is not None:
        return existing, False
    try:
        payment = _create_payment(user, key, direction, amount, gateway)
    except IntegrityError:  # the same key submitted twice at once: the first one wins
        return _payment_for_key(user, key, direction, amount), False
    gateway.start_payment(payment)
    payment.refresh_from_db()
    return payment, True


def _create_payment(user, key, direction, amount, gateway) -> GatewayPayment:
    with transaction.atomic(durable=True):
        payment = GatewayPayment.objects.create(user=user, direction=direction, amount=amount,
                                                gateway=gateway.name, idempotency_key=key)
        payment.external_id = str(payment.pk)
        payment.save(update_fields=["external_id"])
        if direction == GatewayPayment.Direction.WITHDRAWAL:
            hold_funds(user_id=user.pk, amount=amount, key=f"gateway:{payment.pk}:reserve",
                       memo="Withdrawal requested", acting_user=user)
        audit_record(actor=user, event=f"wallet.{direction}_requested", target=payment,
                     new={"amount": amount, "gateway": gateway.name})
    return payment


def wallet_deposit(*, user: User, amount, idempotency_key: str | None = None):
    """Deposit through the gateway; returns (GatewayPayment, created)."""
    return _start(user, amount, idempotency_key, GatewayPayment.Direction.DEPOSIT)


def wallet_withdraw(*, user: User, amount, idempotency_key: str | None = None):
    """Reserve the amount (available -> held), then let the gateway pay it out; the webhook
    settles it (held -> bank) or, on failure, releases it."""
    return _start(user, amount, idempotency_key, GatewayPayment.Direction.WITHDRAWAL)


def webhook_receive(*, gateway_name: str, headers, body: bytes) -> tuple[GatewayPayment | None,
                                                                         bool]:
    """Apply a signed gateway event once; returns (payment, duplicate)."""
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
                GatewayEvent.objects.create(gateway=gateway.name, event_id=event.event_id,
                                            payload={"type": event.type,
                                                     "payment_id": event.payment_id,
                                                     "amount": str(event.amount)})
        except IntegrityError:
            return None, True
        try:
            uuid.UUID(event.payment_id)
        except ValueError:
            raise ApplicationError("Unknown payment in webhook event") from None
        payment = GatewayPayment.objects.select_for_update().filter(
            pk=event.payment_id, gateway=gateway.name).first()
        if payment is None:
            raise ApplicationError("Unknown payment in webhook event")
        if payment.status != GatewayPayment.Status.PENDING:
            return payment, False
        if event.amount != payment.amount:
            raise ApplicationError("Webhook amount does not match the payment")
        _settle(payment, succeeded=event.type == "payment.succeeded", reason=event.reason)
    return payment, False


def _settle(payment: GatewayPayment, *, succeeded: bool, reason: str = "") -> None:
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
        payment.status = GatewayPayment.Status.SETTLED
    else:
        if not deposit:
            txn, _ = release_funds(user_id=payment.user_id, amount=payment.amount,
                                   key=f"gateway:{payment.pk}:release",
                                   memo="Withdrawal failed: funds released")
        payment.status = GatewayPayment.Status.FAILED
        payment.failure_reason = reason[:255]
    payment.settlement = txn
    payment.settled_at = timezone.now()
    payment.save(update_fields=["status", "settlement", "settled_at", "failure_reason"])
    audit_record(actor=None, event=f"wallet.{payment.direction}_{payment.status}",
                 target=payment, old={"status": GatewayPayment.Status.PENDING},
                 new={"status": payment.status, "amount": payment.amount})


# --- Durable wrappers for holds, releases, transfers --------------------------------------------


def funds_hold(*, user: User, amount, idempotency_key: str, memo: str = "",
               acting_user: User | None = None) -> LedgerTransaction:
    amount = validate_amount(amount)
    with transaction.atomic(durable=True):
        txn, created = hold_funds(user_id=user.pk, amount=amount, key=idempotency_key,
                                  memo=memo, acting_user=acting_user or user)
        if created:
            audit_record(actor=acting_user or user, event="funds.held", target=txn,
                         new={"user": user.pk, "amount": amount})
    return txn


def funds_release(*, user: User, amount, idempotency_key: str, memo: str = "",
                  acting_user: User | None = None) -> LedgerTransaction:
    amount = validate_amount(amount)
    with transaction.atomic(durable=True):
        txn, created = release_funds(user_id=user.pk, amount=amount, key=idempotency_key,
                                     memo=memo, acting_user=acting_user or user)
        if created:
            audit_record(actor=acting_user or user, event="funds.released", target=txn,
                         new={"user": user.pk, "amount": amount})
    return txn


def funds_transfer(*, from_user: User | None = None, to_user: User | None = None,
                   from_kind: str = AccountKind.USER_AVAILABLE,
                   to_kind: str = AccountKind.USER_AVAILABLE, amount, idempotency_key: str,
                   memo: str = "", acting_user: User | None = None) -> LedgerTransaction:
    """Move money between two accounts: a user's (``*_user`` given) or a platform account of
    ``*_kind`` (e.g. bot capital -> a bot's wallet)."""
    amount = validate_amount(amount)
    source = (account_for_user(from_user.pk, from_kind) if from_user
              else platform_account(from_kind))
    target = account_for_user(to_user.pk, to_kind) if to_user else platform_account(to_kind)
    with transaction.atomic(durable=True):
        txn, created = transfer_funds(from_account=source, to_account=target, amount=amount,
                                      key=idempotency_key, memo=memo, acting_user=acting_user)
        if created:
            audit_record(actor=acting_user, event="funds.transferred", target=txn,
                         new={"from": source.code, "to": target.code, "amount": amount})
    return txn
