import json
import uuid

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from communitylend.core.errors import ApplicationError
from payments.gateways import RETURNED, SIGNATURE_HEADER, get_gateway
from payments.models import GatewayPayment, Repayment
from payments.services import webhook_receive


class Command(BaseCommand):
    help = ("Development: the bank returns a borrower's bank debit. Sends the sandbox gateway's "
            "signed payment.returned webhook for the payment (by its repayment id or gateway "
            "payment id), exactly as the gateway would. Exits 1 with the reason for an unknown, "
            "already returned or wallet-cash payment.")

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--repayment", type=int, help="The repayment's id")
        target.add_argument("--payment", help="The gateway payment's id (UUID)")
        parser.add_argument("--reason", default="R01",
                            help="ACH return code (R01 insufficient funds, R02 account closed...)")

    def handle(self, *args, repayment=None, payment=None, reason="R01", **options):
        if not settings.DEBUG and not getattr(settings, "ALLOW_SIMULATED_RETURNS", False):
            raise CommandError("return_payment simulates the bank: development mode only "
                               "(DJANGO_DEBUG=1)")
        gateway_payment = self._payment(repayment, payment)
        gateway = get_gateway(gateway_payment.gateway)
        body = json.dumps({"id": f"evt_{uuid.uuid4().hex}", "type": RETURNED,
                           "payment_id": str(gateway_payment.pk),
                           "amount": f"{gateway_payment.amount:.2f}",
                           "reason": reason[:64]}).encode()
        try:
            webhook_receive(gateway_name=gateway.name,
                            headers={SIGNATURE_HEADER: gateway.sign(body)}, body=body)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        rep = Repayment.objects.get(gateway_payment=gateway_payment)
        outcome = ("reversed" if rep.status == Repayment.Status.RETURNED
                   else "carried by the platform (after release)")
        self.stdout.write(f"return_payment: {gateway_payment.amount:.2f} on loan #{rep.loan_id} "
                          f"returned ({reason}), {outcome}")

    def _payment(self, repayment_id, payment_id) -> GatewayPayment:
        if repayment_id is not None:
            rep = Repayment.objects.filter(pk=repayment_id).first()
            if rep is None:
                raise CommandError(f"No repayment #{repayment_id}")
            if rep.gateway_payment_id is None:
                raise CommandError(f"Repayment #{rep.pk} was paid from wallet cash: it settled "
                                   "at once and cannot be returned")
            return rep.gateway_payment
        try:
            found = GatewayPayment.objects.filter(pk=uuid.UUID(str(payment_id))).first()
        except ValueError:
            found = None
        if found is None:
            raise CommandError(f"Unknown payment {payment_id}")
        return found
