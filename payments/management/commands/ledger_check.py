from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from payments.ledger_check import ledger_report
from payments.servicing.books import books_report


def _money(value) -> str:
    return f"{Decimal(str(value or 0)):.2f}"


class Command(BaseCommand):
    help = ("Verify the ledger: every transaction balances, every cached balance equals the sum "
            "of its legs, no user account is negative; and the books agree with it: loans' "
            "receivables, lenders' invested accounts and notes' receipts match, closed loans "
            "have nothing outstanding, schedules reconcile with the payments. Exits non-zero on "
            "any violation; the last line is a one-line summary.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=20,
                            help="List at most this many violations of each kind (default 20).")

    def handle(self, *args, limit, **options):
        report = ledger_report(limit=limit)
        for row in report.unbalanced:
            self.stdout.write(f"UNBALANCED transaction {row['transaction_id']}: debits "
                              f"{_money(row['debits'])} credits {_money(row['credits'])}"
                              + (" (no legs)" if row.get("empty") else ""))
        for row in report.cache_mismatches:
            self.stdout.write(f"CACHE MISMATCH {row['code']}: cached {_money(row['balance'])} "
                              f"legs {_money(row['leg_total'])}")
        for row in report.negative:
            self.stdout.write(f"NEGATIVE {row['code']}: {_money(row['balance'])}")
        if report.total_balance != 0:
            self.stdout.write(f"LEDGER TOTAL {report.total_balance} (should be 0.00)")
        books = books_report(limit=limit)
        for problem in books.problems:
            self.stdout.write(f"BOOKS {problem}")
        summary = (f"ledger_check: {report.transactions} transactions, {report.legs} legs, "
                   f"{report.accounts} accounts; {len(report.unbalanced)} unbalanced, "
                   f"{len(report.cache_mismatches)} cache mismatches, "
                   f"{len(report.negative)} negative; books of {books.loans} loans and "
                   f"{books.notes} notes: {len(books.problems)} problems")
        if not (report.ok and books.ok):
            # CommandError prints this as the last line (on stderr) and exits with status 1.
            raise CommandError(f"{summary} - FAILED")
        self.stdout.write(f"{summary} - OK")
