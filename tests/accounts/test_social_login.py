"""Sign in with Google and GitHub (allauth's social accounts), the providers' token and profile
endpoints mocked with ``responses``: only configured providers are offered; a verified email
that already has an account connects to it instead of making a second one."""

from urllib.parse import parse_qs, urlparse

import pytest
import responses
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount

from accounts.models import AuditEvent, User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

GOOGLE = {"google": {"APPS": [{"client_id": "google-id", "secret": "google-secret", "key": ""}],
                     "SCOPE": ["openid", "profile", "email"], "OAUTH_PKCE_ENABLED": True}}
GITHUB = {"github": {"APPS": [{"client_id": "github-id", "secret": "github-secret", "key": ""}],
                     "SCOPE": ["read:user", "user:email"]}}


@pytest.fixture
def providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {**GOOGLE, **GITHUB}
    return settings


def _start(client, provider) -> str:
    response = client.post(f"/accounts/{provider}/login/")
    assert response.status_code == 302, response.content[:300]
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert query["client_id"] == [f"{provider}-id"]
    return query["state"][0]


def _google_login(client, profile: dict):
    state = _start(client, "google")
    with responses.RequestsMock() as mocked:
        token = mocked.post("https://oauth2.googleapis.com/token",
                            json={"access_token": "google-access", "token_type": "Bearer",
                                  "expires_in": 3600})
        mocked.get("https://www.googleapis.com/oauth2/v2/userinfo", json=profile)
        response = client.get("/accounts/google/login/callback/",
                              {"code": "google-code", "state": state})
        body = token.calls[0].request.body
        assert "code=google-code" in (body.decode() if isinstance(body, bytes) else body)
    return response


def _github_login(client, *, user: dict, emails: list[dict]):
    state = _start(client, "github")
    with responses.RequestsMock() as mocked:
        mocked.post("https://github.com/login/oauth/access_token",
                    json={"access_token": "github-access", "token_type": "bearer",
                          "scope": "read:user,user:email"})
        mocked.get("https://api.github.com/user", json=user)
        mocked.get("https://api.github.com/user/emails", json=emails)
        return client.get("/accounts/github/login/callback/",
                          {"code": "github-code", "state": state})


def test_without_client_ids_there_are_no_buttons_and_no_login_address(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/google/login/" not in page and "/accounts/github/login/" not in page
    assert client.post("/accounts/google/login/").status_code == 404
    assert client.post("/accounts/github/login/").status_code == 404


def test_configured_providers_get_a_button_each(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = GITHUB
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/github/login/" in page and "/accounts/google/login/" not in page
    assert client.post("/accounts/google/login/").status_code == 404


def test_google_sign_up_makes_a_verified_account(client, providers):
    response = _google_login(client, {"id": "g-1001", "email": "new.person@gmail.com",
                                      "verified_email": True, "given_name": "New",
                                      "family_name": "Person"})
    assert response.status_code == 302 and "/accounts/login" not in response["Location"]
    user = User.objects.get(email="new.person@gmail.com")
    assert (user.first_name, user.last_name) == ("New", "Person")
    assert SocialAccount.objects.get(user=user).uid == "g-1001"
    assert EmailAddress.objects.get(user=user).verified
    assert AuditEvent.objects.filter(event="user.registered", actor=user,
                                     new__via="google").exists()
    assert AuditEvent.objects.filter(event="user.logged_in", actor=user).exists()
    assert client.get("/profile/").status_code == 200  # signed in


def test_google_connects_an_existing_account_with_the_same_verified_email(client, providers):
    existing = make_user("alice.existing@example.com", first_name="Alice")
    response = _google_login(client, {"id": "g-2002", "email": "alice.existing@example.com",
                                      "verified_email": True, "given_name": "Alice"})
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="alice.existing@example.com").count() == 1
    assert SocialAccount.objects.get(uid="g-2002").user_id == existing.pk
    assert int(client.session["_auth_user_id"]) == existing.pk
    # the second time the social account itself signs in
    client.logout()
    _google_login(client, {"id": "g-2002", "email": "alice.existing@example.com",
                           "verified_email": True})
    assert int(client.session["_auth_user_id"]) == existing.pk
    assert SocialAccount.objects.filter(user=existing).count() == 1


def test_an_unverified_provider_email_does_not_take_over_an_account(client, providers):
    existing = make_user("bob.existing@example.com")
    _google_login(client, {"id": "g-3003", "email": "bob.existing@example.com",
                           "verified_email": False})
    assert not SocialAccount.objects.filter(user=existing).exists()
    assert client.session.get("_auth_user_id") in (None, "")
    assert User.objects.filter(email__iexact="bob.existing@example.com").count() == 1


def test_github_sign_up_uses_the_primary_verified_email(client, providers):
    response = _github_login(client, user={"id": 4242, "login": "octo", "name": "Octo Cat",
                                           "email": None},
                             emails=[{"email": "old@example.org", "primary": False,
                                      "verified": True},
                                     {"email": "octo@example.org", "primary": True,
                                      "verified": True}])
    assert response.status_code == 302
    account = SocialAccount.objects.get(provider="github", uid="4242")
    assert account.user.email == "octo@example.org"
    assert int(client.session["_auth_user_id"]) == account.user_id


def test_github_connects_an_existing_account(client, providers):
    existing = make_user("carol@example.org")
    _github_login(client, user={"id": 77, "login": "carol", "name": "Carol",
                                "email": "carol@example.org"},
                  emails=[{"email": "carol@example.org", "primary": True, "verified": True}])
    assert SocialAccount.objects.get(provider="github", uid="77").user_id == existing.pk
    assert User.objects.filter(email__iexact="carol@example.org").count() == 1
