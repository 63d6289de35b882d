"""Build test state through the services users go through (STYLE.md rule 8)."""

import itertools
import time
from datetime import date
from decimal import Decimal

from allauth.account.models import EmailAddress
from rest_framework.test import APIClient

from accounts.models import User, VerificationStatus
from accounts.services import (
    api_token_issue,
    profile_update,
    user_register,
    user_verification_set,
)

PASSWORD = "correct-horse-battery-9"
_seq = itertools.count(1)

COMPLETE_PROFILE = {
    "phone": "555-0100",
    "date_of_birth": date(1985, 6, 1),
    "street": "1 Main Street",
    "city": "Springfield",
    "state": "IL",
    "zip_code": "62701",
    "annual_income": Decimal("85000.00"),
    "monthly_debt": Decimal("1200.00"),
    "employment_status": "employed",
    "employment_length": 6,
    "credit_score": 740,
    "home_ownership": "RENT",
}


def make_staff(email=None, *, totp=True, **extra) -> User:
    """A superuser with a TOTP authenticator (staff must have one: accounts/mfa.py), so
    ``client.force_login(staff)`` reaches the admin. ``totp=False`` for the staff who has not
    set it up yet. Log in through the pages with the password, then ``totp_code(staff)``."""
    email = email or f"staff{next(_seq)}@example.com"
    user = User.objects.create_superuser(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if totp:
        give_totp(user)
    return user


def make_staff_in(group_name: str, email=None) -> User:
    """A staff member with only the permissions of one staff group (Support, Risk officer,
    Administrator)."""
    from django.contrib.auth.models import Group

    user = make_staff(email or f"{group_name.replace(' ', '').lower()}{next(_seq)}@example.com")
    User.objects.filter(pk=user.pk).update(is_superuser=False)
    user.refresh_from_db()
    user.groups.add(Group.objects.get(name=group_name))
    return user


def give_totp(user: User) -> User:
    """Activate a TOTP authenticator for the user, as /accounts/2fa/totp/activate/ does."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user


def totp_code(user: User, *, offset_periods: int = 0) -> str:
    """The user's current TOTP code. allauth accepts each code once (per 30 s period): a second
    login in the same test needs ``offset_periods=1`` (the next period's code, also accepted)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset_periods
    return format_hotp_value(hotp_value(secret, counter))


def make_user(email=None, *, first_name="Test", last_name="Person", complete=False,
              verified=False, **profile) -> User:
    email = email or f"user{next(_seq)}@example.com"
    user = user_register(email=email, password=PASSWORD, first_name=first_name,
                         last_name=last_name)
    EmailAddress.objects.filter(user=user).update(verified=True)
    data = dict(COMPLETE_PROFILE) if complete or verified else {}
    data.update(profile)
    if data:
        user = profile_update(user=user, acting_user=user, data=data)
    if verified:
        staff = User.objects.filter(is_staff=True).first() or make_staff()
        user = user_verification_set(acting_user=staff, user_id=user.pk,
                                     status=VerificationStatus.VERIFIED, note="test")
    return user


def api_client_for(user: User | None = None, *, keyword="Bearer",
                   second_factor: bool | None = None) -> APIClient:
    """A client with the user's API token, as ``POST /api/auth/login`` issues it: with the
    second factor passed when the user has TOTP (``second_factor=False``: a token whose login
    did not pass it, e.g. one issued before TOTP was set up)."""
    from accounts.mfa import has_totp

    client = APIClient()
    if user is not None:
        if second_factor is None:
            second_factor = has_totp(user)
        key = api_token_issue(user=user, second_factor=second_factor)
        client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def pass_second_factor(client, user: User) -> None:
    """Record in the client's session that it passed the second factor, as allauth does after
    the code (what ``client.force_login`` of a user with TOTP does in this suite: conftest)."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "type": "totp"}]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
