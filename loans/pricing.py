"""What a listing offers lenders (DESIGN.md, "Pricing"; API.md, "Added with the second wave"):
the expected loss rate and the expected net return of a loan at a rate, from the PD and term it
was scored with and the active model's pricing. A listing's floor and recommended rate are
stored when it is listed and never recomputed: open listings keep the floor they were quoted."""

from decimal import Decimal

from risk.services import active_pricing, expected_figures

from .models import Loan, LoanStatus

__all__ = ["active_pricing", "expected_at", "listing_rate", "listing_expected"]


def listing_rate(loan: Loan) -> Decimal:
    """The rate a lender earns on ``loan`` now: the clearing rate once accepted or covered,
    the borrower's maximum before it is covered."""
    if loan.status != LoanStatus.LISTED and loan.interest_rate is not None:
        return loan.interest_rate
    return loan.clearing_rate if loan.clearing_rate is not None else loan.max_rate


def expected_at(loan: Loan, rate, pricing) -> tuple[Decimal | None, Decimal | None]:
    """(expected loss rate, expected net return) of ``loan`` at ``rate``, or (None, None) when
    the loan has no PD or no model prices it."""
    if pricing is None or loan.probability_default is None:
        return None, None
    return expected_figures(pricing=pricing, probability_default=loan.probability_default,
                            term_months=loan.term_months, rate=rate)


def listing_expected(loan: Loan, pricing) -> tuple[Decimal | None, Decimal | None]:
    return expected_at(loan, listing_rate(loan), pricing)
