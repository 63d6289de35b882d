from django.core.management.base import BaseCommand, CommandError

from communitylend.core.csvimport import ImportFileError
from loans.imports import loans_import


class Command(BaseCommand):
    help = ("Import listed loans from a CSV file (borrower_email,amount,interest_rate,term_months,"
            "purpose,risk_grade). All or nothing; a row matching an open loan of the same "
            "borrower, amount, term and purpose is skipped.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and count, change nothing")

    def handle(self, *args, path, dry_run=False, **options):
        try:
            with open(path, "rb") as fileobj:
                report = loans_import(fileobj=fileobj, dry_run=dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except ImportFileError as exc:
            raise CommandError(f"import_loans: {exc}") from exc
        for error in report.errors:
            self.stdout.write(f"ERROR {error}")
        for warning in report.warnings:
            self.stdout.write(f"WARNING {warning}")
        self.stdout.write(f"import_loans{' (dry run)' if dry_run else ''}: {report.created} "
                          f"created, {report.updated} updated, {report.skipped} skipped, "
                          f"{len(report.errors)} errors")
        if report.errors:
            raise CommandError("nothing was imported: fix the rows above")
