from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from communitylend.core.errors import ApplicationError
from payments.reconciliation import reconcile, sandbox_settlement_path, settlement_file_write


class Command(BaseCommand):
    help = ("Reconcile the payment gateway's settlement file for a day against the ledger's bank "
            "account: lines missing on either side, amount mismatches and duplicates are breaks, "
            "recorded with the run (admin: Reconciliation runs). Without --file the sandbox "
            "gateway writes its file for the day first. Exits 1 on any break.")

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="YYYY-MM-DD")
        parser.add_argument("--file", help="The settlement file (CSV: id,type,amount,status,"
                                           "date); default: the sandbox's file for the day")

    def handle(self, *args, date: str, file: str | None = None, **options):
        try:
            day = _parse_day(date)
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from None
        if file:
            path = Path(file)
        else:
            path = settlement_file_write(day, sandbox_settlement_path(day))
        try:
            result = reconcile(day=day, path=path)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for item in result.breaks:
            self.stdout.write(f"BREAK {item.kind} {item.reference} file={item.file_amount} "
                              f"ledger={item.ledger_amount} {item.detail}".rstrip())
        run = result.run
        summary = (f"reconcile {day}: {run.file_lines} file lines, {run.ledger_entries} ledger "
                   f"entries, {run.matched} matched, {run.break_count} breaks (run #{run.pk})")
        if run.break_count:
            raise CommandError(summary)
        self.stdout.write(summary)


def _parse_day(value: str):
    return date.fromisoformat(value)
