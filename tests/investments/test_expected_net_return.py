"""The portfolio's expected net return (API.md, "Added with the second wave"): what the notes are
scheduled to earn (``expectedReturn``, unchanged) less the losses the model expects."""

from decimal import Decimal

import pytest

from loans import services
from tests.factories import make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_portfolio_takes_expected_losses_off_the_expected_return(risk_model, api_as, client):
    borrower = make_user("bo@example.com", first_name="Bo", verified=True)
    lender = make_user("len@example.com", first_name="Len")
    fund(lender, "5000")
    loan = services.loan_apply(borrower=borrower, amount=D("2000"), term_months=36,
                               purpose="car", max_rate=D("30.00"))
    assert D("0") < loan.expected_loss_share < loan.probability_default
    services.bid_place(lender=lender, loan_id=loan.pk, amount=D("2000"),
                       rate=loan.recommended_rate)
    services.loan_accept(borrower=borrower, loan_id=loan.pk)

    summary = api_as(lender).get("/api/investments/portfolio").json()["summary"]
    losses = (D("2000.00") * loan.expected_loss_share).quantize(D("0.01"))
    assert summary["expectedLosses"] == f"{losses:.2f}"
    assert D(summary["expectedNetReturn"]) == D(summary["expectedReturn"]) - losses
    client.force_login(lender)
    assert b'data-testid="expected-net-return"' in client.get("/portfolio/").content
