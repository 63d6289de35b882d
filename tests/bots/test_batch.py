"""loans.batch.bids_place_batch: many bids in one transaction, the checks of bid_place, bounded
queries."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from loans import services as loan_services
from loans.batch import BidOrder, bids_place_batch
from loans.models import Bid, BidStatus, Loan
from payments.models import LedgerTransaction
from tests.bots.conftest import bulk_listings, listing, make_borrower
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def funded_lenders(db):
    people = [make_user(f"batch{i}@example.com", first_name=f"Lender{i}") for i in range(3)]
    for person in people:
        fund(person, "20000")
    return people


def test_a_batch_places_bids_holds_the_funds_and_updates_each_listing(funded_lenders, risk_model):
    a, b, c = funded_lenders
    borrower = make_borrower(760)
    first = listing(borrower, amount="5000")
    second = listing(borrower, amount="3000")
    rate = first.floor_rate.quantize(D("0.01")) + D("1.00")

    results = bids_place_batch(source="bot", now=timezone.now(), orders=[
        (a.pk, first.pk, D("2000"), rate), (b.pk, first.pk, D("3000"), rate + 1),
        BidOrder(c.pk, second.pk, D("1000"), rate)])

    assert all(r.placed for r in results)
    assert held(a) == D("2000") and available(a) == D("18000") and held(b) == D("3000")
    first.refresh_from_db()
    assert first.bid_total == D("5000") and first.bid_count == 2 and first.clearing_rate == rate + 1
    second.refresh_from_db()
    assert second.bid_total == D("1000") and second.clearing_rate is None  # not covered yet
    for result in results:
        assert result.bid.source == "bot" and result.bid.status == BidStatus.OPEN
        assert LedgerTransaction.objects.filter(idempotency_key=f"bid:{result.bid.pk}:hold:1",
                                                kind="hold").exists()
        assert AuditEvent.objects.filter(event="bid.placed", target_id=str(result.bid.pk)).exists()
    # A batch bid is an ordinary bid: its owner can withdraw it, and the hold comes back.
    loan_services.bid_withdraw(lender=c, bid_id=results[2].bid.pk)
    assert available(c) == D("20000")
    call_command("ledger_check", stdout=io.StringIO())


def test_orders_that_fail_a_check_are_refused_with_the_reason_and_the_rest_go_through(
        funded_lenders, risk_model):
    a, b, c = funded_lenders
    borrower = make_borrower(760)
    loan = listing(borrower, amount="5000", max_rate="15.00")
    closed = listing(borrower, amount="2000")
    loan_services.loan_cancel(acting_user=borrower, loan_id=closed.pk)
    rate = loan.floor_rate.quantize(D("0.01")) + D("1.00")
    loan_services.bid_place(lender=c, loan_id=loan.pk, amount=D("1000"), rate=rate)
    poor = make_user("poor@example.com", first_name="Poe")
    fund(poor, "100")

    results = bids_place_batch(source="bot", orders=[
        (a.pk, loan.pk, D("1000"), rate),                      # fine
        (a.pk, loan.pk, D("500"), rate),                       # a's second order on one loan
        (c.pk, loan.pk, D("500"), rate),                       # c already bids there
        (borrower.pk, loan.pk, D("500"), rate),                # own loan
        (b.pk, loan.pk, D("500"), loan.floor_rate - 1),        # below the floor
        (b.pk, loan.pk, D("500"), D("15.50")),                 # above the maximum
        (b.pk, loan.pk, D("10.00"), rate),                     # below the minimum bid
        (b.pk, loan.pk, D("3500"), rate),                      # more than is uncovered (3,000)
        (poor.pk, loan.pk, D("500"), rate),                    # not enough cash
        (b.pk, closed.pk, D("500"), rate),                     # listing closed
        (b.pk, 999999, D("500"), rate),                        # no such listing
        (b.pk, loan.pk, D("3000"), rate),                      # fine: exactly what is left
    ])

    refused = [r.refused for r in results]
    assert results[0].placed and results[-1].placed
    assert "already have an open bid" in refused[1] and "already have an open bid" in refused[2]
    assert refused[3] == "You cannot bid on your own loan"
    assert "at least the grade A floor" in refused[4]
    assert "cannot be above the borrower's maximum" in refused[5]
    assert "minimum bid is 25.00" in refused[6]
    assert "uncovered amount (3,000.00)" in refused[7]
    assert refused[8].startswith("Insufficient funds")
    assert refused[9] == "This listing is not open for bids"
    assert refused[10] == "Loan not found"
    loan.refresh_from_db()
    assert loan.bid_total == loan.amount and loan.bid_count == 3
    assert held(b) == D("3000") and held(poor) == 0
    call_command("ledger_check", stdout=io.StringIO())


def test_a_batch_runs_in_a_constant_number_of_queries(funded_lenders,
                                                       django_assert_max_num_queries):
    borrowers = [make_borrower(700 + i) for i in range(5)]
    loan_ids = bulk_listings(borrowers, 240)
    loans = {loan.pk: loan for loan in Loan.objects.filter(pk__in=loan_ids)}
    orders = [(lender.pk, loan_id, D("25.00"), loans[loan_id].max_rate)
              for loan_id in loan_ids for lender in funded_lenders[:2]]

    small = [(funded_lenders[2].pk, loan_ids[0], D("25.00"), loans[loan_ids[0]].max_rate)]
    with django_assert_max_num_queries(20) as few:
        bids_place_batch(orders=small, source="bot")
    # 480 bids: only the bulk INSERTs and UPDATEs grow, by the rows the database takes per
    # statement (SQLite's 999-parameter limit makes that about 100 bids a statement).
    with django_assert_max_num_queries(len(few.captured_queries) + 30):
        results = bids_place_batch(orders=orders, source="bot")
    assert sum(r.placed for r in results) == 480
    assert Bid.objects.filter(source="bot").count() == 481
