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


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "user", "reference", "balance"]
    list_filter = ["kind"]
    search_fields = ["code", "user__email", "reference"]
    list_select_related = ["user"]


class LegInline(admin.TabularInline):
    model = LedgerLeg
    fields = ["account", "debit", "credit"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "kind", "memo", "acting_user", "idempotency_key"]
    list_filter = ["kind", "created_at"]
    search_fields = ["memo", "idempotency_key", "acting_user__email"]
    date_hierarchy = "created_at"
    inlines = [LegInline]
    list_select_related = ["acting_user"]


@admin.register(GatewayPayment)
class GatewayPaymentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "direction", "amount", "status", "gateway"]
    list_filter = ["direction", "status", "gateway"]
    search_fields = ["user__email", "external_id", "idempotency_key"]
    list_select_related = ["user"]


@admin.register(GatewayEvent)
class GatewayEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "gateway", "event_id"]
    list_filter = ["gateway"]
    search_fields = ["event_id"]
