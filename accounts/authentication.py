"""Token auth for the API (a module of its own, apart from rest_framework.views, to avoid an import
cycle: DRF imports it while reading its settings)."""

from django.utils.crypto import constant_time_compare
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import (
    BaseAuthentication,
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.authtoken.models import Token
from rest_framework.permissions import SAFE_METHODS


class BearerTokenAuthentication(TokenAuthentication):
    """``Authorization: Bearer <token>``, also the classic ``Token <token>``.

    A token works only under the credentials it was issued with (``TokenCredential``: the
    password and the "log out everywhere" epoch), and carries staff power only if its login
    passed the second factor (accounts/mfa.py)."""

    keywords = ("bearer", "token")
    keyword = "Bearer"
    model = Token

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            key = auth[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        token = self._token(key)
        user = token.user
        # Inside the function: DRF loads this class while the app registry is still loading, and
        # accounts.mfa imports allauth's models.
        from .mfa import API_OPEN_PREFIXES, staff_refusal_message, without_staff_powers

        if token.credential.second_factor_at is None:
            if user.is_staff and not request._request.path_info.startswith(API_OPEN_PREFIXES):
                raise exceptions.PermissionDenied(staff_refusal_message(user))
            user = without_staff_powers(user)
        return user, token

    def _token(self, key: str) -> Token:
        """One query: the token, its user and its credential."""
        try:
            token = self.model.objects.select_related("user", "credential").get(key=key)
        except (self.model.DoesNotExist, ValueError) as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        credential = getattr(token, "credential", None)
        if (credential is None or not token.user.is_active
                or not constant_time_compare(credential.auth_hash,
                                             token.user.get_session_auth_hash())):
            raise exceptions.AuthenticationFailed("Invalid token.")
        return token


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>`` (accounts/integrations.py): a ``read`` key may use the
    API's safe methods, a ``trade`` key everything but the views marked ``api_keys_allowed =
    False`` (credentials, keys, webhooks). A key never carries staff power."""

    keyword = "api-key"

    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower().decode(errors="replace") != self.keyword:
            return None
        if len(auth) != 2:
            raise exceptions.AuthenticationFailed("Invalid API key header.")
        try:
            key = auth[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid API key header.") from exc
        # Inside the function: DRF loads this class while the app registry is still loading.
        from .integrations import api_key_find  # (see above) the models load late
        from .mfa import without_staff_powers  # (see above) allauth's models load late
        from .models import ApiKeyScope  # (see above) the models load late

        api_key = api_key_find(key)
        if api_key is None or not api_key.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid API key.")
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if not getattr(view, "api_keys_allowed", True):
            raise exceptions.PermissionDenied(
                "API keys cannot manage credentials, API keys or webhooks: log in for that.")
        if api_key.scope == ApiKeyScope.READ and request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied("This API key is read-only (scope: read).")
        return without_staff_powers(api_key.user), api_key

    def authenticate_header(self, request):
        return "Api-Key"


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The API key in the OpenAPI document: one security scheme, ``apiKeyAuth``."""

    target_class = "accounts.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Api-Key <key>` (POST /api/keys): a `read` key for safe methods, "
                               "a `trade` key for everything but credentials, keys and webhooks"}
