"""Token auth for the API (a module of its own, apart from rest_framework.views, to avoid an import
cycle: DRF imports it while reading its settings)."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header


class BearerTokenAuthentication(TokenAuthentication):
    """``Authorization: Bearer <token>``, also the classic ``Token <token>``."""

    keywords = ("bearer", "token")
    keyword = "Bearer"

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            token = auth[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        user, token = self.authenticate_credentials(token)
        # Inside the function: DRF loads this class while the app registry is still loading, and
        # accounts.mfa imports allauth's models.
        from .mfa import STAFF_NEEDS_TOTP, staff_lacks_totp

        if staff_lacks_totp(user):
            raise exceptions.PermissionDenied(STAFF_NEEDS_TOTP)
        return user, token
