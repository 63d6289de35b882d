"""A lender sells a note on the market and another buys it through the confirmation dialog,
in a real browser; both portfolios show it (screenshots under test-artifacts/browser/)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from communitylend.core.money import format_money
from investments.models import Note, NoteStatus, Trade
from loans import services as auction
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, make_user
from tests.money import fund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_a_lender_lists_a_note_and_another_buys_it(journey, risk_model):
    # A loan disbursed today: serviced up to date, so its notes may be sold at once.
    borrower = make_user(verified=True)
    loan = auction.loan_apply(borrower=borrower, amount=D("1000.00"), term_months=12,
                              purpose="car", max_rate=D("30"), staff_grade="C")
    seller = make_user("sam.seller@example.com", first_name="Sam")
    other = make_user()
    for lender, share in ((seller, "600.00"), (other, "400.00")):
        fund(lender, share)
        auction.bid_place(lender=lender, loan_id=loan.pk, amount=D(share), rate=D("12.00"))
    auction.loan_accept(borrower=borrower, loan_id=loan.pk)
    note = Note.objects.get(loan=loan, lender=seller)
    buyer = make_user("bea.buyer@example.com", first_name="Bea")
    fund(buyer, "1000.00")

    selling = journey.person()
    log_in(selling, seller.email, PASSWORD)
    selling.goto("/portfolio/")
    row = selling.get_by_test_id(f"note-{note.pk}")
    expect(row.get_by_test_id("model-value")).not_to_have_text("—")
    row.get_by_test_id(f"sell-price-{note.pk}").fill("594.00")
    journey.step(selling, "seller prices the note")
    row.get_by_test_id(f"sell-{note.pk}").click()
    selling.wait_for_load_state()
    expect(selling.locator("body")).to_contain_text("Your note is listed on the market.")
    expect(selling.get_by_test_id(f"note-{note.pk}")).to_contain_text("Listed at $594.00")
    journey.step(selling, "note listed")

    buying = journey.person()
    log_in(buying, buyer.email, PASSWORD)
    buying.goto("/market/?grade=C")
    listing = note.listings.get()
    expect(buying.get_by_test_id(f"listing-{listing.pk}")).to_contain_text("594.00")
    journey.step(buying, "buyer browses the market")
    buying.get_by_test_id(f"buy-{listing.pk}").click()
    dialog = buying.get_by_test_id("buy-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("594.00")
    journey.step(buying, "confirmation dialog")
    dialog.get_by_test_id("confirm-buy").click()
    buying.wait_for_load_state()
    expect(buying.locator("body")).to_contain_text("You bought the note")
    trade = Trade.objects.get()
    expect(buying.get_by_test_id(f"note-{trade.buyer_note_id}")).to_contain_text("bought")
    expect(buying.get_by_test_id(f"note-{trade.buyer_note_id}")).to_contain_text("600.00")
    journey.step(buying, "the note in the buyer's portfolio")

    selling.goto("/portfolio/")
    expect(selling.get_by_test_id(f"note-{note.pk}")).to_contain_text("Sold")
    selling.goto("/market/orders/")
    expect(selling.get_by_test_id("my-trades")).to_contain_text("sold")
    expect(selling.get_by_test_id("my-trades")).to_contain_text("594.00")
    journey.step(selling, "the sale in the seller's trades")
    selling.goto("/statements/")
    gain = Trade.objects.get().seller_gain
    expect(selling.get_by_test_id("statement-total")).to_contain_text(format_money(gain))
    journey.step(selling, "the sale on the seller's yearly statement")
    assert Note.objects.get(pk=note.pk).status == NoteStatus.SOLD
    assert trade.fee == D("5.94") and trade.buyer_id == buyer.pk
