"""Every write of the secondary market. A trade is one ledger transaction (DESIGN.md,
"Secondary market"): the buyer's cash pays the price, the seller receives it less the 1% fee
(platform revenue) and the note's outstanding principal moves from the seller's invested
account to the buyer's. The seller's note closes as sold (what it received stays its history)
and the buyer's note continues it, so the next payment, split by outstanding principal across
the loan's active notes, goes wholly to the buyer.

Locks: the loan first, then the listing, then the note (servicing locks the loan, then its
notes), so a trade and a servicing run on the same loan queue instead of deadlocking."""

from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accounts.integrations import WebhookEvent, webhook_emit
from accounts.services import audit_record, notification_create
from communitylend.core.errors import ApplicationError, InvalidState, NotFound
from communitylend.core.money import CENT, GRADES
from payments.ledger import (
    InsufficientFunds,
    account_for_user,
    credit,
    debit,
    ledger_post,
    platform_account,
)
from payments.models import AccountKind

from ..models import (
    OPEN_LISTING,
    BuyOrder,
    Listing,
    ListingStatus,
    MarketControl,
    Note,
    NoteStatus,
    Trade,
)
from . import figures as fig
from .hooks import announce_listing
from .rules import note_sale_problem
from .selectors import (
    loans_with_hardship,
    loans_with_pending_payments,
    note_figures,
    sale_problem,
    schedules_of,
    trading_halted,
)


class MarketError(ApplicationError):
    pass


def _loan_model():
    # The loan row is locked by name: investments does not import loans (the arrow goes
    # loans -> investments; DESIGN.md, "Architecture").
    return apps.get_model("loans", "Loan")


def _lock_loan(loan_id: int):
    return _loan_model().objects.select_for_update().get(pk=loan_id)


def _check_open():
    if trading_halted():
        raise MarketError("Trading on the market is halted by the platform for now")


def _checked_price(price) -> Decimal:
    try:
        price = Decimal(price)
    except (TypeError, ArithmeticError, ValueError):
        raise MarketError("The price must be a number", field="price") from None
    if not price.is_finite() or price != price.quantize(CENT):
        raise MarketError("The price has at most 2 decimals", field="price")
    if price <= 0:
        raise MarketError("The price must be positive", field="price")
    return price


def _apply_figures(listing: Listing, figures, as_of: date) -> None:
    listing.outstanding_principal = figures.outstanding_principal
    listing.accrued_interest = figures.accrued_interest
    listing.price_percent = figures.price_percent(listing.price)
    listing.yield_to_maturity = figures.yield_at(listing.price)
    listing.remaining_payments = figures.remaining_payments
    listing.figures_on = as_of


# --- Selling ------------------------------------------------------------------------------------


def listing_create(*, seller, note_id: int, price, as_of: date | None = None) -> Listing:
    """List a whole note of ``seller``'s at ``price``."""
    as_of = as_of or timezone.localdate()
    price = _checked_price(price)
    _check_open()
    with transaction.atomic(durable=True):
        found = Note.objects.filter(pk=note_id).values_list("loan_id", "lender_id").first()
        if found is None or found[1] != seller.pk:
            raise MarketError("You can only sell a note you own", field="note_id")
        _lock_loan(found[0])
        note = Note.objects.select_for_update().select_related("loan").get(pk=note_id)
        if note.lender_id != seller.pk:  # sold while we waited for the lock
            raise MarketError("You can only sell a note you own", field="note_id")
        if Listing.objects.filter(note=note, status__in=OPEN_LISTING).exists():
            raise MarketError("This note is already listed; change its price instead",
                              field="note_id")
        problem = sale_problem(note, as_of=as_of)
        if problem:
            raise MarketError(problem, field="note_id")
        figures = note_figures(note, as_of=as_of)
        problem = figures.price_problem(price)
        if problem:
            raise MarketError(problem, field="price")
        listing = Listing(note=note, seller_id=seller.pk, loan_id=note.loan_id,
                          grade=note.loan.risk_grade, price=price)
        _apply_figures(listing, figures, as_of)
        listing.save()
        audit_record(actor=seller, event="market.listing_created", target=listing,
                     new={"note": note.pk, "price": price,
                          "price_percent": listing.price_percent})
        transaction.on_commit(lambda: announce_listing(listing.pk))
    return listing


def _seller_listing(seller, listing_id: int, *, lock: bool = True) -> Listing:
    qs = Listing.objects.select_for_update() if lock else Listing.objects
    listing = qs.filter(pk=listing_id).first()
    if listing is None or listing.seller_id != seller.pk:
        raise NotFound("Listing not found")
    return listing


def listing_reprice(*, seller, listing_id: int, price, as_of: date | None = None) -> Listing:
    """A new price, checked as a new listing's would be."""
    as_of = as_of or timezone.localdate()
    price = _checked_price(price)
    _check_open()
    with transaction.atomic(durable=True):
        listing = _seller_listing(seller, listing_id, lock=False)
        _lock_loan(listing.loan_id)
        listing = _seller_listing(seller, listing_id)
        if listing.status not in OPEN_LISTING:
            raise InvalidState(f"A {listing.status} listing cannot be repriced", field="price")
        note = Note.objects.select_related("loan").get(pk=listing.note_id)
        problem = sale_problem(note, as_of=as_of)
        if problem:
            raise MarketError(problem, field="note_id")
        figures = note_figures(note, as_of=as_of)
        problem = figures.price_problem(price)
        if problem:
            raise MarketError(problem, field="price")
        old = listing.price
        listing.price = price
        _apply_figures(listing, figures, as_of)
        was_suspended = listing.status == ListingStatus.SUSPENDED
        listing.status, listing.suspended_reason = ListingStatus.LISTED, ""
        listing.save()
        audit_record(actor=seller, event="market.listing_repriced", target=listing,
                     old={"price": old}, new={"price": price})
        if was_suspended or price < old:  # a cheaper note may now match standing orders
            transaction.on_commit(lambda: announce_listing(listing.pk))
    return listing


def listing_cancel(*, seller, listing_id: int) -> Listing:
    with transaction.atomic(durable=True):
        listing = _seller_listing(seller, listing_id)
        if listing.status not in OPEN_LISTING:
            raise InvalidState(f"A {listing.status} listing cannot be cancelled")
        updated = Listing.objects.filter(pk=listing.pk, status__in=OPEN_LISTING).update(
            status=ListingStatus.CANCELLED, updated_at=timezone.now())
        assert updated == 1
        listing.status = ListingStatus.CANCELLED
        audit_record(actor=seller, event="market.listing_cancelled", target=listing)
    return listing


# --- Buying -------------------------------------------------------------------------------------


def _trade_key(buyer_id: int, key: str) -> str:
    return f"market:{buyer_id}:{key}"


def listing_buy(*, buyer, listing_id: int, idempotency_key: str | None = None,
                order_id: int | None = None, as_of: date | None = None) -> Trade:
    """``buyer`` buys the listed note at its price (``order_id``: for a standing order, within
    its budget). The same ``idempotency_key`` again returns the same trade."""
    as_of = as_of or timezone.localdate()
    key = _trade_key(buyer.pk, idempotency_key) if idempotency_key else None
    if key:
        existing = Trade.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.listing_id != listing_id:
                raise MarketError("Idempotency key reused for another listing",
                                  field="idempotency_key")
            return existing
    _check_open()
    with transaction.atomic(durable=True):
        found = Listing.objects.filter(pk=listing_id).values_list("loan_id", flat=True).first()
        if found is None:
            raise NotFound("Listing not found")
        _lock_loan(found)
        listing = Listing.objects.select_for_update().get(pk=listing_id)
        if listing.status == ListingStatus.SOLD:
            raise MarketError("This note has already been sold", field="listing_id")
        if listing.status != ListingStatus.LISTED:
            raise MarketError(f"This listing is {listing.status} and cannot be bought",
                              field="listing_id")
        if listing.seller_id == buyer.pk:
            raise MarketError("You cannot buy your own note", field="listing_id")
        note = Note.objects.select_for_update().select_related("loan").get(pk=listing.note_id)
        problem = sale_problem(note, as_of=as_of)
        if problem:
            raise MarketError(problem, field="listing_id")
        figures = note_figures(note, as_of=as_of)
        problem = figures.price_problem(listing.price)
        if problem:
            raise MarketError(problem, field="listing_id")
        order = _order_for_trade(order_id, buyer, listing.price)
        trade = _settle(listing, note, figures, buyer=buyer, order=order,
                        key=key or f"market:{buyer.pk}:listing:{listing.pk}")
    return trade


def _order_for_trade(order_id, buyer, price: Decimal) -> BuyOrder | None:
    if order_id is None:
        return None
    order = BuyOrder.objects.select_for_update().filter(pk=order_id, buyer=buyer).first()
    if order is None or not order.enabled:
        raise MarketError("The buy order is not enabled", field="order_id")
    if price > order.max_per_note or price > order.budget_left:
        raise MarketError("The price is over the order's budget", field="order_id")
    return order


def _settle(listing: Listing, note: Note, figures, *, buyer, order, key: str) -> Trade:
    price, principal = listing.price, note.outstanding_principal
    fee = fig.trading_fee(price)
    seller_id = note.lender_id
    legs = [debit(account_for_user(buyer.pk, AccountKind.USER_AVAILABLE), price),
            credit(account_for_user(seller_id, AccountKind.USER_AVAILABLE), price - fee),
            credit(platform_account(AccountKind.PLATFORM_MARKET_FEES), fee),
            debit(account_for_user(seller_id, AccountKind.USER_INVESTED), principal),
            credit(account_for_user(buyer.pk, AccountKind.USER_INVESTED), principal)]
    try:
        with transaction.atomic():
            txn, _ = ledger_post(kind="trade", legs=legs,
                                 idempotency_key=f"trade:listing:{listing.pk}",
                                 memo=f"Note #{note.pk} sold on the market", acting_user=buyer)
    except InsufficientFunds as exc:
        raise MarketError(f"Not enough available cash to pay {price:,.2f}",
                          field="price") from exc
    now = timezone.now()
    buyer_note = Note.objects.create(
        loan_id=note.loan_id, lender_id=buyer.pk, bid=None, acquired_from=note,
        principal=principal, outstanding_principal=principal, rate=note.rate,
        purchase_price=price, status=NoteStatus.ACTIVE)
    note.sold_principal, note.outstanding_principal = principal, Decimal("0.00")
    note.status = NoteStatus.SOLD
    note.save(update_fields=["sold_principal", "outstanding_principal", "status", "updated_at"])
    listing.status = ListingStatus.SOLD
    listing.save(update_fields=["status", "updated_at"])
    accrued = figures.accrued_interest
    trade = Trade.objects.create(
        listing=listing, note=note, buyer_note=buyer_note, loan_id=note.loan_id,
        seller_id=seller_id, buyer_id=buyer.pk, order=order, price=price, fee=fee,
        principal=principal, accrued_interest=accrued, price_percent=listing.price_percent,
        seller_gain=price - fee - principal - accrued, ledger_transaction=txn,
        idempotency_key=key, traded_at=now)
    if order is not None:
        order.spent += price
        order.save(update_fields=["spent", "updated_at"])
        webhook_emit(user_id=buyer.pk, event=WebhookEvent.ORDER_FILLED, data={
            "orderId": order.pk, "tradeId": trade.pk, "noteId": buyer_note.pk,
            "loanId": note.loan_id, "price": f"{price:.2f}", "principal": f"{principal:.2f}",
            "spent": f"{order.spent:.2f}", "budget": f"{order.budget:.2f}"})
    audit_record(actor=buyer, event="market.trade", target=trade,
                 new={"note": note.pk, "buyer_note": buyer_note.pk, "price": price, "fee": fee,
                      "principal": principal, "order": getattr(order, "pk", None)})
    notification_create(user_id=seller_id, kind="note_sold", title=f"Note #{note.pk} sold",
                        body=f"Your note on loan #{note.loan_id} sold for {price:,.2f}; you "
                             f"received {price - fee:,.2f} after the 1% fee.",
                        url="/market/orders/", dedupe_key=f"trade:{trade.pk}:seller")
    notification_create(user_id=buyer.pk, kind="note_bought",
                        title=f"You bought a note on loan #{note.loan_id}",
                        body=f"{principal:,.2f} of principal for {price:,.2f}"
                             + (" (standing order)" if order else "") + ".",
                        url="/portfolio/", dedupe_key=f"trade:{trade.pk}:buyer")
    return trade


# --- Qualification (servicing, status changes, the daily recomputation) ------------------------


def listings_requalify(*, loan_ids=None, as_of: date | None = None) -> tuple[int, int]:
    """Recompute the figures of the open listings (of ``loan_ids``, or all) on ``as_of``;
    suspend those that stopped qualifying (late, a payment pending, price out of 50-130%,
    negative yield), resume the suspended ones that qualify again, and cancel those whose note
    closed. The one function servicing calls whenever it changes a loan. Returns (suspended,
    resumed)."""
    as_of = as_of or timezone.localdate()
    qs = Listing.objects.filter(status__in=OPEN_LISTING)
    if loan_ids is not None:
        qs = qs.filter(loan_id__in=list(loan_ids))
    listings = list(qs.select_related("note", "note__loan").order_by("pk"))
    if not listings:
        return 0, 0
    loan_set = {listing.loan_id for listing in listings}
    schedules = schedules_of(loan_set)
    pending = loans_with_pending_payments(loan_set, as_of)
    under_plan = loans_with_hardship(loan_set)
    suspended, resumed, changed, resume_ids = 0, 0, [], []
    for listing in listings:
        note = listing.note
        if note.status != NoteStatus.ACTIVE:
            listing.status, listing.suspended_reason = ListingStatus.CANCELLED, \
                f"The note is {note.status.replace('_', ' ')}"
            changed.append(listing)
            continue
        figures = note_figures(note, as_of=as_of, schedule=schedules.get(note.loan_id, []))
        _apply_figures(listing, figures, as_of)
        problem = note_sale_problem(note, as_of=as_of, payment_pending=note.loan_id in pending,
                                    hardship_plan=note.loan_id in under_plan,
                                    trading=False) or figures.price_problem(listing.price)
        if problem and listing.status == ListingStatus.LISTED:
            listing.status, listing.suspended_reason = ListingStatus.SUSPENDED, problem[:200]
            suspended += 1
            notification_create(user_id=listing.seller_id, kind="listing_suspended",
                                title=f"Your listing of note #{note.pk} is suspended",
                                body=problem, url="/portfolio/",
                                dedupe_key=f"listing:{listing.pk}:suspended:{as_of}")
        elif not problem and listing.status == ListingStatus.SUSPENDED:
            listing.status, listing.suspended_reason = ListingStatus.LISTED, ""
            resumed += 1
            resume_ids.append(listing.pk)
        changed.append(listing)
    now = timezone.now()
    for listing in changed:
        listing.updated_at = now
    Listing.objects.bulk_update(changed, [
        "status", "suspended_reason", "outstanding_principal", "accrued_interest",
        "price_percent", "yield_to_maturity", "remaining_payments", "figures_on",
        "updated_at"], batch_size=2000)
    for pk in resume_ids:
        transaction.on_commit(lambda pk=pk: announce_listing(pk))
    return suspended, resumed


# --- Standing buy orders ------------------------------------------------------------------------

ORDER_FIELDS = ("grades", "term_left_min", "term_left_max", "max_price_percent", "min_yield",
                "max_per_note", "budget", "enabled")


def _checked_order(values: dict) -> dict:
    grades = values.get("grades")
    if grades is not None:
        if not isinstance(grades, list | tuple) or not grades:
            raise MarketError("Choose at least one grade", field="grades")
        if any(g not in GRADES for g in grades):
            raise MarketError("Grades are A to E", field="grades")
        values["grades"] = sorted(set(grades))
    for name in ("budget", "max_per_note", "max_price_percent", "min_yield"):
        value = values.get(name)
        if value is None:
            continue
        if not Decimal(value).is_finite() or Decimal(value) != Decimal(value).quantize(CENT):
            raise MarketError(f"{name} has at most 2 decimals", field=name)
        if name in ("budget",) and value < 0:
            raise MarketError("The budget cannot be negative", field=name)
        if name == "max_per_note" and value <= 0:
            raise MarketError("The amount per note must be positive", field=name)
        if name == "max_price_percent" and not 0 < value <= 130:
            raise MarketError("The maximum price percent is between 0 and 130", field=name)
        if name == "min_yield" and not -100 <= value <= 100:
            raise MarketError("The minimum yield is between -100 and 100", field=name)
    for name in ("term_left_min", "term_left_max"):
        value = values.get(name)
        if value is not None and not 1 <= value <= 60:
            raise MarketError("The remaining term is 1 to 60 months", field=name)
    return values


def order_create(*, buyer, **fields) -> BuyOrder:
    values = _checked_order({k: v for k, v in fields.items() if k in ORDER_FIELDS})
    for name in ("grades", "max_per_note", "budget"):
        if values.get(name) is None:
            raise MarketError(f"{name} is required", field=name)
    if values.get("term_left_min", 1) > values.get("term_left_max", 60):
        raise MarketError("The remaining term's minimum is above its maximum",
                          field="term_left_min")
    with transaction.atomic(durable=True):
        order = BuyOrder.objects.create(buyer=buyer, **values)
        audit_record(actor=buyer, event="market.order_created", target=order,
                     new={k: str(v) for k, v in values.items()})
    return order


def order_update(*, buyer, order_id: int, **fields) -> BuyOrder:
    values = _checked_order({k: v for k, v in fields.items() if k in ORDER_FIELDS})
    with transaction.atomic(durable=True):
        order = BuyOrder.objects.select_for_update().filter(pk=order_id, buyer=buyer).first()
        if order is None:
            raise NotFound("Order not found")
        old = {k: str(getattr(order, k)) for k in values}
        for name, value in values.items():
            setattr(order, name, value)
        if order.term_left_min > order.term_left_max:
            raise MarketError("The remaining term's minimum is above its maximum",
                              field="term_left_min")
        if order.budget < order.spent:
            raise MarketError(f"The order has already spent {order.spent:,.2f}; the budget "
                              "cannot be less", field="budget")
        order.save()
        audit_record(actor=buyer, event="market.order_updated", target=order, old=old,
                     new={k: str(v) for k, v in values.items()})
    return order


def order_delete(*, buyer, order_id: int) -> None:
    with transaction.atomic(durable=True):
        order = BuyOrder.objects.select_for_update().filter(pk=order_id, buyer=buyer).first()
        if order is None:
            raise NotFound("Order not found")
        audit_record(actor=buyer, event="market.order_deleted", target=order)
        order.delete()


# --- Staff ------------------------------------------------------------------------------------


def market_halt(*, actor, halted: bool, reason: str = "") -> MarketControl:
    """Staff halt (or reopen) all trading: listing, repricing, buying and standing orders."""
    with transaction.atomic(durable=True):
        control, _ = MarketControl.objects.select_for_update().get_or_create(pk=1)
        old = control.trading_halted
        control.trading_halted, control.reason = halted, reason[:200]
        control.save()
        audit_record(actor=actor, event="market.halted" if halted else "market.reopened",
                     target=control, old={"halted": old}, new={"halted": halted})
    return control


def order_set_market_maker(*, buyer, required_return: Decimal, spread: Decimal,
                           budget: Decimal, max_per_note: Decimal, grades: list[str],
                           enabled: bool) -> BuyOrder:
    """The one market-making order of a platform bot (``bots`` keeps it in step with the bot's
    published parameters): at most the note's model value at ``required_return`` less
    ``spread`` percent, within ``budget`` (never below what it already spent)."""
    with transaction.atomic(durable=True):
        order = (BuyOrder.objects.select_for_update()
                 .filter(buyer=buyer, required_return__isnull=False).first())
        values = {"grades": sorted(set(grades)) or list(GRADES), "term_left_min": 1,
                  "term_left_max": 60, "max_price_percent": Decimal("130.00"),
                  "min_yield": Decimal("0.00"), "max_per_note": max_per_note,
                  "required_return": required_return, "spread": spread, "enabled": enabled}
        if order is None:
            order = BuyOrder.objects.create(buyer=buyer, budget=budget, **values)
            audit_record(actor=None, event="market.order_created", target=order,
                         new={"market_maker": True, "budget": str(budget)})
            return order
        values["budget"] = max(budget, order.spent)
        if any(getattr(order, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(order, name, value)
            order.save()
        return order
