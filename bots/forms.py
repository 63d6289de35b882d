from decimal import Decimal

from django import forms

from communitylend.core.forms import DecimalFormField
from communitylend.core.money import GRADES, TERMS
from loans.models import Purpose

from .models import AutoInvestRule

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class AutoInvestRuleForm(forms.Form):
    """An auto-invest rule as a person edits it; the service checks the values again."""

    name = forms.CharField(max_length=100, required=False)
    enabled = forms.BooleanField(required=False, initial=True)
    cash_reserve = DecimalFormField(min_value=0, initial=Decimal("0.00"), **MONEY,
                                      help_text="Available cash the rule always leaves alone.")
    min_credit_score = forms.IntegerField(min_value=300, max_value=850, initial=680)
    max_debt_to_income = DecimalFormField(min_value=0, max_value=200, required=False,
                                            label="Max debt-to-income (%)", **PERCENT)
    grades = forms.MultipleChoiceField(choices=[(g, g) for g in GRADES], required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text="None ticked: every grade.")
    purposes = forms.MultipleChoiceField(choices=Purpose.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="None ticked: every purpose.")
    terms = forms.TypedMultipleChoiceField(choices=[(t, f"{t} months") for t in TERMS],
                                           coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text="None ticked: every term.")
    verified_only = forms.BooleanField(required=False, initial=True,
                                       label="Verified borrowers only")
    loan_share = DecimalFormField(min_value=Decimal("0.01"), max_value=100, initial=2,
                                    label="Amount per loan (% of capital)", **PERCENT)
    min_per_loan = DecimalFormField(min_value=0, initial=25, label="Smallest bid", **MONEY)
    max_per_loan = DecimalFormField(min_value=Decimal("0.01"), initial=500,
                                      label="Largest amount per loan", **MONEY)
    max_capital_use = DecimalFormField(min_value=Decimal("0.01"), max_value=100, initial=90,
                                         label="Capital use ceiling (%)", **PERCENT)
    borrower_limit = DecimalFormField(min_value=Decimal("0.01"), max_value=100, initial=5,
                                        label="Per-borrower limit (% of capital)", **PERCENT)
    rate_spread = DecimalFormField(min_value=-10, max_value=10, initial=0,
                                     label="Spread over the recommended rate (points)", **PERCENT)
    rate_jitter = DecimalFormField(min_value=0, max_value=2, initial=0,
                                     label="Random jitter (points)", **PERCENT)
    min_rate = DecimalFormField(min_value=Decimal("0.01"), max_value=36, required=False,
                                  label="Never below this rate (%)", **PERCENT)
    min_expected_return = DecimalFormField(
        min_value=-20, max_value=36, required=False,
        label="Minimum expected net return (% a year)", **PERCENT)
    rebid_step = DecimalFormField(min_value=Decimal("0.01"), max_value=5, initial="0.25",
                                    label="Re-bid step when outbid (points)", **PERCENT)
    rebid_floor_margin = DecimalFormField(min_value=0, max_value=20, initial=1,
                                            label="Stop re-bidding at grade floor + (points)",
                                            **PERCENT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for grade in GRADES:
            self.fields[f"limit_{grade}"] = DecimalFormField(
                min_value=0, max_value=100, required=False, label=f"Grade {grade} limit (%)",
                **PERCENT)

    @classmethod
    def for_rule(cls, rule: AutoInvestRule, data=None):
        initial = {name: getattr(rule, name) for name in cls.base_fields}
        for grade, percent in (rule.grade_limits or {}).items():
            initial[f"limit_{grade}"] = Decimal(percent)
        return cls(data, initial=initial)

    def to_service(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items()
                if not name.startswith("limit_")}
        data["grade_limits"] = {grade: self.cleaned_data[f"limit_{grade}"] for grade in GRADES
                                if self.cleaned_data.get(f"limit_{grade}") is not None}
        return data

    def grade_limit_fields(self):
        return [self[f"limit_{grade}"] for grade in GRADES]
