"""CSV export of notes (a lender's share of a loan and what it has received)."""

from import_export import fields, resources

from .models import Note


class NoteResource(resources.ModelResource):
    lender_email = fields.Field(attribute="lender__email", column_name="lender_email")
    loan_grade = fields.Field(attribute="loan__risk_grade", column_name="loan_grade")
    loan_status = fields.Field(attribute="loan__status", column_name="loan_status")

    class Meta:
        model = Note
        name = "Notes"
        fields = ("id", "loan", "lender_email", "loan_grade", "loan_status", "principal", "rate",
                  "outstanding_principal", "principal_received", "interest_received",
                  "late_fees_received", "servicing_fees_paid", "charged_off_principal",
                  "status", "created_at")
        export_order = fields
