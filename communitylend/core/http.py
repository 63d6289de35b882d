"""Facts about the request that services record (a consent's address and browser)."""

from django.conf import settings
from django.contrib.sites.models import Site

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


def site_url() -> str:
    """The site's address for links in emails: SITE_URL when set, else the host the site was
    last served on (the Sites row, kept by SiteOriginMiddleware), read fresh each time since the
    email may be sent by a Celery worker that serves no requests."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    domain = Site.objects.filter(pk=settings.SITE_ID).values_list("domain", flat=True).first()
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    return f"{scheme}://{domain or 'localhost'}"
