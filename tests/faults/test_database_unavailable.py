"""A database outage is a 503 with Retry-After: the API's JSON envelope or a page rendered
without touching the database; in-process, with every query failing as a lost connection does.
(test_database_restart.py restarts a real PostgreSQL under load.)"""

import pytest
from django.db import OperationalError, connection
from django.test import Client, RequestFactory

from communitylend.views import server_error
from tests.factories import api_client_for, make_user

pytestmark = pytest.mark.django_db


def _database_down(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def test_an_api_request_gets_the_json_envelope_with_503_when_the_database_is_down():
    api = api_client_for(make_user("outage@example.com"))
    with connection.execute_wrapper(_database_down):
        response = api.get("/api/loans")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"success": False, "error": "The service is temporarily "
                               "unavailable: please try again in a few seconds"}


def test_a_page_gets_a_clean_503_page_when_the_database_is_down(client):
    with connection.execute_wrapper(_database_down):
        response = client.get("/marketplace/")
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content
    assert b"Traceback" not in response.content


def test_a_logged_in_page_gets_the_503_page_although_the_session_cannot_be_read():
    # The session is first read by a middleware (staff two-factor), outside the view: the
    # error then goes to handler500, as in production, rather than to the test.
    client = Client(raise_request_exception=False)
    client.force_login(make_user("outage.page@example.com"))
    with connection.execute_wrapper(_database_down):
        response = client.get("/wallet/")
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content


def test_an_outage_outside_a_view_reaches_the_error_handler_as_a_503():
    request = RequestFactory().get("/wallet/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content


def test_other_errors_are_still_a_500():
    request = RequestFactory().get("/api/loans", HTTP_ACCEPT="application/json")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500
