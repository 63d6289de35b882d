"""Standing buy orders and the bots' market making (DESIGN.md, "Secondary market"): best price
first, the oldest order first, never over budget, cash checked at the trade."""

from datetime import date

import pytest

from bots.market import market_cycle_run, market_match_run
from bots.models import BotLender, BotStatus
from communitylend.core.money import cents
from communitylend.demo.market import seed_bots
from investments.market import services as market
from investments.market.selectors import note_figures
from investments.models import BuyOrder, Listing, ListingStatus, Note, Trade
from tests.factories import make_user
from tests.money import available, fund

from .helpers import D, active_loan, notes_of, on, serviced_through

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 20)


@pytest.fixture
def three_listings(risk_model):
    """Three grade-C notes listed at 80%, 85% and 90% of par (listed in reverse order)."""
    loans = [active_loan(shares=("500.00", "500.00")) for _ in range(3)]
    serviced_through(DAY)
    listings = []
    with on(DAY):
        for loan, percent in zip(loans, ("0.90", "0.85", "0.80"), strict=True):
            note = Note.objects.select_related("loan").get(pk=notes_of(loan)[0].pk)
            figures = note_figures(note, as_of=DAY)
            price = cents((figures.outstanding_principal + figures.accrued_interest)
                          * D(percent))
            listings.append(market.listing_create(seller=note.lender, note_id=note.pk,
                                                  price=price))
    return listings[::-1]  # cheapest first


def _order(buyer, **values):
    fields = {"grades": ["C"], "max_per_note": D("1000.00"), "budget": D("1000.00"),
              "max_price_percent": D("95.00")}
    fields.update(values)
    return market.order_create(buyer=buyer, **fields)


def test_a_standing_order_buys_the_cheapest_first_and_never_over_its_budget(three_listings):
    cheapest, middle, dearest = three_listings
    buyer = make_user()
    fund(buyer, "5000.00")
    budget = cheapest.price + middle.price + dearest.price - D("0.01")
    order = _order(buyer, budget=budget)
    with on(DAY):
        report = market_match_run()
    assert report.trades == 2
    bought = set(Trade.objects.filter(order=order).values_list("listing_id", flat=True))
    assert bought == {cheapest.pk, middle.pk}
    order.refresh_from_db()
    assert order.spent == cheapest.price + middle.price <= order.budget
    assert Listing.objects.get(pk=dearest.pk).status == ListingStatus.LISTED
    assert available(buyer) == D("5000.00") - order.spent


def test_among_matching_orders_the_oldest_buys_and_cash_is_checked_at_the_trade(
        three_listings):
    cheapest, middle, dearest = three_listings
    broke, older, newer = make_user(), make_user(), make_user()
    fund(older, "5000.00")
    fund(newer, "5000.00")
    _order(broke)  # the oldest of all, but no cash: passed over
    first = _order(older, budget=cheapest.price)
    second = _order(newer)
    with on(DAY):
        market_match_run()
    assert Trade.objects.get(listing=cheapest).order_id == first.pk
    assert set(Trade.objects.filter(order=second).values_list("listing_id", flat=True)) == {
        middle.pk, dearest.pk}


def test_an_order_above_its_price_percent_or_below_its_yield_buys_nothing(three_listings):
    buyer = make_user()
    fund(buyer, "5000.00")
    _order(buyer, max_price_percent=D("70.00"))
    _order(buyer, min_yield=D("99.00"))
    _order(buyer, grades=["A"])
    with on(DAY):
        assert market_match_run().trades == 0


def test_a_new_listing_is_matched_at_once(risk_model, django_capture_on_commit_callbacks):
    loan = active_loan()
    serviced_through(DAY)
    buyer = make_user()
    fund(buyer, "5000.00")
    _order(buyer, max_price_percent=D("100.00"))
    note = notes_of(loan)[0]
    with on(DAY), django_capture_on_commit_callbacks(execute=True):
        listing = market.listing_create(seller=note.lender, note_id=note.pk, price=D("500.00"))
    assert Trade.objects.get().listing_id == listing.pk


def test_trading_halted_stops_listing_buying_and_orders(three_listings, staff):
    buyer = make_user()
    fund(buyer, "5000.00")
    _order(buyer, budget=D("2000.00"))
    market.market_halt(actor=staff, halted=True, reason="incident")
    with on(DAY):
        assert market_match_run().trades == 0
        with pytest.raises(market.MarketError, match="halted"):
            market.listing_buy(buyer=buyer, listing_id=three_listings[0].pk)
    market.market_halt(actor=staff, halted=False)
    with on(DAY):
        assert market_match_run().trades == 3


def test_the_bots_make_a_market_at_model_value_less_the_spread_within_their_budget(
        three_listings, settings):
    cheapest, middle, dearest = three_listings
    seed_bots()
    BotLender.objects.exclude(name="GrowthMax Lending").update(status=BotStatus.STOPPED)
    bot = BotLender.objects.get(name="GrowthMax Lending")
    settings.MARKET_MAKER_REQUIRED_RETURN = 8.0
    settings.MARKET_MAKER_SPREAD = 3.0
    # 0.3% of the bot's 300,000 capital: 900.00, enough for two of the three notes.
    settings.MARKET_MAKER_BUDGET_SHARE = 0.3
    BotLender.objects.filter(pk=bot.pk).update(min_expected_return=None)
    with on(DAY):
        report = market_cycle_run()
    order = BuyOrder.objects.get(buyer=bot.user)
    assert order.budget == D("900.00") and order.required_return == D("8.0")
    assert report.trades == 2 and order.spent <= order.budget
    assert set(Trade.objects.filter(buyer=bot.user).values_list("listing_id", flat=True)) == {
        cheapest.pk, middle.pk}
    # A price above the model value less the spread is not bought, whatever the budget.
    settings.MARKET_MAKER_BUDGET_SHARE = 100
    settings.MARKET_MAKER_SPREAD = 60.0
    with on(DAY):
        assert market_cycle_run().trades == 0
    # Stopped bots stop making the market.
    settings.MARKET_MAKER_SPREAD = 0
    BotLender.objects.filter(pk=bot.pk).update(status=BotStatus.STOPPED)
    with on(DAY):
        assert market_cycle_run().trades == 0


def test_the_bot_dashboard_shows_what_the_bots_bought_and_hold(three_listings, settings,
                                                               client):
    from tests.factories import make_staff

    seed_bots()
    BotLender.objects.exclude(name="GrowthMax Lending").update(status=BotStatus.STOPPED)
    settings.MARKET_MAKER_BUDGET_SHARE = 0.3
    with on(DAY):
        market_cycle_run()
    client.force_login(make_staff())
    page = client.get("/admin/bots/")
    rows = {row["name"]: row for row in page.context["market"]}
    growth = rows["GrowthMax Lending"]
    assert growth["trades"] == 2 and growth["order"].budget == D("900.00")
    assert growth["held"] == sum(t.principal for t in Trade.objects.all())
    assert 'data-testid="bot-market-making"' in page.content.decode()


def test_a_filled_standing_order_sends_the_buyers_order_filled_webhook(three_listings,
                                                                        settings):
    from accounts.integrations import webhook_endpoint_create
    from accounts.models import WebhookDelivery

    settings.WEBHOOK_ALLOW_LOOPBACK = True
    cheapest = three_listings[0]
    buyer = make_user()
    fund(buyer, "5000.00")
    webhook_endpoint_create(user=buyer, url="http://127.0.0.1:9/hook", events=["order.filled"])
    order = _order(buyer, budget=cheapest.price)
    with on(DAY):
        assert market_match_run().trades == 1
    trade = Trade.objects.get(order=order)
    delivery = WebhookDelivery.objects.get(event="order.filled")
    data = delivery.payload["data"]
    assert (data["orderId"], data["tradeId"], data["noteId"], data["price"]) == (
        order.pk, trade.pk, trade.buyer_note_id, f"{trade.price:.2f}")
    assert delivery.endpoint.user_id == buyer.pk
