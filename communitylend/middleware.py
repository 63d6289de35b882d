"""The database is unreachable (restarting, failing over, out of connections): answer 503 with
a clean page or the API's JSON envelope, never a 500 and never a traceback. Django drops the
broken connection at the end of the request (CONN_HEALTH_CHECKS), so the next request after the
database is back succeeds without restarting anything."""

import logging

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
