from allauth.account.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm as MfaAuthenticateForm
from django import forms

from .models import KycDocumentType, User
from .services import login_locked


class ProfileForm(forms.ModelForm):
    """Validation comes from the model's validators; the service does the write."""

    class Meta:
        model = User
        fields = [
            "first_name", "last_name", "phone", "date_of_birth", "street", "city", "state",
            "zip_code", "annual_income", "monthly_debt", "employment_status",
            "employment_length", "credit_score", "home_ownership", "earliest_credit_line",
            "open_credit_lines", "total_credit_lines", "revolving_balance",
            "revolving_utilization", "inquiries_6m", "delinquencies_2y",
            "months_since_last_delinquency", "public_records", "public_record_bankruptcies",
            "is_borrower", "is_lender",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "earliest_credit_line": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "monthly_debt": "Monthly debt payments",
            "employment_length": "Years employed",
            "is_borrower": "I want to borrow",
            "is_lender": "I want to lend",
            "inquiries_6m": "Credit inquiries (last 6 months)",
            "delinquencies_2y": "Delinquencies (last 2 years)",
            "revolving_utilization": "Revolving utilization (%)",
        }

    CREDIT_REPORT_FIELDS = (
        "earliest_credit_line", "open_credit_lines", "total_credit_lines", "revolving_balance",
        "revolving_utilization", "inquiries_6m", "delinquencies_2y",
        "months_since_last_delinquency", "public_records", "public_record_bankruptcies",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else (
                "form-select" if isinstance(field.widget, forms.Select) else "form-control")
            field.widget.attrs.setdefault("class", css)

    def core_fields(self):
        return [self[name] for name in self.fields if name not in self.CREDIT_REPORT_FIELDS]

    def credit_fields(self):
        return [self[name] for name in self.CREDIT_REPORT_FIELDS]


class KycUploadForm(forms.Form):
    document_type = forms.ChoiceField(
        choices=KycDocumentType.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    file = forms.FileField(
        help_text="PDF, JPG, PNG, DOC or DOCX, at most 10 MB.",
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx"}
        ),
    )


class LockoutAwareMfaAuthenticateForm(MfaAuthenticateForm):
    """The login pages' code step honours the account's one failed-login counter (shared with
    the API), not only allauth's own counter for this step."""

    def clean_code(self):
        if login_locked(email=self.user.email):
            raise get_adapter().validation_error("too_many_login_attempts")
        return super().clean_code()
