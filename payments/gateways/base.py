"""The interface a payment provider implements.

A real provider (card or bank transfer) creates a payment on its side and later calls our webhook
with a signed event; ``verify_webhook`` checks the signature and ``parse_event`` turns the body
into a ``GatewayEventData``. Settlement then happens in ``payments.services.webhook_receive``,
the one path every provider (and the sandbox) goes through.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

SIGNATURE_HEADER = "X-CommunityLend-Signature"


class SignatureError(Exception):
    pass


@dataclass(frozen=True)
class GatewayEventData:
    event_id: str
    type: str  # "payment.succeeded" | "payment.failed"
    payment_id: str  # our GatewayPayment id, echoed back by the provider
    amount: Decimal
    reason: str = ""


class Gateway:
    name = "base"
    is_test_money = False

    def secret(self) -> bytes:
        return settings.PAYMENT_WEBHOOK_SECRET.encode()

    def sign(self, body: bytes) -> str:
        return "sha256=" + hmac.new(self.secret(), body, hashlib.sha256).hexdigest()

    def verify_webhook(self, headers, body: bytes) -> None:
        given = headers.get(SIGNATURE_HEADER, "")
        if not given or not hmac.compare_digest(given, self.sign(body)):
            raise SignatureError("Bad or missing webhook signature")

    def parse_event(self, body: bytes) -> GatewayEventData:
        try:
            data = json.loads(body)
            return GatewayEventData(event_id=str(data["id"]), type=str(data["type"]),
                                    payment_id=str(data["payment_id"]),
                                    amount=Decimal(str(data["amount"])),
                                    reason=str(data.get("reason", "")))
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            raise SignatureError(f"Malformed webhook event: {exc}") from exc

    def start_payment(self, payment) -> None:
        """Ask the provider to move the money; the outcome arrives through the webhook."""
        raise NotImplementedError
