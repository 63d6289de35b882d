"""What a lender reads to judge a listing (issue 19): the borrower's facts the model used, the
PD and grade in words, the expected return, and whether their own bid is winning, partly
winning or outbid, on the listing, in My bids and in the API."""

from decimal import Decimal

import pytest
from django.test import Client

from loans import services
from loans.selectors import bid_standings
from tests.factories import api_client_for, make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def listing(risk_model):
    borrower = make_user("facts.borrower@example.com", verified=True, annual_income="82000",
                         monthly_debt="1200", employment_length=6, home_ownership="MORTGAGE",
                         inquiries_6m=2, revolving_utilization="35.5", delinquencies_2y=0,
                         public_records=1)
    return services.loan_apply(borrower=borrower, amount=D("2000"), term_months=36,
                               purpose="home_improvement", max_rate=D("30"), staff_grade="C",
                               description="A new roof before winter")


def lender(name):
    person = make_user(f"{name}@example.com", first_name=name.title())
    fund(person, "5000")
    return person


def test_a_bid_is_winning_then_partly_winning_then_outbid(listing):
    first, second, third = lender("first"), lender("second"), lender("third")
    bid = services.bid_place(lender=first, loan_id=listing.pk, amount=D("1500"),
                             rate=listing.floor_rate + 5)
    assert bid_standings([bid]) == {bid.pk: "winning"}
    services.bid_place(lender=second, loan_id=listing.pk, amount=D("1000"),
                       rate=listing.floor_rate + 1)
    assert bid_standings([bid]) == {bid.pk: "partly_winning"}  # 1,000.00 of 1,500.00
    services.bid_place(lender=third, loan_id=listing.pk, amount=D("1000"),
                       rate=listing.floor_rate + 2)
    assert bid_standings([bid]) == {bid.pk: "outbid"}
    withdrawn = services.bid_withdraw(lender=first, bid_id=bid.pk)
    assert bid_standings([withdrawn]) == {bid.pk: "withdrawn"}


def test_won_and_lost_once_the_listing_closes(listing):
    cheap, dear = lender("cheap"), lender("dear")
    won = services.bid_place(lender=cheap, loan_id=listing.pk, amount=D("2000"),
                             rate=listing.floor_rate + 1)
    lost = services.bid_place(lender=dear, loan_id=listing.pk, amount=D("500"),
                              rate=listing.floor_rate + 4)
    services.loan_accept(borrower=listing.borrower, loan_id=listing.pk)
    won.refresh_from_db()
    lost.refresh_from_db()
    assert bid_standings([won, lost]) == {won.pk: "won", lost.pk: "lost"}


def test_the_api_gives_the_standing_of_ones_own_bids_only(listing):
    mine, other = lender("mine"), lender("other")
    my_bid = services.bid_place(lender=mine, loan_id=listing.pk, amount=D("2000"),
                                rate=listing.floor_rate + 3)
    services.bid_place(lender=other, loan_id=listing.pk, amount=D("2000"),
                       rate=listing.floor_rate + 1)
    client = api_client_for(mine)
    (listed,) = client.get("/api/bids").json()["bids"]
    assert listed["standing"] == "outbid"
    assert client.get(f"/api/bids/{my_bid.pk}").json()["bid"]["standing"] == "outbid"
    book = client.get(f"/api/loans/{listing.pk}/bids").json()["bids"]
    assert {b["mine"]: b["standing"] for b in book} == {True: "outbid", False: None}


def test_the_listing_shows_the_models_facts_the_pd_in_words_and_my_standing(listing):
    outbid, winner = lender("outbid"), lender("winner")
    services.bid_place(lender=outbid, loan_id=listing.pk, amount=D("2000"),
                       rate=listing.floor_rate + 3)
    services.bid_place(lender=winner, loan_id=listing.pk, amount=D("2000"),
                       rate=listing.floor_rate + 1)
    client = Client()
    client.force_login(outbid)
    html = client.get(f"/loans/{listing.pk}/").content.decode()
    for words in ("$75,000–$100,000 a year", "17.6%", "Owns with a mortgage", "6 years",
                  "2 inquiries", "36%", "1 record", "Grade C: moderate risk",
                  "chance of default over the 36-month term", "A new roof before winter",
                  "Outbid", "Expected net return", "not a promise"):
        assert words in html, words
    assert "Risk score" not in html
    my_bids = client.get("/my/bids/").content.decode()
    assert "Outbid" in my_bids
