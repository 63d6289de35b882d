"""API keys (API.md, "API keys and webhooks"): scoped, shown once, stored hashed.

The access matrix (tests/security/test_access_matrix.py) checks every endpoint with a read and a
trade key; these are the key's own rules."""

import hashlib
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiKey, AuditEvent
from accounts.services import user_password_set, user_sign_out_everywhere
from tests.factories import api_client_for, make_staff, make_user
from tests.money import available, fund

pytestmark = pytest.mark.django_db


def create_key(user, scopes="read", name="my bot") -> str:
    response = api_client_for(user).post("/api/keys", {"name": name, "scopes": scopes},
                                         format="json")
    assert response.status_code == 201, response.content
    return response.json()["key"]


def key_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_a_key_is_shown_once_and_only_its_hash_is_stored(lender):
    response = api_client_for(lender).post("/api/keys", {"name": "trading bot",
                                                         "scopes": "trade"}, format="json")
    assert response.status_code == 201
    body = response.json()
    key = body["key"]
    assert body["apiKey"]["scopes"] == "trade" and body["apiKey"]["name"] == "trading bot"
    row = ApiKey.objects.get(pk=body["apiKey"]["id"])
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiKey.objects.filter(pk=row.pk).values().first())
    listed = api_client_for(lender).get("/api/keys").json()["keys"]
    assert [k["id"] for k in listed] == [row.pk]
    assert key not in str(listed) and "keyHash" not in listed[0]
    assert AuditEvent.objects.filter(event="api_key.created", target_id=str(row.pk)).exists()


def test_a_read_key_reads_and_cannot_move_money(lender):
    fund(lender, "100.00")
    client = key_client(create_key(lender, "read"))
    assert client.get("/api/wallet").json()["available"] == "100.00"
    assert client.get("/api/loans").status_code == 200
    refused = client.post("/api/wallet/withdraw", {"amount": "10.00"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["success"] is False and "read-only" in refused.json()["error"]
    assert available(lender) == Decimal("100.00")


def test_a_trade_key_trades_but_manages_no_credentials(lender):
    fund(lender, "100.00")
    client = key_client(create_key(lender, ["read", "trade"]))
    assert client.post("/api/wallet/withdraw", {"amount": "10.00"},
                       format="json").status_code == 201
    assert available(lender) == Decimal("90.00")
    for method, url, body in [("post", "/api/keys", {"name": "x", "scopes": "trade"}),
                              ("get", "/api/keys", None),
                              ("post", "/api/webhooks", {"url": "https://8.8.8.8/",
                                                         "events": ["bid.won"]}),
                              ("get", "/api/webhooks", None),
                              ("post", "/api/auth/password", {"currentPassword": "x",
                                                              "newPassword": "y-Long-pass-99"}),
                              ("post", "/api/auth/logout", None)]:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, (url, response.content)
    assert ApiKey.objects.filter(user=lender).count() == 1


def test_wrong_revoked_and_malformed_keys_are_401(lender):
    key = create_key(lender)
    for bad in (key + "x", "cl_000000000000.nope", "nonsense", ""):
        assert key_client(bad).get("/api/wallet").status_code == 401
    two_words = APIClient()
    two_words.credentials(HTTP_AUTHORIZATION=f"Api-Key {key} extra")
    assert two_words.get("/api/wallet").status_code == 401
    key_id = ApiKey.objects.get(user=lender).pk
    assert api_client_for(lender).delete(f"/api/keys/{key_id}").status_code == 200
    assert key_client(key).get("/api/wallet").status_code == 401
    assert api_client_for(lender).delete(f"/api/keys/{key_id}").status_code == 404


def test_nobody_revokes_someone_elses_key(lender, borrower):
    key = create_key(lender)
    key_id = ApiKey.objects.get(user=lender).pk
    assert api_client_for(borrower).delete(f"/api/keys/{key_id}").status_code == 404
    assert key_client(key).get("/api/wallet").status_code == 200


def test_bad_input_is_a_400_naming_the_field(lender):
    client = api_client_for(lender)
    for body, field in [({"name": "x", "scopes": "admin"}, "scopes"),
                        ({"name": "x", "scopes": []}, "scopes"),
                        ({"name": "", "scopes": "read"}, "name"),
                        ({"scopes": "read"}, "name")]:
        response = client.post("/api/keys", body, format="json")
        assert response.status_code == 400 and response.json()["field"] == field, body
    assert not ApiKey.objects.exists()


def test_a_staff_key_carries_no_staff_power(borrower):
    staff = make_staff("keyed.staff@example.com")
    key = create_key(staff, "trade")
    response = key_client(key).post(f"/api/users/{borrower.pk}/verification",
                                    {"status": "verified", "note": "by key"}, format="json")
    assert response.status_code == 403
    borrower.refresh_from_db()
    assert borrower.verification_status == "pending"


def test_a_password_change_or_signing_out_everywhere_revokes_the_keys():
    user = make_user()
    first = create_key(user)
    user_password_set(user=user, password="a-New-password-55", acting_user=user)
    assert key_client(first).get("/api/wallet").status_code == 401
    second = create_key(user)
    user_sign_out_everywhere(user=user)
    assert key_client(second).get("/api/wallet").status_code == 401


def test_a_key_gets_the_bearer_token_answers_on_someone_elses_objects(lender, borrower):
    """A key is its user: someone else's private object is still a 404."""
    from accounts.services import notification_create

    note = notification_create(user_id=borrower.pk, kind="x", title="private", email=False)
    client = key_client(create_key(lender, "trade"))
    assert client.post(f"/api/notifications/{note.pk}/read").status_code == 404
