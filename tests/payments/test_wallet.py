import hashlib
import hmac
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from payments.models import Account, GatewayPayment, LedgerTransaction
from payments.services import funds_hold, wallet_withdraw
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_wallet_api_deposits_and_shows_balances(api_as, lender):
    client = api_as(lender)
    assert client.get("/api/wallet").json() == {"available": "0.00", "held": "0.00",
                                                 "total": "0.00", "invested": "0.00"}
    response = client.post("/api/wallet/deposit", {"amount": "125.00"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["success"] is True
    assert body["transaction"]["status"] == "settled"
    assert body["transaction"]["testMoney"] is True
    assert body["wallet"]["available"] == "125.00"
    history = client.get("/api/wallet/transactions").json()
    assert history["transactions"][0]["amount"] == "125.00"
    assert history["transactions"][0]["kind"] == "deposit"
    assert history["pagination"]["total"] == 1


def test_repeating_a_deposit_with_the_same_key_credits_once(api_as, lender):
    client = api_as(lender)
    first = client.post("/api/wallet/deposit", {"amount": "50.00", "idempotencyKey": "k-1"})
    again = client.post("/api/wallet/deposit", {"amount": "50.00", "idempotencyKey": "k-1"})
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["transaction"]["id"] == first.json()["transaction"]["id"]
    assert available(lender) == D("50.00")
    other = client.post("/api/wallet/deposit", {"amount": "60.00", "idempotencyKey": "k-1"})
    assert other.status_code == 400
    assert "different parameters" in other.json()["error"]
    assert available(lender) == D("50.00")


def test_withdrawing_more_than_available_is_refused_and_changes_nothing(api_as, lender):
    fund(lender, "100")
    funds_hold(user=lender, amount=D("30"), idempotency_key="bid-x")
    before = LedgerTransaction.objects.count()
    response = api_as(lender).post("/api/wallet/withdraw", {"amount": "70.01"})
    assert response.status_code == 400
    assert "Insufficient funds" in response.json()["error"]
    assert response.json()["field"] == "amount"
    assert available(lender) == D("70.00") and held(lender) == D("30.00")
    assert LedgerTransaction.objects.count() == before
    assert not GatewayPayment.objects.filter(direction="withdrawal").exists()
    ok = api_as(lender).post("/api/wallet/withdraw", {"amount": "70.00"})
    assert ok.status_code == 201
    assert ok.json()["wallet"] == {"available": "0.00", "held": "30.00", "total": "30.00",
                                   "invested": "0.00"}


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc", "1000000.01", "", "NaN",
                                    "1e400"])
def test_bad_amounts_are_refused_with_400(api_as, lender, amount):
    response = api_as(lender).post("/api/wallet/deposit", {"amount": amount}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "amount"
    assert available(lender) == 0


def _signed(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_the_webhook_rejects_bad_signatures_and_ignores_repeats(client, lender, settings):
    payment = GatewayPayment.objects.create(user=lender, direction="deposit", amount=D("80"),
                                            gateway="sandbox", idempotency_key="manual")
    body = json.dumps({"id": "evt_1", "type": "payment.succeeded",
                       "payment_id": str(payment.pk), "amount": "80.00"}).encode()
    url = "/api/payments/webhooks/sandbox"
    bad = client.post(url, body, content_type="application/json",
                      HTTP_X_COMMUNITYLEND_SIGNATURE="sha256=deadbeef")
    assert bad.status_code == 400 and "signature" in bad.json()["error"]
    missing = client.post(url, body, content_type="application/json")
    assert missing.status_code == 400
    assert available(lender) == 0
    signature = _signed(body, settings.PAYMENT_WEBHOOK_SECRET)
    ok = client.post(url, body, content_type="application/json",
                     HTTP_X_COMMUNITYLEND_SIGNATURE=signature)
    assert ok.status_code == 200 and ok.json() == {"success": True, "duplicate": False}
    again = client.post(url, body, content_type="application/json",
                        HTTP_X_COMMUNITYLEND_SIGNATURE=signature)
    assert again.json() == {"success": True, "duplicate": True}
    assert available(lender) == D("80.00")


def test_a_failed_withdrawal_webhook_releases_the_reservation(client, lender, settings,
                                                              monkeypatch):
    from payments.gateways.sandbox import SandboxGateway

    fund(lender, "40")
    monkeypatch.setattr(SandboxGateway, "start_payment", lambda self, payment: None)
    payment, _ = wallet_withdraw(user=lender, amount=D("40"))
    assert held(lender) == D("40") and payment.status == "pending"
    body = json.dumps({"id": "evt_f", "type": "payment.failed", "payment_id": str(payment.pk),
                       "amount": "40.00", "reason": "account closed"}).encode()
    client.post("/api/payments/webhooks/sandbox", body, content_type="application/json",
                HTTP_X_COMMUNITYLEND_SIGNATURE=_signed(body, settings.PAYMENT_WEBHOOK_SECRET))
    payment.refresh_from_db()
    assert payment.status == "failed" and available(lender) == D("40") and held(lender) == 0


def test_ledger_check_passes_and_catches_a_corrupted_cache(lender, capsys):
    fund(lender, "10")
    call_command("ledger_check")
    assert "OK" in capsys.readouterr().out
    Account.objects.filter(user=lender, kind="user_available").update(balance=D("11"))
    with pytest.raises(CommandError):
        call_command("ledger_check")
    assert "CACHE MISMATCH" in capsys.readouterr().out


def test_the_wallet_page_deposits_once_on_a_double_submit(client):
    user = make_user()
    client.force_login(user)
    page = client.get("/wallet/")
    assert page.status_code == 200 and b"Sandbox: test money" in page.content
    form = {"deposit-amount": "20.00", "deposit-idempotency_key": "form-abc"}
    assert client.post("/wallet/deposit/", form).status_code == 302
    assert client.post("/wallet/deposit/", form).status_code == 302
    assert available(user) == D("20.00")
    bad = client.post("/wallet/withdraw/", {"withdraw-amount": "25.00",
                                            "withdraw-idempotency_key": "w-1"})
    assert bad.status_code == 400 and b"Insufficient funds" in bad.content
    history = client.get("/wallet/?kind=deposit")
    assert b"+20.00" in history.content
