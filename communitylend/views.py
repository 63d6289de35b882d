import sys

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 5


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"success": False, "error": "Not found"}, status=404)
    return render(request, "404.html", status=404)


def is_database_unavailable(exc) -> bool:
    """A lost or refused database connection (also a deadlock or a serialization failure, which
    PostgreSQL reports the same way): transient, worth retrying."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable(request):
    """503 with Retry-After. Rendered without the request's context processors, which would
    query the database (the session, the navbar's notifications) that is not there."""
    if _wants_json(request):
        response = JsonResponse({"success": False, "error": "The service is temporarily "
                                 "unavailable: please try again in a few seconds"}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request):
    # Errors outside a view (middleware saving the session...) arrive here, not in
    # DatabaseUnavailableMiddleware: a database outage is still a 503.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    if _wants_json(request):
        return JsonResponse({"success": False, "error": "Internal server error"}, status=500)
    return HttpResponse(render_to_string("500.html"), status=500)


def healthz(request):
    """Liveness and database reachability, for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
