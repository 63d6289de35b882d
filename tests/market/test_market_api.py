"""The market's API (API.md, "Added with the second wave"): contract fields, bad input answered
400 with the field named and nothing changed, and the listings list at 2 queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from investments.models import BuyOrder, Listing, ListingStatus, Trade
from payments.models import LedgerTransaction
from payments.services import wallet_withdraw
from tests.factories import api_client_for, make_user
from tests.money import available, fund

from .helpers import D, active_loan, notes_of, on, serviced_through

pytestmark = pytest.mark.django_db
DAY = date(2026, 2, 20)


@pytest.fixture
def scene(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    seller_note, other_note = notes_of(loan)
    return loan, seller_note, other_note


def _nothing_changed(before):
    assert (Listing.objects.count(), Trade.objects.count(), LedgerTransaction.objects.count(),
            BuyOrder.objects.count()) == before


def _counts():
    return (Listing.objects.count(), Trade.objects.count(), LedgerTransaction.objects.count(),
            BuyOrder.objects.count())


def test_a_lender_lists_a_note_and_another_buys_it_through_the_api(scene):
    loan, note, _ = scene
    seller, buyer = api_client_for(note.lender), make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        created = seller.post("/api/market/listings", {"noteId": note.pk, "price": "550.00"})
        assert created.status_code == 201, created.json()
        listing = created.json()["listing"]
        assert set(listing) >= {"id", "noteId", "loanId", "grade", "outstandingPrincipal",
                                "accruedInterest", "price", "pricePercent", "yieldToMaturity",
                                "remainingPayments", "loanStatus", "seller"}
        assert listing["seller"] is None and listing["price"] == "550.00"
        assert listing["remainingPayments"] == 11 and listing["loanStatus"] == "active"
        page = api_client_for(buyer).get("/api/market/listings?grade=C&sortBy=yield")
        assert [row["id"] for row in page.json()["listings"]] == [listing["id"]]
        bought = api_client_for(buyer).post(f"/api/market/listings/{listing['id']}/buy",
                                            {"idempotencyKey": "buy-1"})
        assert bought.status_code == 201, bought.json()
        trade = bought.json()["trade"]
        assert {k: trade[k] for k in ("noteId", "price", "fee", "buyerId", "sellerId")} == {
            "noteId": note.pk, "price": "550.00", "fee": "5.50", "buyerId": buyer.pk,
            "sellerId": note.lender_id}
        again = api_client_for(buyer).post(f"/api/market/listings/{listing['id']}/buy",
                                           {"idempotencyKey": "buy-1"})
        assert again.status_code == 201 and again.json()["trade"]["id"] == trade["id"]
    mine = api_client_for(note.lender).get("/api/market/trades").json()["trades"]
    assert [t["id"] for t in mine] == [trade["id"]]
    assert api_client_for(buyer).get("/api/market/listings").json()["listings"] == []


@pytest.mark.parametrize("body, field", [
    ({"price": "550.001"}, "price"),
    ({"price": "100.00"}, "price"),      # under 50% of par
    ({"price": "900.00"}, "price"),      # over 130%
    ({"price": "-5"}, "price"),
    ({"price": "abc"}, "price"),
    ({"noteId": "other"}, "noteId"),     # someone else's note
    ({"noteId": 10**9}, "noteId"),
])
def test_bad_listings_are_refused_with_the_field_and_change_nothing(scene, body, field):
    _, note, other = scene
    payload = {"noteId": note.pk, "price": "550.00", **body}
    if payload["noteId"] == "other":
        payload["noteId"] = other.pk
    before = _counts()
    with on(DAY):
        response = api_client_for(note.lender).post("/api/market/listings", payload)
    assert response.status_code == 400, response.json()
    assert response.json()["success"] is False and response.json()["field"] == field
    _nothing_changed(before)


def test_a_note_listed_twice_or_of_a_late_loan_is_refused(scene):
    loan, note, other = scene
    client = api_client_for(note.lender)
    with on(DAY):
        assert client.post("/api/market/listings",
                           {"noteId": note.pk, "price": "550.00"}).status_code == 201
        before = _counts()
        twice = client.post("/api/market/listings", {"noteId": note.pk, "price": "540.00"})
        assert (twice.status_code, twice.json()["field"]) == (400, "noteId")
        _nothing_changed(before)
        wallet_withdraw(user=loan.borrower, amount=available(loan.borrower))
    serviced_through(date(2026, 3, 31))
    with on(date(2026, 3, 31)):
        late = api_client_for(other.lender).post("/api/market/listings",
                                                 {"noteId": other.pk, "price": "350.00"})
    assert (late.status_code, late.json()["field"]) == (400, "noteId")
    assert "late" in late.json()["error"]


def test_a_buy_with_too_little_cash_or_of_ones_own_note_is_refused(scene):
    _, note, _ = scene
    poor = make_user()
    fund(poor, "100.00")
    with on(DAY):
        listing = api_client_for(note.lender).post(
            "/api/market/listings", {"noteId": note.pk, "price": "550.00"}).json()["listing"]
        before = _counts()
        short = api_client_for(poor).post(f"/api/market/listings/{listing['id']}/buy", {})
        assert (short.status_code, short.json()["field"]) == (400, "price")
        own = api_client_for(note.lender).post(f"/api/market/listings/{listing['id']}/buy", {})
        assert (own.status_code, own.json()["field"]) == (400, "listingId")
    _nothing_changed(before)
    assert available(poor) == D("100.00")


def test_the_seller_reprices_and_cancels_and_nobody_else_can(scene):
    _, note, other = scene
    client = api_client_for(note.lender)
    with on(DAY):
        listing = client.post("/api/market/listings",
                              {"noteId": note.pk, "price": "550.00"}).json()["listing"]
        url = f"/api/market/listings/{listing['id']}"
        assert api_client_for(other.lender).patch(url, {"price": "500.00"}).status_code == 404
        bad = client.patch(url, {"price": "10.00"})
        assert (bad.status_code, bad.json()["field"]) == (400, "price")
        changed = client.patch(url, {"price": "530.25"})
        assert changed.status_code == 200 and changed.json()["listing"]["price"] == "530.25"
        assert client.delete(url).status_code == 200
    assert Listing.objects.get(pk=listing["id"]).status == ListingStatus.CANCELLED


@pytest.mark.parametrize("body, field", [
    ({"grades": []}, "grades"),
    ({"budget": "-1.00"}, "budget"),
    ({"grades": ["Z"]}, "grades"),
    ({"maxPerNote": "0"}, "maxPerNote"),
    ({"budget": "10.001"}, "budget"),
])
def test_bad_orders_are_refused_with_the_field(db, body, field):
    user = make_user()
    payload = {"grades": ["A", "B"], "maxPerNote": "100.00", "budget": "1000.00", **body}
    response = api_client_for(user).post("/api/market/orders", payload)
    assert response.status_code == 400, response.json()
    assert response.json()["field"] == field
    assert not BuyOrder.objects.exists()


def test_orders_are_created_changed_and_deleted_by_their_owner(db):
    user, other = make_user(), make_user()
    client = api_client_for(user)
    made = client.post("/api/market/orders", {
        "grades": ["B", "A"], "termLeftMin": 3, "termLeftMax": 36, "maxPricePercent": "99.5",
        "minYield": "6", "maxPerNote": "250.00", "budget": "1000.00", "enabled": True})
    assert made.status_code == 201, made.json()
    order = made.json()["order"]
    assert order["grades"] == ["A", "B"] and order["budget"] == "1000.00"
    url = f"/api/market/orders/{order['id']}"
    assert api_client_for(other).patch(url, {"enabled": False}).status_code == 404
    assert client.patch(url, {"enabled": False}).json()["order"]["enabled"] is False
    assert client.get("/api/market/orders").json()["orders"][0]["id"] == order["id"]
    assert client.delete(url).status_code == 200
    assert not BuyOrder.objects.exists()


def test_the_listings_list_costs_two_queries_however_many_rows(scene):
    loan, note, other = scene
    viewer = api_client_for(make_user())
    with on(DAY):
        api_client_for(note.lender).post("/api/market/listings",
                                         {"noteId": note.pk, "price": "550.00"})
        with CaptureQueriesContext(connection) as one:
            assert viewer.get("/api/market/listings?limit=50").status_code == 200
        api_client_for(other.lender).post("/api/market/listings",
                                          {"noteId": other.pk, "price": "350.00"})
        with CaptureQueriesContext(connection) as two:
            body = viewer.get("/api/market/listings?limit=1").json()
            deeper = viewer.get(f"/api/market/listings?limit=1&after="
                                f"{body['pagination']['nextCursor']}").json()
    assert len(one.captured_queries) == 2, [q["sql"] for q in one.captured_queries]
    assert len(two.captured_queries) == 4
    # Best price first: the cheaper note by price percent, then the other one.
    assert [body["listings"][0]["noteId"], deeper["listings"][0]["noteId"]] in (
        [note.pk, other.pk], [other.pk, note.pk])
    assert body["listings"][0]["pricePercent"] <= deeper["listings"][0]["pricePercent"]
    assert viewer.get("/api/market/listings?after=garbage").status_code == 400


def test_the_fast_listing_rows_are_what_the_serializer_gives(scene):
    from investments.market.apis import ListingSerializer
    from investments.models import Listing

    _, note, _ = scene
    with on(DAY):
        api_client_for(note.lender).post("/api/market/listings",
                                         {"noteId": note.pk, "price": "550.00"})
        listed = api_client_for(make_user()).get("/api/market/listings").json()["listings"]
    from decimal import Decimal

    from djangorestframework_camel_case.util import camelize

    expected = camelize(ListingSerializer(Listing.objects.select_related("loan").get()).data)
    # RateOutput's Decimals are JSON numbers.
    assert listed == [{k: float(v) if isinstance(v, Decimal) else v
                       for k, v in expected.items()}]
