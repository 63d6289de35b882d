"""Back-office for loans and bids. Listings change only through loans.services: the cancel
action releases every hold through the same service the borrower's cancel button uses."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from communitylend.core.adminutils import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceActionsAdmin,
    run_service_action,
)
from communitylend.core.importexport import CsvImportExportMixin

from . import services
from .models import Bid, LenderPreference, Loan, LoanAgreement, LoanDocument, SignedAgreement
from .resources import LoanResource


class BidInline(ReadOnlyInline):
    model = Bid
    fields = ["lender", "amount", "rate", "status", "accepted_amount", "placed_at", "source"]
    ordering = ["rate", "placed_at", "id"]


class LoanDocumentInline(ReadOnlyInline):
    """The documents the borrower attached to this application; each is reviewed on its own
    page (accounts' KYC document admin)."""

    model = LoanDocument
    verbose_name_plural = "documents attached to this application"
    fields = ["document_type", "status", "staff_note", "attached_at", "review"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("document")

    @admin.display(description="Type")
    def document_type(self, link):
        return link.document.get_document_type_display()

    @admin.display(description="Status")
    def status(self, link):
        return link.document.get_status_display()

    @admin.display(description="Staff note")
    def staff_note(self, link):
        return link.document.staff_note

    @admin.display(description="Review")
    def review(self, link):
        return format_html('<a href="{}">Review the document</a>',
                           reverse("admin:accounts_kycdocument_change", args=[link.document_id]))


class SignedAgreementInline(ReadOnlyInline):
    model = SignedAgreement
    fields = ["version", "signed_at", "ip_address", "user_agent", "sha256", "download"]
    readonly_fields = fields

    @admin.display(description="Signed copy")
    def download(self, signed):
        return format_html('<a href="{}">Download</a>',
                           reverse("loan_agreement_signed", args=[signed.loan_id]))


@admin.register(Loan)
class LoanAdmin(CsvImportExportMixin, ServiceActionsAdmin):
    resource_classes = [LoanResource]
    list_display = ["id", "borrower", "requested_amount", "amount", "max_rate", "interest_rate",
                    "term_months", "purpose", "risk_grade", "model_grade", "status",
                    "funded", "bid_count", "days_past_due", "funding_deadline", "created_at"]
    list_filter = ["status", "risk_grade", "term_months", "purpose", "autopay", "created_at",
                   "disbursed_at"]
    search_fields = ["=id", "borrower__email", "borrower__last_name", "description"]
    list_select_related = ["borrower"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [SignedAgreementInline, BidInline, LoanDocumentInline]
    actions = ["cancel_listings"]
    readonly_fields = ["schedule"]

    @admin.display(description="Covered", ordering="bid_total")
    def funded(self, loan):
        return f"{loan.funded_amount:,.2f} ({loan.funded_percent}%)"

    @admin.display(description="Schedule and payments")
    def schedule(self, loan):
        return format_html('<a href="{}">Open the schedule page</a>',
                           reverse("loan_schedule", args=[loan.pk]))

    @admin.action(description="Cancel selected listings (releases every bid's hold)",
                  permissions=["change"])
    def cancel_listings(self, request, queryset):
        run_service_action(
            self, request, queryset,
            lambda loan: services.loan_cancel(acting_user=request.user, loan_id=loan.pk),
            "{count} listing(s) cancelled; their bids' holds were released.")


@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    list_display = ["id", "loan", "lender", "amount", "rate", "status", "accepted_amount",
                    "placed_at", "source"]
    list_filter = ["status", "source", "loan__risk_grade"]
    search_fields = ["=loan__id", "lender__email"]
    list_select_related = ["loan", "lender"]
    show_full_result_count = False


@admin.register(LenderPreference)
class LenderPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "risk_tolerance", "min_amount", "max_amount", "terms", "updated_at"]
    list_filter = ["risk_tolerance"]
    search_fields = ["user__email"]
    list_select_related = ["user"]


@admin.register(LoanDocument)
class LoanDocumentAdmin(ReadOnlyAdmin):
    """Which documents support which applications: e.g. the pending documents of open listings,
    to review first. The review itself is on the document's own page."""

    list_display = ["loan", "borrower", "document_type", "document_status", "attached_at",
                    "review"]
    list_filter = ["document__status", "document__document_type", "loan__status"]
    search_fields = ["=loan__id", "loan__borrower__email"]
    list_select_related = ["loan__borrower", "document"]

    @admin.display(description="Borrower")
    def borrower(self, link):
        return link.loan.borrower

    @admin.display(description="Type")
    def document_type(self, link):
        return link.document.get_document_type_display()

    @admin.display(description="Review status")
    def document_status(self, link):
        return link.document.get_status_display()

    @admin.display(description="Review")
    def review(self, link):
        return format_html('<a href="{}">Review the document</a>',
                           reverse("admin:accounts_kycdocument_change", args=[link.document_id]))


@admin.register(LoanAgreement)
class LoanAgreementAdmin(admin.ModelAdmin):
    """Staff write the agreement here. Saving publishes a new version (the next number); a
    version nobody has signed yet can still be corrected, a signed one only read."""

    list_display = ["version", "title", "published_at", "signatures_count", "created_by"]
    fields = ["version", "title", "text", "published_at", "created_by"]
    readonly_fields = ["version", "created_by"]

    @admin.display(description="Signed")
    def signatures_count(self, agreement):
        return agreement.signatures.count()

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.signatures.exists():
            return self.fields
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        services.agreement_save(acting_user=request.user, agreement=obj)


@admin.register(SignedAgreement)
class SignedAgreementAdmin(ReadOnlyAdmin):
    list_display = ["loan", "borrower", "version", "signed_at", "ip_address"]
    search_fields = ["=loan__id", "borrower__email"]
    list_select_related = ["loan", "borrower"]
    readonly_fields = ["download"]

    @admin.display(description="Signed copy")
    def download(self, signed):
        return format_html('<a href="{}">Download</a>',
                           reverse("loan_agreement_signed", args=[signed.loan_id]))
