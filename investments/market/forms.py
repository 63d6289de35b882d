from django import forms

from communitylend.core.forms import DecimalFormField
from communitylend.core.money import GRADES

from .selectors import SORTS

GRADE_CHOICES = [(g, g) for g in GRADES]


class BrowseForm(forms.Form):
    grade = forms.ChoiceField(choices=[("", "Any grade"), *GRADE_CHOICES], required=False,
                              widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    term_left_max = forms.IntegerField(min_value=1, max_value=60, required=False,
                                       label="Months left at most")
    min_yield = DecimalFormField(max_digits=7, decimal_places=2, required=False,
                                 label="Yield at least %")
    max_price_percent = DecimalFormField(max_digits=7, decimal_places=2, required=False,
                                         label="Price at most % of par")
    sort = forms.ChoiceField(choices=[(k, k) for k in SORTS], required=False)
    after = forms.CharField(required=False, max_length=200)


class PriceForm(forms.Form):
    price = DecimalFormField(max_digits=12, decimal_places=2, min_value=0)


class OrderForm(forms.Form):
    grades = forms.MultipleChoiceField(choices=GRADE_CHOICES,
                                       widget=forms.CheckboxSelectMultiple)
    term_left_min = forms.IntegerField(min_value=1, max_value=60, initial=1)
    term_left_max = forms.IntegerField(min_value=1, max_value=60, initial=60)
    max_price_percent = DecimalFormField(max_digits=7, decimal_places=2, initial="100.00",
                                         label="Max price % of par")
    min_yield = DecimalFormField(max_digits=7, decimal_places=2, initial="5.00",
                                 label="Min yield %")
    max_per_note = DecimalFormField(max_digits=12, decimal_places=2, label="Max per note")
    budget = DecimalFormField(max_digits=14, decimal_places=2)
