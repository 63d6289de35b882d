"""Web form fields that read numbers the way the API does (communitylend.core.money)."""

from django import forms
from django.core.exceptions import ValidationError

from .money import NUMBER_HINT, parse_decimal


class DecimalFormField(forms.DecimalField):
    """forms.DecimalField through parse_decimal: "1e2", "+5" and look-alike digits refused; at
    most 14 digits unless the field says otherwise (a filter's number must fit the column it
    is compared with, or the database refuses the query)."""

    def __init__(self, *, max_digits=14, **kwargs):
        super().__init__(max_digits=max_digits, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = parse_decimal(value)
        except ValueError as exc:
            raise ValidationError(NUMBER_HINT[0].upper() + NUMBER_HINT[1:] + ".",
                                  code="invalid") from exc
        return super().to_python(str(value))


class YearQuery(forms.Form):
    """``?year=`` of the exports and statements: a calendar year the database can hold."""

    year = forms.IntegerField(min_value=1900, max_value=9999, required=False)


class LimitQuery(forms.Form):
    limit = forms.IntegerField(min_value=1, max_value=100, required=False)


def query_problem(form: forms.Form) -> tuple[str, str] | None:
    """(field, message) of the first error of a query form, or None when it is valid."""
    if form.is_valid():
        return None
    field, errors = next(iter(form.errors.items()))
    return field, errors[0]
