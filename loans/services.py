"""The marketplace's write path: applications, bids, closing, acceptance (DESIGN.md, "Loan
lifecycle"). Every service locks the loan row first, then (through the ledger) the money accounts
in primary-key order, re-reads state after locking, and refuses a wrong state with a domain error.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.integrations import WebhookDraft, webhook_emit, webhook_emit_many
from accounts.models import User, WebhookEvent
from accounts.services import audit_record, notification_create
from communitylend.core.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from communitylend.core.money import TERMS
from investments.services import notes_create_for_loan
from payments.amortization import Schedule, amortize, installment_amount
from payments.ledger import hold_funds, release_funds
from payments.schedules import installments_create
from risk.models import RiskAssessment
from risk.services import (
    active_pricing,
    expected_loss_share,
    grade_floor_rate,
    inputs_from_profile,
    risk_assess,
)

from .agreements import (
    FinalTerms,
    acceptable_principal,
    agreement_check_version,
    final_terms,
    signed_copy,
)
from .auction import bid_views, clear
from .disbursement import disbursement_post
from .models import (
    ACCEPTABLE,
    AWAITING_ACCEPTANCE,
    MAX_LOAN,
    MIN_LOAN,
    PARTIAL_FUNDING_THRESHOLD,
    Bid,
    BidStatus,
    LenderPreference,
    Loan,
    LoanAgreement,
    LoanStatus,
    Purpose,
    RiskTolerance,
    SignedAgreement,
    origination_fee,
)
from .rules import (
    BidRejected,
    bid_open_problem,
    bid_problem,
    bid_terms_problem,
    rate_decimals_problem,
    two_decimals_problem,
)

logger = logging.getLogger(__name__)
MAX_RATE = Decimal("36.00")


def _check_rate_decimals(value: Decimal, field: str) -> None:
    if problem := rate_decimals_problem(value, field):
        raise problem


def _check_two_decimals(value: Decimal, field: str) -> None:
    if problem := two_decimals_problem(value, field):
        raise problem


# --- Application --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanTerms:
    """What an offer shows: payment at a rate, APR with the origination fee, total cost."""

    monthly_payment: Decimal
    total_payment: Decimal
    origination_fee: Decimal
    apr: Decimal


def loan_terms(*, amount: Decimal, rate: Decimal, term_months: int, grade: str) -> LoanTerms:
    payment = installment_amount(amount, rate, term_months)
    schedule = amortize(amount, rate, term_months, timezone.localdate())
    fee = origination_fee(amount, grade)
    return LoanTerms(monthly_payment=payment, total_payment=schedule.total_payment,
                     origination_fee=fee,
                     apr=apr_percent(amount - fee, [row.payment for row in schedule.rows]))


def apr_percent(received: Decimal, payments: list[Decimal]) -> Decimal:
    """Annual percentage rate (monthly rate x 12) that makes the payments worth what the borrower
    received: the cost of credit including the origination fee. Bisection on the monthly rate."""
    if received <= 0 or not payments:
        return Decimal("0.00")
    received_f = float(received)
    flows = [float(p) for p in payments]

    def value(rate: float) -> float:
        return sum(p / (1 + rate) ** (k + 1) for k, p in enumerate(flows)) - received_f

    low, high = 0.0, 1.0
    for _ in range(100):
        mid = (low + high) / 2
        if value(mid) > 0:
            low = mid
        else:
            high = mid
    return Decimal(str(round(low * 1200, 2)))


def _validate_application(amount, term_months, purpose, max_rate) -> None:
    if amount < MIN_LOAN or amount > MAX_LOAN:
        raise ApplicationError(f"amount must be between {MIN_LOAN:,.2f} and {MAX_LOAN:,.2f}",
                               field="amount")
    _check_two_decimals(amount, "amount")
    if term_months not in TERMS:
        raise ApplicationError(f"termMonths must be one of {', '.join(map(str, TERMS))}",
                               field="term_months")
    if purpose not in Purpose.values:
        raise ApplicationError(f"purpose must be one of {', '.join(Purpose.values)}",
                               field="purpose")
    if max_rate <= 0 or max_rate > MAX_RATE:
        raise ApplicationError(f"interestRate (your maximum) must be above 0 and at most "
                               f"{MAX_RATE}%", field="interest_rate")
    _check_rate_decimals(max_rate, "interest_rate")


def loan_apply(*, borrower: User, amount: Decimal, term_months: int, purpose: str,
               max_rate: Decimal, description: str = "", collateral_description: str = "",
               staff_grade: str | None = None, acting_user: User | None = None,
               now: datetime | None = None) -> Loan:
    """List a loan. The risk module scores it now: its PD and term set the floor and the
    recommended rate, its grade the fee.
    ``staff_grade`` (CSV import) overrides the model's grade, which is kept beside it."""
    amount, max_rate = Decimal(amount), Decimal(max_rate)
    _validate_application(amount, term_months, purpose, max_rate)
    missing = borrower.missing_profile_fields()
    if missing:
        raise ApplicationError(
            "Complete your profile before applying; missing: " + ", ".join(missing),
            field=missing[0],
        )
    with transaction.atomic(durable=True):
        return loan_list_in_transaction(
            borrower=borrower, amount=amount, term_months=term_months, purpose=purpose,
            max_rate=max_rate, description=description,
            collateral_description=collateral_description, staff_grade=staff_grade,
            acting_user=acting_user, now=now or timezone.now())


def loan_list_in_transaction(*, borrower: User, amount: Decimal, term_months: int, purpose: str,
                             max_rate: Decimal, description: str = "",
                             collateral_description: str = "", staff_grade: str | None = None,
                             acting_user: User | None = None, now: datetime) -> Loan:
    """The listing itself, inside the caller's transaction (``loan_apply``, and the staff CSV
    import, which lists many loans all or nothing for borrowers whose profile staff vouch for)."""

    assessment = risk_assess(
        inputs=inputs_from_profile(borrower, loan_amount=amount, term_months=term_months,
                                   purpose=purpose),
        user=borrower, source=(RiskAssessment.Source.IMPORT if staff_grade
                               else RiskAssessment.Source.APPLICATION),
    )
    grade = staff_grade or assessment.grade
    # The floor is that of the loan's own PD and term; a grade staff gave (an import) sets the
    # floor at that grade's pooled PD instead (DESIGN.md, "Pricing"). Stored now and never
    # recomputed: the listing keeps the floor it was quoted when the pricing changes.
    if grade == assessment.grade:
        floor, recommended = assessment.floor_rate, assessment.recommended_rate
    else:
        floor = grade_floor_rate(grade, term_months)
        recommended = max(floor, assessment.recommended_rate)
    terms = loan_terms(amount=amount, rate=max_rate, term_months=term_months, grade=grade)
    pricing = active_pricing()
    loss_share = Decimal("0.0000") if pricing is None else expected_loss_share(
        pricing=pricing, probability_default=assessment.probability_default,
        term_months=term_months)
    loan = Loan.objects.create(
        borrower=borrower, requested_amount=amount, amount=amount, max_rate=max_rate,
        term_months=term_months, purpose=purpose, description=description[:2000],
        collateral_description=collateral_description[:1000], status=LoanStatus.LISTED,
        risk_grade=grade, model_grade=assessment.grade, ml_score=assessment.risk_score,
        probability_default=assessment.probability_default,
        recommended_rate=recommended, floor_rate=floor, risk_assessment=assessment,
        expected_loss_share=loss_share,
        monthly_payment=terms.monthly_payment, total_payment=terms.total_payment,
        origination_fee=terms.origination_fee, apr=terms.apr,
        funding_deadline=now + timedelta(days=settings.LISTING_DAYS),
    )
    if not borrower.is_borrower:
        User.objects.filter(pk=borrower.pk).update(is_borrower=True)
    audit_record(actor=acting_user or borrower, event="loan.listed", target=loan, new={
        "amount": amount, "max_rate": max_rate, "term_months": term_months,
        "grade": grade, "floor_rate": floor})
    return loan


def loan_raise_max_rate(*, borrower: User, loan_id: int, max_rate: Decimal) -> Loan:
    """The borrower raises the maximum rate of an open listing (e.g. above the grade floor, so
    lenders can bid). Lowering it would strand bids already placed, so it is refused."""
    max_rate = Decimal(max_rate)
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != borrower.pk:
            raise PermissionDenied("Only the borrower can change this listing")
        if loan.status != LoanStatus.LISTED:
            raise InvalidState("Only an open listing's maximum rate can change")
        _check_rate_decimals(max_rate, "interest_rate")
        if max_rate < loan.max_rate:
            raise ApplicationError(
                f"The maximum rate can only go up: it is {loan.max_rate:.2f}%, so enter "
                f"{loan.max_rate:.2f}% or more (lenders bid against it)",
                field="interest_rate")
        if max_rate > MAX_RATE:
            raise ApplicationError(f"interestRate can be at most {MAX_RATE}%",
                                   field="interest_rate")
        old = {"max_rate": loan.max_rate}
        terms = loan_terms(amount=loan.amount, rate=max_rate, term_months=loan.term_months,
                           grade=loan.risk_grade)
        loan.max_rate = max_rate
        loan.monthly_payment, loan.total_payment = terms.monthly_payment, terms.total_payment
        loan.apr, loan.origination_fee = terms.apr, terms.origination_fee
        loan.save(update_fields=["max_rate", "monthly_payment", "total_payment", "apr",
                                 "origination_fee", "updated_at"])
        audit_record(actor=borrower, event="loan.max_rate_raised", target=loan, old=old,
                     new={"max_rate": max_rate})
    return loan


def loan_cancel(*, acting_user: User, loan_id: int) -> Loan:
    """The borrower (or staff) withdraws a listing that is not yet accepted; every hold is
    released."""
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.borrower_id != acting_user.pk and not acting_user.has_perm("loans.change_loan"):
            raise PermissionDenied("Only the borrower can cancel this loan")
        if loan.status not in ACCEPTABLE:
            raise InvalidState(f"Cannot cancel a loan that is {loan.get_status_display().lower()}")
        _end_listing(loan, LoanStatus.CANCELLED, acting_user=acting_user)
    return loan


# --- Bids ---------------------------------------------------------------------------------------


def _lock_loan(loan_id: int) -> Loan:
    loan = Loan.objects.select_for_update().filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("Loan not found")
    return loan


def _open_bids(loan: Loan) -> list[Bid]:
    return list(Bid.objects.select_for_update().filter(loan=loan, status=BidStatus.OPEN)
                .order_by("rate", "placed_at", "id"))


def _refresh_live_state(loan: Loan, bids: list[Bid] | None = None):
    """Recompute covered amount, bidder count and clearing rate from the open bids."""
    bids = _open_bids(loan) if bids is None else bids
    clearing = clear(bid_views(bids), loan.amount)
    loan.bid_total = sum((b.amount for b in bids), Decimal("0.00"))
    loan.bid_count = len(bids)
    loan.clearing_rate = clearing.clearing_rate if clearing.fully_covered else None
    Loan.objects.filter(pk=loan.pk).update(bid_total=loan.bid_total, bid_count=loan.bid_count,
                                           clearing_rate=loan.clearing_rate,
                                           updated_at=timezone.now())
    return clearing


def _notify_outbid(loan: Loan, before: dict[int, Decimal], after, bids: list[Bid],
                   now: datetime) -> None:
    """Lenders whose accepted amount fell get one outbid digest per listing per hour."""
    hour = now.strftime("%Y%m%d%H")
    by_id = {b.id: b for b in bids}
    for bid_id, amount_before in before.items():
        bid = by_id.get(bid_id)
        if bid is None or after.accepted_amount(bid_id) >= amount_before:
            continue
        webhook_emit(user_id=bid.lender_id, event=WebhookEvent.BID_OUTBID, data={
            "bidId": bid.pk, "loanId": loan.pk, "amount": bid.amount, "rate": bid.rate,
            "acceptedAmountBefore": amount_before,
            "acceptedAmount": after.accepted_amount(bid_id)})
        notification_create(
            user_id=bid.lender_id, kind="outbid", title=f"You were outbid on loan #{loan.pk}",
            body=f"Lower rates now cover loan #{loan.pk}. Your bid of {bid.amount:,.2f} at "
                 f"{bid.rate:.2f}% is {'partly ' if after.accepted_amount(bid_id) else ''}"
                 "outside the clearing amount. You can lower your rate while the listing is open.",
            url=f"/loans/{loan.pk}/", dedupe_key=f"outbid:{loan.pk}:{bid.lender_id}:{hour}",
        )


def bid_place(*, lender: User, loan_id: int, amount: Decimal, rate: Decimal,
              source: str = "manual", now: datetime | None = None) -> Bid:
    """Place a bid and hold its amount in the lender's wallet."""
    amount, rate = Decimal(amount), Decimal(rate)
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        bid = _bid_place_locked(loan=loan, lender=lender, amount=amount, rate=rate,
                                source=source, now=now)
    return bid


def _bid_place_locked(*, loan: Loan, lender: User, amount: Decimal, rate: Decimal, source: str,
                      now: datetime) -> Bid:
    """``bid_place`` inside a transaction that already holds the loan's lock (the bot cycle
    places many bids in one transaction through this)."""
    if problem := bid_problem(loan, lender_id=lender.pk, amount=amount, rate=rate, now=now):
        raise problem
    if settings.LENDER_KYC_REQUIRED and not lender.is_verified:
        raise BidRejected("Verify your identity before lending")
    bids = _open_bids(loan)
    if any(b.lender_id == lender.pk for b in bids):
        raise BidRejected("You already have an open bid on this listing: change it instead",
                          field="loan_id")
    before = clear(bid_views(bids), loan.amount).accepted
    try:
        with transaction.atomic():
            bid = Bid.objects.create(loan=loan, lender=lender, amount=amount, rate=rate,
                                     placed_at=now, source=source)
    except IntegrityError as exc:
        raise BidRejected("You already have an open bid on this listing") from exc
    hold_funds(user_id=lender.pk, amount=amount, key=f"bid:{bid.pk}:hold:1",
               memo=f"Bid #{bid.pk} on loan #{loan.pk}", acting_user=lender)
    bids.append(bid)
    bids.sort(key=lambda b: (b.rate, b.placed_at, b.id))
    after = _refresh_live_state(loan, bids)
    _notify_outbid(loan, before, after, bids, now)
    if not lender.is_lender:
        User.objects.filter(pk=lender.pk).update(is_lender=True)
    hour = now.strftime("%Y%m%d%H")
    notification_create(
        user_id=loan.borrower_id, kind="bid_received", title=f"New bids on loan #{loan.pk}",
        body=f"Your listing is {loan.funded_percent}% covered by {loan.bid_count} bids.",
        url=f"/loans/{loan.pk}/", dedupe_key=f"bid-received:{loan.pk}:{hour}", email=False,
    )
    audit_record(actor=lender, event="bid.placed", target=bid,
                 new={"loan": loan.pk, "amount": amount, "rate": rate, "source": source})
    return bid


def _lock_bid(bid_id: int, lender: User) -> tuple[Loan, Bid]:
    loan_id = Bid.objects.filter(pk=bid_id, lender=lender).values_list("loan_id", flat=True).first()
    if loan_id is None:
        raise NotFound("Bid not found")
    loan = _lock_loan(loan_id)
    bid = Bid.objects.select_for_update().get(pk=bid_id)
    return loan, bid


def bid_update(*, lender: User, bid_id: int, rate: Decimal | None = None,
               amount: Decimal | None = None, now: datetime | None = None) -> Bid:
    """Lower a bid's rate and/or change its amount; the hold follows the amount."""
    now = now or timezone.now()
    if rate is None and amount is None:
        raise ApplicationError("Give a new rate or amount", field="rate")
    with transaction.atomic(durable=True):
        loan, bid = _lock_bid(bid_id, lender)
        return _bid_update_locked(loan=loan, bid=bid, lender=lender, rate=rate, amount=amount,
                                  now=now)


def _bid_update_locked(*, loan: Loan, bid: Bid, lender: User, rate, amount, now) -> Bid:
    if bid.status != BidStatus.OPEN:
        raise InvalidState(f"Cannot change a bid that is {bid.get_status_display().lower()}")
    if problem := bid_open_problem(loan, now=now):
        raise problem
    new_rate = bid.rate if rate is None else Decimal(rate)
    new_amount = bid.amount if amount is None else Decimal(amount)
    if new_rate > bid.rate:
        raise BidRejected("A bid's rate can only be lowered while the listing is open",
                          field="rate")
    if problem := bid_terms_problem(loan, amount=new_amount, rate=new_rate):
        raise problem
    if new_rate == bid.rate and new_amount == bid.amount:
        return bid
    bids = _open_bids(loan)
    before = clear(bid_views(bids), loan.amount).accepted
    old = {"amount": bid.amount, "rate": bid.rate}
    version = bid.version + 1
    delta = new_amount - bid.amount
    if delta > 0:
        hold_funds(user_id=lender.pk, amount=delta, key=f"bid:{bid.pk}:hold:{version}",
                   memo=f"Bid #{bid.pk} raised", acting_user=lender)
        bid.placed_at = now
    elif delta < 0:
        release_funds(user_id=lender.pk, amount=-delta, key=f"bid:{bid.pk}:release:{version}",
                      memo=f"Bid #{bid.pk} lowered", acting_user=lender)
    bid.rate, bid.amount, bid.version = new_rate, new_amount, version
    bid.save(update_fields=["rate", "amount", "version", "placed_at", "updated_at"])
    bids = [bid if b.pk == bid.pk else b for b in bids]
    bids.sort(key=lambda b: (b.rate, b.placed_at, b.id))
    after = _refresh_live_state(loan, bids)
    _notify_outbid(loan, before, after, bids, now)
    audit_record(actor=lender, event="bid.changed", target=bid, old=old,
                 new={"amount": new_amount, "rate": new_rate})
    return bid


def bid_withdraw(*, lender: User, bid_id: int, now: datetime | None = None) -> Bid:
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        loan, bid = _lock_bid(bid_id, lender)
        if bid.status != BidStatus.OPEN:
            raise InvalidState(f"Cannot withdraw a bid that is {bid.get_status_display().lower()}")
        if loan.status != LoanStatus.LISTED:
            raise InvalidState("Bids cannot be withdrawn once the listing has closed")
        _release_bid(bid, BidStatus.WITHDRAWN, acting_user=lender)
        _refresh_live_state(loan)
        audit_record(actor=lender, event="bid.withdrawn", target=bid,
                     old={"status": BidStatus.OPEN}, new={"status": BidStatus.WITHDRAWN})
    return bid


def _release_bid(bid: Bid, status: str, *, acting_user: User | None) -> None:
    """Release a bid's whole hold (exactly once: the key is the bid's) and close it."""
    updated = Bid.objects.filter(pk=bid.pk, status=BidStatus.OPEN).update(
        status=status, updated_at=timezone.now())
    if updated != 1:
        return
    release_funds(user_id=bid.lender_id, amount=bid.amount, key=f"bid:{bid.pk}:release:final",
                  memo=f"Bid #{bid.pk} {status}", acting_user=acting_user)
    bid.status = status


# --- Closing ------------------------------------------------------------------------------------


def _end_listing(loan: Loan, status: str, *, acting_user: User | None) -> None:
    old = loan.status
    for bid in _open_bids(loan):
        _release_bid(bid, BidStatus.WITHDRAWN if status == LoanStatus.CANCELLED else BidStatus.LOST,
                     acting_user=acting_user)
        notification_create(
            user_id=bid.lender_id, kind=f"listing_{status}",
            title=f"Loan #{loan.pk} {status}: your {bid.amount:,.2f} is released",
            body=f"The listing ended ({status}); the funds held for your bid are available again.",
            url=f"/loans/{loan.pk}/", email=False,
        )
    loan.status = status
    loan.closed_at = timezone.now()
    Loan.objects.filter(pk=loan.pk).update(status=status, closed_at=loan.closed_at,
                                           bid_total=Decimal("0.00"), bid_count=0,
                                           clearing_rate=None)
    loan.bid_total, loan.bid_count, loan.clearing_rate = Decimal("0.00"), 0, None
    audit_record(actor=acting_user, event=f"loan.{status}", target=loan, old={"status": old},
                 new={"status": status})
    notification_create(
        user_id=loan.borrower_id, kind=f"listing_{status}",
        title=f"Your loan #{loan.pk} is {status}",
        body="Every bid's hold was released." if status == LoanStatus.EXPIRED else
             "Your listing was cancelled.",
        url=f"/loans/{loan.pk}/",
    )


def listing_close(*, loan_id: int, now: datetime) -> str | None:
    """Close one listing whose time is up; returns the new status, or None if nothing to do."""
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        if loan.status == LoanStatus.LISTED and loan.funding_deadline <= now:
            coverage = min(loan.bid_total, loan.amount) / loan.amount
            if coverage >= 1 or coverage >= PARTIAL_FUNDING_THRESHOLD:
                status = LoanStatus.FUNDED if coverage >= 1 else LoanStatus.PARTIALLY_FUNDED
                loan.status = status
                loan.acceptance_deadline = loan.funding_deadline + timedelta(
                    days=settings.ACCEPTANCE_DAYS)
                Loan.objects.filter(pk=loan.pk).update(
                    status=status, acceptance_deadline=loan.acceptance_deadline)
                audit_record(actor=None, event=f"loan.{status}", target=loan,
                             old={"status": LoanStatus.LISTED}, new={"status": status})
                covered = min(loan.bid_total, loan.amount)
                notification_create(
                    user_id=loan.borrower_id, kind=f"listing_{status}",
                    title=f"Loan #{loan.pk} is {'funded' if coverage >= 1 else 'partially funded'}",
                    body=f"Bids cover {covered:,.2f} of {loan.amount:,.2f}. Accept by "
                         f"{timezone.localtime(loan.acceptance_deadline):%Y-%m-%d %H:%M} to "
                         "receive the money.",
                    url=f"/loans/{loan.pk}/",
                )
                return status
            _end_listing(loan, LoanStatus.EXPIRED, acting_user=None)
            return LoanStatus.EXPIRED
        if loan.status in AWAITING_ACCEPTANCE and loan.acceptance_deadline <= now:
            _end_listing(loan, LoanStatus.EXPIRED, acting_user=None)
            return LoanStatus.EXPIRED
    return None


def listings_close_due(*, now: datetime) -> dict[str, int]:
    """Close every listing due by ``now`` (each in its own transaction; safe to run twice)."""
    due = list(
        Loan.objects.filter(status=LoanStatus.LISTED, funding_deadline__lte=now)
        .values_list("pk", flat=True)
    ) + list(
        Loan.objects.filter(status__in=AWAITING_ACCEPTANCE, acceptance_deadline__lte=now)
        .values_list("pk", flat=True)
    )
    counts: dict[str, int] = {}
    for loan_id in due:
        status = listing_close(loan_id=loan_id, now=now)
        if status:
            counts[status] = counts.get(status, 0) + 1
    return counts


# --- Acceptance and disbursement ----------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    """The borrower's acceptance of the agreement: the version they read, and from where."""

    agreement_version: int | str | None
    ip_address: str | None = None
    user_agent: str = ""


def loan_accept(*, borrower: User, loan_id: int, amount: Decimal | None = None,
                consent: Consent | None = None, reviewed_rate: Decimal | None = None,
                now: datetime | None = None) -> Loan:
    """Accept the bids and disburse in one step: notes, money moved, schedule, loan active.

    The borrower's pages and the API always pass ``consent`` (the agreement version read, the
    address and browser): the signed copy is kept with the loan. Only internal callers (the demo
    seeder, test fixtures) accept without one. ``reviewed_rate`` is the rate the review showed:
    if bids changed since and the rate would be higher, nothing happens and the borrower reviews
    again."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        loan = _lock_loan(loan_id)
        bids = _open_bids(loan)
        principal = acceptable_principal(loan=loan, borrower=borrower, bids=bids, amount=amount,
                                         now=now)
        agreement = (agreement_check_version(agreement_version=consent.agreement_version,
                                             now=now) if consent is not None else None)
        if reviewed_rate is not None and (
                clear(bid_views(bids), principal).clearing_rate > reviewed_rate):
            raise InvalidState("The bids changed since your review and the rate would be "
                               "higher: review the new terms before accepting")
        terms = _disburse(loan, bids, principal, now=now, acting_user=borrower)
        if agreement is not None:
            _agreement_sign(loan, borrower, agreement, terms, consent, now=now)
    return loan


def agreement_save(*, acting_user: User, agreement: LoanAgreement) -> LoanAgreement:
    """Publish a new version of the loan agreement (or correct one nobody has signed yet)."""
    with transaction.atomic(durable=True):
        if agreement.pk is None:
            last = LoanAgreement.objects.select_for_update().order_by("-version").first()
            agreement.version = (last.version if last else 0) + 1
            agreement.created_by = acting_user
            agreement.published_at = agreement.published_at or timezone.now()
            old = None
        else:
            if SignedAgreement.objects.filter(agreement_id=agreement.pk).exists():
                raise InvalidState("A signed version cannot change: publish a new version")
            old = {"version": agreement.version}
        agreement.save()
        audit_record(actor=acting_user, event="loan.agreement_published", target=agreement,
                     old=old, new={"version": agreement.version, "title": agreement.title})
    return agreement


def _agreement_sign(loan: Loan, borrower: User, agreement, terms: FinalTerms, consent: Consent,
                    *, now: datetime) -> SignedAgreement:
    text, digest = signed_copy(agreement, loan=loan, borrower=borrower, terms=terms,
                               signed_at=now, ip=consent.ip_address, user_agent=consent.user_agent)
    signed = SignedAgreement.objects.create(
        loan=loan, borrower=borrower, agreement=agreement, version=agreement.version,
        signed_at=now, ip_address=consent.ip_address, user_agent=consent.user_agent[:500],
        terms=terms.as_json(), text=text, sha256=digest)
    audit_record(actor=borrower, event="loan.agreement_signed", target=loan, old=None,
                 new={"version": agreement.version, "ip": consent.ip_address,
                      "sha256": digest})
    return signed


def _disburse(loan: Loan, bids: list[Bid], principal: Decimal, *, now,
              acting_user) -> FinalTerms:
    terms = final_terms(loan=loan, bids=bids, principal=principal,
                        start=timezone.localdate(now))
    clearing, rate, fee = terms.clearing, terms.rate, terms.origination_fee
    won = []
    for bid in bids:
        accepted = clearing.accepted_amount(bid.pk)
        if accepted <= 0:
            _release_bid(bid, BidStatus.LOST, acting_user=acting_user)
            continue
        status = BidStatus.WON if accepted == bid.amount else BidStatus.PARTLY_WON
        Bid.objects.filter(pk=bid.pk).update(status=status, accepted_amount=accepted,
                                             updated_at=now)
        bid.status, bid.accepted_amount = status, accepted
        if accepted < bid.amount:
            release_funds(user_id=bid.lender_id, amount=bid.amount - accepted,
                          key=f"bid:{bid.pk}:release:unaccepted",
                          memo=f"Bid #{bid.pk}: unaccepted part", acting_user=acting_user)
        won.append(bid)
    disbursement_post(loan_id=loan.pk, borrower_id=loan.borrower_id,
                      lender_amounts=[(b.lender_id, b.accepted_amount) for b in won],
                      fee=fee, key=f"loan:{loan.pk}:disbursement",
                      memo=f"Disbursement of loan #{loan.pk}", acting_user=acting_user)
    schedule = Schedule(installment=terms.monthly_payment, rows=terms.schedule)
    loan.apr = terms.apr
    old_status = loan.status
    loan.amount, loan.interest_rate, loan.origination_fee = principal, rate, fee
    loan.monthly_payment, loan.total_payment = schedule.installment, schedule.total_payment
    loan.status, loan.disbursed_at, loan.closed_at = LoanStatus.ACTIVE, now, now
    loan.bid_total, loan.bid_count, loan.clearing_rate = principal, len(won), rate
    loan.outstanding_principal = principal
    loan.save()
    notes_create_for_loan(loan=loan, bids=won)
    installments_create(loan_id=loan.pk, schedule=schedule)
    audit_record(actor=acting_user, event="loan.disbursed", target=loan,
                 old={"status": old_status},
                 new={"status": LoanStatus.ACTIVE, "amount": principal, "rate": rate, "fee": fee})
    notification_create(
        user_id=loan.borrower_id, kind="loan_disbursed", title=f"Loan #{loan.pk} disbursed",
        body=f"{principal - fee:,.2f} is in your wallet ({principal:,.2f} less the "
             f"{fee:,.2f} origination fee). Monthly payment {schedule.installment:,.2f} at "
             f"{rate:.2f}%.",
        url=f"/loans/{loan.pk}/",
    )
    _emit_funded(loan, won, fee=fee)
    for bid in won:
        notification_create(
            user_id=bid.lender_id, kind="loan_disbursed",
            title=f"You funded {bid.accepted_amount:,.2f} of loan #{loan.pk}",
            body=f"Your note earns {rate:.2f}% a year over {loan.term_months} months.",
            url="/portfolio/", email=False,
        )
    return terms


def _emit_funded(loan: Loan, won: list[Bid], *, fee: Decimal) -> None:
    """Webhooks of a disbursement: ``loan.funded`` to the borrower and each lender, ``bid.won``
    to each winning bid's lender."""
    terms = {"loanId": loan.pk, "amount": loan.amount, "interestRate": loan.interest_rate,
             "termMonths": loan.term_months, "monthlyPayment": loan.monthly_payment}
    drafts = [WebhookDraft(loan.borrower_id, WebhookEvent.LOAN_FUNDED, {
        **terms, "role": "borrower", "originationFee": fee, "amountReceived": loan.amount - fee})]
    for bid in won:
        drafts.append(WebhookDraft(bid.lender_id, WebhookEvent.LOAN_FUNDED, {
            **terms, "role": "lender", "yourAmount": bid.accepted_amount}))
        drafts.append(WebhookDraft(bid.lender_id, WebhookEvent.BID_WON, {
            "bidId": bid.pk, "loanId": loan.pk, "amount": bid.amount,
            "acceptedAmount": bid.accepted_amount, "status": bid.status, "rate": bid.rate,
            "clearingRate": loan.interest_rate}))
    webhook_emit_many(drafts)


# --- Lender preferences -------------------------------------------------------------------------


def lender_preference_set(*, user: User, risk_tolerance: str = "", min_amount=None,
                          max_amount=None, terms=None):
    if risk_tolerance and risk_tolerance not in RiskTolerance.values:
        raise ApplicationError("riskTolerance must be conservative, balanced or aggressive",
                               field="risk_tolerance")
    terms = sorted(set(terms or []))
    if any(t not in TERMS for t in terms):
        raise ApplicationError(f"terms must be among {', '.join(map(str, TERMS))}",
                               field="terms")
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        raise ApplicationError("minAmount is above maxAmount", field="min_amount")
    with transaction.atomic(durable=True):
        preference, _ = LenderPreference.objects.select_for_update().get_or_create(user=user)
        old = {"risk_tolerance": preference.risk_tolerance, "terms": preference.terms}
        preference.risk_tolerance = risk_tolerance
        preference.min_amount, preference.max_amount = min_amount, max_amount
        preference.terms = terms
        preference.save()
        audit_record(actor=user, event="lender.preferences_set", target=preference, old=old,
                     new={"risk_tolerance": risk_tolerance, "terms": terms,
                          "min_amount": min_amount, "max_amount": max_amount})
    return preference
