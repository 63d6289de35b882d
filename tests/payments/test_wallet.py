"""Wallets through the API and the website: deposits, withdrawals, history, the gateway webhook."""

import json
import re
from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from payments.gateways import GatewayUnavailable, get_gateway
from payments.gateways.sandbox import SandboxGateway
from payments.models import GatewayEvent, GatewayPayment, LedgerTransaction
from payments.services import funds_hold, wallet_deposit, wallet_withdraw
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal
WEBHOOK = "/api/payments/webhooks/sandbox"


def _post_event(client, body: bytes, signature: str | None = "valid"):
    headers = {}
    if signature == "valid":
        headers["HTTP_X_COMMUNITYLEND_SIGNATURE"] = get_gateway("sandbox").sign(body)
    elif signature:
        headers["HTTP_X_COMMUNITYLEND_SIGNATURE"] = signature
    return client.post(WEBHOOK, body, content_type="application/json", **headers)


@pytest.fixture
def no_callback(monkeypatch):
    """A provider that accepts payments and calls back later (the test delivers the webhook)."""
    from payments.gateways import GatewayResult

    monkeypatch.setattr(SandboxGateway, "create_deposit", lambda self, p: GatewayResult("ext-d"))
    monkeypatch.setattr(SandboxGateway, "create_withdrawal",
                        lambda self, p: GatewayResult("ext-w"))


# --- API --------------------------------------------------------------------------------------


def test_the_wallet_api_deposits_and_shows_balances(api_as, lender):
    client = api_as(lender)
    assert client.get("/api/wallet").json() == {"available": "0.00", "held": "0.00",
                                                 "total": "0.00", "invested": "0.00",
                                                 "pending": "0.00"}
    response = client.post("/api/wallet/deposit", {"amount": "125.00"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["success"] is True
    assert body["transaction"]["status"] == "settled"
    assert body["transaction"]["amount"] == "125.00"
    assert body["transaction"]["testMoney"] is True
    assert body["transaction"]["ledgerTransactionId"] is not None
    assert body["wallet"]["available"] == "125.00" and body["wallet"]["total"] == "125.00"
    history = client.get("/api/wallet/transactions").json()
    assert history["transactions"][0]["amount"] == "125.00"
    assert history["transactions"][0]["kind"] == "deposit"
    assert history["pagination"] == {"page": 1, "limit": 20, "total": 1, "totalPages": 1}


def test_repeating_a_deposit_with_the_same_key_credits_once(api_as, lender):
    client = api_as(lender)
    first = client.post("/api/wallet/deposit", {"amount": "50.00", "idempotencyKey": "k-1"},
                        format="json")
    again = client.post("/api/wallet/deposit", {"amount": "50.00", "idempotencyKey": "k-1"},
                        format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["transaction"] == first.json()["transaction"]
    assert available(lender) == D("50.00")
    assert LedgerTransaction.objects.filter(kind="deposit").count() == 1
    other = client.post("/api/wallet/deposit", {"amount": "60.00", "idempotencyKey": "k-1"},
                        format="json")
    assert other.status_code == 400
    assert "different parameters" in other.json()["error"]
    assert other.json()["field"] == "idempotencyKey"
    assert available(lender) == D("50.00")


def test_the_same_key_is_independent_for_another_user(api_as, lender, borrower):
    api_as(lender).post("/api/wallet/deposit", {"amount": "5", "idempotencyKey": "same"})
    response = api_as(borrower).post("/api/wallet/deposit",
                                     {"amount": "7", "idempotencyKey": "same"})
    assert response.status_code == 201
    assert (available(lender), available(borrower)) == (D("5.00"), D("7.00"))


def test_withdrawing_more_than_available_is_refused_and_changes_nothing(api_as, lender):
    fund(lender, "100")
    funds_hold(user=lender, amount=D("30"), idempotency_key="bid-x")
    before = LedgerTransaction.objects.count()
    audits = AuditEvent.objects.count()
    response = api_as(lender).post("/api/wallet/withdraw", {"amount": "70.01"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"].startswith("Insufficient funds")
    assert response.json()["field"] == "amount"
    assert available(lender) == D("70.00") and held(lender) == D("30.00")
    assert LedgerTransaction.objects.count() == before
    assert AuditEvent.objects.count() == audits
    assert not GatewayPayment.objects.filter(direction="withdrawal").exists()


def test_a_withdrawal_settles_to_the_bank_and_repeats_once(api_as, lender):
    fund(lender, "100")
    client = api_as(lender)
    ok = client.post("/api/wallet/withdraw", {"amount": "70.00", "idempotencyKey": "w-1"},
                     format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["transaction"]["status"] == "settled"
    assert ok.json()["wallet"] == {"available": "30.00", "held": "0.00", "total": "30.00",
                                   "invested": "0.00", "pending": "0.00"}
    again = client.post("/api/wallet/withdraw", {"amount": "70.00", "idempotencyKey": "w-1"},
                        format="json")
    assert again.status_code == 200 and available(lender) == D("30.00")
    kinds = set(LedgerTransaction.objects.values_list("kind", flat=True))
    assert {"withdrawal_reserve", "withdrawal"} <= kinds


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc", "1000000.01", "", "NaN",
                                    "1e400", 1e9, None, "Infinity"])
def test_bad_amounts_are_refused_with_400(api_as, lender, amount):
    response = api_as(lender).post("/api/wallet/deposit", {"amount": amount}, format="json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["field"] == "amount"
    assert available(lender) == 0


def test_the_largest_single_deposit_is_accepted(api_as, lender):
    response = api_as(lender).post("/api/wallet/deposit", {"amount": "1000000.00"},
                                   format="json")
    assert response.status_code == 201 and available(lender) == D("1000000.00")


def test_the_wallet_api_needs_a_login(anon_api):
    assert anon_api.get("/api/wallet").status_code == 401
    assert anon_api.post("/api/wallet/deposit", {"amount": "5"}).status_code == 401
    assert anon_api.get("/api/wallet/transactions").status_code == 401


def test_the_history_is_paginated_filtered_and_private(api_as, lender, borrower):
    for i in range(5):
        wallet_deposit(user=lender, amount=D("10"), idempotency_key=f"d{i}")
    funds_hold(user=lender, amount=D("3"), idempotency_key="h")
    fund(borrower, "99")
    client = api_as(lender)
    page = client.get("/api/wallet/transactions?page=2&limit=3").json()
    assert page["pagination"] == {"page": 2, "limit": 3, "total": 7, "totalPages": 3}
    assert len(page["transactions"]) == 3
    everything = client.get("/api/wallet/transactions?limit=100").json()["transactions"]
    assert "99.00" not in {row["amount"] for row in everything}
    holds = client.get("/api/wallet/transactions?kind=hold").json()["transactions"]
    assert sorted((row["account"], row["amount"]) for row in holds) == [
        ("available", "-3.00"), ("held", "3.00")]
    assert client.get("/api/wallet/transactions?dateTo=2000-01-01").json()["pagination"][
        "total"] == 0
    bad = client.get("/api/wallet/transactions?dateFrom=yesterday")
    assert bad.status_code == 400 and bad.json()["field"] == "dateFrom"


# --- Gateway webhook --------------------------------------------------------------------------


def test_the_webhook_rejects_bad_signatures_and_ignores_repeats(client, lender, no_callback):
    payment, _ = wallet_deposit(user=lender, amount=D("80"))
    assert payment.status == "pending" and payment.external_id == "ext-d"
    body = SandboxGateway().event_body(event_id="evt_1", payment=payment)
    bad = _post_event(client, body, signature="sha256=deadbeef")
    assert bad.status_code == 400 and "signature" in bad.json()["error"]
    assert _post_event(client, body, signature=None).status_code == 400
    tampered = body.replace(b"80.00", b"8000.00")
    assert _post_event(client, tampered,
                       signature=get_gateway().sign(body)).status_code == 400
    assert available(lender) == 0 and not GatewayEvent.objects.exists()
    ok = _post_event(client, body)
    assert ok.status_code == 200 and ok.json() == {"success": True, "duplicate": False}
    again = _post_event(client, body)
    assert again.status_code == 200 and again.json() == {"success": True, "duplicate": True}
    assert available(lender) == D("80.00")
    payment.refresh_from_db()
    assert payment.status == "settled" and payment.settlement_id is not None


def test_a_webhook_for_an_unknown_payment_or_amount_is_refused_with_no_effect(client, lender,
                                                                             no_callback):
    payment, _ = wallet_deposit(user=lender, amount=D("80"))
    wrong_amount = json.dumps({"id": "evt_a", "type": "payment.succeeded",
                               "payment_id": str(payment.pk), "amount": "81.00"}).encode()
    unknown = json.dumps({"id": "evt_b", "type": "payment.succeeded",
                          "payment_id": "00000000-0000-0000-0000-000000000000",
                          "amount": "80.00"}).encode()
    for body in (wrong_amount, unknown, b"not json", b'{"id": "x"}'):
        assert _post_event(client, body).status_code == 400
    assert not GatewayEvent.objects.exists() and available(lender) == 0


def test_a_failed_withdrawal_webhook_releases_the_reservation(client, lender, request):
    fund(lender, "40")
    request.getfixturevalue("no_callback")  # from now on the provider calls back later
    payment, created = wallet_withdraw(user=lender, amount=D("40"))
    assert created and payment.status == "pending"
    assert (available(lender), held(lender)) == (D("0.00"), D("40.00"))
    body = SandboxGateway().event_body(event_id="evt_f", payment=payment,
                                       type="payment.failed", reason="account closed")
    assert _post_event(client, body).status_code == 200
    payment.refresh_from_db()
    assert payment.status == "failed" and payment.failure_reason == "account closed"
    assert (available(lender), held(lender)) == (D("40.00"), D("0"))
    late_success = SandboxGateway().event_body(event_id="evt_g", payment=payment)
    assert _post_event(client, late_success).json() == {"success": True, "duplicate": False}
    assert (available(lender), held(lender)) == (D("40.00"), D("0"))


def test_an_unavailable_provider_fails_the_payment_and_releases_the_money(api_as, lender,
                                                                          monkeypatch):
    fund(lender, "40")

    def down(self, payment):
        raise GatewayUnavailable("timeout")

    monkeypatch.setattr(SandboxGateway, "create_withdrawal", down)
    response = api_as(lender).post("/api/wallet/withdraw", {"amount": "25"}, format="json")
    assert response.status_code == 400 and "unavailable" in response.json()["error"]
    assert (available(lender), held(lender)) == (D("40.00"), D("0"))
    assert GatewayPayment.objects.get(direction="withdrawal").status == "failed"


def test_a_sandbox_payment_interrupted_before_its_callback_finishes_on_retry(lender,
                                                                            monkeypatch):
    def crash(self, payment):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(SandboxGateway, "create_deposit", crash)
    with pytest.raises(RuntimeError):
        wallet_deposit(user=lender, amount=D("12"), idempotency_key="retry-me")
    assert GatewayPayment.objects.get().status == "pending" and available(lender) == 0
    monkeypatch.undo()
    payment, created = wallet_deposit(user=lender, amount=D("12"), idempotency_key="retry-me")
    assert not created and payment.status == "settled" and available(lender) == D("12.00")
    wallet_deposit(user=lender, amount=D("12"), idempotency_key="retry-me")
    assert available(lender) == D("12.00")


def test_every_request_and_settlement_is_audited(lender):
    fund(lender, "10")
    wallet_withdraw(user=lender, amount=D("4"))
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"wallet.deposit_requested", "wallet.deposit_settled",
            "wallet.withdrawal_requested", "wallet.withdrawal_settled"} <= events


# --- Website ----------------------------------------------------------------------------------


def test_the_wallet_page_deposits_once_on_a_double_submit(client):
    user = make_user()
    client.force_login(user)
    page = client.get("/wallet/")
    assert page.status_code == 200 and "Sandbox — test money" in page.content.decode()
    form = {"deposit-amount": "20.00", "deposit-idempotency_key": "form-abc"}
    assert client.post("/wallet/deposit/", form).status_code == 302
    assert client.post("/wallet/deposit/", form).status_code == 302
    assert available(user) == D("20.00")
    bad = client.post("/wallet/withdraw/", {"withdraw-amount": "25.00",
                                            "withdraw-idempotency_key": "w-1"})
    assert bad.status_code == 400 and b"Insufficient funds" in bad.content
    assert b'value="w-1"' not in bad.content  # the corrected form gets a fresh key
    assert client.post("/wallet/withdraw/", {"withdraw-amount": "5.00",
                                             "withdraw-idempotency_key": "w-2"}).status_code == 302
    assert available(user) == D("15.00")
    history = client.get("/wallet/?kind=deposit").content.decode()
    assert "+$20.00" in history and "-$5.00" not in history


def test_the_wallet_page_refuses_bad_amounts_and_needs_a_login(client):
    assert client.get("/wallet/").status_code == 302
    user = make_user()
    client.force_login(user)
    for amount in ("0", "-1", "1.234", "abc"):
        response = client.post("/wallet/deposit/", {"deposit-amount": amount,
                                                     "deposit-idempotency_key": "x"})
        assert response.status_code == 400
    assert available(user) == 0


def test_the_wallet_history_pages_by_25(client):
    user = make_user()
    for i in range(27):
        wallet_deposit(user=user, amount=D("1"), idempotency_key=f"p{i}")
    client.force_login(user)
    first = client.get("/wallet/").content.decode()
    assert "Page 1 of 2" in first and first.count("+$1.00") == 25
    second = client.get("/wallet/?kind=deposit&page=2").content.decode()
    assert second.count("+$1.00") == 2 and "?kind=deposit&page=1" in second


def test_both_dashboards_show_the_wallet_card(client):
    user = make_user()
    fund(user, "42")
    client.force_login(user)
    for url in ("/borrower/", "/lender/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'data-testid="wallet-card"' in response.content.decode()
        assert "42.00" in response.content.decode()


def test_staff_see_the_ledger_in_the_admin_but_cannot_edit_it(client, staff, lender):
    fund(lender, "10")
    client.force_login(staff)
    txn = LedgerTransaction.objects.get()
    for url in ("/admin/payments/account/", "/admin/payments/ledgertransaction/",
                "/admin/payments/ledgerleg/?account__kind__exact=user_available",
                "/admin/payments/gatewaypayment/", "/admin/payments/gatewayevent/",
                f"/admin/payments/ledgertransaction/{txn.pk}/change/",
                "/admin/payments/account/?q=lender%40example.com"):
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/payments/account/add/").status_code == 403
    assert client.post(f"/admin/payments/ledgertransaction/{txn.pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert LedgerTransaction.objects.filter(pk=txn.pk).exists()


def test_the_history_shows_a_bids_hold_and_release_as_one_line(client, risk_model):
    from loans import services as market

    borrower = make_user("hist.borrower@example.com", verified=True)
    loan = market.loan_apply(borrower=borrower, amount=D("1000"), term_months=12,
                             purpose="car", max_rate=D("30"), staff_grade="B")
    user = make_user("hist.lender@example.com")
    fund(user, "500")
    bid = market.bid_place(lender=user, loan_id=loan.pk, amount=D("100"),
                           rate=loan.floor_rate + 1)
    market.bid_update(lender=user, bid_id=bid.pk, amount=D("150"), rate=loan.floor_rate + 1)
    market.bid_withdraw(lender=user, bid_id=bid.pk)
    client.force_login(user)
    html = client.get("/wallet/").content.decode()
    assert html.count('data-testid="bid-line"') == 1
    assert f"Bid #{bid.pk} on loan #{loan.pk}" in html
    assert "held $100.00" in html and "held $50.00" in html
    assert "released $150.00 (withdrawn)" in html


def test_a_withdrawal_above_the_balance_names_the_balance_not_the_deposit_ceiling(client):
    user = make_user()
    fund(user, "500")
    client.force_login(user)
    response = client.post("/wallet/withdraw/", {"withdraw-amount": "2000000",
                                                 "withdraw-idempotency_key": "big"})
    assert response.status_code == 400
    (error,) = re.findall(r'data-testid="withdraw-error">([^<]*)<', response.content.decode())
    assert "500.00 of available cash" in error and "1,000,000" not in error
