"""How every page writes money and dates (one format each), loaded as a template builtin:
``{{ amount|money }}`` -> "$1,234.56", ``{{ when|day }}`` -> "2026-12-03",
``{{ when|moment }}`` -> "2026-12-03 14:05" (in the site's time zone)."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from communitylend.core.money import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    try:
        return format_money(value)
    except (TypeError, ValueError, ArithmeticError):
        return "—"


@register.filter
def day(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value in (None, "") else str(value)


@register.filter
def moment(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    return day(value)


@register.filter
def percent(value, places: int = 2) -> str:
    """A rate in percent ("9.50%"); the number is already a percentage."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)):.{int(places)}f}%"


# Field names as people read them, where the plain reading ("date_of_birth" -> "date of birth")
# is not enough.
FIELD_WORDS = {"zip_code": "ZIP code", "date_of_birth": "date of birth",
               "annual_income": "annual income", "credit_score": "credit score",
               "employment_status": "employment status", "debt_to_income": "debt-to-income",
               "inquiries_6m": "credit inquiries in the last 6 months",
               "delinquencies_2y": "delinquencies in the last 2 years",
               "revolving_utilization": "revolving credit utilization",
               "credit_history_years": "length of credit history",
               "home_ownership": "home ownership", "employment_length": "years employed",
               "phone": "phone number", "street": "street address",
               "monthly_debt": "monthly debt payments"}


def field_words(name: str) -> str:
    return FIELD_WORDS.get(name, str(name).replace("_", " "))


@register.filter(name="field_words")
def field_words_filter(names) -> str:
    """``["date_of_birth", "zip_code"]`` -> "date of birth and ZIP code"."""
    if isinstance(names, str):
        return field_words(names)
    words = [field_words(n) for n in names]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
