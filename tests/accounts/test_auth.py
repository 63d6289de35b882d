import re

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import AuditEvent, User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_it_registers_through_the_api_with_the_original_contract(anon_api):
    response = anon_api.post("/api/auth/register", {
        "email": "New.Person@Example.com", "password": PASSWORD, "firstName": "New",
        "lastName": "Person", "phone": "555-0199", "dateOfBirth": "1990-01-31",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["success"] is True
    assert body["user"]["email"] == "new.person@example.com"
    assert body["user"]["firstName"] == "New"
    user = User.objects.get(email="new.person@example.com")
    assert user.phone == "555-0199"
    assert user.password.startswith("md5$") or user.has_usable_password()
    assert AuditEvent.objects.filter(event="user.registered", target_id=str(user.pk)).exists()


def test_registering_an_email_that_has_an_account_answers_as_for_a_new_one(anon_api, borrower):
    """Finding 11: the answer never tells whether an address is registered; the owner hears."""
    fresh = anon_api.post("/api/auth/register", {
        "email": "nobody.yet@example.com", "password": PASSWORD}, format="json")
    taken = anon_api.post("/api/auth/register", {
        "email": "BORROWER@example.com", "password": PASSWORD}, format="json")
    assert fresh.status_code == taken.status_code == 201
    shape = {key: sorted(value) if isinstance(value, dict) else value
             for key, value in fresh.json().items() if key != "user"}
    assert shape == {key: sorted(value) if isinstance(value, dict) else value
                     for key, value in taken.json().items() if key != "user"}
    assert sorted(fresh.json()["user"]) == sorted(taken.json()["user"]) == [
        "email", "firstName", "lastName"]
    assert User.objects.filter(email__iexact="borrower@example.com").count() == 1
    assert borrower.notifications.filter(kind="registration_attempt").count() == 1
    again = anon_api.post("/api/auth/register", {
        "email": "borrower@example.com", "password": PASSWORD}, format="json")
    assert again.status_code == 201
    assert borrower.notifications.filter(kind="registration_attempt").count() == 1  # a day


@pytest.mark.parametrize("payload, field", [
    ({"email": "not-an-email", "password": PASSWORD}, "email"),
    ({"email": "a@example.com", "password": "123"}, "password"),
    ({"email": "a@example.com", "password": PASSWORD, "dateOfBirth": "2015-01-01"},
     "dateOfBirth"),
    ({"email": "a@example.com", "password": PASSWORD, "dateOfBirth": "yesterday"},
     "dateOfBirth"),
    ({"password": PASSWORD}, "email"),
])
def test_it_refuses_bad_registrations_naming_the_field(anon_api, payload, field):
    response = anon_api.post("/api/auth/register", payload, format="json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert response.json()["field"] == field
    assert not User.objects.exists()


def test_it_logs_in_through_the_api_and_the_token_works_as_bearer_and_token(anon_api, borrower):
    response = anon_api.post("/api/auth/login", {"email": "borrower@example.com",
                                                 "password": PASSWORD}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["user"]["id"] == borrower.pk
    for keyword in ("Bearer", "Token"):
        anon_api.credentials(HTTP_AUTHORIZATION=f"{keyword} {body['token']}")
        assert anon_api.get("/api/users/profile").json()["email"] == "borrower@example.com"


def test_it_refuses_a_wrong_password_with_401(anon_api, borrower):
    response = anon_api.post("/api/auth/login", {"email": "borrower@example.com",
                                                 "password": "wrong"}, format="json")
    assert response.status_code == 401
    assert response.json() == {"success": False, "error": "Invalid email or password"}


def test_it_answers_401_without_credentials_and_with_a_bad_token(anon_api):
    assert anon_api.get("/api/users/profile").status_code == 401
    anon_api.credentials(HTTP_AUTHORIZATION="Bearer nonsense")
    response = anon_api.get("/api/users/profile")
    assert response.status_code == 401
    assert response.json()["success"] is False


@override_settings(LOGIN_FAILURES_PER_ACCOUNT=3)
def test_it_locks_an_account_after_too_many_failed_logins(anon_api, borrower):
    for _ in range(3):
        assert anon_api.post("/api/auth/login", {"email": "borrower@example.com",
                                                 "password": "nope"}).status_code == 401
    response = anon_api.post("/api/auth/login", {"email": "borrower@example.com",
                                                 "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.json()["error"]


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_api_login_needs_a_verified_email_in_production_mode(anon_api, client):
    anon_api.post("/api/auth/register", {"email": "fresh@example.com", "password": PASSWORD})
    response = anon_api.post("/api/auth/login", {"email": "fresh@example.com",
                                                 "password": PASSWORD})
    assert response.status_code == 403
    assert "Verify your email" in response.json()["error"]


@override_settings(ACCOUNT_EMAIL_VERIFICATION="mandatory")
def test_it_signs_up_through_the_pages_verifies_the_email_and_logs_in(client):
    response = client.post("/accounts/signup/", {
        "email": "page.user@example.com", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="page.user@example.com")
    assert user.password.startswith(("md5$", "argon2"))
    assert len(mail.outbox) == 1
    link = re.search(r"http://[^/]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirm = client.post(link.group(1))
    assert confirm.status_code == 302
    client.logout()
    response = client.post("/accounts/login/", {"login": "page.user@example.com",
                                                "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/profile/")
    assert page.status_code == 200
    assert b"page.user" in page.content


def test_the_login_page_refuses_a_wrong_password(client, borrower):
    response = client.post("/accounts/login/", {"login": "borrower@example.com",
                                                "password": "wrong-password"})
    assert response.status_code == 200
    assert b"not correct" in response.content


def test_password_reset_sends_a_link(client, borrower):
    response = client.post("/accounts/password/reset/", {"email": "borrower@example.com"})
    assert response.status_code == 302
    assert "password/reset/key" in mail.outbox[-1].body


def test_the_site_hashes_passwords_with_argon2_in_production():
    from communitylend import settings as base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_logout_revokes_the_token(api_as):
    user = make_user()
    client = api_as(user)
    assert client.post("/api/auth/logout").status_code == 200
    assert client.get("/api/users/profile").status_code == 401
