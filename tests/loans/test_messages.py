"""Error messages that name the real limit and every invalid field (issue 19)."""

from decimal import Decimal

import pytest

from communitylend.core.errors import ApplicationError
from loans import services
from tests.factories import api_client_for, make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def listing(risk_model):
    borrower = make_user("msg.borrower@example.com", verified=True)
    return services.loan_apply(borrower=borrower, amount=D("2000"), term_months=36,
                               purpose="car", max_rate=D("20"), staff_grade="B")


def test_lowering_the_maximum_rate_names_the_current_one(listing):
    with pytest.raises(ApplicationError, match="only go up: it is 20.00%, so enter 20.00% or"):
        services.loan_raise_max_rate(borrower=listing.borrower, loan_id=listing.pk,
                                     max_rate=D("18"))


def test_a_bad_bid_reports_every_problem(listing):
    lender = make_user("msg.lender@example.com")
    fund(lender, "5000")
    response = api_client_for(lender).post("/api/investments/create", {
        "loanId": listing.pk, "amount": "3000.00", "rate": "35.00"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert "more than the loan amount (2,000.00)" in body["error"]
    assert "above the borrower's maximum of 20.00%" in body["error"]
    assert body["field"] == "amount" and body["fields"] == ["amount", "rate"]


def test_a_bad_bid_form_names_each_field_by_its_label(client, listing):
    lender = make_user("form.lender@example.com")
    client.force_login(lender)
    response = client.post(f"/loans/{listing.pk}/bid/", {"amount": "1", "rate": "99"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Amount:" in html and "Minimum rate (%):" in html


def test_a_marketplace_minimum_above_the_maximum_says_so(client):
    response = client.get("/marketplace/", {"min_amount": "5000", "max_amount": "1000"})
    html = response.content.decode()
    assert "is below the minimum" in html and 'data-testid="filter-errors"' in html
