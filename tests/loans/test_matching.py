from decimal import Decimal

import pytest

from loans import services
from loans.models import RiskTolerance
from risk.models import RiskAssessment
from tests.factories import make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def market(risk_model):
    borrower = make_user("m.borrower@example.com", verified=True)
    loans = {}
    for grade, term, amount in (("A", 36, "5000"), ("B", 12, "2000"), ("D", 60, "20000"),
                                ("E", 60, "30000")):
        loans[grade] = services.loan_apply(borrower=borrower, amount=D(amount), term_months=term,
                                           purpose="car", max_rate=D("30"), staff_grade=grade)
    return borrower, loans


def test_matches_follow_stated_preferences(market, api_as):
    _, loans = market
    lender = make_user("m.lender@example.com")
    client = api_as(lender)
    response = client.put("/api/lender/preferences", {
        "riskTolerance": "conservative", "minAmount": "1000", "maxAmount": "6000",
        "terms": [36]}, format="json")
    assert response.status_code == 200, response.content
    body = client.get(f"/api/ml/loan-matching/{lender.pk}").json()
    assert body["success"] is True
    ranked = [m["loanId"] for m in body["matches"]]
    assert ranked[0] == loans["A"].pk and ranked[-1] == loans["E"].pk
    top = body["matches"][0]
    assert top["matchScore"] > body["matches"][-1]["matchScore"]
    assert any("conservative" in reason for reason in top["reasons"])


def test_matches_learn_from_past_bids_and_skip_listings_already_bid(market, api_as):
    _, loans = market
    lender = make_user("m.bidder@example.com")
    fund(lender, "1000")
    services.bid_place(lender=lender, loan_id=loans["D"].pk, amount=D("100"),
                       rate=loans["D"].floor_rate + 1)
    body = api_as(lender).get(f"/api/ml/loan-matching/{lender.pk}").json()
    ids = [m["loanId"] for m in body["matches"]]
    assert loans["D"].pk not in ids
    assert ids[0] == loans["E"].pk  # 60 months and a neighbouring grade, like the past bid


def test_only_the_lender_or_staff_see_matches(market, api_as, staff):
    lender, other = make_user(), make_user()
    assert api_as(other).get(f"/api/ml/loan-matching/{lender.pk}").status_code == 404
    assert api_as(staff).get(f"/api/ml/loan-matching/{lender.pk}").status_code == 200
    assert api_as(staff).get("/api/ml/loan-matching/999999").status_code == 404


def test_bad_preferences_are_refused(api_as):
    client = api_as(make_user())
    assert client.put("/api/lender/preferences", {"riskTolerance": "yolo"},
                      format="json").status_code == 400
    assert client.put("/api/lender/preferences", {"terms": [48]},
                      format="json").status_code == 400
    response = client.put("/api/lender/preferences", {"minAmount": "500", "maxAmount": "100"},
                          format="json")
    assert response.status_code == 400 and response.json()["field"] == "minAmount"
    assert RiskTolerance.CONSERVATIVE == "conservative"


def test_the_estimate_page_shows_grade_rates_and_payment(risk_model, client, borrower):
    client.force_login(borrower)
    page = client.get("/loans/estimate/?amount=8000&term_months=36&purpose=credit_card")
    assert page.status_code == 200
    assert b'data-testid="estimate-grade"' in page.content
    assert b"Monthly payment" in page.content
    assert RiskAssessment.objects.filter(user=borrower, source="estimate").count() == 1
    bad = client.get("/loans/estimate/?amount=50&term_months=36&purpose=credit_card")
    assert bad.status_code == 400
    assert b"greater than or equal to 1000" in bad.content


def test_the_matches_page_saves_preferences(market, client):
    lender = make_user()
    client.force_login(lender)
    response = client.post("/marketplace/matches/", {"risk_tolerance": "aggressive",
                                                     "terms": ["60"]})
    assert response.status_code == 302
    page = client.get("/marketplace/matches/")
    assert b"aggressive risk tolerance" in page.content
