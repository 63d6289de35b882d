"""Accepting a loan in two steps (issue 19): the final terms and a versioned agreement to
review, then a consent recorded with its version, time, address and browser, and a signed copy
kept with the loan that only the borrower and staff can download."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import AuditEvent
from communitylend.core.errors import ApplicationError
from loans import services
from loans.agreements import agreement_review
from loans.models import LoanAgreement, LoanStatus, SignedAgreement
from tests.factories import api_client_for, make_staff, make_user
from tests.money import available, fund

pytestmark = pytest.mark.django_db
D = Decimal
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"


@pytest.fixture
def a_borrower(risk_model):
    return make_user("ana.borrower@example.com", first_name="Ana", last_name="Borrower",
                     verified=True)


@pytest.fixture
def covered_loan(a_borrower):
    """A 2,000.00 listing covered by two lenders: 1,200.00 at floor+1 and 1,000.00 at floor+3
    (the second one partly accepted, so the clearing rate is floor+3)."""
    loan = services.loan_apply(borrower=a_borrower, amount=D("2000"), term_months=12,
                               purpose="car", max_rate=D("30"), staff_grade="B")
    low, high = make_user("low.lender@example.com"), make_user("high.lender@example.com")
    fund(low, "5000")
    fund(high, "5000")
    services.bid_place(lender=low, loan_id=loan.pk, amount=D("1200"), rate=loan.floor_rate + 1)
    services.bid_place(lender=high, loan_id=loan.pk, amount=D("1000"), rate=loan.floor_rate + 3)
    loan.refresh_from_db()
    return loan


def current_version() -> int:
    return LoanAgreement.objects.order_by("-version").first().version


def test_the_first_agreement_version_is_published_by_the_migrations(db):
    agreement = LoanAgreement.objects.get(version=1)
    assert "{borrower_name}" in agreement.text and "Prepayment" in agreement.text


def test_the_review_shows_the_final_terms_at_the_clearing_rate(covered_loan, a_borrower):
    review = agreement_review(loan=covered_loan, borrower=a_borrower)
    terms = review.terms
    assert terms.rate == covered_loan.floor_rate + 3
    assert terms.amount == D("2000.00") and terms.origination_fee == D("40.00")  # grade B: 2%
    assert terms.amount_received == D("1960.00")
    assert len(terms.schedule) == 12
    assert terms.total_of_payments == sum(r.payment for r in terms.schedule)
    assert terms.finance_charge == terms.total_of_payments - D("1960.00")
    assert "Ana Borrower" in review.text and f"#{covered_loan.pk}" in review.text

    services.loan_accept(borrower=a_borrower, loan_id=covered_loan.pk,
                         consent=services.Consent(agreement_version=review.agreement.version))
    covered_loan.refresh_from_db()
    # What was reviewed is what was disbursed.
    assert covered_loan.interest_rate == terms.rate
    assert covered_loan.monthly_payment == terms.monthly_payment
    assert covered_loan.apr == terms.apr
    assert covered_loan.total_payment == terms.total_of_payments
    assert available(a_borrower) == terms.amount_received


def test_a_smaller_amount_reviews_and_clears_for_that_amount(covered_loan, a_borrower):
    review = agreement_review(loan=covered_loan, borrower=a_borrower, amount=D("1200.00"))
    assert review.terms.amount == D("1200.00")
    assert review.terms.rate == covered_loan.floor_rate + 1  # the cheaper bid covers it alone


def test_acceptance_records_consent_with_version_time_address_and_browser(covered_loan,
                                                                          a_borrower):
    client = api_client_for(a_borrower)
    body = client.get(f"/api/loans/{covered_loan.pk}/agreement").json()
    assert body["agreementVersion"] == current_version()
    assert body["terms"]["amountReceived"] == "1960.00"
    assert body["terms"]["originationFee"] == "40.00"
    assert len(body["terms"]["schedule"]) == 12
    assert set(body["terms"]) >= {"amount", "originationFee", "amountReceived", "apr",
                                  "financeCharge", "totalOfPayments", "schedule"}

    response = client.post(f"/api/loans/{covered_loan.pk}/accept",
                           {"agreementVersion": body["agreementVersion"]}, format="json",
                           REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200, response.content
    signed = SignedAgreement.objects.get(loan=covered_loan)
    assert (signed.version, signed.ip_address, signed.user_agent) == (
        body["agreementVersion"], "203.0.113.7", BROWSER)
    assert signed.signed_at is not None and signed.borrower == a_borrower
    assert signed.terms["amountReceived"] == "1960.00"
    assert "TRUTH IN LENDING" in signed.text and "203.0.113.7" in signed.text
    assert "Ana Borrower" in signed.text
    assert AuditEvent.objects.filter(event="loan.agreement_signed",
                                     target_id=str(covered_loan.pk)).exists()


@pytest.mark.parametrize("payload", [{}, {"agreementVersion": None}, {"amount": "2000.00"}])
def test_acceptance_without_the_agreement_version_is_refused(covered_loan, a_borrower, payload):
    response = api_client_for(a_borrower).post(f"/api/loans/{covered_loan.pk}/accept", payload,
                                               format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "agreementVersion"
    covered_loan.refresh_from_db()
    assert covered_loan.status == LoanStatus.LISTED
    assert not SignedAgreement.objects.exists()


def test_acceptance_of_an_outdated_version_is_refused(covered_loan, a_borrower):
    old = current_version()
    staff = make_staff("legal@example.com")
    services.agreement_save(acting_user=staff, agreement=LoanAgreement(
        title="Loan agreement", text="New words for {borrower_name}."))
    assert current_version() == old + 1
    response = api_client_for(a_borrower).post(f"/api/loans/{covered_loan.pk}/accept",
                                               {"agreementVersion": old}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "agreementVersion"
    assert "changed" in response.json()["error"]
    covered_loan.refresh_from_db()
    assert covered_loan.status == LoanStatus.LISTED


def test_a_signed_version_cannot_be_edited_only_superseded(covered_loan, a_borrower):
    staff = make_staff("legal@example.com")
    version = current_version()
    services.loan_accept(borrower=a_borrower, loan_id=covered_loan.pk,
                         consent=services.Consent(agreement_version=version))
    agreement = LoanAgreement.objects.get(version=version)
    agreement.text = "Rewritten after signing"
    with pytest.raises(ApplicationError, match="cannot change"):
        services.agreement_save(acting_user=staff, agreement=agreement)
    assert "Rewritten" not in LoanAgreement.objects.get(version=version).text


def test_the_web_flow_reviews_then_accepts_only_with_the_box_ticked(covered_loan, a_borrower):
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(a_borrower)
    page = client.get(f"/loans/{covered_loan.pk}/accept/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Truth in Lending" in html and "$1,960.00" in html and "$40.00" in html
    version = current_version()
    form = {"agreement_version": version, "reviewed_rate": str(covered_loan.floor_rate + 3)}

    refused = client.post(f"/loans/{covered_loan.pk}/accept/", form)  # box not ticked
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    covered_loan.refresh_from_db()
    assert covered_loan.status == LoanStatus.LISTED

    done = client.post(f"/loans/{covered_loan.pk}/accept/", {**form, "agree": "on"},
                       REMOTE_ADDR="198.51.100.4")
    assert done.status_code == 302
    covered_loan.refresh_from_db()
    assert covered_loan.status == LoanStatus.ACTIVE
    signed = covered_loan.signed_agreement
    assert (signed.ip_address, signed.user_agent) == ("198.51.100.4", BROWSER)


def test_the_web_flow_refuses_when_the_rate_rose_since_the_review(covered_loan, a_borrower):
    client = Client()
    client.force_login(a_borrower)
    form = {"agreement_version": current_version(), "agree": "on",
            "reviewed_rate": str(covered_loan.floor_rate + 1)}  # lower than the clearing rate
    client.post(f"/loans/{covered_loan.pk}/accept/", form)
    covered_loan.refresh_from_db()
    assert covered_loan.status == LoanStatus.LISTED


def test_the_signed_copy_is_downloadable_by_the_borrower_and_staff_only(covered_loan,
                                                                         a_borrower):
    services.loan_accept(borrower=a_borrower, loan_id=covered_loan.pk,
                         consent=services.Consent(agreement_version=current_version(),
                                                  ip_address="192.0.2.1", user_agent=BROWSER))
    url = f"/loans/{covered_loan.pk}/agreement/signed/"
    outsider, lender = make_user("outsider@example.com"), covered_loan.bids.first().lender
    for person, expected in ((a_borrower, 200), (make_staff("support@example.com"), 200),
                             (outsider, 404), (lender, 404)):
        client = Client()
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == expected, person.email
        if expected == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert "192.0.2.1" in response.content.decode()
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_the_api_agreement_is_for_the_borrower_only(covered_loan):
    outsider = make_user("nosy@example.com")
    response = api_client_for(outsider).get(f"/api/loans/{covered_loan.pk}/agreement")
    assert response.status_code in (403, 404)
