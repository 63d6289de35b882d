"""Selling and buying notes (DESIGN.md, "Secondary market"): exact cents through one ledger
transaction, the next payment to the buyer, suspension when a loan goes late."""

from datetime import date
from decimal import Decimal

import pytest

from investments.market import services as market
from investments.market.selectors import note_figures
from investments.models import Listing, ListingStatus, Note, NoteStatus, Trade
from payments.ledger import platform_account
from payments.models import AccountKind, Distribution, LedgerLeg
from payments.selectors import wallet_balances
from payments.services import wallet_withdraw
from tests.factories import make_user
from tests.money import available, fund

from .helpers import D, active_loan, notes_of, on, reload, serviced_through

pytestmark = pytest.mark.django_db

DAY = date(2026, 2, 20)  # the first installment (due 2026-02-15) was paid by autopay


def invested(user) -> Decimal:
    return wallet_balances(user.pk)["invested"]


def listed(loan, *, price=None, day=DAY):
    seller_note = notes_of(loan)[0]
    with on(day):
        figures = note_figures(Note.objects.select_related("loan").get(pk=seller_note.pk),
                               as_of=day)
        price = price or (figures.outstanding_principal + figures.accrued_interest)
        listing = market.listing_create(seller=seller_note.lender, note_id=seller_note.pk,
                                        price=price)
    return listing, seller_note


def test_a_trade_moves_exact_cents_through_one_ledger_transaction(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan, price=D("561.37"))
    seller, buyer = note.lender, make_user()
    fund(buyer, "1000.00")
    seller_cash, seller_invested = available(seller), invested(seller)
    outstanding = Note.objects.get(pk=note.pk).outstanding_principal
    with on(DAY):
        trade = market.listing_buy(buyer=buyer, listing_id=listing.pk)
    assert (trade.price, trade.fee) == (D("561.37"), D("5.61"))  # 1% half-even
    assert available(buyer) == D("1000.00") - D("561.37")
    assert available(seller) == seller_cash + D("555.76")
    assert platform_account(AccountKind.PLATFORM_MARKET_FEES).balance == D("5.61")
    assert invested(seller) == seller_invested - outstanding
    assert invested(buyer) == outstanding
    legs = LedgerLeg.objects.filter(transaction=trade.ledger_transaction)
    assert legs.count() == 5
    assert sum(leg.debit for leg in legs) == sum(leg.credit for leg in legs)
    sold, bought = Note.objects.get(pk=note.pk), trade.buyer_note
    assert (sold.status, sold.outstanding_principal, sold.sold_principal) == (
        NoteStatus.SOLD, D("0.00"), outstanding)
    assert (bought.lender_id, bought.principal, bought.outstanding_principal,
            bought.purchase_price, bought.acquired_from_id) == (
        buyer.pk, outstanding, outstanding, D("561.37"), note.pk)
    assert trade.seller_gain == D("561.37") - D("5.61") - outstanding - trade.accrued_interest
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.SOLD


def test_the_next_payment_goes_wholly_to_the_buyer_and_the_seller_keeps_its_history(
        risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan)
    before = Note.objects.get(pk=note.pk)
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        trade = market.listing_buy(buyer=buyer, listing_id=listing.pk)
    other = notes_of(loan)[1]
    other_before = Note.objects.get(pk=other.pk)
    serviced_through(date(2026, 3, 16))  # the March installment, by autopay
    sold = Note.objects.get(pk=note.pk)
    assert (sold.principal_received, sold.interest_received, sold.servicing_fees_paid) == (
        before.principal_received, before.interest_received, before.servicing_fees_paid)
    march = Distribution.objects.filter(repayment__paid_on=date(2026, 3, 15))
    assert set(march.values_list("note_id", flat=True)) == {trade.buyer_note_id, other.pk}
    bought = Note.objects.get(pk=trade.buyer_note_id)
    other = Note.objects.get(pk=other.pk)
    # The buyer's note gets exactly what the seller's would have: 600 of 1000 of the payment.
    assert bought.principal_received + other.principal_received - \
        other_before.principal_received == sum(d.principal for d in march)
    assert bought.outstanding_principal + other.outstanding_principal == \
        reload(loan).outstanding_principal
    assert bought.principal_received > 0 and available(buyer) > D("1000.00") - trade.price


def test_a_listing_is_suspended_when_its_loan_goes_16_days_late_and_resumes_when_current(
        risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan, price=D("500.00"))
    with on(DAY):
        wallet_withdraw(user=loan.borrower, amount=available(loan.borrower))  # autopay fails
    serviced_through(date(2026, 3, 30))  # 15 days past the March due date: grace
    assert Listing.objects.get(pk=listing.pk).status == ListingStatus.LISTED
    serviced_through(date(2026, 3, 31))  # day 16
    assert reload(loan).status == "late"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUSPENDED
    assert "late" in listing.suspended_reason
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(date(2026, 3, 31)), pytest.raises(market.MarketError):
        market.listing_buy(buyer=buyer, listing_id=listing.pk)
    with on(date(2026, 4, 1)):
        fund(loan.borrower, "300.00")  # autopay takes the arrears the next day
    serviced_through(date(2026, 4, 1))
    assert reload(loan).status == "active"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.LISTED
    assert not Trade.objects.exists()


def test_a_note_sells_once_and_nobody_buys_their_own(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan)
    first, second = make_user(), make_user()
    fund(first, "1000.00")
    fund(second, "1000.00")
    with on(DAY):
        with pytest.raises(market.MarketError, match="own note"):
            market.listing_buy(buyer=note.lender, listing_id=listing.pk)
        trade = market.listing_buy(buyer=first, listing_id=listing.pk, idempotency_key="k1")
        assert market.listing_buy(buyer=first, listing_id=listing.pk,
                                  idempotency_key="k1").pk == trade.pk
        with pytest.raises(market.MarketError, match="already been sold"):
            market.listing_buy(buyer=second, listing_id=listing.pk)
    assert available(second) == D("1000.00")
    assert Trade.objects.count() == 1


def test_the_buyer_can_resell_the_note_and_figures_still_sum_to_the_loans(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan)
    buyer, second = make_user(), make_user()
    fund(buyer, "1000.00")
    fund(second, "1000.00")
    with on(DAY):
        trade = market.listing_buy(buyer=buyer, listing_id=listing.pk)
        relisted = market.listing_create(seller=buyer, note_id=trade.buyer_note_id,
                                         price=trade.price)
        again = market.listing_buy(buyer=second, listing_id=relisted.pk)
    serviced_through(date(2026, 3, 16))
    live = Note.objects.filter(loan=loan, status=NoteStatus.ACTIVE)
    assert {n.lender_id for n in live} == {second.pk, notes_of(loan)[1].lender_id}
    assert sum(n.outstanding_principal for n in live) == reload(loan).outstanding_principal
    assert again.note_id == trade.buyer_note_id
