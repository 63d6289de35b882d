"""Notes are created at disbursement, inside the acceptance transaction (loans.services)."""

from loans.models import Bid, Loan

from .models import Note, NoteStatus


def notes_create_for_loan(*, loan: Loan, bids: list[Bid]) -> list[Note]:
    """One note per accepted bid, holding the lender's principal at the clearing rate."""
    notes = [
        Note(loan=loan, lender_id=bid.lender_id, bid=bid, principal=bid.accepted_amount,
             outstanding_principal=bid.accepted_amount, rate=loan.interest_rate,
             status=NoteStatus.ACTIVE)
        for bid in bids
    ]
    return Note.objects.bulk_create(notes)
