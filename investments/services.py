"""Notes are created at disbursement, inside the acceptance transaction (loans.services)."""

from .models import Note, NoteStatus


def notes_create_for_loan(*, loan, bids) -> list[Note]:
    """One note per accepted bid (a ``loans`` Bid), holding the lender's principal at the loan's
clearing rate."""
    notes = [
        Note(loan=loan, lender_id=bid.lender_id, bid=bid, principal=bid.accepted_amount,
             outstanding_principal=bid.accepted_amount, rate=loan.interest_rate,
             status=NoteStatus.ACTIVE)
        for bid in bids
    ]
    return Note.objects.bulk_create(notes)
