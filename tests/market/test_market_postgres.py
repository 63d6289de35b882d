"""Buyers racing for one note on PostgreSQL: exactly one trade (the row locks and the trade's
ledger key), the loser refused with nothing moved."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from investments.market import services as market
from investments.models import Listing, ListingStatus, Trade
from payments.ledger_check import ledger_report
from payments.servicing.books import books_report
from tests.factories import make_user
from tests.money import available, fund

from .helpers import D, active_loan, notes_of, on, serviced_through

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]
DAY = date(2026, 2, 20)


@pytest.mark.django_db(transaction=True)
def test_racing_buyers_make_exactly_one_trade(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    note = notes_of(loan)[0]
    with on(DAY):
        listing = market.listing_create(seller=note.lender, note_id=note.pk, price=D("540.00"))
    buyers = [make_user() for _ in range(4)]
    for buyer in buyers:
        fund(buyer, "1000.00")
    barrier = threading.Barrier(len(buyers))
    outcomes = []

    def buy(buyer):
        barrier.wait()
        try:
            market.listing_buy(buyer=buyer, listing_id=listing.pk, as_of=DAY)
            outcomes.append("bought")
        except market.MarketError as exc:
            outcomes.append(str(exc))
        finally:
            connections.close_all()

    with on(DAY):
        threads = [threading.Thread(target=buy, args=(b,)) for b in buyers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert outcomes.count("bought") == 1, outcomes
    assert all("already been sold" in o for o in outcomes if o != "bought")
    assert Trade.objects.count() == 1
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.SOLD
    assert sorted(available(b) for b in buyers) == [D("460.00")] + [D("1000.00")] * 3
    assert ledger_report().ok and books_report().ok


@pytest.mark.django_db(transaction=True)
def test_a_trade_and_servicing_of_the_same_loan_queue_on_the_loans_lock(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    note = notes_of(loan)[0]
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        listing = market.listing_create(seller=note.lender, note_id=note.pk, price=D("540.00"))
    barrier = threading.Barrier(2)
    errors = []

    def trade():
        barrier.wait()
        try:
            market.listing_buy(buyer=buyer, listing_id=listing.pk, as_of=DAY)
        except Exception as exc:  # noqa: BLE001 - recorded for the assertion
            errors.append(exc)
        finally:
            connections.close_all()

    def service():
        barrier.wait()
        try:
            from payments.servicing.batch import run_servicing

            run_servicing(as_of=DAY)
        finally:
            connections.close_all()

    with on(DAY):
        threads = [threading.Thread(target=trade), threading.Thread(target=service)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert ledger_report().ok and books_report().ok


BROWSE_CASES = [
    {}, {"sort_by": "yield"}, {"sort_by": "createdAt"}, {"grade": "C"}, {"term_left_max": 12},
    {"min_yield": D("9.50")}, {"max_price_percent": D("98.00")},
    {"grade": "B", "min_yield": D("8.00"), "sort_by": "yield"},
    {"after": ("price", D("99.10"), 7)}, {"sort_by": "yield", "after": ("yield", D("9.10"), 7)},
    {"sort_by": "createdAt", "after": ("createdAt", DAY.isoformat() + "T10:00:00+00:00", 7)},
]


@pytest.mark.django_db
@pytest.mark.parametrize("options", BROWSE_CASES, ids=str)
def test_the_listed_notes_come_in_an_indexs_order_for_every_sort_filter_and_page(options):
    """The list's keyset pages read the stored figures through an index in the page's order:
    with sorting made prohibitive, PostgreSQL still needs no Sort node (it would add one if no
    index gave the order, e.g. after a sort on a figure computed per request)."""
    from investments.market.apis import ROW_FIELDS
    from investments.market.selectors import ListingCursor, listings_browse

    options = dict(options)
    if "after" in options:
        sort_by, value, row_id = options["after"]
        options["after"] = ListingCursor.decode(ListingCursor(sort_by, value, row_id).encode(),
                                                sort_by)
    sql, params = listings_browse(**options).values(*ROW_FIELDS)[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" not in plan, plan
    assert "Index Scan" in plan and "on investments_listing" in plan, plan
