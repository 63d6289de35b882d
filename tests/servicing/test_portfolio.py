import re
from datetime import UTC, date

import pytest

from investments.selectors import xirr


def test_xirr_matches_a_hand_checked_cash_flow():
    # 1,000 out, 1,100 back a year later: 10% a year.
    assert round(xirr([(date(2025, 1, 1), -1000.0), (date(2026, 1, 1), 1100.0)]), 6) == 0.1
    # Two halves: -1000, +550 after 6 months (181 days), +550 after a year (365 days).
    rate = xirr([(date(2025, 1, 1), -1000.0), (date(2025, 7, 1), 550.0),
                 (date(2026, 1, 1), 550.0)])
    npv = -1000 + 550 / (1 + rate) ** (181 / 365) + 550 / (1 + rate) ** (365 / 365)
    assert abs(npv) < 1e-6 and 0.13 < rate < 0.14


def test_xirr_without_a_sign_change_is_none():
    assert xirr([(date(2025, 1, 1), 100.0)]) is None
    assert xirr([]) is None


@pytest.mark.django_db
def test_the_portfolio_api_and_page_show_notes_and_returns(risk_model, api_as, client):
    from tests.servicing.test_servicing import active_loan, drain, servicing

    loan = active_loan()
    drain(loan.borrower)
    from tests.money import fund

    fund(loan.borrower, "200")
    servicing("2026-02-15")
    lender = loan.notes.get().lender
    body = api_as(lender).get("/api/investments/portfolio").json()
    assert body["summary"]["totalInvested"] == "1000.00"
    assert body["summary"]["activeInvestments"] == 1
    assert body["summary"]["netAnnualizedReturn"] is not None
    assert body["investments"][0]["loanId"] == loan.pk
    assert body["investments"][0]["interestReceived"] != "0.00"
    client.force_login(lender)
    page = client.get("/portfolio/")
    assert page.status_code == 200 and b"Net annualized return" in page.content
    csv = client.get("/portfolio/export/payments.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = b"".join(csv.streaming_content).decode().strip().splitlines()
    assert lines[0].startswith("date,loan,note,principal,interest,late_fee,servicing_fee,net")
    assert len(lines) == 2
    notes_csv = client.get("/portfolio/export/notes.csv")
    assert b"outstanding_principal" in b"".join(notes_csv.streaming_content)


@pytest.mark.django_db
def test_the_borrower_pays_an_installment_on_the_schedule_page(risk_model, client):
    from datetime import datetime

    import time_machine

    from tests.servicing.test_servicing import active_loan

    loan = active_loan()
    client.force_login(loan.borrower)
    with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=UTC), tick=False):
        page = client.get(f"/loans/{loan.pk}/schedule/")
        assert page.status_code == 200 and b"Payoff today" in page.content
        first = loan.installments.get(number=1)
        form = {"amount": str(first.total), "payment_date": "2026-02-15",
                "idempotency_key": "pay-1", "apply_to": "installment"}
        review = client.post(f"/loans/{loan.pk}/pay/", form)
        # First the page says what the payment settles, and nothing is paid yet.
        assert review.status_code == 200 and b"Confirm payment" in review.content
        assert b"#1" in review.content and loan.repayments.count() == 0
        # Confirming posts the review's own hidden fields back.
        html = review.content.decode()
        confirm_form = html[html.index('data-testid="pay-preview"'):]
        confirm_form = confirm_form[confirm_form.index("<form"):confirm_form.index("</form>")]
        form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', confirm_form))
        form.pop("csrfmiddlewaretoken", None)
        assert form["confirm"] == "True" and form["payment_date"] == "2026-02-15"
        assert client.post(f"/loans/{loan.pk}/pay/", form).status_code == 302
        assert client.post(f"/loans/{loan.pk}/pay/", form).status_code == 302  # double submit
        first.refresh_from_db()
        assert first.status == "paid"
        assert loan.repayments.count() == 1
        too_much = client.post(f"/loans/{loan.pk}/pay/", {"amount": "99999",
                                                           "payment_date": "2026-02-15",
                                                           "idempotency_key": "pay-2",
                                                           "apply_to": "installment"})
        assert too_much.status_code == 400 and b"payoff amount" in too_much.content


def test_xirr_of_a_brand_new_portfolio_is_not_annualised():
    assert xirr([(date(2026, 1, 1), -2000.0), (date(2026, 1, 1), 2000.0)]) is None
    assert xirr([(date(2026, 1, 1), -2000.0), (date(2026, 1, 10), 2001.0)]) is None
