"""The market's pages: browse and buy (with a confirmation dialog) at /market/, sell from the
portfolio, standing orders, listings and trades at /market/orders/."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communitylend.core.errors import ApplicationError
from communitylend.core.redirects import safe_next

from . import selectors, services
from .forms import BrowseForm, OrderForm, PriceForm

PAGE = 25


def _act(request, action, success: str) -> bool:
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def _form_errors(request, form) -> None:
    messages.error(request, "; ".join(f"{name.replace('_', ' ')}: {' '.join(errors)}"
                                      for name, errors in form.errors.items()))


@login_required
def market_browse(request):
    form = BrowseForm(request.GET)
    rows, cursor, status = [], None, 200
    if form.is_valid():
        values = form.cleaned_data
        sort = values["sort"] or "price"
        try:
            after = selectors.ListingCursor.decode(values["after"], sort) \
                if values["after"] else None
        except selectors.BadCursor:
            after, status = None, 400
            messages.error(request, "That page link is out of date; showing the first page.")
        rows = list(selectors.listings_browse(
            grade=values["grade"] or None, term_left_max=values["term_left_max"],
            min_yield=values["min_yield"], max_price_percent=values["max_price_percent"],
            sort_by=sort, after=after)[:PAGE + 1])
        if len(rows) > PAGE:
            rows = rows[:PAGE]
            cursor = selectors.ListingCursor.after_row(rows[-1], sort).encode()
    else:
        status = 400
        _form_errors(request, form)
    query = request.GET.copy()
    query.pop("after", None)
    return render(request, "investments/market.html", {
        "form": form, "listings": rows, "next_cursor": cursor, "query": query.urlencode(),
        "halted": selectors.trading_halted(), "buy_key": uuid.uuid4().hex,
        "maker": {"required_return": settings.MARKET_MAKER_REQUIRED_RETURN,
                  "spread": settings.MARKET_MAKER_SPREAD,
                  "budget_share": settings.MARKET_MAKER_BUDGET_SHARE},
    }, status=status)


@login_required
@require_POST
def market_buy(request, listing_id):
    key = (request.POST.get("idempotency_key") or "")[:80] or None
    if _act(request, lambda: services.listing_buy(buyer=request.user, listing_id=listing_id,
                                                  idempotency_key=key),
            "You bought the note: it is in your portfolio."):
        return redirect("portfolio")
    return redirect(safe_next(request, "/market/"))


@login_required
@require_POST
def note_sell(request, note_id):
    form = PriceForm(request.POST)
    if form.is_valid():
        _act(request, lambda: services.listing_create(
            seller=request.user, note_id=note_id, price=form.cleaned_data["price"]),
            "Your note is listed on the market.")
    else:
        _form_errors(request, form)
    return redirect(safe_next(request, "/portfolio/"))


@login_required
@require_POST
def listing_price(request, listing_id):
    form = PriceForm(request.POST)
    if form.is_valid():
        _act(request, lambda: services.listing_reprice(
            seller=request.user, listing_id=listing_id, price=form.cleaned_data["price"]),
            "The listing's price is changed.")
    else:
        _form_errors(request, form)
    return redirect(safe_next(request, "/portfolio/"))


@login_required
@require_POST
def listing_cancel(request, listing_id):
    _act(request, lambda: services.listing_cancel(seller=request.user, listing_id=listing_id),
         "The listing is cancelled.")
    return redirect(safe_next(request, "/portfolio/"))


@login_required
def market_orders(request):
    form = OrderForm()
    status = 200
    if request.method == "POST":
        form = OrderForm(request.POST)
        if form.is_valid() and _act(request, lambda: services.order_create(
                buyer=request.user, **form.cleaned_data), "Standing order saved."):
            return redirect("market_orders")
        if not form.is_valid():
            _form_errors(request, form)
        status = 400
    return render(request, "investments/market_orders.html", {
        "form": form, "orders": selectors.orders_of(request.user),
        "listings": selectors.listings_of_seller(request.user)[:200],
        "trades": selectors.trades_of(request.user)[:200]}, status=status)


@login_required
@require_POST
def market_order_toggle(request, order_id):
    order = selectors.orders_of(request.user).filter(pk=order_id).first()
    enabled = not order.enabled if order else True
    _act(request, lambda: services.order_update(buyer=request.user, order_id=order_id,
                                                enabled=enabled),
         "Order enabled." if enabled else "Order paused.")
    return redirect("market_orders")


@login_required
@require_POST
def market_order_delete(request, order_id):
    _act(request, lambda: services.order_delete(buyer=request.user, order_id=order_id),
         "Order deleted.")
    return redirect("market_orders")
