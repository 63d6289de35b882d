"""Two-factor authentication (allauth.mfa TOTP): optional for everyone, required for staff power.

Staff power (``is_staff``, ``is_superuser`` and every permission, wherever the code reads them:
pages, API, templates, services given ``request.user``) belongs to a *session or token that
passed the second factor*, not to the account. Until it has, the request's user is wrapped in
``WithoutStaffPowers``: an ordinary user. A session passes when allauth recorded an "mfa" step
in it (the login's code, ``/accounts/2fa/reauthenticate/``, or activating TOTP in that session);
a token when its login sent the code (``TokenCredential.second_factor_at``).

On top of that, a staff account is refused what only staff use until it passes: the admin and
``/staff/`` pages send it to set up TOTP (or, with TOTP, to confirm a code), the API answers 403.
The admin's own login form is replaced by allauth's (communitylend/urls.py).
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from allauth.mfa.totp.views import activate_totp as allauth_activate_totp
from django.contrib import messages
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import LazyObject, empty
from django.utils.http import urlencode

STAFF_PREFIXES = ("/admin/", "/staff/")
API_PREFIX = "/api/"
# What a staff member without the second factor may still reach through the API: logging in
# and out, the docs.
API_OPEN_PREFIXES = ("/api/auth/", "/api/schema/", "/api/docs/")
STAFF_NEEDS_TOTP = ("Staff accounts need two-factor authentication: set up an authenticator app "
                    "at /accounts/2fa/totp/activate/ first.")
STAFF_NEEDS_CODE = ("Staff powers need the second factor: log in again with your two-factor "
                    "code (or confirm it at /accounts/2fa/reauthenticate/).")


def has_totp(user) -> bool:
    cached = getattr(user, "_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user_id=user.pk,
                                              type=Authenticator.Type.TOTP).exists()
        user._has_totp = cached
    return cached


def staff_lacks_totp(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff and not has_totp(user))


def staff_refusal_message(user) -> str:
    return STAFF_NEEDS_CODE if has_totp(user) else STAFF_NEEDS_TOTP


def verify_second_factor(user, code: str) -> bool:
    """A TOTP code or an unused recovery code of the user's (each code works once)."""
    code = (code or "").strip()
    if not code:
        return False
    authenticators = Authenticator.objects.filter(user=user).exclude(
        type=Authenticator.Type.WEBAUTHN)
    for authenticator in authenticators:
        if authenticator.wrap().validate_code(code):
            authenticator.record_usage()
            return True
    return False


def session_passed_second_factor(request, user) -> bool:
    return any(record.get("method") == "mfa"
               for record in get_authentication_records(request, user))


class WithoutStaffPowers(LazyObject):
    """The account as an ordinary user: no staff or superuser flag, no permission. Everything
    else (pk, profile, ``save()``) is the real user's, so nothing saved through it loses a flag.
    """

    is_staff = False
    is_superuser = False

    def __init__(self, user):
        super().__init__()
        self._wrapped = user

    def _setup(self):  # always built around a user
        raise AssertionError("WithoutStaffPowers wraps a user it is given")

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False

    def get_all_permissions(self, obj=None) -> set:
        return set()

    def get_user_permissions(self, obj=None) -> set:
        return set()

    def get_group_permissions(self, obj=None) -> set:
        return set()


def without_staff_powers(user):
    while isinstance(user, LazyObject) and not isinstance(user, WithoutStaffPowers):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user if isinstance(user, WithoutStaffPowers) else WithoutStaffPowers(user)


class StaffTwoFactorMiddleware:
    """Session side of the rule (token requests: accounts.authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not session_passed_second_factor(
                request, user):
            if user.is_staff:
                refusal = self.refuse_staff(request, user)
                if refusal is not None:
                    return refusal
            request.user = without_staff_powers(user)
        return self.get_response(request)

    @staticmethod
    def refuse_staff(request, user):
        path = request.path_info
        if path.startswith(API_PREFIX) and not path.startswith(API_OPEN_PREFIXES):
            return JsonResponse({"success": False, "error": staff_refusal_message(user)},
                                status=403)
        if path.startswith(STAFF_PREFIXES) and path != "/admin/logout/":
            if not has_totp(user):
                messages.warning(request, "Staff accounts need two-factor authentication. Set "
                                          "up an authenticator app to continue.")
                return redirect(reverse("mfa_activate_totp"))
            return redirect(f"{reverse('mfa_reauthenticate')}?"
                            f"{urlencode({'next': request.get_full_path()})}")
        return None


def activate_totp(request, *args, **kwargs):
    """allauth's TOTP activation page; activating takes a code from the new authenticator, so
    the session that did it has passed the second factor (allauth records only logins and
    reauthentications)."""
    had_totp = request.user.is_authenticated and has_totp(request.user)
    response = allauth_activate_totp(request, *args, **kwargs)
    if (request.method == "POST" and request.user.is_authenticated and not had_totp
            and response.status_code == 302):
        authenticator = Authenticator.objects.filter(user_id=request.user.pk,
                                                     type=Authenticator.Type.TOTP).first()
        if authenticator is not None:
            record_authentication(request, request.user, "mfa", id=authenticator.pk,
                                  type=authenticator.type, activated=True)
    return response


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep their TOTP: removing it would lock them out of the back-office anyway."""
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff:
            return False
        return super().can_delete_authenticator(authenticator)


@receiver(mfa_authentication_failed)
def _wrong_code_counts_towards_the_lockout(sender, request, user, **kwargs):
    """A wrong code on the login pages counts as the API's does (one counter per account)."""
    from .services import login_failure_record  # services import allauth's models; mfa loads early

    login_failure_record(email=user.email, reason="code")
