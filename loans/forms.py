from decimal import Decimal

from django import forms

from accounts.models import EmploymentStatus, HomeOwnership, KycDocumentType
from communitylend.core.forms import DecimalFormField
from communitylend.core.money import GRADES, TERMS

from .models import MAX_LOAN, MIN_BID, MIN_LOAN, Purpose, RiskTolerance

SORT_CHOICES = [("-created_at", "Newest"), ("created_at", "Oldest"), ("-amount", "Largest"),
                ("amount", "Smallest"), ("-max_rate", "Highest max rate"),
                ("max_rate", "Lowest max rate"), ("funding_deadline", "Ending soonest")]


def _bootstrap(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)


class LoanApplyForm(forms.Form):
    amount = DecimalFormField(min_value=MIN_LOAN, max_value=MAX_LOAN, decimal_places=2,
                                help_text="1,000 to 40,000")
    term_months = forms.TypedChoiceField(choices=[(t, f"{t} months") for t in TERMS], coerce=int,
                                         initial=36, label="Term")
    purpose = forms.ChoiceField(choices=Purpose.choices)
    max_rate = DecimalFormField(min_value=Decimal("0.01"), max_value=Decimal("36.00"),
                                decimal_places=4, label="Maximum interest rate (% a year)",
                                  help_text="The highest rate you accept; bids at or below it "
                                  "compete, and the loan clears at the lowest rates that cover it.")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=2000)
    collateral_description = forms.CharField(required=False, max_length=1000,
                                             label="Collateral (optional)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ExpectedReturnForm(forms.Form):
    rate = DecimalFormField(min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=4)


class BidForm(forms.Form):
    amount = DecimalFormField(min_value=MIN_BID, max_value=MAX_LOAN, decimal_places=2)
    rate = DecimalFormField(min_value=Decimal("0.0001"), max_value=Decimal("36.00"),
                            decimal_places=4, label="Minimum rate (%)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class BidChangeForm(forms.Form):
    amount = DecimalFormField(min_value=MIN_BID, max_value=MAX_LOAN, decimal_places=2,
                                required=False)
    rate = DecimalFormField(min_value=Decimal("0.01"), max_value=Decimal("36.00"),
                              decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class AcceptForm(forms.Form):
    amount = DecimalFormField(min_value=MIN_LOAN, max_value=MAX_LOAN, decimal_places=2,
                                required=False)


class ConsentForm(AcceptForm):
    """The acceptance itself: the agreement version read, and the box ticked."""

    agreement_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    reviewed_rate = forms.DecimalField(decimal_places=4, max_digits=7, widget=forms.HiddenInput)
    agree = forms.BooleanField(
        label="I have read the loan agreement and the terms above, and I accept them.",
        error_messages={"required": "Tick the box to accept the loan agreement."})


class MarketplaceFilterForm(forms.Form):
    grade = forms.MultipleChoiceField(choices=[(g, g) for g in GRADES], required=False,
                                      widget=forms.CheckboxSelectMultiple)
    min_amount = DecimalFormField(min_value=0, required=False, decimal_places=2)
    max_amount = DecimalFormField(min_value=0, required=False, decimal_places=2)
    term = forms.TypedChoiceField(choices=[("", "Any term")] + [(t, f"{t} months")
                                                                for t in TERMS],
                                  coerce=int, required=False, empty_value=None)
    purpose = forms.ChoiceField(choices=[("", "Any purpose")] + list(Purpose.choices),
                                required=False)
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "grade":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css + " form-control-sm" if css ==
                                              "form-control" else css + " form-select-sm")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_amount"), data.get("max_amount")
        if low is not None and high is not None and low > high:
            self.add_error("max_amount", f"The maximum ({high:,.2f}) is below the minimum "
                           f"({low:,.2f}): no listing can match. Swap them or widen the range.")
        return data


class EstimateForm(forms.Form):
    amount = DecimalFormField(min_value=MIN_LOAN, max_value=MAX_LOAN, decimal_places=2)
    term_months = forms.TypedChoiceField(choices=[(t, f"{t} months") for t in TERMS], coerce=int,
                                         initial=36, label="Term")
    purpose = forms.ChoiceField(choices=Purpose.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class VisitorEstimateForm(EstimateForm):
    """The rate check without an account: what the model reads, typed in (nothing is kept)."""

    annual_income = DecimalFormField(min_value=0, max_value=Decimal("10000000"),
                                     decimal_places=2, label="Annual income")
    monthly_debt = DecimalFormField(min_value=0, max_value=Decimal("1000000"), decimal_places=2,
                                    required=False, label="Monthly debt payments")
    employment_status = forms.ChoiceField(choices=EmploymentStatus.choices,
                                          label="Employment")
    employment_length = forms.IntegerField(min_value=0, max_value=60, required=False,
                                           label="Years employed")
    home_ownership = forms.ChoiceField(choices=[("", "Prefer not to say")]
                                       + list(HomeOwnership.choices), required=False,
                                       label="Home")
    credit_score = forms.IntegerField(min_value=300, max_value=850, label="Credit score")

    def model_inputs(self) -> dict:
        data = self.cleaned_data
        inputs = {"loan_amount": data["amount"], "term_months": data["term_months"],
                  "purpose": data["purpose"], "annual_income": data["annual_income"],
                  "employment_status": data["employment_status"],
                  "employment_length": data["employment_length"],
                  "home_ownership": data["home_ownership"] or None,
                  "credit_score": data["credit_score"]}
        if data["monthly_debt"] is not None and data["annual_income"]:
            inputs["debt_to_income"] = round(data["monthly_debt"] * 1200 / data["annual_income"],
                                             2)
        return {key: value for key, value in inputs.items() if value is not None}


class PreferenceForm(forms.Form):
    risk_tolerance = forms.ChoiceField(choices=[("", "No preference")] + list(
        RiskTolerance.choices), required=False)
    min_amount = DecimalFormField(min_value=0, required=False, decimal_places=2)
    max_amount = DecimalFormField(min_value=0, required=False, decimal_places=2)
    terms = forms.MultipleChoiceField(choices=[(str(t), f"{t} months") for t in TERMS],
                                      required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "terms":
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)


class MaxRateForm(forms.Form):
    max_rate = DecimalFormField(min_value=Decimal("0.01"), max_value=Decimal("36.00"),
                                  decimal_places=2)


class LoanDocumentForm(forms.Form):
    """Attach one of your documents to this application, or upload a new one for it."""

    document = forms.ChoiceField(required=False, label="One of your documents")
    document_type = forms.ChoiceField(required=False, choices=[("", "---------"),
                                                               *KycDocumentType.choices])
    file = forms.FileField(required=False, help_text="PDF, JPG, PNG, DOC or DOCX, at most 10 MB.",
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx"}))

    def __init__(self, *args, attachable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [("", "---------"), *(
            (str(d.pk), f"{d.get_document_type_display()}: {d.original_name}")
            for d in attachable)]
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("document"):
            raise forms.ValidationError("Choose one of your documents or upload a file.")
        if data.get("file") and not data.get("document_type"):
            self.add_error("document_type", "Choose the document's type.")
        return data
