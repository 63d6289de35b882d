"""Loan servicing (DESIGN.md, "Servicing"). Reads loans and notes; moves money only through the
ledger. This module holds the schedule; repayments and delinquency build on it."""

from payments.amortization import Schedule

from .models import Installment


def schedule_create(*, loan, schedule: Schedule) -> list[Installment]:
    """Store a new loan's amortization schedule (inside the disbursement transaction)."""
    return Installment.objects.bulk_create([
        Installment(loan=loan, number=row.period, due_date=row.due_date, principal=row.principal,
                    interest=row.interest, total=row.payment)
        for row in schedule.rows
    ])
