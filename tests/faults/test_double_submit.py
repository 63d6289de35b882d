"""The same form submitted twice at once (two tabs holding the same page, a double click): one
effect. Real concurrency needs PostgreSQL's row locks (runs in CI); each "tab" is a test client
sharing the lender's or borrower's session, released together by a barrier."""

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from loans import services as market
from loans.models import Bid
from payments.models import Repayment
from payments.selectors import wallet_balances
from payments.services import wallet_deposit
from tests.factories import make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]
D = Decimal


def _two_tabs(user, path, data):
    """POST ``data`` to ``path`` from two clients of one session at the same moment."""
    first = Client()
    first.force_login(user)
    second = Client()
    second.cookies = first.cookies
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def submit(client):
        try:
            barrier.wait()
            responses.append(client.post(path, data))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return responses


def test_a_payment_form_submitted_from_two_tabs_at_once_pays_once(risk_model):
    start = datetime.combine(timezone.localdate(), datetime.min.time(), tzinfo=UTC)
    with time_machine.travel(start.replace(hour=12), tick=False):
        borrower = make_user("two.tabs.borrower@example.com", verified=True)
        loan = market.loan_apply(borrower=borrower, amount=D("1000"), term_months=12,
                                 purpose="car", max_rate=D("25"), staff_grade="B")
        lender = make_user("two.tabs.lender@example.com")
        wallet_deposit(user=lender, amount=D("1000"))
        market.bid_place(lender=lender, loan_id=loan.pk, amount=D("1000"), rate=D("12"))
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
    before = wallet_balances(borrower.pk)["available"]

    responses = _two_tabs(borrower, f"/loans/{loan.pk}/pay/", {
        "amount": "100.00", "payment_date": timezone.localdate().isoformat(),
        "idempotency_key": "the-same-rendered-form", "apply_to": "installment",
        "confirm": "on"})

    assert sorted(r.status_code for r in responses) == [302, 302]
    assert Repayment.objects.filter(loan=loan, status="completed").count() == 1
    assert wallet_balances(borrower.pk)["available"] == before - D("100.00")
    from payments.ledger_check import ledger_report

    assert ledger_report().ok


def test_a_bid_form_submitted_from_two_tabs_at_once_places_one_bid(risk_model):
    borrower = make_user("two.tabs.listing@example.com", verified=True)
    loan = market.loan_apply(borrower=borrower, amount=D("2000"), term_months=36,
                             purpose="car", max_rate=D("25"), staff_grade="B")
    lender = make_user("two.tabs.bidder@example.com")
    wallet_deposit(user=lender, amount=D("1000"))

    responses = _two_tabs(lender, f"/loans/{loan.pk}/bid/",
                          {"amount": "600.00", "rate": str(loan.floor_rate + 2)})

    # The tab that lost the race is told why; nothing is held twice.
    placed, refused = sorted(responses, key=lambda r: r.status_code)
    assert (placed.status_code, refused.status_code) == (302, 400)
    assert "You already have an open bid on this listing" in refused.content.decode()
    assert Bid.objects.filter(loan=loan, lender=lender).count() == 1
    balances = wallet_balances(lender.pk)
    assert (balances["available"], balances["held"]) == (D("400.00"), D("600.00"))


def test_a_deposit_form_submitted_from_two_tabs_at_once_credits_once():
    lender = make_user("two.tabs.depositor@example.com")

    responses = _two_tabs(lender, "/wallet/deposit/", {
        "deposit-amount": "250.00", "deposit-idempotency_key": "the-same-deposit-form"})

    assert sorted(r.status_code for r in responses) == [302, 302]
    assert wallet_balances(lender.pk)["available"] == D("250.00")
