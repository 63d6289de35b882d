"""``--as-of YYYY-MM-DD`` means the end of that day in the site's time zone (API.md)."""

from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.utils import timezone


def parse_as_of(value: str | None) -> datetime:
    """The moment just before midnight after ``value`` (site time zone); now if None."""
    if not value:
        return timezone.now()
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of must be a date YYYY-MM-DD, not {value!r}") from exc
    return end_of_day(day)


def end_of_day(day: date) -> datetime:
    start_next = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(start_next, timezone.get_current_timezone()) - timedelta(
        microseconds=1)
