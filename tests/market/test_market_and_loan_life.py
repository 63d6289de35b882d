"""Where the note market meets the rest of a loan's life: a hardship plan suspends a note's
listing and keeps it off the market; the seller's gain or loss reaches the yearly statement; a
recovery after some notes were sold pays the holders at charge-off only."""

from datetime import date
from decimal import Decimal

import pytest

from investments.market import services as market
from investments.models import Listing, ListingStatus, Note, Trade
from payments.ledger_check import ledger_report
from payments.selectors import wallet_balances
from payments.servicing.books import books_report
from payments.servicing.lifecycle import (
    hardship_confirm,
    hardship_decide,
    hardship_request,
    recovery_record,
)
from payments.servicing.statements import statement_for
from tests.factories import make_staff, make_user
from tests.money import fund
from tests.servicing.test_servicing import drain

from .helpers import D, active_loan, notes_of, on, reload, serviced_through
from .test_trades import DAY, listed

pytestmark = pytest.mark.django_db


def _plan(loan, day):
    with on(day):
        plan = hardship_request(borrower=loan.borrower, loan_id=loan.pk, kind="deferral",
                                months=2, reason="Hospital stay", as_of=day)
        hardship_decide(staff=make_staff(), plan_id=plan.pk, decision="approve")
        return hardship_confirm(staff=make_staff(), plan_id=plan.pk, as_of=day)


def test_a_hardship_plan_suspends_the_listing_at_once_and_no_note_of_the_loan_can_be_listed(
        risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan, price=D("500.00"))
    _plan(loan, DAY)
    listing.refresh_from_db()
    assert listing.status == ListingStatus.SUSPENDED
    assert "hardship" in listing.suspended_reason
    other = notes_of(loan)[1]
    with on(DAY), pytest.raises(market.MarketError) as refused:
        market.listing_create(seller=other.lender, note_id=other.pk, price=D("300.00"))
    assert "hardship" in str(refused.value)
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY), pytest.raises(market.MarketError):
        market.listing_buy(buyer=buyer, listing_id=listing.pk)
    assert not Trade.objects.exists()
    assert Listing.objects.filter(status=ListingStatus.LISTED).count() == 0


def test_the_sellers_gain_or_loss_is_on_their_statement_for_the_year(risk_model):
    loan = active_loan()
    serviced_through(DAY)
    listing, note = listed(loan, price=D("561.37"))
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        trade = market.listing_buy(buyer=buyer, listing_id=listing.pk)
    statement = statement_for(user=note.lender, year=2026)
    assert statement.total("trade_gains") == trade.seller_gain != Decimal("0.00")
    line = next(n for n in statement.notes if n.note_id == note.pk)
    assert line.trade_gains == trade.seller_gain
    assert statement_for(user=note.lender, year=2025).total("trade_gains") == Decimal("0.00")
    assert statement_for(user=buyer, year=2026).total("trade_gains") == Decimal("0.00")
    assert Note.objects.get(pk=note.pk).status == "sold"
    assert trade.traded_at.date() == DAY


def test_a_recovery_after_some_notes_were_sold_pays_the_holders_at_charge_off_only(risk_model):
    loan = active_loan(shares=("500.00", "300.00", "200.00"))
    serviced_through(DAY)
    listing, sold = listed(loan)
    buyer = make_user()
    fund(buyer, "1000.00")
    with on(DAY):
        trade = market.listing_buy(buyer=buyer, listing_id=listing.pk)
    bought = Note.objects.get(pk=trade.buyer_note_id)
    drain(loan.borrower)
    serviced_through(date(2026, 8, 20))
    assert reload(loan).status == "charged_off"
    seller_cash = wallet_balances(sold.lender_id)["available"]
    with on(date(2026, 9, 1)):
        recovery = recovery_record(staff=make_staff(), loan_id=loan.pk, amount="250.00",
                                   source="borrower", received_on=date(2026, 9, 1))
    shares = {share.note_id: share for share in recovery.shares.all()}
    assert sold.pk not in shares and bought.pk in shares
    assert sum(share.gross for share in shares.values()) == D("250.00")
    held = {note.pk: note.charged_off_principal for note in notes_of(loan)}
    assert held[sold.pk] == 0  # sold before the charge-off: nothing of it was written off
    assert set(shares) == {pk for pk, principal in held.items() if principal > 0}
    buyer_cash = wallet_balances(buyer.pk)["available"]
    assert shares[bought.pk].net > 0
    with on(date(2026, 9, 1)):  # the same key again: the first recovery, nothing paid twice
        again = recovery_record(staff=make_staff(), loan_id=loan.pk, amount="250.00",
                                source="borrower", received_on=date(2026, 9, 1),
                                idempotency_key="once")
        recovery_record(staff=make_staff(), loan_id=loan.pk, amount="250.00",
                        source="borrower", received_on=date(2026, 9, 1), idempotency_key="once")
    assert wallet_balances(buyer.pk)["available"] == buyer_cash + again.shares.get(
        note_id=bought.pk).net
    assert wallet_balances(sold.lender_id)["available"] == seller_cash
    assert ledger_report().ok
    assert books_report().ok
