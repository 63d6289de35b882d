"""The bid rule: what any bid must satisfy, whoever places it. A person through
``loans.services.bid_place``, a batch through ``loans.batch.bids_place_batch`` and the bot engine
(``bots.engine``) all ask these functions, so the limits (minimum bid, the grade floor and the
borrower's maximum rate, no bid on one's own loan, the listing still open) are written once.

Pure: they read the loan's fields and the order and run no query, so the engine can ask them over
its snapshot of the market. Each returns the refusal (not raised) or None; the services raise it.
Checks that need the locked state (an open bid already there, the lender's cash) stay with the
services that hold the locks.
"""

from datetime import datetime
from decimal import Decimal

from communitylend.core.errors import ApplicationError, InvalidState
from communitylend.core.money import CENT, cents_down, cents_up

from .models import MIN_BID, Loan, LoanStatus


class BidRejected(ApplicationError):
    pass


RATE_STEP = Decimal("0.0001")  # rates carry up to 4 decimals (DESIGN.md, "Money")


def two_decimals_problem(value: Decimal, field: str) -> ApplicationError | None:
    if value != value.quantize(CENT):
        return ApplicationError(f"{field} can have at most two decimals", field=field)
    return None


def rate_decimals_problem(value: Decimal, field: str) -> ApplicationError | None:
    if value != value.quantize(RATE_STEP):
        return ApplicationError(f"{field} can have at most four decimals", field=field)
    return None


def bid_rates(loan: Loan) -> tuple[Decimal, Decimal]:
    """The range the bot engine prices in, in hundredths of a percent: the grade floor rounded
    up and the borrower's maximum rounded down (a person may bid to the fourth decimal, within
    the exact floor and maximum that ``bid_terms_problem`` checks). The range is empty when the
    maximum is under the floor."""
    return cents_up(loan.floor_rate), cents_down(loan.max_rate)


def bid_open_problem(loan: Loan, *, now: datetime) -> InvalidState | None:
    if loan.status != LoanStatus.LISTED or now >= loan.funding_deadline:
        return InvalidState("This listing is not open for bids")
    return None


def _bid_amount_problem(loan: Loan, amount: Decimal) -> ApplicationError | None:
    if amount < MIN_BID:
        return BidRejected(f"The minimum bid is {MIN_BID}", field="amount")
    if amount > loan.amount:
        return BidRejected(f"A bid cannot be more than the loan amount ({loan.amount:,.2f})",
                           field="amount")
    return two_decimals_problem(amount, "amount")


def _bid_rate_problem(loan: Loan, rate: Decimal) -> ApplicationError | None:
    if problem := rate_decimals_problem(rate, "rate"):
        return problem
    if rate < loan.floor_rate:
        return BidRejected(f"The rate must be at least the grade {loan.risk_grade} floor of "
                           f"{loan.floor_rate:.2f}%", field="rate")
    if rate > loan.max_rate:
        return BidRejected(f"The rate cannot be above the borrower's maximum of "
                           f"{loan.max_rate:.2f}%", field="rate")
    return None


def bid_terms_problem(loan: Loan, *, amount: Decimal, rate: Decimal) -> ApplicationError | None:
    """Why ``amount`` at ``rate`` is not a bid ``loan`` accepts, or None: every problem, the
    amount's and the rate's, in one message (``field`` names the first)."""
    problems = [p for p in (_bid_amount_problem(loan, amount), _bid_rate_problem(loan, rate))
                if p is not None]
    if len(problems) < 2:
        return problems[0] if problems else None
    return BidRejected("; ".join(p.message for p in problems), field=problems[0].field,
                       extra={"fields": [p.field for p in problems]})


def bid_problem(loan: Loan, *, lender_id: int, amount: Decimal, rate: Decimal,
                now: datetime) -> ApplicationError | None:
    """Why ``lender_id`` may not bid ``amount`` at ``rate`` on ``loan`` at ``now``, or None: the
    first of own loan, listing closed, terms (the order ``bid_place`` has always reported)."""
    if loan.borrower_id == lender_id:
        return BidRejected("You cannot bid on your own loan")
    return bid_open_problem(loan, now=now) or bid_terms_problem(loan, amount=amount, rate=rate)
