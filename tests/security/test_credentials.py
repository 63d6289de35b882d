"""Findings 2, 3 and 5: tokens and sessions end with the password; staff power needs a session
or token that passed the second factor; one failed-login counter per account."""

from decimal import Decimal

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.test import Client

from accounts.models import User
from loans import services as market
from tests.factories import (
    PASSWORD,
    api_client_for,
    give_totp,
    make_staff,
    make_staff_in,
    make_user,
    totp_code,
)
from tests.money import fund

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "A-completely-new-one-77"


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _still_logged_in(client) -> bool:
    return client.get("/wallet/").status_code == 200


def test_changing_the_password_on_the_page_revokes_every_token_and_every_other_session():
    user = make_user("changer@example.com")
    api = api_client_for(user)
    here, elsewhere = _logged_in(user), _logged_in(user)
    assert api.post("/api/wallet/deposit", {"amount": "10.00"}, format="json").status_code == 201
    response = here.post("/accounts/password/change/", {
        "oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert api.post("/api/wallet/deposit", {"amount": "10.00"}, format="json").status_code == 401
    assert not _still_logged_in(elsewhere)
    assert _still_logged_in(here)


def test_resetting_the_password_revokes_every_token_and_session():
    user = make_user("forgetful@example.com")
    api, session = api_client_for(user), _logged_in(user)
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    anonymous = Client()
    step = anonymous.get(f"/accounts/password/reset/key/{key}/")
    assert step.status_code == 302
    done = anonymous.post(step["Location"], {"password1": NEW_PASSWORD,
                                             "password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)
    assert api.get("/api/wallet").status_code == 401
    assert not _still_logged_in(session)


def test_changing_the_password_through_the_api_revokes_the_old_token_and_gives_a_new_one():
    user = make_user("api.changer@example.com")
    api, session = api_client_for(user), _logged_in(user)
    response = api.post("/api/auth/password", {"currentPassword": PASSWORD,
                                               "newPassword": NEW_PASSWORD}, format="json")
    assert response.status_code == 200
    assert api.get("/api/wallet").status_code == 401
    fresh = Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert fresh.get("/api/wallet").status_code == 200
    assert not _still_logged_in(session)
    wrong = api_client_for(make_user()).post(
        "/api/auth/password", {"currentPassword": "nope-nope-nope", "newPassword": NEW_PASSWORD},
        format="json")
    assert wrong.status_code == 400 and wrong.json()["field"] == "currentPassword"


def test_a_password_changed_any_other_way_still_ends_the_tokens():
    """Tokens are bound to the password itself (TokenCredential), not only revoked by the
    pages: a change from the shell or `manage.py changepassword` ends them too."""
    user = make_user("shell.change@example.com")
    api = api_client_for(user)
    user.set_password(NEW_PASSWORD)
    user.save()
    assert api.get("/api/wallet").status_code == 401


def test_logging_out_everywhere_revokes_the_tokens_and_every_session():
    user = make_user("everywhere@example.com")
    api = api_client_for(user)
    here, elsewhere = _logged_in(user), _logged_in(user)
    assert here.post("/accounts/logout/", {"everywhere": "1"}).status_code == 302
    assert api.get("/api/wallet").status_code == 401
    assert not _still_logged_in(here) and not _still_logged_in(elsewhere)
    again = Client()
    again.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert _still_logged_in(again)


def test_a_plain_logout_ends_only_that_session():
    user = make_user("plain.logout@example.com")
    api = api_client_for(user)
    here, elsewhere = _logged_in(user), _logged_in(user)
    here.post("/accounts/logout/")
    assert not _still_logged_in(here)
    assert _still_logged_in(elsewhere)
    assert api.get("/api/wallet").status_code == 200


def test_the_api_logout_revokes_the_token():
    user = make_user("api.logout@example.com")
    api = api_client_for(user)
    assert api.post("/api/auth/logout").status_code == 200
    assert api.get("/api/wallet").status_code == 401


# --- Finding 3: staff power needs the second factor ----------------------------------------------


@pytest.fixture
def market_of_others(risk_model):
    borrower = make_user("someone.else@example.com", verified=True)
    lender = make_user("a.lender@example.com", first_name="Secret", last_name="Lendername")
    fund(lender, "5000.00")
    listed = market.loan_apply(borrower=borrower, amount=Decimal("2000"), term_months=12,
                               purpose="car", max_rate=Decimal("30"), staff_grade="C")
    market.bid_place(lender=lender, loan_id=listed.pk, amount=Decimal("100"),
                     rate=Decimal("29"))
    active = market.loan_apply(borrower=borrower, amount=Decimal("1000"), term_months=12,
                               purpose="car", max_rate=Decimal("30"), staff_grade="C")
    market.bid_place(lender=lender, loan_id=active.pk, amount=Decimal("1000"),
                     rate=Decimal("20"))
    market.loan_accept(borrower=borrower, loan_id=active.pk)
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.services import kyc_document_upload
    from tests.security.world import PDF

    document = kyc_document_upload(user=borrower, uploaded_file=SimpleUploadedFile(
        "id.pdf", PDF), document_type="government_id")
    return {"listed": listed.pk, "active": active.pk, "document": document.pk}


def _staff_powers_seen(client, ids) -> dict:
    return {
        "schedule": client.get(f"/loans/{ids['active']}/schedule/").status_code,
        "lender_names": b"Lendername" in client.get(f"/loans/{ids['listed']}/").content,
        "document": client.get(f"/documents/{ids['document']}/").status_code,
    }


@pytest.mark.parametrize("group", ["Risk officer", "Support", "Administrator"])
def test_a_staff_session_that_skipped_the_code_is_an_ordinary_user_outside_the_admin(
        group, market_of_others):
    from loans.models import Loan

    staff = make_staff_in(group)
    client = Client()
    client.force_login(staff, second_factor=False)
    assert _staff_powers_seen(client, market_of_others) == {
        "schedule": 404, "lender_names": False, "document": 404}
    client.post(f"/loans/{market_of_others['listed']}/cancel/")
    assert Loan.objects.get(pk=market_of_others["listed"]).status == "listed"
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith(
        "/accounts/2fa/reauthenticate/")
    assert client.get("/api/users/profile").status_code == 403


def test_a_staff_member_without_totp_is_an_ordinary_user_on_the_pages(market_of_others):
    staff = make_staff(totp=False)
    client = _logged_in(staff)
    assert _staff_powers_seen(client, market_of_others) == {
        "schedule": 404, "lender_names": False, "document": 404}


def test_confirming_the_code_gives_the_session_its_staff_powers(market_of_others):
    staff = make_staff_in("Risk officer")
    client = Client()
    client.force_login(staff, second_factor=False)
    assert client.post("/accounts/2fa/reauthenticate/",
                       {"code": totp_code(staff)}).status_code == 302
    assert _staff_powers_seen(client, market_of_others) == {
        "schedule": 200, "lender_names": True, "document": 200}
    assert client.get("/admin/").status_code == 200


def test_a_staff_token_whose_login_skipped_the_code_has_no_staff_power(market_of_others):
    staff = make_staff_in("Administrator")
    skipped = api_client_for(staff, second_factor=False)
    response = skipped.post(f"/api/loans/{market_of_others['listed']}/cancel")
    assert response.status_code == 403
    assert "second factor" in response.json()["error"]
    assert skipped.get(f"/api/users/documents/{market_of_others['document']}").status_code == 403
    login = Client().post("/api/auth/login", {"email": staff.email, "password": PASSWORD,
                                              "code": totp_code(staff)},
                          content_type="application/json")
    passed = Client(HTTP_AUTHORIZATION=f"Bearer {login.json()['token']}")
    assert passed.get(f"/api/users/documents/{market_of_others['document']}").status_code == 200
    # The token issued before the code was replaced, not upgraded.
    assert skipped.get("/api/wallet").status_code == 401


def test_a_customer_made_staff_keeps_no_staff_power_on_an_old_token_or_session(
        market_of_others):
    customer = make_user("promoted.later@example.com")
    api, session = api_client_for(customer), _logged_in(customer)
    User.objects.filter(pk=customer.pk).update(is_staff=True, is_superuser=True)
    assert api.get(f"/api/users/documents/{market_of_others['document']}").status_code == 403
    assert session.get(f"/documents/{market_of_others['document']}/").status_code == 404


def test_permissions_without_the_second_factor_grant_nothing(market_of_others):
    """A non-staff account holding a staff permission (a group) still needs the code for it."""
    from django.contrib.auth.models import Group

    from loans.models import Loan

    holder = make_user("perm.holder@example.com")
    holder.groups.add(Group.objects.get(name="Risk officer"))
    response = api_client_for(holder).post(f"/api/loans/{market_of_others['listed']}/cancel")
    assert response.status_code == 403
    assert Loan.objects.get(pk=market_of_others["listed"]).status == "listed"


# --- Finding 5: one failed-login counter per account ---------------------------------------------


def test_failed_logins_count_once_per_account_across_the_api_and_the_pages(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 4
    user = make_user("guessed@example.com")
    api = Client()
    for _ in range(2):
        assert api.post("/api/auth/login", {"email": user.email, "password": "wrong-guess-1"},
                        content_type="application/json").status_code == 401
    pages = Client()
    for _ in range(2):
        pages.post("/accounts/login/", {"login": user.email, "password": "wrong-guess-2"})
    right = {"email": user.email, "password": PASSWORD}
    assert api.post("/api/auth/login", right,
                    content_type="application/json").status_code == 429
    page = pages.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert page.status_code == 200 and not _still_logged_in(pages)


def test_wrong_codes_on_the_pages_lock_the_api_too(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    user = give_totp(make_user("code.guesser@example.com"))
    pages = Client()
    pages.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    for _ in range(3):
        pages.post("/accounts/2fa/authenticate/", {"code": "000000"})
    locked = Client().post("/api/auth/login", {"email": user.email, "password": PASSWORD,
                                               "code": totp_code(user)},
                           content_type="application/json")
    assert locked.status_code == 429
    # and the pages' code step refuses even the right code now
    refused = pages.post("/accounts/2fa/authenticate/", {"code": totp_code(user)})
    assert refused.status_code == 200 and not _still_logged_in(pages)
