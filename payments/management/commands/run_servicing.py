from django.core.management.base import BaseCommand
from django.utils import timezone

from communitylend.core.dates import parse_as_of
from payments.servicing.batch import run_servicing


class Command(BaseCommand):
    help = ("Run loan servicing up to the end of --as-of (default today): scheduled payments, "
            "autopay, late fees, delinquency and charge-off, reminders. Replays every day missed "
            "before it in date order (a catch-up writes what daily runs would have); running it "
            "twice for the same day changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, as_of=None, **options):
        day = timezone.localdate(parse_as_of(as_of))
        report = run_servicing(as_of=day)
        self.stdout.write(f"  autopay payments: {report.autopay} (skipped for lack of cash: "
                          f"{report.autopay_skipped})")
        self.stdout.write(f"  scheduled payments: {report.scheduled}")
        self.stdout.write(f"  late fees assessed: {report.late_fees}")
        for status, count in sorted(report.transitions.items()):
            self.stdout.write(f"  loans now {status}: {count}")
        self.stdout.write(f"  reminders: {report.reminders}")
        if report.errors:
            self.stderr.write(f"  loans that failed: {report.errors} (see the log)")
        self.stdout.write(f"run_servicing: {report.loans} loan(s) serviced as of {day}, "
                          f"{report.errors} error(s)"
                          + (f" ({report.days} days replayed; loans counted once a day)"
                             if report.days > 1 else ""))
        if report.errors:
            raise SystemExit(1)
