from django.core.management.base import BaseCommand, CommandError

from accounts.imports import users_import
from communitylend.core.csvimport import ImportFileError


class Command(BaseCommand):
    help = ("Import users from a CSV file (email,first_name,last_name,phone,annual_income,"
            "employment_status,credit_score). All or nothing: any bad row imports nothing. New "
            "users get an invitation to set a password; existing emails are updated.")

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and count, change nothing")

    def handle(self, *args, path, dry_run=False, **options):
        try:
            with open(path, "rb") as fileobj:
                report = users_import(fileobj=fileobj, dry_run=dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {path}") from exc
        except ImportFileError as exc:
            raise CommandError(f"import_users: {exc}") from exc
        for error in report.errors:
            self.stdout.write(f"ERROR {error}")
        summary = (f"import_users{' (dry run)' if dry_run else ''}: {report.created} created, "
                   f"{report.updated} updated, {report.skipped} skipped, "
                   f"{len(report.errors)} errors")
        self.stdout.write(summary)
        if report.errors:
            raise CommandError("nothing was imported: fix the rows above")
