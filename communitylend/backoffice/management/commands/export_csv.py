"""CSV exports for ops, with the same filters and search as the admin list they mirror."""

import sys
from urllib.parse import parse_qsl

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import FieldError, SuspiciousOperation, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory

from accounts.models import User
from communitylend.core.importexport import write_csv
from investments.models import Note
from loans.models import Loan
from payments.models import LedgerLeg, Repayment

EXPORTS = {
    "users": User,
    "loans": Loan,
    "notes": Note,
    "payments": Repayment,
    "ledger": LedgerLeg,
}


class Command(BaseCommand):
    help = ("Export users, loans, notes, payments (borrowers' repayments) or ledger (one row per "
            "leg) as CSV. --filter takes the admin list's query string, e.g. "
            "'status__exact=listed&risk_grade__exact=A' or 'q=alice' (search).")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=sorted(EXPORTS))
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument("--filter", default="",
                            help="the admin list's filters as a query string")

    def handle(self, *args, what, output=None, filter="", **options):  # noqa: A002
        model = EXPORTS[what]
        model_admin = admin.site._registry[model]
        params = dict(parse_qsl(filter, keep_blank_values=True))
        request = RequestFactory().get("/", params)
        # The command runs as ops, outside any login: a superuser that exists only in memory.
        request.user = User(email="ops@localhost", is_staff=True, is_superuser=True)
        try:
            queryset = model_admin.get_export_queryset(request)
            resource = model_admin.get_export_resource_classes(request)[0]()
            if output:
                with open(output, "w", newline="", encoding="utf-8") as out:
                    rows = write_csv(resource, queryset, out)
                self.stdout.write(f"export_csv: {rows} {what} row(s) written to {output}")
            else:
                rows = write_csv(resource, queryset, sys.stdout)
                # Standard output is the CSV itself: the summary goes to standard error.
                self.stderr.write(f"export_csv: {rows} {what} row(s)")
        except (IncorrectLookupParameters, FieldError, ValidationError,
                SuspiciousOperation) as exc:
            raise CommandError(f"export_csv: bad --filter {filter!r}: {exc}") from exc
