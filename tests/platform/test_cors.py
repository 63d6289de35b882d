"""CORS for API consumers' browser apps: origins from CORS_ALLOWED_ORIGINS, none by default."""

import pytest

from tests.factories import api_client_for, make_user

pytestmark = pytest.mark.django_db
APP = "https://app.example.com"


def _preflight(client, origin, path="/api/wallet"):
    return client.options(path, HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                          HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")


def test_no_origin_is_allowed_by_default(client, settings):
    assert settings.CORS_ALLOWED_ORIGINS == []
    response = _preflight(client, APP)
    assert "access-control-allow-origin" not in response.headers


def test_a_configured_origin_may_call_the_api_with_a_token(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]
    preflight = _preflight(client, APP)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == APP
    assert "authorization" in preflight.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in preflight.headers
    lender = make_user("cors.lender@example.com")
    response = api_client_for(lender).get("/api/wallet", HTTP_ORIGIN=APP)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    assert "x-request-id" in response.headers["access-control-expose-headers"]


def test_other_origins_and_the_pages_get_no_cors_headers(client, settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]
    assert "access-control-allow-origin" not in _preflight(client, "https://evil.example").headers
    page = client.get("/", HTTP_ORIGIN=APP)
    assert "access-control-allow-origin" not in page.headers
