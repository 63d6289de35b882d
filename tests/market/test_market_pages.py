"""The market's pages: sell from the portfolio, browse and buy on /market/, orders, CSVs."""

from datetime import date

import pytest

from investments.models import BuyOrder, Listing, ListingStatus, Trade
from tests.factories import make_user
from tests.money import fund

from .helpers import active_loan, notes_of, on, serviced_through

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 20)


def test_a_lender_sells_from_the_portfolio_and_another_buys_on_the_market(risk_model, client):
    loan = active_loan()
    serviced_through(DAY)
    note = notes_of(loan)[0]
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        client.force_login(note.lender)
        page = client.get("/portfolio/")
        assert page.status_code == 200
        assert f'data-testid="sell-{note.pk}"' in page.content.decode()
        assert 'data-testid="model-value"' in page.content.decode()
        response = client.post(f"/portfolio/notes/{note.pk}/sell/", {"price": "549.99"})
        assert response.status_code == 302
        listing = Listing.objects.get(note=note)
        assert "Change price" in client.get("/portfolio/").content.decode()
        client.post(f"/market/listings/{listing.pk}/price/", {"price": "545.00"})
        listing.refresh_from_db()
        assert str(listing.price) == "545.00"
        client.force_login(buyer)
        market = client.get("/market/?grade=C&sort=yield")
        assert f'data-testid="buy-{listing.pk}"' in market.content.decode()
        assert "Market maker" in market.content.decode()
        assert client.get("/market/?after=nonsense").status_code == 400
        assert client.get("/market/?min_yield=1e2").status_code == 400
        bought = client.post(f"/market/listings/{listing.pk}/buy/", {"idempotency_key": "x1"})
        assert bought.status_code == 302 and bought["Location"] == "/portfolio/"
    trade = Trade.objects.get()
    with on(DAY):
        portfolio = client.get("/portfolio/").content.decode()
        assert f'data-testid="note-{trade.buyer_note_id}"' in portfolio
        payments_csv = b"".join(client.get("/portfolio/export/payments.csv").streaming_content)
        assert b"purchase" in payments_csv and b"-545.00" in payments_csv
        client.force_login(note.lender)
        notes_csv = b"".join(client.get("/portfolio/export/notes.csv").streaming_content)
        assert b"sale_gain" in notes_csv and b"545.00" in notes_csv
        sale_csv = b"".join(client.get("/portfolio/export/payments.csv").streaming_content)
        assert b"sale" in sale_csv and b"539.55" in sale_csv  # 545.00 less the 5.45 fee
        orders = client.get("/market/orders/").content.decode()
        assert "sold" in orders


def test_a_bad_sale_price_is_refused_and_nothing_is_listed(risk_model, client):
    loan = active_loan()
    serviced_through(DAY)
    note = notes_of(loan)[0]
    with on(DAY):
        client.force_login(note.lender)
        client.post(f"/portfolio/notes/{note.pk}/sell/", {"price": "5.00"})
        client.post(f"/portfolio/notes/{note.pk}/sell/", {"price": "500.001"})
        client.force_login(notes_of(loan)[1].lender)
        client.post(f"/portfolio/notes/{note.pk}/sell/", {"price": "500.00"})
    assert not Listing.objects.exists()


def test_standing_orders_are_made_paused_and_deleted_on_the_orders_page(db, client):
    user = make_user()
    client.force_login(user)
    response = client.post("/market/orders/", {
        "grades": ["A", "B"], "term_left_min": "1", "term_left_max": "36",
        "max_price_percent": "98", "min_yield": "6", "max_per_note": "250",
        "budget": "1000"})
    assert response.status_code == 302
    order = BuyOrder.objects.get(buyer=user)
    assert order.grades == ["A", "B"]
    client.post(f"/market/orders/{order.pk}/toggle/")
    order.refresh_from_db()
    assert order.enabled is False
    assert client.post("/market/orders/", {"term_left_min": "1"}).status_code == 400
    client.post(f"/market/orders/{order.pk}/delete/")
    assert not BuyOrder.objects.exists()
    assert Listing.objects.filter(status=ListingStatus.LISTED).count() == 0


def test_the_platform_dashboard_shows_traded_volume_and_average_price(risk_model, client):
    from investments.market import services as market
    from tests.factories import make_staff_in

    loan = active_loan()
    serviced_through(DAY)
    note = notes_of(loan)[0]
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        listing = market.listing_create(seller=note.lender, note_id=note.pk, price="500.00")
        trade = market.listing_buy(buyer=buyer, listing_id=listing.pk)
        client.force_login(make_staff_in("Support"))
        page = client.get("/admin/dashboard/")
    market_figures = page.context["stats"]["market"]
    assert market_figures["trades"] == 1 and str(market_figures["volume"]) == "500.00"
    par = trade.principal + trade.accrued_interest
    assert market_figures["average_price_percent"] == (trade.price * 100 / par).quantize(
        trade.price)
    assert 'data-testid="kpi-market"' in page.content.decode()
    assert page.context["stats"]["fees"]["market"] == trade.fee


def test_an_administrator_halts_and_reopens_trading_in_the_admin(db, client):
    from investments.models import MarketControl
    from tests.factories import make_staff_in

    admin = make_staff_in("Administrator")
    client.force_login(admin)
    url = "/admin/investments/marketcontrol/"
    assert client.get(url).status_code == 200
    client.post(url, {"action": "halt_trading", "_selected_action": ["1"]})
    assert MarketControl.objects.get(pk=1).trading_halted is True
    client.post(url, {"action": "reopen_trading", "_selected_action": ["1"]})
    assert MarketControl.objects.get(pk=1).trading_halted is False
    support = make_staff_in("Support")
    client.force_login(support)
    client.post(url, {"action": "halt_trading", "_selected_action": ["1"]})
    assert MarketControl.objects.get(pk=1).trading_halted is False
    for name in ("listing", "trade", "buyorder"):
        assert client.get(f"/admin/investments/{name}/").status_code == 200
