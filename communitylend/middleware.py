"""The database is unreachable (restarting, failing over, out of connections): answer 503 with
a clean page or the API's JSON envelope, never a 500 and never a traceback. Django drops the
broken connection at the end of the request (CONN_HEALTH_CHECKS), so the next request after the
database is back succeeds without restarting anything."""

import logging

from django.http import JsonResponse

from communitylend.views import database_unavailable, is_database_unavailable

logger = logging.getLogger(__name__)


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
