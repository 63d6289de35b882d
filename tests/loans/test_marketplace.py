"""The marketplace rules of DESIGN.md, "Loan lifecycle", through the services and the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from communitylend.core.errors import ApplicationError
from loans import services
from loans.models import Bid, BidStatus, Loan, LoanStatus
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def verified_borrower(risk_model):
    return make_user("vb@example.com", first_name="Vera", verified=True)


def listing(borrower, amount="10000", max_rate="15.00", term=36, grade="A", **extra):
    return services.loan_apply(borrower=borrower, amount=D(amount), term_months=term,
                               purpose="debt_consolidation", max_rate=D(max_rate),
                               staff_grade=grade, **extra)


def lenders(n, cash="20000"):
    people = [make_user(f"lender{i}@example.com", first_name=f"L{i}") for i in range(n)]
    for person in people:
        fund(person, cash)
    return people


def test_three_lenders_clear_at_the_highest_accepted_rate(verified_borrower):
    loan = listing(verified_borrower)
    assert loan.floor_rate <= D("8.00")
    a, b, c = lenders(3)
    services.bid_place(lender=a, loan_id=loan.pk, amount=D("4000"), rate=D("8.00"))
    services.bid_place(lender=b, loan_id=loan.pk, amount=D("4000"), rate=D("9.50"))
    services.bid_place(lender=c, loan_id=loan.pk, amount=D("4000"), rate=D("11.00"))
    loan.refresh_from_db()
    assert loan.clearing_rate == D("11.00") and loan.funded_amount == D("10000")
    services.loan_accept(borrower=verified_borrower, loan_id=loan.pk)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE
    assert loan.interest_rate == D("11.00") and loan.amount == D("10000")
    bid_c = Bid.objects.get(lender=c)
    assert bid_c.status == BidStatus.PARTLY_WON and bid_c.accepted_amount == D("2000")
    assert available(c) == D("18000") and held(c) == 0
    assert available(a) == D("16000") and held(a) == 0
    fee = D("100.00")  # grade A: 1%
    assert available(verified_borrower) == D("10000") - fee
    notes = {n.lender_id: n for n in loan.notes.all()}
    assert {k: v.principal for k, v in notes.items()} == {a.pk: D("4000"), b.pk: D("4000"),
                                                          c.pk: D("2000")}
    assert all(n.rate == D("11.00") for n in notes.values())
    assert loan.installments.count() == 36
    call_command("ledger_check")


def test_an_exact_tie_goes_to_the_earlier_bid(verified_borrower):
    loan = listing(verified_borrower, amount="5000")
    early, late = lenders(2)
    now = timezone.now()
    services.bid_place(lender=early, loan_id=loan.pk, amount=D("3000"), rate=D("9.00"), now=now)
    services.bid_place(lender=late, loan_id=loan.pk, amount=D("3000"), rate=D("9.00"),
                       now=now + timedelta(seconds=1))
    services.loan_accept(borrower=verified_borrower, loan_id=loan.pk)
    assert Bid.objects.get(lender=early).accepted_amount == D("3000")
    assert Bid.objects.get(lender=late).accepted_amount == D("2000")
    assert available(late) == D("18000")


def test_partial_funding_at_75_percent_is_accepted_for_the_smaller_amount(verified_borrower):
    loan = listing(verified_borrower)
    a, b = lenders(2)
    services.bid_place(lender=a, loan_id=loan.pk, amount=D("4000"), rate=D("9.00"))
    services.bid_place(lender=b, loan_id=loan.pk, amount=D("3500"), rate=D("10.00"))
    with pytest.raises(ApplicationError, match="cover 100%"):
        services.loan_accept(borrower=verified_borrower, loan_id=loan.pk)
    after_deadline = loan.funding_deadline + timedelta(minutes=1)
    assert services.listings_close_due(now=after_deadline) == {"partially_funded": 1}
    assert services.listings_close_due(now=after_deadline) == {}
    loan.refresh_from_db()
    assert loan.status == LoanStatus.PARTIALLY_FUNDED
    services.loan_accept(borrower=verified_borrower, loan_id=loan.pk,
                         now=after_deadline + timedelta(days=1))
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and loan.amount == D("7500")
    assert loan.requested_amount == D("10000") and loan.interest_rate == D("10.00")
    assert available(verified_borrower) == D("7500") - D("75.00")


def test_a_funded_listing_not_accepted_in_five_days_expires_and_releases(verified_borrower):
    loan = listing(verified_borrower, amount="2000")
    (a,) = lenders(1)
    services.bid_place(lender=a, loan_id=loan.pk, amount=D("2000"), rate=D("9.00"))
    deadline = loan.funding_deadline
    assert services.listings_close_due(now=deadline) == {"funded": 1}
    assert services.listings_close_due(now=deadline + timedelta(days=4)) == {}
    assert services.listings_close_due(now=deadline + timedelta(days=5)) == {"expired": 1}
    assert available(a) == D("20000") and held(a) == 0
    with pytest.raises(ApplicationError, match="expired"):
        services.loan_accept(borrower=verified_borrower, loan_id=loan.pk,
                             now=deadline + timedelta(days=6))


def test_expiry_below_70_percent_releases_every_hold(verified_borrower):
    loan = listing(verified_borrower)
    people = lenders(3)
    for person, rate in zip(people, ("8.00", "9.00", "10.00"), strict=True):
        services.bid_place(lender=person, loan_id=loan.pk, amount=D("2000"), rate=D(rate))
    assert all(held(p) == D("2000") for p in people)
    call_command("close_listings", as_of=(loan.funding_deadline + timedelta(days=1)).date()
                 .isoformat())
    loan.refresh_from_db()
    assert loan.status == LoanStatus.EXPIRED
    assert all(available(p) == D("20000") and held(p) == 0 for p in people)
    assert set(Bid.objects.values_list("status", flat=True)) == {BidStatus.LOST}
    call_command("ledger_check")


@pytest.mark.parametrize("amount, rate, message", [
    ("100", "7.00", "floor"),
    ("100", "15.01", "maximum"),
    ("24.99", "9.00", "minimum bid"),
    ("20000.01", "9.00", "Insufficient"),
    ("25000.01", "9.00", "more than the loan amount"),
])
def test_bad_bids_are_refused_with_400_and_nothing_held(verified_borrower, api_as, amount, rate,
                                                        message):
    loan = listing(verified_borrower, amount="25000", max_rate="15.00")
    if message == "floor":
        rate = str(loan.floor_rate - D("0.01"))
    (a,) = lenders(1)
    response = api_as(a).post("/api/investments/create", {"loanId": loan.pk, "amount": amount,
                                                          "rate": rate}, format="json")
    assert response.status_code == 400, response.content
    assert message.lower() in response.json()["error"].lower()
    assert held(a) == 0 and available(a) == D("20000")
    assert not Bid.objects.exists()


def test_a_borrower_cannot_bid_on_their_own_loan_nor_on_a_closed_listing(verified_borrower):
    loan = listing(verified_borrower)
    fund(verified_borrower, "500")
    with pytest.raises(ApplicationError, match="own loan"):
        services.bid_place(lender=verified_borrower, loan_id=loan.pk, amount=D("100"),
                           rate=D("9.00"))
    services.loan_cancel(acting_user=verified_borrower, loan_id=loan.pk)
    (a,) = lenders(1)
    with pytest.raises(ApplicationError, match="not open"):
        services.bid_place(lender=a, loan_id=loan.pk, amount=D("100"), rate=D("9.00"))


def test_bids_can_be_lowered_resized_and_withdrawn_and_the_hold_follows(verified_borrower):
    loan = listing(verified_borrower)
    (a,) = lenders(1)
    bid = services.bid_place(lender=a, loan_id=loan.pk, amount=D("1000"), rate=D("10.00"))
    with pytest.raises(ApplicationError, match="already have an open bid"):
        services.bid_place(lender=a, loan_id=loan.pk, amount=D("50"), rate=D("9.00"))
    with pytest.raises(ApplicationError, match="only be lowered"):
        services.bid_update(lender=a, bid_id=bid.pk, rate=D("11.00"))
    services.bid_update(lender=a, bid_id=bid.pk, rate=D("9.25"), amount=D("1500"))
    assert held(a) == D("1500")
    services.bid_update(lender=a, bid_id=bid.pk, amount=D("600"))
    assert held(a) == D("600") and available(a) == D("19400")
    services.bid_withdraw(lender=a, bid_id=bid.pk)
    assert held(a) == 0 and available(a) == D("20000")
    with pytest.raises(ApplicationError):
        services.bid_withdraw(lender=a, bid_id=bid.pk)
    assert available(a) == D("20000")
    call_command("ledger_check")


def test_an_unverified_borrower_can_list_but_not_accept(risk_model, api_as):
    borrower = make_user("unverified@example.com", complete=True)
    loan = listing(borrower, amount="1000")
    (a,) = lenders(1)
    services.bid_place(lender=a, loan_id=loan.pk, amount=D("1000"), rate=D("9.00"))
    response = api_as(borrower).post(f"/api/loans/{loan.pk}/accept")
    assert response.status_code == 400
    assert "verified" in response.json()["error"]
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.LISTED


def test_the_api_contract_from_listing_to_active(verified_borrower, api_as, staff):
    client = api_as(verified_borrower)
    response = client.post("/api/loans/create", {
        "amount": "6000", "interestRate": "14.5", "termMonths": 24,
        "purpose": "home_improvement", "collateralDescription": "none"}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()["loan"]
    for key in ("id", "amount", "interestRate", "termMonths", "purpose", "status",
                "monthlyPayment", "totalPayment", "riskGrade", "mlScore", "floorRate",
                "fundingDeadline", "apr", "originationFee", "recommendedRate"):
        assert key in created
    assert created["status"] == "listed" and created["amount"] == "6000.00"
    loan_id = created["id"]
    a, b = lenders(2)
    floor = D(str(created["floorRate"]))
    bid_a = api_as(a).post("/api/investments/create", {"loanId": loan_id, "amount": "4000",
                                                       "rate": str(floor + 1)}, format="json")
    assert bid_a.status_code == 201, bid_a.content
    assert bid_a.json()["bid"]["status"] == "open"
    api_as(b).post("/api/investments/create", {"loanId": loan_id, "amount": "4000",
                                               "rate": str(floor + 2)}, format="json")
    detail = api_as(a).get(f"/api/loans/{loan_id}").json()
    assert detail["fundedAmount"] == "6000.00" and detail["bidCount"] == 2
    assert D(str(detail["clearingRate"])) == floor + 2
    assert detail["borrower"] == {"id": verified_borrower.pk, "firstName": "Vera",
                                  "creditScore": 740, "verificationStatus": "verified"}
    book = api_as(a).get(f"/api/loans/{loan_id}/bids").json()["bids"]
    assert [bool(x["lender"]) for x in book] == [True, False]
    staff_book = api_as(staff).get(f"/api/loans/{loan_id}/bids").json()["bids"]
    assert staff_book[1]["lender"]["displayName"] == "L1 Person"
    assert api_as(a).post(f"/api/loans/{loan_id}/cancel").status_code == 403
    version = client.get(f"/api/loans/{loan_id}/agreement").json()["agreementVersion"]
    accepted = client.post(f"/api/loans/{loan_id}/accept", {"agreementVersion": version},
                           format="json")
    assert accepted.status_code == 200, accepted.content
    after = client.get(f"/api/loans/{loan_id}").json()
    assert after["status"] == "active" and after["fundedAmount"] == "6000.00"
    assert D(str(after["interestRate"])) == floor + 2
    loan = Loan.objects.get(pk=loan_id)
    assert after["monthlyPayment"] == str(loan.installments.first().total)
    mine = api_as(b).get("/api/bids").json()["bids"]
    assert mine[0]["status"] == "partly_won" and mine[0]["acceptedAmount"] == "2000.00"


def test_the_loan_list_filters_sorts_and_paginates(verified_borrower, api_as):
    for amount, term in (("1000", 12), ("5000", 36), ("9000", 60), ("20000", 36)):
        listing(verified_borrower, amount=amount, term=term)
    client = api_as(make_user())
    body = client.get("/api/loans?limit=2&sortBy=amount&sortOrder=asc").json()
    assert [x["amount"] for x in body["loans"]] == ["1000.00", "5000.00"]
    cursor = body["pagination"].pop("nextCursor")
    assert body["pagination"] == {"page": 1, "limit": 2, "total": 4, "totalPages": 2}
    rest = client.get(f"/api/loans?limit=2&sortBy=amount&sortOrder=asc&after={cursor}").json()
    assert [x["amount"] for x in rest["loans"]] == ["9000.00", "20000.00"]
    assert rest["pagination"]["nextCursor"] is None
    body = client.get("/api/loans?termMonths=36&minAmount=6000").json()
    assert [x["amount"] for x in body["loans"]] == ["20000.00"]
    assert client.get("/api/loans?riskGrade=Z").status_code == 400
    assert client.get("/api/loans?sortBy=price").status_code == 400
    assert client.get("/api/loans?limit=1000").json()["pagination"]["limit"] == 100


def test_the_marketplace_and_listing_pages_show_the_auction(verified_borrower, client):
    loan = listing(verified_borrower)
    (a,) = lenders(1)
    services.bid_place(lender=a, loan_id=loan.pk, amount=D("2500"), rate=D("9.00"))
    page = client.get("/marketplace/?grade=A&term=36")
    assert page.status_code == 200
    assert f"#{loan.pk}".encode() in page.content and b"25%" in page.content
    client.force_login(a)
    detail = client.get(f"/loans/{loan.pk}/")
    assert b"Your bid" in detail.content and b"2,500.00" in detail.content
    response = client.post(f"/bids/{Bid.objects.get().pk}/change/", {"rate": "8.75"})
    assert response.status_code == 302
    assert Bid.objects.get().rate == D("8.75")


def test_a_borrower_raises_a_maximum_below_the_floor_and_then_lenders_can_bid(verified_borrower,
                                                                            api_as):
    loan = listing(verified_borrower, max_rate="1.00")
    assert loan.rate_below_floor
    (a,) = lenders(1)
    refused = api_as(a).post("/api/investments/create", {"loanId": loan.pk, "amount": "100",
                                                         "rate": str(loan.floor_rate)})
    assert refused.status_code == 400
    assert api_as(a).patch(f"/api/loans/{loan.pk}", {"interestRate": "9.5"}).status_code == 403
    client = api_as(verified_borrower)
    assert client.patch(f"/api/loans/{loan.pk}", {"interestRate": "0.5"}).status_code == 400
    raised = client.patch(f"/api/loans/{loan.pk}", {"interestRate": "12.00"})
    assert raised.status_code == 200
    body = raised.json()["loan"]
    assert body["interestRate"] == 12.0 and body["rateBelowFloor"] is False
    assert body["monthlyPayment"] == "332.14"
    ok = api_as(a).post("/api/investments/create", {"loanId": loan.pk, "amount": "100",
                                                    "rate": str(loan.floor_rate)})
    assert ok.status_code == 201


@pytest.mark.parametrize("sort", ["createdAt", "amount", "interestRate"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_keyset_pages_walk_the_same_rows_as_numbered_pages(verified_borrower, api_as, sort,
                                                           order):
    # Equal amounts and rates (ties broken by id) and equal creation times.
    now = timezone.now()
    for i, (amount, rate) in enumerate((("5000", "15.00"), ("5000", "15.00"), ("1000", "12.00"),
                                        ("9000", "15.00"), ("5000", "20.00"), ("1000", "25.00"),
                                        ("7000", "12.00"))):
        loan = listing(verified_borrower, amount=amount, max_rate=rate)
        Loan.objects.filter(pk=loan.pk).update(created_at=now - timedelta(minutes=i // 2))
    client = api_as(make_user())
    base = f"/api/loans?limit=3&sortBy={sort}&sortOrder={order}"
    numbered = [x["id"] for page in (1, 2, 3)
                for x in client.get(f"{base}&page={page}").json()["loans"]]
    walked, url = [], base
    while url:
        body = client.get(url).json()
        walked += [x["id"] for x in body["loans"]]
        cursor = body["pagination"]["nextCursor"]
        url = f"{base}&after={cursor}" if cursor else None
    assert walked == numbered and len(set(walked)) == 7


def test_a_bad_or_foreign_cursor_is_a_clear_400(verified_borrower, api_as):
    for amount in ("1000", "2000", "3000"):
        listing(verified_borrower, amount=amount)
    client = api_as(make_user())
    cursor = client.get("/api/loans?limit=1&sortBy=amount").json()["pagination"]["nextCursor"]
    other = client.get(f"/api/loans?limit=1&sortBy=createdAt&after={cursor}")
    assert other.status_code == 400 and other.json()["field"] == "after"
    assert "sortBy" in other.json()["error"]
    import base64
    import json

    def encoded(*parts):
        return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")

    for sort, bad in (("amount", "x"), ("amount", "bm90IGpzb24"), ("amount", "WzEsMiwzXQ"),
                      ("amount", "é"), ("amount", encoded("amount", "desc", "NaN", 1)),
                      ("amount", encoded("amount", "desc", "1e400", 1)),
                      ("amount", encoded("amount", "desc", "5", 2**64)),
                      ("createdAt", encoded("createdAt", "desc", "9999-12-31T23:59:59+14:00", 1)),
                      ("createdAt", encoded("createdAt", "desc", "2026-01-01T00:00:00", 1))):
        response = client.get(f"/api/loans?sortBy={sort}&after={bad}")
        assert response.status_code == 400, bad
        assert response.json()["field"] == "after"
