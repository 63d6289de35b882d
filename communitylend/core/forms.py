"""Web form fields that read numbers the way the API does (communitylend.core.money)."""

from django import forms
from django.core.exceptions import ValidationError

from .money import NUMBER_HINT, parse_decimal


class DecimalFormField(forms.DecimalField):
    """forms.DecimalField through parse_decimal: "1e2", "+5" and look-alike digits refused."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            value = parse_decimal(value)
        except ValueError as exc:
            raise ValidationError(NUMBER_HINT[0].upper() + NUMBER_HINT[1:] + ".",
                                  code="invalid") from exc
        return super().to_python(str(value))
