"""The database is unreachable (restarting, failing over, out of connections): answer 503 with
a clean page or the API's JSON envelope, never a 500 and never a traceback. Django drops the
broken connection at the end of the request (CONN_HEALTH_CHECKS), so the next request after the
database is back succeeds without restarting anything."""

import logging

from django.conf import settings
from django.contrib.sites.models import Site
from django.db import DatabaseError

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
