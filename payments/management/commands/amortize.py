import json as json_module
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from payments.amortization import amortize


def _decimal(name: str, value: str, low: Decimal, high: Decimal, places: int) -> Decimal:
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise CommandError(f"--{name} must be a number, not {value!r}") from None
    if not number.is_finite() or number < low or number > high:
        raise CommandError(f"--{name} must be between {low} and {high}")
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise CommandError(f"--{name} can have at most {places} decimals")
    return number


class Command(BaseCommand):
    help = ("Print an amortization schedule (equal installments, declining balance, monthly) "
            "without touching the database; --json prints one JSON object.")

    def add_arguments(self, parser):
        parser.add_argument("--principal", required=True)
        parser.add_argument("--rate", required=True, help="annual percent, e.g. 12.5")
        parser.add_argument("--months", required=True)
        parser.add_argument("--start", required=True, help="disbursement date YYYY-MM-DD")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, principal, rate, months, start, json=False, **options):
        amount = _decimal("principal", principal, Decimal("0.01"), Decimal("10000000.00"), 2)
        annual = _decimal("rate", rate, Decimal("0"), Decimal("100"), 4)
        try:
            count = int(months)
        except ValueError:
            raise CommandError("--months must be a whole number") from None
        if not 1 <= count <= 600:
            raise CommandError("--months must be between 1 and 600")
        try:
            first = date.fromisoformat(start)
        except ValueError:
            raise CommandError("--start must be a date YYYY-MM-DD") from None
        schedule = amortize(amount, annual, count, first)
        if json:
            self.stdout.write(json_module.dumps({
                "installment": f"{schedule.installment:.2f}",
                "totalInterest": f"{schedule.total_interest:.2f}",
                "totalPayment": f"{schedule.total_payment:.2f}",
                "rows": [{"period": r.period, "dueDate": r.due_date.isoformat(),
                          "principal": f"{r.principal:.2f}", "interest": f"{r.interest:.2f}",
                          "payment": f"{r.payment:.2f}", "balance": f"{r.balance:.2f}"}
                         for r in schedule.rows],
            }))
            return
        self.stdout.write(f"{'#':>4} {'due':>10} {'payment':>12} {'principal':>12} "
                          f"{'interest':>10} {'balance':>14}")
        for r in schedule.rows:
            self.stdout.write(f"{r.period:>4} {r.due_date.isoformat():>10} {r.payment:>12,.2f} "
                              f"{r.principal:>12,.2f} {r.interest:>10,.2f} {r.balance:>14,.2f}")
        self.stdout.write(f"amortize: installment {schedule.installment:,.2f}, total interest "
                          f"{schedule.total_interest:,.2f}, total paid "
                          f"{schedule.total_payment:,.2f} over {len(schedule.rows)} months")

