"""Logs with the request id, tasks that log the request that queued them, Sentry when
SENTRY_DSN is set (README, "Operations: logs and errors")."""

import gzip
import io
import json
import logging
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from celery import shared_task
from cryptography.fernet import Fernet

from communitylend.core import context
from communitylend.observability import ContextFilter, JsonLogFormatter
from tests.factories import api_client_for, make_user

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def json_log():
    """The lines the root logger writes, in the JSON format, parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLogFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)

    def lines():
        return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]

    lines.handler = handler
    yield lines
    logging.getLogger().removeHandler(handler)
    root.setLevel(old_level)


def _request_lines(lines, path):
    return [line for line in lines() if line.get("logger") == "communitylend.request"
            and line.get("path") == path]


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_the_callers_request_id(client, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c.42")
    assert response["X-Request-ID"] == "lb-7f3a9c.42"
    [line] = _request_lines(json_log, "/healthz")
    assert line["request_id"] == "lb-7f3a9c.42"
    assert line["method"] == "GET" and line["status"] == 200 and line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert "user_id" not in line  # anonymous
    assert line["time"] and line["message"] == "GET /healthz 200"


@pytest.mark.django_db
def test_the_line_names_the_user_of_an_api_token(json_log):
    lender = make_user("logged.lender@example.com")
    response = api_client_for(lender).get("/api/wallet")
    assert response.status_code == 200
    [line] = _request_lines(json_log, "/api/wallet")
    assert line["user_id"] == lender.pk
    assert line["request_id"] == response["X-Request-ID"]


@pytest.mark.parametrize("sent", [
    "has spaces", 'quote"d', "line\nbreak", "x" * 65, "-starts-with-a-dash", "ünïcode", ""])
@pytest.mark.django_db
def test_a_malformed_request_id_is_replaced_by_our_own(client, json_log, sent):
    headers = {"HTTP_X_REQUEST_ID": sent} if sent else {}
    response = client.get("/healthz", **headers)
    generated = response["X-Request-ID"]
    assert generated != sent and len(generated) == 32 and int(generated, 16) >= 0
    [line] = _request_lines(json_log, "/healthz")
    assert line["request_id"] == generated


@pytest.mark.django_db
def test_every_line_logged_during_a_request_carries_its_id(client, json_log, monkeypatch):
    from communitylend import views

    original = views.healthz

    def noisy(request):
        logging.getLogger("communitylend.test").warning("inside the view")
        return original(request)

    monkeypatch.setattr(views, "healthz", noisy)
    from django.urls import clear_url_caches
    clear_url_caches()
    response = client.get("/healthz", HTTP_X_REQUEST_ID="req-inside")
    inside = [line for line in json_log() if line["message"] == "inside the view"]
    if inside:  # the URL resolver may hold the original view; then the request line suffices
        assert inside[0]["request_id"] == "req-inside"
    assert response["X-Request-ID"] == "req-inside"


def test_a_log_line_outside_a_request_has_no_empty_ids(json_log):
    logging.getLogger("communitylend.test").info("quiet")
    [line] = [line for line in json_log() if line["message"] == "quiet"]
    assert "request_id" not in line and "task_id" not in line


# --- Celery -------------------------------------------------------------------------------------

@shared_task(name="tests.platform.log_something")
def log_something(word: str) -> str:
    logging.getLogger("communitylend.test").info("task says %s", word)
    return word


@pytest.mark.django_db(transaction=True)
def test_a_task_logs_the_id_of_the_request_that_queued_it(json_log):
    """A real worker (the configured broker): the id travels in the message's headers."""
    from celery.contrib.testing.worker import start_worker

    from communitylend.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="INFO",
                          shutdown_timeout=10):
            # The worker's Django fixup configures logging again (LOGGING): listen after it.
            logging.getLogger().addHandler(json_log.handler)
            logging.getLogger().setLevel(logging.INFO)
            with context.bound(context.RequestContext(request_id="req-from-the-web")):
                log_something.delay("hello")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                said = [line for line in json_log() if line["message"] == "task says hello"]
                if said:
                    break
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    [line] = said
    assert line["request_id"] == "req-from-the-web"
    assert line["task_name"] == "tests.platform.log_something" and line["task_id"]
    done = [line for line in json_log() if line.get("logger") == "communitylend.task"
            and line.get("task_id") == said[0]["task_id"]]
    assert done and done[0]["state"] == "SUCCESS" and done[0]["request_id"] == "req-from-the-web"


def test_an_eager_task_keeps_the_request_id_and_restores_the_context(json_log):
    with context.bound(context.RequestContext(request_id="req-eager")):
        log_something.delay("eagerly")
        assert context.current().request_id == "req-eager"
    [line] = [line for line in json_log() if line["message"] == "task says eagerly"]
    assert line["request_id"] == "req-eager" and line["task_id"]
    assert context.current() == context.EMPTY


# --- LOG_FORMAT ---------------------------------------------------------------------------------

def _settings_value(name, env_overrides, drop=("DJANGO_DEBUG", "LOG_FORMAT")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update({"SECRET_KEY": secrets.token_urlsafe(50),
                "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
                "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(), **env_overrides})
    env["DJANGO_SETTINGS_MODULE"] = "communitylend.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         f" print({name if '(' in name else 'settings.' + name});"
         " import logging; logging.getLogger('x').warning('hi')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_log_format_is_json_in_production_and_plain_in_development():
    production = _settings_value("LOG_FORMAT", {})
    assert production.stdout.strip() == "json", production.stderr
    assert json.loads(production.stderr.strip().splitlines()[-1])["message"] == "hi"
    development = _settings_value("LOG_FORMAT", {"DJANGO_DEBUG": "1"})
    assert development.stdout.strip() == "plain"
    assert development.stderr.strip().splitlines()[-1].endswith("WARNING x []: hi")
    chosen = _settings_value("LOG_FORMAT", {"DJANGO_DEBUG": "1", "LOG_FORMAT": "json"})
    assert chosen.stdout.strip() == "json"
    wrong = _settings_value("LOG_FORMAT", {"LOG_FORMAT": "xml"})
    assert wrong.returncode != 0 and "LOG_FORMAT must be json or plain" in wrong.stderr


def test_sentry_is_on_only_with_a_dsn():
    probe = "__import__('sentry_sdk').get_client().is_active()"
    off = _settings_value(probe, {"DJANGO_DEBUG": "1"}, drop=("SENTRY_DSN", "DJANGO_DEBUG"))
    assert off.returncode == 0 and off.stdout.strip() == "False", off.stderr
    on = _settings_value(probe, {"DJANGO_DEBUG": "1",
                                 "SENTRY_DSN": "http://key@127.0.0.1:9/1"})
    assert on.returncode == 0 and on.stdout.strip() == "True", on.stderr


# --- Sentry -------------------------------------------------------------------------------------

class _FakeSentry(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 - the stdlib's name
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def _events(received) -> list[dict]:
    """The events of the envelopes the SDK sent: a header line, then item header / payload."""
    events = []
    for _, body in received:
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


@pytest.fixture
def fake_sentry():
    _FakeSentry.received = []
    server = HTTPServer(("127.0.0.1", 0), _FakeSentry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/42", _FakeSentry.received
    import sentry_sdk

    sentry_sdk.get_client().close(timeout=2)
    sentry_sdk.init(dsn=None)  # the integrations stay patched in but send nothing
    server.shutdown()


@pytest.mark.urls("tests.platform.failing_urls")
@pytest.mark.django_db
def test_an_error_reaches_sentry_without_personal_data(client, fake_sentry):
    import sentry_sdk

    from communitylend.observability import sentry_init

    dsn, received = fake_sentry
    assert sentry_init(dsn=dsn, environment="test")
    user = make_user("private.person@example.com")
    client.force_login(user)
    client.raise_request_exception = False
    response = client.post("/boom/?token=secret-query", {"password": "hunter2-secret"},
                           HTTP_X_REQUEST_ID="req-sentry-1", HTTP_AUTHORIZATION="Bearer abc",
                           HTTP_USER_AGENT="Tester/1.0")
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    events = _events(received)
    assert received and received[0][0] == "/api/42/envelope/"
    [event] = [e for e in events if e.get("exception")]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == "the failing view failed"
    assert event["tags"]["request_id"] == "req-sentry-1"
    assert event["user"] == {"id": str(user.pk)}
    assert event["environment"] == "test"
    sent = json.dumps(event)
    for private in ("private.person@example.com", "hunter2-secret", "secret-query", "Bearer abc",
                    "sessionid"):
        assert private not in sent, private
    assert event["transaction"] == "/boom/"
    assert event.get("request", {}).get("data") in (None, "[scrubbed]")


def test_a_logged_error_reaches_sentry_through_the_logging_integration(fake_sentry):
    import sentry_sdk

    from communitylend.observability import sentry_init

    dsn, received = fake_sentry
    sentry_init(dsn=dsn, environment="test")
    with context.bound(context.RequestContext(request_id="req-log-1")):
        logging.getLogger("communitylend.test").error("the ledger disagrees")
        logging.getLogger("communitylend.test").warning("only a breadcrumb")
    sentry_sdk.flush(timeout=5)
    events = _events(received)
    assert [e["logentry"]["message"] for e in events if e.get("logentry")] == [
        "the ledger disagrees"]
    assert events[0]["tags"]["request_id"] == "req-log-1"
