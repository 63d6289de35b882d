from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self):
        # Servicing (loan code) handles a bank debit's return; the ledger side only calls the
        # handler it is given, so it imports no loan code (DESIGN.md, "Architecture").
        from payments.services import return_handler_register  # app registry ready
        from payments.servicing.settlement import bank_debit_return_handler  # app registry ready

        return_handler_register(bank_debit_return_handler)
