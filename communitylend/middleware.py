"""The project's own middleware.

``RequestContextMiddleware``: the request id, client address and user of every request, for
log lines and audit rows (communitylend/core/context.py).

``DatabaseUnavailableMiddleware``: the database is unreachable (restarting, failing over, out
of connections): answer 503 with a clean page or the API's JSON envelope, never a 500 and never
a traceback. Django drops the broken connection at the end of the request (CONN_HEALTH_CHECKS),
so the next request after the database is back succeeds without restarting anything."""

import logging
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import DatabaseError
from django.http import JsonResponse

from communitylend.core import context
from communitylend.views import database_unavailable, is_database_unavailable

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("communitylend.request")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.warning("Database unavailable during %s %s: %s", request.method, request.path,
                           exception)
            return database_unavailable(request)
        return None


class RequestContextMiddleware:
    """First in the chain: gives the request its id (the caller's ``X-Request-ID`` when it is a
    short token, else a new one), binds it with the client's IP address (as the rate limiter
    reads it: allauth's adapter, which honours ``TRUSTED_PROXY_COUNT``), user agent and user for
    log lines and audit rows, returns the id in the response's ``X-Request-ID`` and logs one
    line: method, path, status, duration, user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        request_id = context.clean_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        bound = context.RequestContext(
            request_id=request_id, client_ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:context.USER_AGENT_MAX])
        with context.bound(bound):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            context.set_user(user_id)
            response["X-Request-ID"] = request_id
            status = response.status_code
            request_logger.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s", request.method, request.path, status,
                extra={"method": request.method, "path": request.path, "status": status,
                       "duration_ms": round((time.monotonic() - started) * 1000, 1)})
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.set_user(user.pk)
        return None


def client_ip(request) -> str | None:
    """The client's address as the login rate limits see it (allauth's adapter: the address
    ``TRUSTED_PROXY_COUNT`` proxies back in ``X-Forwarded-For``, else ``REMOTE_ADDR``)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured, ValueError):
        return None


class SiteOriginMiddleware:
    """Without SITE_URL, the Sites row's domain follows the host the site is served on (a
    Host header ALLOWED_HOSTS accepted), so emails link to the port the site really runs on. One
    UPDATE per process when the host changes; a database outage here changes nothing."""

    last_host: str | None = None

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.SITE_URL:
            host = request.get_host()
            if host != SiteOriginMiddleware.last_host:
                try:
                    Site.objects.filter(pk=settings.SITE_ID).exclude(domain=host).update(
                        domain=host, name="CommunityLend")
                except DatabaseError:
                    logger.warning("Could not record the site's host %s", host)
                else:
                    SiteOriginMiddleware.last_host = host
        return self.get_response(request)


API_PREFIX = "/api/"
_STATUS_MESSAGES = {404: "Not found", 405: "Method not allowed", 400: "Bad request",
                    403: "Forbidden", 413: "Request body too large"}


class ApiErrorsAsJsonMiddleware:
    """Under /api/ every error is the JSON envelope, in production and development mode alike:
    a path no view matches (``/api/loans/abc``, an unknown ``/api/...``) or a method a plain
    Django view refuses would otherwise get Django's HTML page (the debug page in development
    mode), which no API client can read. DRF's own errors are JSON already and pass through."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path_info.startswith(API_PREFIX) and 400 <= response.status_code < 500
                and not response.get("Content-Type", "").startswith("application/json")):
            return self.as_json(response)
        return response

    @staticmethod
    def as_json(response):
        code = response.status_code
        message = _STATUS_MESSAGES.get(code, response.reason_phrase or "Request refused")
        if code == 405 and response.has_header("Allow"):
            message = f"Method not allowed: use {response['Allow']}"
        json_response = JsonResponse({"success": False, "error": message}, status=code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if response.has_header(header):
                json_response[header] = response[header]
        return json_response


class SingleQueryValuesMiddleware:
    """Under /api/ a query parameter is given once: the document declares none as a list, and
    ``?limit=5&limit=500`` would otherwise quietly read as its last value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            repeated = next((key for key, values in request.GET.lists() if len(values) > 1), None)
            if repeated is not None:
                return JsonResponse({"success": False, "field": repeated,
                                     "error": f"{repeated}: give this query parameter once"},
                                    status=400)
        return self.get_response(request)
