"""Reads of the secondary market: a note's figures today, the listings to browse, orders and
trades."""

import base64
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from communitylend.core.money import ZERO
from payments.models import HardshipPlan, Installment, Repayment
from payments.servicing.allocation import (
    CLOSED_INSTALLMENT,
    accrued_interest,
    is_due,
    period_start,
    running_installment,
)

from ..models import BuyOrder, Listing, ListingStatus, MarketControl, Note, Trade
from . import figures as fig
from .rules import note_sale_problem, price_problem


@dataclass
class NoteFigures:
    """A note's market figures on ``as_of``."""

    outstanding_principal: Decimal
    accrued_interest: Decimal
    remaining_payments: int
    flows: list
    rate: Decimal

    def price_percent(self, price: Decimal) -> Decimal:
        return fig.price_percent(price, self.outstanding_principal, self.accrued_interest)

    def yield_at(self, price: Decimal) -> Decimal:
        return fig.yield_to_maturity(self.flows, price)

    def model_value(self, annual_rate=None) -> Decimal:
        return fig.model_value(self.flows, self.rate if annual_rate is None else annual_rate)

    def price_problem(self, price: Decimal) -> str | None:
        if not price.is_finite() or price <= 0:
            return price_problem(price, price_percent=ZERO, yield_to_maturity=ZERO)
        return price_problem(price, price_percent=self.price_percent(price),
                             yield_to_maturity=self.yield_at(price))


def _loan_interest_due(rows, *, disbursed_on: date, as_of: date) -> Decimal:
    """Unpaid interest of installments due plus the running period's accrued interest (the
    interest part of servicing's payoff quote)."""
    past_due = sum((r.interest - r.interest_paid for r in rows
                    if r.status not in CLOSED_INSTALLMENT and is_due(r, as_of)), ZERO)
    running = running_installment(rows, as_of)
    if running is None:
        return past_due
    return past_due + accrued_interest(running, started=period_start(rows, running, disbursed_on),
                                       as_of=as_of)


def schedules_of(loan_ids) -> dict[int, list[Installment]]:
    """Every loan's schedule in order, in one query."""
    rows = defaultdict(list)
    for row in Installment.objects.filter(loan_id__in=list(loan_ids)).order_by("loan_id",
                                                                              "number"):
        rows[row.loan_id].append(row)
    return rows


def note_figures(note: Note, *, as_of: date, schedule: list | None = None) -> NoteFigures:
    """``note``'s figures on ``as_of`` (``note.loan`` is read; ``schedule`` saves a query)."""
    loan = note.loan
    rows = schedule if schedule is not None else list(
        Installment.objects.filter(loan_id=loan.pk).order_by("number"))
    disbursed_on = timezone.localdate(loan.disbursed_at) if loan.disbursed_at else as_of
    open_rows = [r for r in rows if r.status not in CLOSED_INSTALLMENT]
    accrued = fig.note_accrued_interest(
        _loan_interest_due(rows, disbursed_on=disbursed_on, as_of=as_of),
        note_outstanding=note.outstanding_principal, loan_outstanding=loan.outstanding_principal)
    payments = fig.note_payments(open_rows, note_outstanding=note.outstanding_principal,
                                 loan_outstanding=loan.outstanding_principal, as_of=as_of)
    flows = fig.expected_flows(payments, fig.Risk.of_loan(loan), note.outstanding_principal)
    return NoteFigures(note.outstanding_principal, accrued, len(payments), flows, note.rate)


def _pending(as_of: date) -> Q:
    """A payment that may still change the loan: scheduled by ``as_of`` and not yet booked, or
    a bank debit still in its return window."""
    return (Q(status=Repayment.Status.SCHEDULED, scheduled_for__lte=as_of)
            | Q(status=Repayment.Status.COMPLETED, funds_pending=True))


def payment_pending(loan_id: int, as_of: date) -> bool:
    return Repayment.objects.filter(_pending(as_of), loan_id=loan_id).exists()


def loans_with_pending_payments(loan_ids, as_of: date) -> set[int]:
    return set(Repayment.objects.filter(_pending(as_of), loan_id__in=list(loan_ids))
               .values_list("loan_id", flat=True))


def loans_with_hardship(loan_ids) -> set[int]:
    return set(HardshipPlan.objects.filter(loan_id__in=list(loan_ids),
                                           status=HardshipPlan.Status.ACTIVE)
               .values_list("loan_id", flat=True))


def sale_problem(note: Note, *, as_of: date) -> str | None:
    return note_sale_problem(note, as_of=as_of,
                             payment_pending=payment_pending(note.loan_id, as_of),
                             hardship_plan=bool(loans_with_hardship([note.loan_id])))


def trading_halted() -> bool:
    return MarketControl.objects.filter(pk=1, trading_halted=True).exists()


# --- Browsing ---------------------------------------------------------------------------------

SORTS = {"price": "price_percent", "yield": "yield_to_maturity", "createdAt": "created_at"}
# Best first: the cheapest, the highest yield, the newest.
DESCENDING = {"price": False, "yield": True, "createdAt": True}


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class ListingCursor:
    sort_by: str
    value: object
    id: int

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else str(self.value)
        raw = json.dumps([self.sort_by, value, self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def after_row(cls, listing: Listing, sort_by: str) -> "ListingCursor":
        return cls(sort_by, getattr(listing, SORTS[sort_by]), listing.pk)

    @classmethod
    def decode(cls, text: str, sort_by: str) -> "ListingCursor":
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            cursor_sort, value, row_id = json.loads(raw)
            if cursor_sort != sort_by:
                raise BadCursor("this cursor belongs to another sortBy")
            if not isinstance(row_id, int) or not 0 < row_id < 2**63:
                raise BadCursor("not a cursor from this list")
            if sort_by == "createdAt":
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    raise BadCursor("not a cursor from this list")
            else:
                parsed = Decimal(value)
                if not parsed.is_finite() or abs(parsed) >= 10**6:
                    raise BadCursor("not a cursor from this list")
        except BadCursor:
            raise
        except (ValueError, TypeError, ArithmeticError, UnicodeError):
            raise BadCursor("not a cursor from this list") from None
        return cls(sort_by, parsed, row_id)


def listings_browse(*, grade: str | None = None, term_left_max: int | None = None,
                    min_yield: Decimal | None = None, max_price_percent: Decimal | None = None,
                    sort_by: str = "price", after: ListingCursor | None = None):
    """Listed notes (not suspended), filtered, sorted best first then by id; ``after`` gives the
    rows past a cursor of the same sort (keyset pagination)."""
    qs = Listing.objects.filter(status=ListingStatus.LISTED)
    if grade:
        qs = qs.filter(grade=grade)
    if term_left_max is not None:
        qs = qs.filter(remaining_payments__lte=term_left_max)
    if min_yield is not None:
        qs = qs.filter(yield_to_maturity__gte=min_yield)
    if max_price_percent is not None:
        qs = qs.filter(price_percent__lte=max_price_percent)
    field, desc = SORTS[sort_by], DESCENDING[sort_by]
    if after is not None:
        past = "lt" if desc else "gt"
        qs = qs.filter(**{f"{field}__{past}e": after.value}).filter(
            Q(**{f"{field}__{past}": after.value}) | Q(**{f"id__{past}": after.id}))
    prefix = "-" if desc else ""
    return qs.select_related("loan").order_by(f"{prefix}{field}", f"{prefix}id")  # pages read .loan


def listings_of_seller(user):
    return (Listing.objects.filter(seller=user).select_related("loan", "note")
            .order_by("-created_at", "-id"))


def open_listing_by_note(note_ids) -> dict[int, Listing]:
    return {listing.note_id: listing for listing in Listing.objects.filter(
        note_id__in=list(note_ids) or [0],  # one query, always (see model_values)
        status__in=(ListingStatus.LISTED, ListingStatus.SUSPENDED))}


def orders_of(user):
    return BuyOrder.objects.filter(buyer=user).order_by("created_at", "id")


def trades_of(user):
    return (Trade.objects.filter(Q(buyer=user) | Q(seller=user))
            .select_related("loan").order_by("-traded_at", "-id"))


def market_totals() -> dict:
    """Traded volume and the average price percent (weighted by what was paid), for the
    platform dashboard."""
    row = Trade.objects.aggregate(volume=Sum("price"), count=Count("id"),
                                  par=Sum("principal"), accrued=Sum("accrued_interest"))
    volume = row["volume"] or ZERO
    par = (row["par"] or ZERO) + (row["accrued"] or ZERO)
    return {"trades": row["count"], "volume": Decimal(volume).quantize(Decimal("0.01")),
            "average_price_percent": (Decimal(volume) * 100 / Decimal(par)).quantize(
                Decimal("0.01")) if par else None,
            "listed": Listing.objects.filter(status=ListingStatus.LISTED).count()}


def model_values(notes, *, as_of: date) -> dict[int, Decimal]:
    """Each active note's model value (expected cash flows at the PD for its loan's status,
    discounted at the note's own rate), in one query for all their schedules. ``notes`` come
    with their loans."""
    active = [n for n in notes if n.status == "active" and n.outstanding_principal > 0]
    # One query even with no open note (id 0 matches nothing): a page costs the same queries
    # for one note as for hundreds (tests/bench/test_query_counts.py).
    schedules = schedules_of({n.loan_id for n in active} or {0})
    return {n.pk: note_figures(n, as_of=as_of, schedule=schedules.get(n.loan_id, []))
            .model_value() for n in active}
