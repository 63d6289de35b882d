"""A lender's portfolio: notes, what they received, returns, XIRR (reads only)."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone

from communitylend.core.money import CENT, SERVICING_FEE_RATE, cents
from payments.models import Distribution, HardshipPlan, Installment, InstallmentStatus, RecoveryShare

from .market.selectors import model_values
from .models import Note, NoteStatus, Trade

ZERO = Decimal("0.00")



MIN_XIRR_DAYS = 30


def xirr(flows: list[tuple[date, float]]) -> float | None:
    """Annual rate r with sum(cf / (1 + r) ** (days / 365)) = 0, by bisection; None when the
    flows do not change sign or span less than a month (annualising a few days is noise)."""
    if not flows or not any(cf < 0 for _, cf in flows) or not any(cf > 0 for _, cf in flows):
        return None
    start = min(d for d, _ in flows)
    if (max(d for d, _ in flows) - start).days < MIN_XIRR_DAYS:
        return None

    def npv(rate: float) -> float:
        return sum(cf / (1 + rate) ** ((d - start).days / 365) for d, cf in flows)

    low, high = -0.9999, 10.0
    if npv(low) * npv(high) > 0:
        return None
    for _ in range(200):
        mid = (low + high) / 2
        if npv(low) * npv(mid) <= 0:
            high = mid
        else:
            low = mid
    return (low + high) / 2


def notes_of(user):
    return Note.objects.filter(lender=user).select_related("loan").order_by("-created_at")


def with_loan_life(user, notes: list[Note]) -> list[Note]:
    """The user's ``notes`` each with ``hardship_plan`` (its loan's plan running, or None:
    lenders see it) and ``recoveries`` (what recoveries after charge-off paid it, net of all
    fees). Two queries, whatever the number of notes."""
    plans = {plan.loan_id: plan for plan in HardshipPlan.objects.filter(
        loan__notes__lender=user, status=HardshipPlan.Status.ACTIVE).distinct()}
    recovered = dict(RecoveryShare.objects.filter(note__lender=user).values("note_id")
                     .annotate(total=Sum("net")).values_list("note_id", "total"))
    for note in notes:
        note.hardship_plan = plans.get(note.loan_id)
        note.recoveries = cents(recovered.get(note.pk) or 0)
    return notes


def sales_of(user):
    """The user's notes sold on the market: (day, price less the fee, trade)."""
    return Trade.objects.filter(seller=user).order_by("traded_at", "id")


def portfolio_summary(user, *, as_of: date | None = None, notes: list | None = None,
                      values: dict | None = None) -> dict:
    """The lender's totals. Open notes count at their model value (DESIGN.md, "Secondary
    market") in the net annualized return; a note bought on the market cost its price, and a
    note sold brought its price less the fee."""
    as_of = as_of or timezone.localdate()
    notes = list(notes_of(user)) if notes is None else notes
    values = model_values(notes, as_of=as_of) if values is None else values
    sales = list(sales_of(user))
    proceeds = sum((t.price - t.fee for t in sales), ZERO)
    invested = sum((_cost(n) for n in notes), ZERO)
    received = sum((n.net_received for n in notes), ZERO)
    outstanding = sum((n.outstanding_principal for n in notes), ZERO)
    charged_off = sum((n.charged_off_principal for n in notes), ZERO)
    expected = _expected_return(user, [n for n in notes if n.status == NoteStatus.ACTIVE])
    expected_losses = sum((_expected_loss(n) for n in notes), ZERO)
    flows: list[tuple[date, float]] = [(timezone.localdate(n.created_at), -float(_cost(n)))
                                       for n in notes]
    flows += [(timezone.localdate(t.traded_at), float(t.price - t.fee)) for t in sales]
    by_day = (Distribution.objects.filter(note__lender=user)
              .values("repayment__paid_on").annotate(net=Sum("net")))
    flows += [(row["repayment__paid_on"], float(row["net"])) for row in by_day]
    model_value = sum(values.values(), ZERO)
    if model_value:
        flows.append((as_of, float(model_value)))
    rate = xirr(flows)
    by_grade: dict[str, dict] = defaultdict(lambda: {"invested": ZERO, "received": ZERO,
                                                     "outstanding": ZERO, "charged_off": ZERO})
    for note in notes:
        row = by_grade[note.loan.risk_grade]
        row["invested"] += _cost(note)
        row["received"] += note.net_received
        row["outstanding"] += note.outstanding_principal
        row["charged_off"] += note.charged_off_principal
    return {
        "total_invested": invested,
        "expected_return": expected,
        "expected_losses": expected_losses,
        "expected_net_return": expected - expected_losses,
        "actual_return": received + outstanding + proceeds - invested,
        "active_investments": sum(1 for n in notes if n.status == NoteStatus.ACTIVE),
        "completed_investments": sum(1 for n in notes if n.status != NoteStatus.ACTIVE),
        "net_annualized_return": round(rate * 100, 2) if rate is not None else None,
        "outstanding_principal": outstanding,
        "model_value": model_value,
        "sale_proceeds": proceeds,
        "charged_off": charged_off,
        "received": received,
        "recoveries": cents(RecoveryShare.objects.filter(note__lender=user).aggregate(
            total=Sum("net"))["total"] or 0),
        "by_grade": {grade: by_grade[grade] for grade in sorted(by_grade)},
    }


def _cost(note: Note) -> Decimal:
    """What the lender paid for the note: its principal from an auction, its price on the
    market."""
    return note.purchase_price if note.purchase_price is not None else note.principal


def _expected_return(user, notes: list[Note]) -> Decimal:
    """What the open ``notes`` are scheduled to earn over their whole schedules (API.md,
    "Portfolio"): what they received net, plus their share of what their loans' schedules still
    call for, less the 1% servicing fee on all of it, less what they cost (their principal, or
    the price of a note bought on the market)."""
    # One query however many notes (the lender's open notes' loans as a subquery).
    remaining = dict(Installment.objects.filter(loan_id__in=Note.objects.filter(
        lender=user, status=NoteStatus.ACTIVE).values("loan_id")).exclude(
        status__in=(InstallmentStatus.PAID, InstallmentStatus.WAIVED)).values("loan_id")
        .annotate(left=Sum(F("total") - F("principal_paid") - F("interest_paid")))
        .values_list("loan_id", "left"))
    total = ZERO
    for note in notes:
        loan_outstanding = note.loan.outstanding_principal
        share = (note.outstanding_principal / loan_outstanding) if loan_outstanding else ZERO
        to_come = Decimal(str(remaining.get(note.loan_id) or 0)) * share
        total += note.net_received + to_come * (1 - SERVICING_FEE_RATE) - _cost(note)
    return cents(total)


def _expected_loss(note: Note) -> Decimal:
    """What the note loses, or is expected to: its charged-off principal once charged off;
    while open, its outstanding principal times the loan's expected loss share (PD x what a
    defaulting loan loses, as priced when it was listed)."""
    if note.status == NoteStatus.ACTIVE:
        return (note.outstanding_principal * note.loan.expected_loss_share).quantize(CENT)
    return note.charged_off_principal


def monthly_cash(user) -> list[dict]:
    rows = (Distribution.objects.filter(note__lender=user)
            .values_list("repayment__paid_on", "net"))
    months: dict[str, Decimal] = defaultdict(Decimal)
    for day, net in rows:
        months[day.strftime("%Y-%m")] += net
    return [{"month": m, "net": months[m]} for m in sorted(months)]


def payments_received(user, *, year: int | None = None):
    qs = (Distribution.objects.filter(note__lender=user)
          .select_related("repayment", "note", "note__loan")
          .order_by("repayment__paid_on", "id"))
    if year:
        qs = qs.filter(repayment__paid_on__year=year)
    return qs


def market_trade_rows(user, *, year: int | None = None):
    """(trade, payments-CSV row) of the user's trades: a sale brings the price less the fee
    for the principal and accrued interest sold; a purchase pays the price (negative)."""
    trades = Trade.objects.filter(Q(seller=user) | Q(buyer=user)).order_by("traded_at", "id")
    if year:
        trades = trades.filter(traded_at__year=year)
    for t in trades:
        day = timezone.localdate(t.traded_at).isoformat()
        if t.seller_id == user.pk:
            yield t, [day, t.loan_id, t.note_id, t.principal, t.accrued_interest, ZERO, t.fee,
                      t.price - t.fee, "sale"]
        if t.buyer_id == user.pk:
            yield t, [day, t.loan_id, t.buyer_note_id, -t.principal, -t.accrued_interest, ZERO,
                      ZERO, -t.price, "purchase"]
