"""Building market scenarios through the services users go through."""

from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import time_machine
from django.core.management import call_command

from investments.models import Note
from loans import services as auction
from loans.models import Loan
from tests.factories import make_user
from tests.money import fund

D = Decimal
START = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def active_loan(*, amount="1000.00", shares=("600.00", "400.00"), rate="12.00", term=12,
                grade="C"):
    """A loan disbursed on 2026-01-15, one note (and one lender) per share."""
    with time_machine.travel(START, tick=False):
        borrower = make_user(verified=True)
        loan = auction.loan_apply(borrower=borrower, amount=D(amount), term_months=term,
                                  purpose="car", max_rate=D("30"), staff_grade=grade)
        for share in shares:
            lender = make_user()
            fund(lender, share)
            auction.bid_place(lender=lender, loan_id=loan.pk, amount=D(share), rate=D(rate))
        auction.loan_accept(borrower=borrower, loan_id=loan.pk)
    loan.refresh_from_db()
    return loan


def notes_of(loan) -> list[Note]:
    return list(Note.objects.filter(loan=loan).order_by("pk"))


@contextmanager
def on(day: date):
    with time_machine.travel(datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC),
                             tick=False):
        yield


def serviced_through(day: date) -> None:
    with on(day):
        call_command("run_servicing", as_of=day.isoformat())


def reload(loan) -> Loan:
    loan.refresh_from_db()
    return loan
