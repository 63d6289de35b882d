"""The interface a payment provider implements.

A deposit or withdrawal is a ``GatewayPayment`` row (ours) plus a payment at the provider (theirs):

1. ``payments.services`` records the payment as pending (a withdrawal also reserves the money:
   available -> held) and commits;
2. then, outside any transaction (slow I/O), it calls ``create_deposit`` / ``create_withdrawal``;
   the provider answers with its own id (and, for cards, a page the user confirms on);
3. later the provider calls ``POST /api/payments/webhooks/<name>`` with a signed event;
   ``verify_webhook`` checks the signature of the raw body, ``parse_event`` reads it, and
   ``payments.services.webhook_receive`` settles the payment once (succeeded: the ledger posts;
   failed: a withdrawal's reservation is released). Repeated event ids change nothing.

A real provider (card or bank transfer) subclasses ``Gateway``, overrides the two ``create_*``
methods (and ``verify_webhook`` / ``parse_event`` if its signature scheme or event format differ),
and is registered in ``payments.gateways.GATEWAYS``. The sandbox goes through the same webhook path
within the request, so everything the request asks for is done when the response comes.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

SIGNATURE_HEADER = "X-CommunityLend-Signature"
SUCCEEDED = "payment.succeeded"
FAILED = "payment.failed"
RETURNED = "payment.returned"  # a bank debit the bank sent back (reason: an ACH return code)


class SignatureError(Exception):
    """A webhook whose signature or body cannot be trusted: refused with no effect."""


class GatewayUnavailable(Exception):
    """The provider refused or could not be reached when a payment was created."""


@dataclass(frozen=True)
class GatewayEventData:
    event_id: str
    type: str  # SUCCEEDED | FAILED | RETURNED
    payment_id: str  # our GatewayPayment id, echoed back by the provider
    amount: Decimal
    reason: str = ""
    raw: dict | None = None


@dataclass(frozen=True)
class GatewayResult:
    """What the provider answered when a payment was created."""

    external_id: str = ""
    redirect_url: str = ""  # a card provider's confirmation page; empty when none is needed


class Gateway:
    name = "base"
    is_test_money = False
    settles_immediately = False  # True: the webhook has arrived when create_* returns

    # --- outgoing ---------------------------------------------------------------------------

    def create_deposit(self, payment) -> GatewayResult:
        """Ask the provider to collect ``payment.amount`` from the user."""
        raise NotImplementedError

    def create_withdrawal(self, payment) -> GatewayResult:
        """Ask the provider to pay ``payment.amount`` out to the user's bank account."""
        raise NotImplementedError

    # --- incoming ---------------------------------------------------------------------------

    def secret(self) -> bytes:
        secret = getattr(settings, "PAYMENT_WEBHOOK_SECRET", "")
        if not secret:
            raise SignatureError("Webhook secret is not configured")
        return secret.encode()

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.secret(), body, hashlib.sha256).hexdigest()

    def verify_webhook(self, headers, body: bytes) -> None:
        """HMAC-SHA256 of the raw body, compared in constant time; raises SignatureError."""
        given = headers.get(SIGNATURE_HEADER, "") or ""
        if not given or not hmac.compare_digest(given.encode(), self.sign(body).encode()):
            raise SignatureError("Bad or missing webhook signature")

    def parse_event(self, body: bytes) -> GatewayEventData:
        try:
            data = json.loads(body)
            event = GatewayEventData(event_id=str(data["id"]), type=str(data["type"]),
                                     payment_id=str(data["payment_id"]),
                                     amount=Decimal(str(data["amount"])),
                                     reason=str(data.get("reason", "")), raw=data)
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise SignatureError(f"Malformed webhook event: {exc}") from exc
        if event.type not in (SUCCEEDED, FAILED, RETURNED) or not event.amount.is_finite():
            raise SignatureError(f"Malformed webhook event: type {event.type!r}")
        return event

    def event_body(self, *, event_id: str, payment, type: str = SUCCEEDED,
                   reason: str = "") -> bytes:
        """The JSON body of an event about ``payment`` (the sandbox's, and tests')."""
        data = {"id": event_id, "type": type, "payment_id": str(payment.pk),
                "amount": f"{payment.amount:.2f}"}
        if reason:
            data["reason"] = reason
        return json.dumps(data).encode()
