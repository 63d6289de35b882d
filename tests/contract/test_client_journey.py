"""The journeys through the generated client (clients/python, `make client`) against a live
server: a borrower and a lender register, staff verify the borrower, the borrower applies, the
lender deposits and bids, the borrower accepts, deposits and pays, and the lender reads the
portfolio and exports the payments. Only the client's typed calls, no hand-written HTTP."""

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import PASSWORD, make_staff, totp_code

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from communitylend_client import AuthenticatedClient, Client  # noqa: E402
from communitylend_client.api.auth import login, register  # noqa: E402
from communitylend_client.api.investments import (  # noqa: E402
    bid_create,
    get_payments_received,
    get_portfolio,
)
from communitylend_client.api.loans import (  # noqa: E402
    get_loan,
    get_loan_agreement,
    loan_accept,
    loan_create,
)
from communitylend_client.api.payments import get_payment_history, payment_schedule  # noqa: E402
from communitylend_client.api.users import update_profile, verification  # noqa: E402
from communitylend_client.api.wallet import deposit, get_wallet  # noqa: E402
from communitylend_client.models import (  # noqa: E402
    AcceptRequest,
    AddressRequest,
    BidCreateRequest,
    Error,
    LoanCreateRequest,
    LoanTermEnum,
    LoginRequest,
    MoveRequest,
    PatchedProfileRequest,
    ProfileEmploymentStatusEnum,
    PurposeEnum,
    RegisterRequest,
    ScheduleRequestRequest,
    VerificationDecisionEnum,
    VerificationRequest,
)

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("migrations_data"), pytest.mark.contract]


def ok(result):
    """The typed body of a 2xx answer (an Error model or None means the step failed)."""
    assert result is not None and not isinstance(result, Error), result
    return result


def sign_up(url: str, email: str) -> AuthenticatedClient:
    anonymous = Client(base_url=url, raise_on_unexpected_status=True)
    ok(register.sync(client=anonymous, body=RegisterRequest(
        email=email, password=PASSWORD, first_name="Api", last_name="Consumer")))
    return sign_in(url, email)


def sign_in(url: str, email: str, code: str = "") -> AuthenticatedClient:
    anonymous = Client(base_url=url, raise_on_unexpected_status=True)
    token = ok(login.sync(client=anonymous, body=LoginRequest(email=email, password=PASSWORD,
                                                              code=code))).token
    return AuthenticatedClient(base_url=url, token=token, raise_on_unexpected_status=True)


def accept(borrower: AuthenticatedClient, loan_id: int):
    """The accept step, in one place: when accepting asks for the agreement's version
    (GET /api/loans/{id}/agreement), it is read here and sent in the AcceptRequest."""
    agreement = ok(get_loan_agreement.sync(loan_id, client=borrower))
    assert agreement.terms.total_of_payments
    return ok(loan_accept.sync(loan_id, client=borrower, body=AcceptRequest(
        agreement_version=agreement.agreement_version)))


def test_the_journeys_through_the_generated_client(live_server, risk_model):
    url = live_server.url
    staff_user = make_staff("journey.staff@example.com")

    borrower = sign_up(url, "journey.borrower@example.com")
    profile = ok(update_profile.sync(client=borrower, body=PatchedProfileRequest(
        phone="555-0100", date_of_birth=date(1985, 6, 1),
        address=AddressRequest(street="1 Main Street", city="Springfield", state="IL",
                               zip_code="62701"),
        annual_income="85000.00", monthly_debt="1200.00",
        employment_status=ProfileEmploymentStatusEnum.EMPLOYED, employment_length=6,
        credit_score=740)))

    staff = sign_in(url, staff_user.email, code=totp_code(staff_user))
    verified = ok(verification.sync(profile.id, client=staff, body=VerificationRequest(
        status=VerificationDecisionEnum.VERIFIED, note="documents seen on a call")))
    assert verified.user.verification_status == "verified"

    applied = ok(loan_create.sync(client=borrower, body=LoanCreateRequest(
        amount="1000.00", interest_rate="30.00", term_months=LoanTermEnum.VALUE_12,
        purpose=PurposeEnum.CAR)))
    loan_id = applied.loan.id

    lender = sign_up(url, "journey.lender@example.com")
    ok(deposit.sync(client=lender, body=MoveRequest(amount="5000.00",
                                                    idempotency_key="journey-lender-1")))
    listing = ok(get_loan.sync(loan_id, client=lender))
    ok(bid_create.sync(client=lender, body=BidCreateRequest(
        loan_id=loan_id, amount="1000.00", rate=str(listing.interest_rate))))

    accepted = accept(borrower, loan_id)
    assert accepted.loan.status == "active"
    assert Decimal(ok(get_wallet.sync(client=borrower)).available) > 0  # disbursed

    ok(deposit.sync(client=borrower, body=MoveRequest(amount="200.00",
                                                      idempotency_key="journey-borrower-1")))
    paid = ok(payment_schedule.sync(client=borrower, body=ScheduleRequestRequest(
        loan_id=loan_id, amount="100.00", payment_date=date.today(),
        idempotency_key="journey-pay-1")))
    assert paid.payment.status in ("settled", "paid", "applied", "completed")
    history = ok(get_payment_history.sync(loan_id, client=borrower))
    assert len(history.payments) == 1

    portfolio = ok(get_portfolio.sync(client=lender))
    assert [note.loan_id for note in portfolio.investments] == [loan_id]
    assert Decimal(portfolio.summary.received) > 0
    export = ok(get_payments_received.sync(client=lender))
    assert [row.loan_id for row in export.payments] == [loan_id]
    assert sum(Decimal(row.net) for row in export.payments) == Decimal(portfolio.summary.received)
