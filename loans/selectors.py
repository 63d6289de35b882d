"""Reads for the marketplace: bounded queries, no per-row lookups."""

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.utils.functional import cached_property

from accounts.models import User

from .auction import BidView, bid_views, clear, standing
from .models import Bid, BidStatus, Loan, LoanStatus

SORTS = {"amount": "amount", "interestRate": "max_rate", "createdAt": "created_at"}


# What a loan's API and pages show of its borrower: loading only these (not the ~45 columns of
# a user) keeps 50 rows cheap to build.
BORROWER_FIELDS = ("borrower__id", "borrower__first_name", "borrower__credit_score",
                   "borrower__verification_status")


def with_borrower(qs: QuerySet[Loan]) -> QuerySet[Loan]:
    return qs.select_related("borrower").only(
        *(f.name for f in Loan._meta.concrete_fields), *BORROWER_FIELDS)


def loans_visible_to(user: User, *, status: str | None = None) -> QuerySet[Loan]:
    """Listed loans for everyone; with ``status=all``, staff see every loan and others the
    listed ones and their own."""
    qs = with_borrower(Loan.objects.all())
    if status in (None, "", LoanStatus.LISTED):
        return qs.filter(status=LoanStatus.LISTED)
    if user.is_staff:
        return qs if status == "all" else qs.filter(status=status)
    mine = Q(borrower=user) | Q(bids__lender=user)
    if status == "all":
        return qs.filter(Q(status=LoanStatus.LISTED) | mine).distinct()
    return qs.filter(mine, status=status).distinct()


def filter_loans(qs: QuerySet[Loan], *, min_amount=None, max_amount=None, risk_grade=None,
                 term_months=None, purpose=None) -> QuerySet[Loan]:
    """The marketplace filters, shared by the API list and the marketplace page."""
    if min_amount is not None:
        qs = qs.filter(amount__gte=min_amount)
    if max_amount is not None:
        qs = qs.filter(amount__lte=max_amount)
    if risk_grade:
        qs = qs.filter(risk_grade__in=risk_grade)
    if term_months:
        qs = qs.filter(term_months=term_months)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs


def loan_list(user: User, *, status=None, sort_by="createdAt", sort_order="desc", after=None,
              **filters):
    """The loans ``user`` may list, filtered and sorted (then by id, the same way). ``after``:
    a ``ListCursor`` of the same sort; only rows past it (keyset pagination: a deep page costs
    what the first does, where OFFSET reads and skips every row before it)."""
    qs = filter_loans(loans_visible_to(user, status=status), **filters)
    field = SORTS.get(sort_by, "created_at")
    prefix = "-" if sort_order == "desc" else ""
    if after is not None:
        past = "lt" if sort_order == "desc" else "gt"
        # The first condition alone bounds the index range; the second breaks ties by id.
        qs = qs.filter(**{f"{field}__{past}e": after.value}).filter(
            Q(**{f"{field}__{past}": after.value}) | Q(**{f"id__{past}": after.id}))
    return qs.order_by(f"{prefix}{field}", f"{prefix}id")


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class ListCursor:
    """Where a page of ``GET /api/loans`` ended: the sort, the last row's sort value and id.
    Opaque to clients (URL-safe base64 of JSON)."""

    sort_by: str
    sort_order: str
    value: object
    id: int

    def encode(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, datetime) else str(self.value)
        raw = json.dumps([self.sort_by, self.sort_order, value, self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def after_row(cls, loan, sort_by: str, sort_order: str) -> "ListCursor":
        return cls(sort_by, sort_order, getattr(loan, SORTS[sort_by]), loan.pk)

    @classmethod
    def decode(cls, text: str, sort_by: str, sort_order: str) -> "ListCursor":
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            cursor_sort, cursor_order, value, row_id = json.loads(raw)
            if (cursor_sort, cursor_order) != (sort_by, sort_order):
                raise BadCursor("this cursor belongs to another sortBy or sortOrder")
            if not isinstance(row_id, int) or not 0 < row_id < 2**63:
                raise BadCursor("not a cursor from this list")
            if sort_by == "createdAt":
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is None or not 1970 <= parsed.year <= 9000:
                    raise BadCursor("not a cursor from this list")
            else:
                parsed = Decimal(value)
                if not parsed.is_finite() or abs(parsed) >= 10**10:
                    raise BadCursor("not a cursor from this list")
        except BadCursor:
            raise
        except (ValueError, TypeError, ArithmeticError, UnicodeError):
            raise BadCursor("not a cursor from this list") from None
        return cls(sort_by, sort_order, parsed, row_id)


def public_listing_page(params: dict, build):
    """``build()``'s result, shared by every visitor for ``LISTING_CACHE_SECONDS`` when it is the
    public list of open listings; built afresh when ``params`` ask for something user-specific
    (such as ``status=all``) or the cache is off."""
    seconds = settings.LISTING_CACHE_SECONDS
    if not seconds or params.get("status") not in (None, "", LoanStatus.LISTED):
        return build()
    key = "public-listings:" + hashlib.sha256(repr(sorted(params.items())).encode()).hexdigest()
    local = caches["local"]  # this process's memory: no round trip (settings.CACHES)
    body = local.get(key)
    if body is None:
        body = build()
        local.set(key, body, seconds)
    return body


EXACT_COUNT_LIMIT = 10_000
LARGE_COUNT_SECONDS = 10


def listing_count(qs: QuerySet, key: str | None = None, *, shared_seconds: int = 0) -> int:
    """How many rows ``qs`` has, at a cost that does not grow with the table.

    Up to ``EXACT_COUNT_LIMIT`` rows the count is exact and live (a COUNT over at most that many
    index entries). Above it, it is counted in full at most once per ``LARGE_COUNT_SECONDS``
    per query in each process (its own memory cache), so a total of 100,000 listings may lag by
    a few seconds; the rows themselves are always live. ``key`` names the query when the caller
    knows what decides it (cheaper than the SQL text, which is the key otherwise: compiling
    the query to key it cost as much as the COUNT itself).

    ``shared_seconds`` (with ``key``): any count is shared that long, small ones included, for a
    list that is itself shared for as long (the public marketplace table)."""
    key = "listing-count:" + hashlib.sha256((key or str(qs.query)).encode()).hexdigest()
    local = caches["local"]
    known = local.get(key)
    if known is not None and (known > EXACT_COUNT_LIMIT or shared_seconds):
        return known
    count = qs.order_by()[:EXACT_COUNT_LIMIT + 1].count()
    if count <= EXACT_COUNT_LIMIT:
        if shared_seconds:
            local.set(key, count, shared_seconds)
        return count
    count = qs.order_by().count()
    local.set(key, count, max(LARGE_COUNT_SECONDS, shared_seconds))
    return count


class ListingPaginator(Paginator):
    """A paginator whose total is ``listing_count``'s (``count_key`` and ``shared_seconds`` as
    there)."""

    def __init__(self, *args, count_key: str | None = None, shared_seconds: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key, self.shared_seconds = count_key, shared_seconds

    @cached_property
    def count(self) -> int:
        return listing_count(self.object_list, self.count_key,
                             shared_seconds=self.shared_seconds if self.count_key else 0)


def loan_visible(user: User, loan_id: int, *, with_assessment: bool = False) -> Loan | None:
    """The loan if ``user`` may see it: listed, theirs, one they bid on, or staff.
    ``with_assessment``: the risk assessment's inputs come in the same query (the listing page's
    borrower facts)."""
    qs = with_borrower(Loan.objects.filter(pk=loan_id))
    if with_assessment:
        qs = qs.select_related("risk_assessment").only(
            *(f.name for f in Loan._meta.concrete_fields), *BORROWER_FIELDS,
            "risk_assessment__inputs", "risk_assessment__imputed")
    loan = qs.first()
    if loan is None:
        return None
    if loan.status == LoanStatus.LISTED or user.is_staff or loan.borrower_id == user.pk:
        return loan
    if Bid.objects.filter(loan=loan, lender=user).exists():
        return loan
    return None


def order_book(loan: Loan) -> QuerySet[Bid]:
    return Bid.objects.filter(loan=loan).exclude(status=BidStatus.WITHDRAWN).select_related(
        "lender").order_by("rate", "placed_at", "id")


def bids_of(lender: User, *, status: str | None = None) -> QuerySet[Bid]:
    qs = Bid.objects.filter(lender=lender).select_related("loan", "lender").order_by(
        "-placed_at", "-id")
    if status:
        qs = qs.filter(status=status)
    return qs


def bid_standings(bids) -> dict[int, str]:
    """Each bid's standing (API.md, "My bids"): winning, partly_winning or outbid while its
    listing is open (the auction cleared now, one query for all the listings); won, lost or
    withdrawn once it is closed."""
    closed = {BidStatus.WON: "won", BidStatus.PARTLY_WON: "won", BidStatus.LOST: "lost",
              BidStatus.WITHDRAWN: "withdrawn"}
    bids = list(bids)
    result = {b.pk: closed[b.status] for b in bids if b.status in closed}
    open_loans = {b.loan_id for b in bids if b.status == BidStatus.OPEN}
    if not open_loans:
        return result
    amounts: dict[int, Decimal] = {}
    books: dict[int, list[BidView]] = {}
    for pk, loan_id, amount, rate, placed_at, loan_amount in Bid.objects.filter(
            loan_id__in=open_loans, status=BidStatus.OPEN).values_list(
            "pk", "loan_id", "amount", "rate", "placed_at", "loan__amount"):
        books.setdefault(loan_id, []).append(BidView(pk, amount, rate, placed_at))
        amounts[loan_id] = loan_amount
    clearings = {loan_id: clear(book, amounts[loan_id]) for loan_id, book in books.items()}
    for bid in bids:
        if bid.status == BidStatus.OPEN and bid.loan_id in clearings:
            result[bid.pk] = standing(bid.pk, bid.amount, clearings[bid.loan_id])
    return result


def standings_in_book(book, amount, of) -> dict[int, str]:
    """The standings of the bids ``of`` from an order book already read (no query)."""
    clearing = clear(bid_views([b for b in book if b.status == BidStatus.OPEN]), amount)
    closed = bid_standings([b for b in of if b.status != BidStatus.OPEN])
    return {**closed, **{b.pk: standing(b.pk, b.amount, clearing)
                         for b in of if b.status == BidStatus.OPEN}}
