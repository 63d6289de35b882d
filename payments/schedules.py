"""A new loan's amortization schedule, stored as its installments (inside the disbursement
transaction). Knows the loan only by id: the ledger side of payments imports no loan code."""

from .amortization import Schedule
from .models import Installment


def installments_create(*, loan_id: int, schedule: Schedule) -> list[Installment]:
    return Installment.objects.bulk_create([
        Installment(loan_id=loan_id, number=row.period, due_date=row.due_date,
                    principal=row.principal, interest=row.interest, total=row.payment)
        for row in schedule.rows
    ])
