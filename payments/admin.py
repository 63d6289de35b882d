from django.contrib import admin

from .models import Account, GatewayEvent, GatewayPayment, LedgerLeg, LedgerTransaction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money moves only through services: the admin shows it and never edits it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LegInline(admin.TabularInline):
    model = LedgerLeg
    fields = ["account", "debit", "credit"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "user", "reference", "balance", "created_at"]
    list_filter = ["kind"]
    search_fields = ["code", "user__email", "reference"]
    list_select_related = ["user"]
    show_full_result_count = False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "kind", "memo", "acting_user", "idempotency_key"]
    list_filter = ["kind", "created_at"]
    search_fields = ["memo", "idempotency_key", "acting_user__email"]
    date_hierarchy = "created_at"
    inlines = [LegInline]
    list_select_related = ["acting_user"]
    show_full_result_count = False


@admin.register(LedgerLeg)
class LedgerLegAdmin(ReadOnlyAdmin):
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
