"""Two-factor authentication: optional for users, required for staff (accounts/mfa.py)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.factories import PASSWORD, api_client_for, give_totp, make_staff, make_user, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def _current_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.parametrize("path", ["/admin/", "/admin/accounts/user/", "/admin/bots/",
                                  "/admin/django_celery_beat/periodictask/"])
def test_a_staff_member_without_totp_is_sent_to_set_it_up(client, path):
    client.force_login(make_staff(totp=False))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_a_staff_member_without_totp_cannot_use_the_api_by_session_or_token(client):
    staff = make_staff(totp=False)
    client.force_login(staff)
    by_session = client.get("/api/users/profile")
    assert by_session.status_code == 403
    assert "two-factor" in by_session.json()["error"]
    by_token = api_client_for(staff).get("/api/users/profile")
    assert by_token.status_code == 403
    assert "two-factor" in by_token.json()["error"]


def test_a_staff_member_without_totp_gets_no_api_token(anon_api):
    staff = make_staff("notyet@example.com", totp=False)
    response = anon_api.post("/api/auth/login", {"email": staff.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "/accounts/2fa/totp/activate/" in response.json()["error"]


def test_staff_with_totp_reach_the_admin(client):
    client.force_login(make_staff())
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_page_is_allauths_so_the_code_is_asked(client):
    response = client.get("/admin/login/?next=/admin/bots/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Fbots%2F"


def test_a_non_staff_user_is_refused_the_admin_login(client):
    client.force_login(make_user())
    assert client.get("/admin/login/").status_code == 403


def test_staff_log_in_through_the_pages_with_password_then_totp_code(client):
    staff = make_staff("totp.staff@example.com")
    step1 = client.post("/accounts/login/?next=/admin/",
                        {"login": staff.email, "password": PASSWORD})
    assert step1.status_code == 302 and step1["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not logged in yet
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and b"Incorrect code" in wrong.content
    step2 = client.post("/accounts/2fa/authenticate/", {"code": totp_code(staff)})
    assert step2.status_code == 302 and step2["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_new_staff_member_sets_up_totp_at_first_login_and_then_reaches_the_admin(
        client, django_capture_on_commit_callbacks):
    staff = make_staff("first.login@example.com", totp=False)
    login = client.post("/accounts/login/", {"login": staff.email, "password": PASSWORD})
    assert login.status_code == 302
    assert client.get("/admin/")["Location"] == ACTIVATE
    # allauth asks for the password again before any change to the second factor
    assert client.get(ACTIVATE)["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(ACTIVATE, {"code": _current_code(secret)})
    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=staff, type="totp").exists()
    # The activation took a code: this session has passed the second factor.
    assert client.get("/admin/").status_code == 200


def test_staff_cannot_switch_their_totp_off(client):
    staff = make_staff()
    client.force_login(staff)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.post("/accounts/2fa/totp/deactivate/", {})
    assert page.status_code == 200 and b"You cannot deactivate two-factor" in page.content
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_a_borrower_who_opts_in_is_asked_for_the_code_on_the_pages(client):
    borrower = give_totp(make_user("opt.in@example.com"))
    step1 = client.post("/accounts/login/", {"login": borrower.email, "password": PASSWORD})
    assert step1["Location"] == "/accounts/2fa/authenticate/"
    step2 = client.post("/accounts/2fa/authenticate/", {"code": totp_code(borrower)})
    assert step2.status_code == 302
    assert client.get("/wallet/").status_code == 200


def test_users_without_totp_are_not_asked_for_a_code(anon_api):
    user = make_user("plain@example.com")
    response = anon_api.post("/api/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200


def test_the_api_login_of_an_account_with_totp_needs_the_code(anon_api):
    staff = make_staff("api.staff@example.com")
    credentials = {"email": staff.email, "password": PASSWORD}
    missing = anon_api.post("/api/auth/login", credentials)
    assert missing.status_code == 401
    assert missing.json()["field"] == "code" and missing.json()["mfaRequired"] is True
    wrong = anon_api.post("/api/auth/login", {**credentials, "code": "123456"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "Incorrect two-factor code"
    right = anon_api.post("/api/auth/login", {**credentials, "code": totp_code(staff)})
    assert right.status_code == 200
    token = right.json()["token"]
    anon_api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert anon_api.get("/api/users/profile").json()["isStaff"] is True


def test_a_totp_code_works_once(anon_api):
    user = give_totp(make_user("once@example.com"))
    credentials = {"email": user.email, "password": PASSWORD, "code": totp_code(user)}
    assert anon_api.post("/api/auth/login", credentials).status_code == 200
    assert anon_api.post("/api/auth/login", credentials).status_code == 401


def test_wrong_codes_count_towards_the_account_lockout(anon_api, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    user = give_totp(make_user("guess@example.com"))
    for _ in range(3):
        anon_api.post("/api/auth/login", {"email": user.email, "password": PASSWORD,
                                          "code": "000000"})
    locked = anon_api.post("/api/auth/login", {"email": user.email, "password": PASSWORD,
                                               "code": totp_code(user)})
    assert locked.status_code == 429
