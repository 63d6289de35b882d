"""The loan agreement and the final terms a borrower accepts (issue 19).

Accepting is two steps: a review that shows the final terms at the clearing rate (a
Truth-in-Lending-style box and the payment schedule) with the current agreement text, then the
acceptance that records the borrower's consent and keeps the signed copy with the loan. The terms
shown at review and the ones disbursed come from the one function here, ``final_terms``.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from communitylend.core.errors import ApplicationError, InvalidState, PermissionDenied
from communitylend.core.money import format_money as money
from payments.amortization import ScheduleRow, amortize

from .auction import Clearing, bid_views, clear
from .models import (
    ACCEPTABLE,
    AWAITING_ACCEPTANCE,
    MIN_LOAN,
    Bid,
    BidStatus,
    Loan,
    LoanAgreement,
    LoanStatus,
    origination_fee,
)
from .rules import two_decimals_problem

PLACEHOLDER = re.compile(r"\{(borrower_name|loan_id|lender_count|date)\}")


@dataclass(frozen=True)
class FinalTerms:
    """What the borrower gets and pays if they accept now (Truth in Lending's box)."""

    amount: Decimal  # the principal
    rate: Decimal  # the clearing rate
    origination_fee: Decimal
    monthly_payment: Decimal
    apr: Decimal
    schedule: list[ScheduleRow]
    clearing: Clearing

    @property
    def amount_received(self) -> Decimal:
        return self.amount - self.origination_fee

    @property
    def total_of_payments(self) -> Decimal:
        return sum((row.payment for row in self.schedule), Decimal("0.00"))

    @property
    def finance_charge(self) -> Decimal:
        """Everything the credit costs: interest and the fee (total paid less amount received)."""
        return self.total_of_payments - self.amount_received

    @property
    def lender_count(self) -> int:
        return len(self.clearing.accepted)

    def as_json(self) -> dict:
        return {
            "amount": str(self.amount), "rate": str(self.rate),
            "originationFee": str(self.origination_fee),
            "amountReceived": str(self.amount_received), "apr": str(self.apr),
            "financeCharge": str(self.finance_charge),
            "totalOfPayments": str(self.total_of_payments),
            "monthlyPayment": str(self.monthly_payment),
            "schedule": [{"number": r.period, "dueDate": r.due_date.isoformat(),
                          "payment": str(r.payment), "principal": str(r.principal),
                          "interest": str(r.interest), "balance": str(r.balance)}
                         for r in self.schedule],
        }


def final_terms(*, loan: Loan, bids: list[Bid], principal: Decimal, start: date) -> FinalTerms:
    """The auction cleared for ``principal``, the fee by grade, the schedule from ``start`` and
    the APR with the fee: the same numbers for the review and the disbursement."""
    from .services import apr_percent  # the APR's one definition lives with loan_terms

    clearing = clear(bid_views(bids), principal)
    rate = clearing.clearing_rate
    fee = origination_fee(principal, loan.risk_grade)
    schedule = amortize(principal, rate, loan.term_months, start)
    return FinalTerms(amount=principal, rate=rate, origination_fee=fee,
                      monthly_payment=schedule.installment,
                      apr=apr_percent(principal - fee, [row.payment for row in schedule.rows]),
                      schedule=schedule.rows, clearing=clearing)


def acceptable_principal(*, loan: Loan, borrower, bids: list[Bid], amount: Decimal | None,
                         now: datetime) -> Decimal:
    """The principal the borrower may accept now (``amount``, or all that is covered), or the
    reason they may not: one set of checks for the review and the acceptance."""
    if loan.borrower_id != borrower.pk:
        raise PermissionDenied("Only the borrower can accept this loan")
    if not borrower.is_verified:
        raise ApplicationError(
            "Your identity must be verified before you can accept funding "
            f"(status: {borrower.get_verification_status_display().lower()}); upload your "
            "documents on the profile page")
    if loan.status not in ACCEPTABLE:
        raise InvalidState(f"Cannot accept a loan that is {loan.get_status_display().lower()}")
    if loan.status in AWAITING_ACCEPTANCE and now >= loan.acceptance_deadline:
        raise InvalidState("The time to accept this loan has passed")
    covered = min(sum((b.amount for b in bids), Decimal("0.00")), loan.amount)
    if loan.status == LoanStatus.LISTED and covered < loan.amount:
        raise InvalidState(
            f"Bids cover {covered:,.2f} of {loan.amount:,.2f}: you can accept once they "
            "cover 100%, or after the deadline if they cover at least 70%")
    principal = covered if amount is None else Decimal(amount)
    if problem := two_decimals_problem(principal, "amount"):
        raise problem
    if principal > covered:
        raise ApplicationError(f"You can accept at most the covered amount {covered:,.2f}",
                               field="amount")
    if principal < MIN_LOAN:
        raise ApplicationError(f"The accepted amount must be at least {MIN_LOAN:,.2f}",
                               field="amount")
    return principal


# --- The agreement's text -----------------------------------------------------------------------


def agreement_current(*, now: datetime | None = None) -> LoanAgreement:
    agreement = LoanAgreement.objects.filter(
        published_at__lte=now or timezone.now()).order_by("-version").first()
    if agreement is None:
        raise InvalidState("No loan agreement is published yet; staff publish one in the admin")
    return agreement


def agreement_check_version(*, agreement_version, now: datetime | None = None) -> LoanAgreement:
    """The agreement the borrower says they read must be the current one."""
    current = agreement_current(now=now)
    if agreement_version in (None, ""):
        raise ApplicationError("Read the loan agreement and accept it (agreementVersion is "
                               "required)", field="agreement_version")
    try:
        version = int(agreement_version)
    except (TypeError, ValueError):
        raise ApplicationError("agreementVersion must be a version number",
                               field="agreement_version") from None
    if version != current.version:
        raise ApplicationError(
            f"The loan agreement has changed (version {current.version}, you accepted "
            f"version {version}): read the new version and accept it",
            field="agreement_version", extra={"agreementVersion": current.version})
    return current


def agreement_body(agreement: LoanAgreement, *, loan: Loan, borrower, terms: FinalTerms,
                   on: date) -> str:
    """The agreement's text with this loan's facts in its placeholders."""
    values = {"borrower_name": borrower.get_full_name() or borrower.email,
              "loan_id": str(loan.pk), "lender_count": str(terms.lender_count),
              "date": on.isoformat()}
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], agreement.text)


def terms_box(terms: FinalTerms, *, term_months: int) -> str:
    lines = [
        "TRUTH IN LENDING DISCLOSURE",
        f"Annual percentage rate (APR, with the fee): {terms.apr:.2f}%",
        f"Interest rate: {terms.rate:.4f}% a year, fixed",
        f"Finance charge (interest and fee): {money(terms.finance_charge)}",
        f"Amount financed (received): {money(terms.amount_received)}",
        f"Total of payments: {money(terms.total_of_payments)}",
        f"Loan amount: {money(terms.amount)}; origination fee "
        f"{money(terms.origination_fee)}",
        f"Payments: {term_months} monthly payments of {money(terms.monthly_payment)} "
        "(the last one may differ)",
        "",
        "PAYMENT SCHEDULE",
        f"{'No.':>4}  {'Due':10}  {'Payment':>12}  {'Principal':>12}  {'Interest':>10}  "
        f"{'Balance':>12}",
    ]
    lines += [f"{r.period:>4}  {r.due_date.isoformat():10}  {r.payment:>12,.2f}  "
              f"{r.principal:>12,.2f}  {r.interest:>10,.2f}  {r.balance:>12,.2f}"
              for r in terms.schedule]
    return "\n".join(lines)


def signed_copy(agreement: LoanAgreement, *, loan: Loan, borrower, terms: FinalTerms,
                signed_at: datetime, ip: str | None, user_agent: str) -> tuple[str, str]:
    """The signed copy's text and its SHA-256."""
    on = timezone.localdate(signed_at)
    text = "\n".join([
        f"{agreement.title} (version {agreement.version})",
        f"Loan #{loan.pk} between {borrower.get_full_name() or borrower.email} (borrower) and "
        f"{terms.lender_count} lender(s) through CommunityLend",
        "",
        agreement_body(agreement, loan=loan, borrower=borrower, terms=terms, on=on),
        "",
        terms_box(terms, term_months=loan.term_months),
        "",
        f"Accepted electronically by {borrower.email} on {signed_at.isoformat()} "
        f"from {ip or 'unknown address'} with {user_agent or 'unknown browser'}.",
    ])
    return text, hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Review:
    """What the borrower reads before accepting: the final terms and the agreement's text."""

    loan: Loan
    terms: FinalTerms
    agreement: LoanAgreement
    text: str


def agreement_review(*, loan: Loan, borrower, amount: Decimal | None = None,
                     now: datetime | None = None) -> Review:
    """The review step (no lock, nothing written): the terms if the borrower accepted now."""
    now = now or timezone.now()
    bids = list(Bid.objects.filter(loan=loan, status=BidStatus.OPEN).order_by(
        "rate", "placed_at", "id"))
    principal = acceptable_principal(loan=loan, borrower=borrower, bids=bids, amount=amount,
                                     now=now)
    terms = final_terms(loan=loan, bids=bids, principal=principal, start=timezone.localdate(now))
    agreement = agreement_current(now=now)
    return Review(loan=loan, terms=terms, agreement=agreement,
                  text=agreement_body(agreement, loan=loan, borrower=borrower, terms=terms,
                                      on=timezone.localdate(now)))
