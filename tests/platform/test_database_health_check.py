"""The PostgreSQL backend's health check asks the socket, not the server
(communitylend/core/postgresql/base.py): a live idle connection is usable without a query, one
the server ended is not, and the next request opens a fresh one by itself."""

import time

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_postgresql_uses_the_backend_with_the_socket_health_check(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "communitylend.core.postgresql"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert connection.vendor == "postgresql"


def test_the_health_check_sends_no_query_and_notices_a_connection_the_server_ended(client):
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as queries:
        assert connection.is_usable()
    assert len(queries) == 0
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    # The server's goodbye reaches the socket a moment later.
    for _ in range(200):
        if not connection.is_usable():
            break
        time.sleep(0.01)
    assert not connection.is_usable()
    # What a request does first: the check fails, Django reconnects, the query runs.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection.info.backend_pid != pid
