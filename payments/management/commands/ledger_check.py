from django.core.management.base import BaseCommand, CommandError

from payments.checks import ledger_report


class Command(BaseCommand):
    help = ("Verify the ledger: every transaction balances, every cached balance equals the sum "
            "of its legs, no user account is negative. Exits non-zero on any violation.")

    def handle(self, *args, **options):
        report = ledger_report()
        for row in report.unbalanced:
            self.stdout.write(f"UNBALANCED transaction {row['transaction_id']}: debits "
                              f"{row['debits']} credits {row['credits']}")
        for row in report.cache_mismatches:
            self.stdout.write(f"CACHE MISMATCH {row['code']}: cached {row['balance']} "
                              f"legs {row['leg_total']}")
        for row in report.negative:
            self.stdout.write(f"NEGATIVE {row['code']}: {row['balance']}")
        summary = (f"ledger_check: {report.transactions} transactions, {report.legs} legs, "
                   f"{report.accounts} accounts; {len(report.unbalanced)} unbalanced, "
                   f"{len(report.cache_mismatches)} cache mismatches, "
                   f"{len(report.negative)} negative")
        if not report.ok:
            self.stdout.write(summary)
            raise CommandError("ledger_check found violations")
        self.stdout.write(summary + " - OK")
