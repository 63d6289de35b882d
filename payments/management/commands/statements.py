from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from communitylend.core.errors import ApplicationError
from payments.servicing.statements import (
    statement_csv,
    statement_for,
    statement_pdf,
    statement_year,
)


class Command(BaseCommand):
    help = ("Write the yearly statements: one file per user who lent or borrowed that year (or "
            "the one --user), CSV or PDF, into --out (default VAR_DIR/statements/YYYY). Exits 1 "
            "on a year out of range or an unknown user.")

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True)
        parser.add_argument("--user", help="The user's email")
        parser.add_argument("--format", choices=["csv", "pdf"], default="csv")
        parser.add_argument("--out", help="Directory for the files")

    def handle(self, *args, year, user=None, format="csv", out=None, **options):
        try:
            year = statement_year(year)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        if user:
            users = list(User.objects.filter(email__iexact=user.strip()))
            if not users:
                raise CommandError(f"No user with email {user}")
        else:
            users = list(User.objects.filter(
                Q(notes__isnull=False) | Q(loans__disbursed_at__isnull=False)).distinct()
                .order_by("pk"))
        folder = Path(out) if out else Path(settings.VAR_DIR) / "statements" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for person in users:
            statement = statement_for(user=person, year=year)
            path = folder / f"statement-{year}-user{person.pk}.{format}"
            if format == "pdf":
                path.write_bytes(statement_pdf(statement))
            else:
                path.write_text(statement_csv(statement))
            self.stdout.write(f"{person.email}: {path} (net received "
                              f"{statement.net_received:.2f})")
        self.stdout.write(f"statements {year}: {len(users)} {format.upper()} file(s) in {folder}")
