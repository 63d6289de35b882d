"""The sandbox: test money that settles at once, through the same signed-webhook path."""

import json
import uuid

from .base import SIGNATURE_HEADER, Gateway


class SandboxGateway(Gateway):
    name = "sandbox"
    is_test_money = True

    def start_payment(self, payment) -> None:
        from payments.services import webhook_receive

        body = json.dumps({
            "id": f"evt_{uuid.uuid4().hex}", "type": "payment.succeeded",
            "payment_id": str(payment.pk), "amount": str(payment.amount),
        }).encode()
        webhook_receive(gateway_name=self.name, headers={SIGNATURE_HEADER: self.sign(body)},
                        body=body)
