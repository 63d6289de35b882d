"""CSV export and admin import of loans. The first columns are the original loans.csv
(``amount`` is the amount asked, ``interest_rate`` the borrower's maximum), so an export of open
listings imports back; the rest describe the loan now."""

from import_export import fields

from communitylend.core.importexport import ServiceImportResource

from .imports import LOAN_COLUMNS, loans_import
from .models import Loan


def _field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, readonly=True)


class LoanResource(ServiceImportResource):
    importer = staticmethod(loans_import)
    import_columns = LOAN_COLUMNS
    borrower_email = _field("borrower__email", "borrower_email")
    amount = _field("requested_amount", "amount")
    interest_rate = _field("max_rate", "interest_rate")
    disbursed_amount = _field("disbursed_amount", "disbursed_amount")
    clearing_rate = _field("interest_rate", "clearing_rate")

    class Meta:
        model = Loan
        name = "Loans (loans.csv)"
        fields = (*LOAN_COLUMNS, "id", "status", "model_grade", "ml_score",
                  "probability_default", "floor_rate", "recommended_rate", "bid_total",
                  "bid_count", "clearing_rate", "disbursed_amount", "origination_fee", "apr",
                  "monthly_payment", "outstanding_principal", "days_past_due", "created_at",
                  "funding_deadline", "disbursed_at", "repaid_at")
        export_order = fields

    def dehydrate_disbursed_amount(self, loan):
        return loan.amount if loan.disbursed_at else ""
