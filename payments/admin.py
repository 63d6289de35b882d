from django.contrib import admin

from communitylend.core.adminutils import ReadOnlyAdmin, ReadOnlyInline
from communitylend.core.importexport import CsvExportMixin

from .models import (
    Account,
    Distribution,
    GatewayEvent,
    GatewayPayment,
    Installment,
    LedgerLeg,
    LedgerTransaction,
    Repayment,
    ServicingBatch,
    ServicingRun,
)
from .resources import LedgerLegResource, RepaymentResource

# Money moves only through services: every admin here shows it and never edits it.


class LegInline(ReadOnlyInline):
    model = LedgerLeg
    fields = ["account", "debit", "credit"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "user", "reference", "balance", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code", "user__email", "reference"]
    list_select_related = ["user"]
    show_full_result_count = False


class LedgerExportMixin(CsvExportMixin):
    """The export has one row per leg (the double-entry view an accountant reconciles)."""

    resource_classes = [LedgerLegResource]

    def get_export_queryset(self, request):
        chosen = super().get_export_queryset(request)
        if self.model is LedgerLeg:
            return chosen.select_related("transaction", "account__user")
        return LedgerLeg.objects.filter(transaction__in=chosen.values("pk")).select_related(
            "transaction", "account__user").order_by("transaction_id", "id")


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(LedgerExportMixin, ReadOnlyAdmin):
    list_display = ["id", "created_at", "kind", "memo", "acting_user", "idempotency_key"]
    list_filter = ["kind", "created_at"]
    search_fields = ["memo", "idempotency_key", "acting_user__email"]
    date_hierarchy = "created_at"
    inlines = [LegInline]
    list_select_related = ["acting_user"]
    show_full_result_count = False


@admin.register(LedgerLeg)
class LedgerLegAdmin(LedgerExportMixin, ReadOnlyAdmin):
    list_display = ["id", "transaction", "created_at", "account", "debit", "credit"]
    list_filter = ["account__kind", "transaction__kind"]
    search_fields = ["account__code", "account__user__email", "transaction__idempotency_key"]
    list_select_related = ["transaction", "account"]
    show_full_result_count = False

    @admin.display(ordering="transaction__created_at")
    def created_at(self, leg):
        return leg.transaction.created_at


@admin.register(GatewayPayment)
class GatewayPaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "direction", "amount", "status", "gateway",
                    "external_id", "settled_at"]
    list_filter = ["direction", "status", "gateway"]
    search_fields = ["user__email", "external_id", "idempotency_key"]
    list_select_related = ["user"]


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "gateway", "event_id"]
    list_filter = ["gateway"]
    search_fields = ["event_id"]


class DistributionInline(ReadOnlyInline):
    model = Distribution
    fields = ["note", "principal", "interest", "late_fee", "servicing_fee", "net"]


@admin.register(Repayment)
class RepaymentAdmin(CsvExportMixin, ReadOnlyAdmin):
    resource_classes = [RepaymentResource]
    list_display = ["id", "loan", "borrower", "kind", "status", "amount", "scheduled_for",
                    "paid_on", "late_fees", "interest", "principal", "servicing_fees",
                    "created_at"]
    list_filter = ["kind", "status", "paid_on", "scheduled_for"]
    search_fields = ["=loan__id", "borrower__email", "idempotency_key"]
    list_select_related = ["loan", "borrower"]
    date_hierarchy = "created_at"
    inlines = [DistributionInline]
    show_full_result_count = False


@admin.register(Installment)
class InstallmentAdmin(ReadOnlyAdmin):
    list_display = ["loan", "number", "due_date", "total", "principal", "interest",
                    "principal_paid", "interest_paid", "late_fee", "late_fee_paid", "status"]
    list_filter = ["status", "due_date"]
    search_fields = ["=loan__id", "loan__borrower__email"]
    list_select_related = ["loan"]
    show_full_result_count = False


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["repayment", "note", "principal", "interest", "late_fee", "servicing_fee",
                    "net"]
    search_fields = ["=repayment__loan__id", "note__lender__email"]
    list_select_related = ["repayment", "note"]
    show_full_result_count = False

# Hardship plans, recoveries and reconciliation runs: their admin lives with servicing.
from .servicing import admin as servicing_admin  # noqa: E402, F401


@admin.register(ServicingRun)
class ServicingRunAdmin(ReadOnlyAdmin):
    """Servicing runs spread over the Celery workers (SERVICING_CELERY): each day's chord."""

    list_display = ["as_of", "status", "started_at", "finished_at", "error"]
    list_filter = ["status"]


@admin.register(ServicingBatch)
class ServicingBatchAdmin(ReadOnlyAdmin):
    list_display = ["run", "day", "index", "done_at"]
    list_filter = [("done_at", admin.EmptyFieldListFilter)]
    list_select_related = ["run"]
