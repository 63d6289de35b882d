from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from loans.auction import BidView, clear

T0 = datetime(2026, 11, 1, 12, 0)


def bid(id, amount, rate, minutes=0):
    return BidView(id, Decimal(amount), Decimal(rate), T0 + timedelta(minutes=minutes))


def test_three_lenders_clear_at_the_highest_accepted_rate_with_the_marginal_bid_partly_filled():
    result = clear([bid(1, "4000", "8.00"), bid(2, "4000", "9.50"), bid(3, "4000", "11.00")],
                   Decimal("10000"))
    assert result.clearing_rate == Decimal("11.00")
    assert result.accepted == {1: Decimal("4000"), 2: Decimal("4000"), 3: Decimal("2000")}
    assert result.fully_covered


def test_ties_on_rate_go_to_the_earlier_bid():
    result = clear([bid(1, "6000", "9.00", minutes=5), bid(2, "6000", "9.00", minutes=1)],
                   Decimal("10000"))
    assert result.accepted == {2: Decimal("6000"), 1: Decimal("4000")}
    assert result.clearing_rate == Decimal("9.00")


def test_bids_above_the_clearing_point_are_not_accepted():
    result = clear([bid(1, "10000", "7.00"), bid(2, "500", "6.00"), bid(3, "3000", "12.00")],
                   Decimal("10000"))
    assert result.accepted == {2: Decimal("500"), 1: Decimal("9500")}
    assert result.clearing_rate == Decimal("7.00")


def test_an_uncovered_listing_accepts_everything():
    result = clear([bid(1, "3000", "7.00"), bid(2, "4500", "10.00")], Decimal("10000"))
    assert result.covered == Decimal("7500") and not result.fully_covered
    assert result.clearing_rate == Decimal("10.00")


def test_no_bids_no_rate():
    result = clear([], Decimal("5000"))
    assert result.clearing_rate is None and result.covered == 0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(2500, 4_000_000), st.integers(500, 3600)), max_size=30),
       st.integers(100_000, 4_000_000))
def test_accepted_amounts_never_exceed_the_loan_and_all_earn_one_rate(raw, cents):
    bids = [bid(i, Decimal(a) / 100, Decimal(r) / 100, minutes=i) for i, (a, r) in enumerate(raw)]
    amount = Decimal(cents) / 100
    result = clear(bids, amount)
    assert sum(result.accepted.values(), Decimal(0)) == result.covered <= amount
    by_id = {b.id: b for b in bids}
    assert all(0 < v <= by_id[i].amount for i, v in result.accepted.items())
    if result.accepted:
        assert result.clearing_rate == max(by_id[i].rate for i in result.accepted)
        rejected = [b for b in bids if b.id not in result.accepted]
        assert all(b.rate >= result.clearing_rate for b in rejected)
