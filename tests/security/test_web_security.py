"""Throttles, CSRF, cookies, headers and secrets (issue 10's security half)."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import resolve
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from tests.factories import PASSWORD, api_client_for, make_user
from tests.money import fund
from tests.security.test_access_matrix import PAGE_CASES, _url
from tests.security.world import build_world

ROOT = Path(__file__).resolve().parents[2]

MONEY_ENDPOINTS = [
    ("post", "/api/wallet/deposit"), ("post", "/api/wallet/withdraw"),
    ("post", "/api/loans/create"), ("post", "/api/loans/1/accept"),
    ("post", "/api/loans/1/cancel"), ("post", "/api/investments/create"),
    ("patch", "/api/bids/1"), ("delete", "/api/bids/1"), ("post", "/api/payments/schedule"),
]


@pytest.mark.parametrize("method, path", MONEY_ENDPOINTS)
def test_every_money_endpoint_has_the_money_throttle(method, path):
    view = resolve(path).func.view_class
    assert ScopedRateThrottle in view.throttle_classes and view.throttle_scope == "money"


def test_the_auth_endpoints_have_their_throttles():
    for path, scope in (("/api/auth/register", "register"), ("/api/auth/login", "login")):
        view = resolve(path).func.view_class
        assert ScopedRateThrottle in view.throttle_classes and view.throttle_scope == scope


def test_the_default_rates_are_at_least_api_md_s(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["register"] == "100/hour" and rates["user"] == "600/min"
    assert settings.LOGIN_FAILURES_PER_ACCOUNT == 20
    assert settings.LOGIN_FAILURE_WINDOW_SECONDS == 15 * 60
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "20/900s/key"


@pytest.mark.django_db
def test_money_requests_over_the_rate_get_429_with_the_envelope(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "money", "3/min")
    lender = api_client_for(make_user("busy@example.com"))
    answers = [lender.post("/api/wallet/deposit", {"amount": "1.00"}, format="json")
               for _ in range(4)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    body = answers[-1].json()
    assert body["success"] is False and "throttled" in body["error"].lower()
    assert int(answers[-1]["Retry-After"]) > 0
    # Reading is not money: the wallet still answers.
    assert lender.get("/api/wallet").status_code == 200


@pytest.mark.django_db
def test_registrations_over_the_rate_get_429(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "register", "2/hour")
    anon = api_client_for(None)
    codes = [anon.post("/api/auth/register", {"email": f"r{i}@example.com",
                                              "password": "a-Long-password-77"},
                       format="json").status_code for i in range(3)]
    assert codes == [201, 201, 429]


@pytest.mark.django_db
def test_the_login_page_locks_an_account_after_too_many_failures(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/900s/key"}
    user = make_user("page.lock@example.com")
    for _ in range(3):
        assert client.post("/accounts/login/", {"login": user.email,
                                                "password": "wrong"}).status_code == 200
    locked = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert b"Too many failed login attempts" in locked.content
    assert "_auth_user_id" not in client.session


# --- CSRF ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_form_post_without_a_csrf_token_is_refused(risk_model):
    world = build_world(risk_model)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["borrower"])
    posts = [case for case in PAGE_CASES if case.method == "POST"]
    assert len(posts) >= 10
    refused = {_url(case, world.ids): client.post(_url(case, world.ids), case.body or {})
               .status_code for case in posts}
    refused["/accounts/logout/"] = client.post("/accounts/logout/").status_code
    refused["/profile/"] = client.post("/profile/", {"first_name": "X"}).status_code
    assert set(refused.values()) == {403}, refused


FORM = re.compile(r"<form([^>]*)>", re.I)


@pytest.mark.django_db
def test_every_post_form_found_on_the_pages_refuses_a_post_without_the_token(risk_model):
    """Crawl every page of the access matrix as its owners and staff, collect each POST form's
    action, and send it without the token."""
    world = build_world(risk_model)
    actions = set()
    for person in ("borrower", "lender", "administrator"):
        browser = Client()
        browser.force_login(world.people[person])
        for case in PAGE_CASES:
            if case.method != "GET":
                continue
            url = _url(case, world.ids)
            response = browser.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type"):
                continue
            for attributes in FORM.findall(response.content.decode()):
                if not re.search(r"method=[\"']?post", attributes, re.I):
                    continue
                action = re.search(r"action=[\"']([^\"']*)", attributes)
                actions.add((person, (action.group(1) if action else "") or url))
    assert len({url for _, url in actions}) >= 15, actions
    codes = {}
    for person, url in sorted(actions):
        client = Client(enforce_csrf_checks=True)
        client.force_login(world.people[person])
        codes[(person, url)] = client.post(url, {}).status_code
    assert set(codes.values()) == {403}, codes


@pytest.mark.django_db
def test_login_and_signup_forms_need_the_token_too():
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/login/", {"login": "a@example.com",
                                            "password": "x"}).status_code == 403
    assert client.post("/accounts/signup/", {"email": "a@example.com"}).status_code == 403


@pytest.mark.django_db
def test_the_api_by_session_needs_the_csrf_token_but_not_by_bearer_token():
    user = make_user("csrf.api@example.com")
    fund(user, "10.00")
    session = Client(enforce_csrf_checks=True)
    session.force_login(user)
    assert session.post("/api/wallet/withdraw", {"amount": "1.00"},
                        content_type="application/json").status_code == 403
    token = api_client_for(user)
    token.handler.enforce_csrf_checks = True
    assert token.post("/api/wallet/withdraw", {"amount": "1.00"},
                      format="json").status_code == 201


# --- production settings -----------------------------------------------------------------------

PRODUCTION_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory
response = Client().get("/", secure=True, HTTP_HOST="lend.example.com")
# The CSRF cookie as a page with a form gets it (anonymous pages without one set none).
def with_form(request):
    get_token(request)
    return HttpResponse()
cookie = CsrfViewMiddleware(with_form)(RequestFactory().get(
    "/", secure=True, HTTP_HOST="lend.example.com")).cookies["csrftoken"]
print(json.dumps({
    "status": response.status_code,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE, "csrf_httponly": settings.CSRF_COOKIE_HTTPONLY,
    "cookie_secure": bool(cookie["secure"]), "cookie_httponly": bool(cookie["httponly"]),
    "cookie_samesite": cookie["samesite"], "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT, "debug": settings.DEBUG,
    "secret_is_env": settings.SECRET_KEY == __import__("os").environ["SECRET_KEY"],
    "headers": {k: response.get(k) for k in ("Content-Security-Policy", "X-Frame-Options",
                "Referrer-Policy", "X-Content-Type-Options", "Strict-Transport-Security",
                "Cross-Origin-Opener-Policy")},
}))
"""


@pytest.mark.django_db
def test_production_cookies_are_secure_and_http_only_and_headers_are_set():
    """A real request in a production-mode process (no DJANGO_DEBUG, a SECRET_KEY)."""
    import json

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG",)}
    env.update({"DJANGO_SETTINGS_MODULE": "communitylend.settings", "ALLOWED_HOSTS":
                "lend.example.com", "SECRET_KEY": secrets.token_urlsafe(50),
                "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
                "FIELD_ENCRYPTION_KEYS": "QhVY1r4OEPOgMmJyXGmSX2VU7hNdK4ufF3oO4AHcDlk=",
                "CACHE_URL": "locmemcache://", "STATIC_MANIFEST": "0"})
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["status"] == 200 and probe["debug"] is False and probe["secret_is_env"]
    assert probe["session_secure"] and probe["session_httponly"]
    assert probe["csrf_secure"] and probe["csrf_httponly"]
    assert probe["cookie_secure"] and probe["cookie_httponly"]
    assert probe["cookie_samesite"] == "Lax"
    assert probe["hsts"] >= 31536000 and probe["ssl_redirect"]
    headers = probe["headers"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1] \
        .split(";")[0]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_settings_read_secrets_from_the_environment_only():
    text = (ROOT / "communitylend" / "settings.py").read_text()
    # The only built-in key is the development one, used when DJANGO_DEBUG=1 and never else.
    assert 'default=_DEV_SECRET_KEY if DEBUG else ""' in text
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=ROOT, capture_output=True,
                             text=True).stdout
    assert tracked.strip() == ""


@pytest.mark.django_db
def test_the_swagger_ui_page_loads_its_initialiser_as_a_script_file(client):
    from tests.security.test_access_matrix import page_problems

    page = client.get("/api/docs/")
    assert page_problems("/api/docs/", page) == []
    script_url = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', page.content.decode())
    assert script_url, page.content[-600:]
    script = client.get(script_url.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content and b"/api/schema/" in script.content
