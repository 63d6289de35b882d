from django.contrib import admin

from communitylend.core.adminutils import ReadOnlyAdmin
from communitylend.core.importexport import CsvExportMixin

from .models import Note
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
