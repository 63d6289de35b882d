from django.core.management.base import BaseCommand

from communitylend.core.dates import parse_as_of
from loans.services import listings_close_due


class Command(BaseCommand):
    help = ("Close listings whose deadline has passed by --as-of (end of that day; default now): "
            "funded / partially funded / expired, holds released. Safe to run twice.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (end of that day)")

    def handle(self, *args, as_of=None, **options):
        now = parse_as_of(as_of)
        counts = listings_close_due(now=now)
        for status, count in sorted(counts.items()):
            self.stdout.write(f"  {status}: {count}")
        total = sum(counts.values())
        self.stdout.write(f"close_listings: {total} listing(s) closed as of {now:%Y-%m-%d %H:%M %Z}")
