"""Facts about the request that services record (a consent's address and browser)."""

from django.conf import settings

MAX_USER_AGENT = 500


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our own TLS proxy the address that proxy
    appended last to X-Forwarded-For (earlier entries are whatever the client sent)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT]
