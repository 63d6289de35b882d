"""CSV exports of borrowers' payments and of the ledger (one row per leg)."""

from import_export import fields, resources

from .models import LedgerLeg, Repayment


class RepaymentResource(resources.ModelResource):
    borrower_email = fields.Field(attribute="borrower__email", column_name="borrower_email")

    class Meta:
        model = Repayment
        name = "Payments"
        fields = ("id", "loan", "borrower_email", "kind", "status", "amount", "scheduled_for",
                  "paid_on", "late_fees", "interest", "principal", "servicing_fees",
                  "failure_reason", "idempotency_key", "created_at")
        export_order = fields


class LedgerLegResource(resources.ModelResource):
    """Debit and credit are each leg's one positive side; balance = credits - debits."""

    created_at = fields.Field(attribute="transaction__created_at", column_name="created_at")
    kind = fields.Field(attribute="transaction__kind", column_name="transaction_kind")
    memo = fields.Field(attribute="transaction__memo", column_name="memo")
    idempotency_key = fields.Field(attribute="transaction__idempotency_key",
                                   column_name="idempotency_key")
    account_code = fields.Field(attribute="account__code", column_name="account")
    account_kind = fields.Field(attribute="account__kind", column_name="account_kind")
    user_email = fields.Field(attribute="account__user__email", column_name="user_email")

    class Meta:
        model = LedgerLeg
        name = "Ledger legs"
        fields = ("transaction", "created_at", "kind", "memo", "idempotency_key", "id",
                  "account_code", "account_kind", "user_email", "debit", "credit")
        export_order = fields
