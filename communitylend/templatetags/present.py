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
