"""The sandbox: test money that settles at once, through the same signed-webhook path."""

import uuid

from .base import SIGNATURE_HEADER, SUCCEEDED, Gateway, GatewayResult


class SandboxGateway(Gateway):
    name = "sandbox"
    is_test_money = True
    settles_immediately = True

    def create_deposit(self, payment) -> GatewayResult:
        return self._settle_now(payment)

    def create_withdrawal(self, payment) -> GatewayResult:
        return self._settle_now(payment)

    def _settle_now(self, payment) -> GatewayResult:
        # The provider's callback, delivered at once: signed and received exactly as the HTTP
        # endpoint receives a real one.
        from payments.services import webhook_receive

        body = self.event_body(event_id=f"evt_{uuid.uuid4().hex}", payment=payment,
                               type=SUCCEEDED)
        webhook_receive(gateway_name=self.name, headers={SIGNATURE_HEADER: self.sign(body)},
                        body=body)
        return GatewayResult(external_id=f"sbx_{payment.pk.hex}")
