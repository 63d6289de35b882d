from django.contrib import admin

from communitylend.core.adminutils import ReadOnlyAdmin, ServiceActionsAdmin, run_service_action
from communitylend.core.importexport import CsvExportMixin

from .market.services import market_halt
from .models import BuyOrder, Listing, MarketControl, Note, Trade
from .resources import NoteResource


@admin.register(Note)
class NoteAdmin(CsvExportMixin, ReadOnlyAdmin):
    """Notes change only through servicing; the list exports as CSV with its filters."""

    resource_classes = [NoteResource]
    list_display = ["id", "loan", "lender", "principal", "rate", "outstanding_principal",
                    "principal_received", "interest_received", "late_fees_received",
                    "servicing_fees_paid", "charged_off_principal", "status", "created_at"]
    list_filter = ["status", "loan__risk_grade", "loan__status", "created_at"]
    search_fields = ["=loan__id", "lender__email"]
    list_select_related = ["loan", "lender"]
    show_full_result_count = False


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    """Market listings change only through the market's services (read-only here)."""

    list_display = ["id", "note", "seller", "loan", "grade", "price", "price_percent",
                    "yield_to_maturity", "remaining_payments", "status", "suspended_reason",
                    "created_at"]
    list_filter = ["status", "grade", "created_at"]
    search_fields = ["=id", "=note__id", "=loan__id", "seller__email"]
    list_select_related = ["seller"]
    show_full_result_count = False


@admin.register(Trade)
class TradeAdmin(ReadOnlyAdmin):
    list_display = ["id", "note", "buyer_note", "loan", "seller", "buyer", "price", "fee",
                    "principal", "accrued_interest", "price_percent", "seller_gain", "order",
                    "traded_at"]
    list_filter = ["traded_at"]
    search_fields = ["=id", "=note__id", "=loan__id", "seller__email", "buyer__email"]
    list_select_related = ["seller", "buyer"]
    show_full_result_count = False


@admin.register(BuyOrder)
class BuyOrderAdmin(ReadOnlyAdmin):
    list_display = ["id", "buyer", "grades", "term_left_min", "term_left_max",
                    "max_price_percent", "min_yield", "max_per_note", "budget", "spent",
                    "enabled", "required_return", "spread", "created_at"]
    list_filter = ["enabled", "created_at"]
    search_fields = ["=id", "buyer__email"]
    list_select_related = ["buyer"]


@admin.action(description="Halt all trading on the market", permissions=["change"])
def halt_trading(modeladmin, request, queryset):
    run_service_action(modeladmin, request, queryset.model.objects.filter(pk=1),
                       lambda obj: market_halt(actor=request.user, halted=True,
                                               reason="halted by staff in the admin"),
                       "Trading is halted.")


@admin.action(description="Reopen trading on the market", permissions=["change"])
def reopen_trading(modeladmin, request, queryset):
    run_service_action(modeladmin, request, queryset.model.objects.filter(pk=1),
                       lambda obj: market_halt(actor=request.user, halted=False),
                       "Trading is open again.")


@admin.register(MarketControl)
class MarketControlAdmin(ServiceActionsAdmin):
    """The switch that halts trading: select the row and run an action (staff who may change
    it). The row exists from the migration that made the market."""

    list_display = ["__str__", "trading_halted", "reason", "updated_at"]
    actions = [halt_trading, reopen_trading]
