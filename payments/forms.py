import uuid
from datetime import date
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator

from communitylend.core.forms import DecimalFormField

KIND_CHOICES = [("", "All kinds"), ("deposit", "Deposits"), ("withdrawal", "Withdrawals"),
                ("hold", "Holds"), ("release", "Releases"), ("disbursement", "Disbursements"),
                ("repayment", "Repayments"), ("transfer", "Transfers")]


class MoveForm(forms.Form):
    amount = DecimalFormField(min_value=Decimal("0.01"), max_value=Decimal("1000000.00"),
                                decimal_places=2, max_digits=12,
                                widget=forms.NumberInput(attrs={"class": "form-control",
                                                                "step": "0.01", "min": "0.01"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=120)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["amount"].error_messages["max_value"] = (
            "You can deposit at most $1,000,000.00 at a time")


class WithdrawForm(MoveForm):
    """A withdrawal's real limit is the available cash: the ledger refuses more and says how
    much there is, instead of the deposit's per-request ceiling."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        amount.max_value = None
        amount.validators = [v for v in amount.validators
                             if not isinstance(v, MaxValueValidator)]
        amount.widget.attrs.pop("max", None)


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, required=False,
                             widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    date_from = forms.DateField(required=False, widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control form-control-sm"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(
        attrs={"type": "date", "class": "form-control form-control-sm"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return data
