"""Two-factor authentication (allauth.mfa TOTP): optional for everyone, required for staff.

A staff account without a TOTP authenticator cannot use the admin, the staff pages or the API
until it sets one up: pages redirect to allauth's activation page, the API answers 403. The
admin's own login form is replaced by allauth's (communitylend/urls.py), whose login flow asks
for the TOTP code of every account that has one; API logins of such accounts need the ``code``
too (see accounts.apis).
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

STAFF_PREFIXES = ("/admin/", "/staff/")
API_PREFIX = "/api/"
# What a staff member without TOTP may still reach through the API: logging in and out, the docs.
API_OPEN_PREFIXES = ("/api/auth/", "/api/schema/", "/api/docs/")
STAFF_NEEDS_TOTP = ("Staff accounts need two-factor authentication: set up an authenticator app "
                    "at /accounts/2fa/totp/activate/ first.")


def has_totp(user) -> bool:
    cached = getattr(user, "_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user_id=user.pk,
                                              type=Authenticator.Type.TOTP).exists()
        user._has_totp = cached
    return cached


def staff_lacks_totp(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff and not has_totp(user))


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


class StaffTwoFactorMiddleware:
    """Session side of the rule (token requests are checked by the API's authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if staff_lacks_totp(getattr(request, "user", None)):
            if path.startswith(API_PREFIX) and not path.startswith(API_OPEN_PREFIXES):
                return JsonResponse({"success": False, "error": STAFF_NEEDS_TOTP}, status=403)
            if path.startswith(STAFF_PREFIXES) and path != "/admin/logout/":
                messages.warning(request, "Staff accounts need two-factor authentication. Set "
                                          "up an authenticator app to continue.")
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Staff keep their TOTP: removing it would lock them out of the back-office anyway."""
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.is_staff:
            return False
        return super().can_delete_authenticator(authenticator)
