"""Whether a note may be sold, and at what price: the market's rules in one place (DESIGN.md,
"Secondary market"). Listing, repricing, buying, the daily recomputation and servicing's
suspensions all ask these functions."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from communitylend.core.money import CENT

from ..models import NoteStatus

MIN_PRICE_PERCENT = Decimal("50")
MAX_PRICE_PERCENT = Decimal("130")
MAX_DAYS_PAST_DUE = 15  # "current": within the grace period


def last_serviced_day(loan) -> date:
    return loan.serviced_through or timezone.localdate(loan.disbursed_at)


def note_sale_problem(note, *, as_of: date, payment_pending: bool, hardship_plan: bool = False,
                      trading: bool = True) -> str | None:
    """Why ``note`` cannot be sold on ``as_of`` (None when it can). ``note.loan`` is read;
    ``payment_pending``: the loan has a payment dated by ``as_of`` that servicing has not
    booked yet, or a bank debit still in its return window (a trade must not cross a payment
    that may still change); ``hardship_plan``: a hardship plan runs on the loan. ``trading``:
    also require the loan to be serviced through yesterday (listing and buying do; servicing's
    own requalification of a listing runs while it services the loan, so it does not)."""
    loan = note.loan
    if note.status != NoteStatus.ACTIVE or note.outstanding_principal <= 0:
        return "Only an active note with principal outstanding can be sold"
    if loan.status != "active" or loan.days_past_due > MAX_DAYS_PAST_DUE:
        return (f"The loan is {loan.status.replace('_', ' ')} ({loan.days_past_due} days past "
                "due): only notes of current loans (at most 15 days past due) can be sold")
    if trading and last_serviced_day(loan) < as_of - timedelta(days=1):
        # Trades happen only on loans serviced up to today: a catch-up never crosses a trade.
        return "The loan's servicing is not up to date; try again after today's servicing run"
    if payment_pending:
        return "A payment on the loan is pending; the note can be sold once it is booked"
    if hardship_plan:
        return ("The loan is under a hardship plan: its notes cannot be sold until the plan "
                "ends")
    return None


def price_problem(price: Decimal, *, price_percent: Decimal,
                  yield_to_maturity: Decimal) -> str | None:
    """Why ``price`` is refused for a note with these figures (None when it is allowed)."""
    if not price.is_finite() or price != price.quantize(CENT):
        return "The price has at most 2 decimals"
    if price <= 0:
        return "The price must be positive"
    if not MIN_PRICE_PERCENT <= price_percent <= MAX_PRICE_PERCENT:
        return (f"The price is {price_percent}% of outstanding principal plus accrued interest; "
                f"it must be between {MIN_PRICE_PERCENT}% and {MAX_PRICE_PERCENT}%")
    if yield_to_maturity < 0:
        return (f"At this price the buyer's yield to maturity would be {yield_to_maturity}%: "
                "a price may not give a negative yield")
    return None
