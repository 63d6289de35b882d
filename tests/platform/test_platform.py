import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.management import call_command
from django.db import models

from accounts.models import Notification, User
from accounts.services import notification_create
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env_overrides=None, drop=("DJANGO_DEBUG",)):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_overrides or {})
    env["DJANGO_SETTINGS_MODULE"] = "communitylend.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={
        "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "lend.example.com",
        "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode()})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_own_webhook_secret():
    """Finding 14: no fallback to SECRET_KEY, no public constant."""
    key = secrets.token_urlsafe(50)
    base = {"SECRET_KEY": key, "ALLOWED_HOSTS": "lend.example.com",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    missing = _manage("check", env_overrides=base, drop=("DJANGO_DEBUG", "PAYMENT_WEBHOOK_SECRET"))
    assert missing.returncode != 0 and "PAYMENT_WEBHOOK_SECRET is not set" in missing.stderr
    same = _manage("check", env_overrides={**base, "PAYMENT_WEBHOOK_SECRET": key},
                   drop=("DJANGO_DEBUG",))
    assert same.returncode != 0 and "must not be the SECRET_KEY" in same.stderr


def test_development_signs_webhooks_with_a_random_secret_of_its_own(settings):
    from communitylend import settings as site_settings

    assert settings.PAYMENT_WEBHOOK_SECRET not in ("", "sandbox-webhook-secret",
                                                   site_settings.SECRET_KEY)
    assert len(settings.PAYMENT_WEBHOOK_SECRET) >= 32
    assert "sandbox-webhook-secret" not in (ROOT / "communitylend" / "settings.py").read_text()


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", drop=("DJANGO_DEBUG", "SECRET_KEY"))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
def test_the_openapi_schema_and_local_swagger_ui_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/auth/register", "/api/auth/login", "/api/users/profile",
                 "/api/users/{user_id}/verification"):
        assert path in text
    assert "annualIncome" in text and "annual_income" not in text
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/drf_spectacular_sidecar/" in docs.content


@pytest.mark.django_db
def test_pages_use_local_assets_only(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b"/static/vendor/bootstrap/css/bootstrap.min.css" in page.content
    assert b"https://" not in page.content
    assert client.get("/static/vendor/bootstrap/css/bootstrap.min.css").status_code == 200
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


@pytest.mark.django_db
def test_api_errors_use_the_envelope_for_unknown_urls(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"success": False, "error": "Not found"}


def test_seed_demo_is_idempotent_and_lists_a_live_market(risk_model, capsys):
    from loans.models import Bid, Loan

    call_command("seed_demo")
    counts = (User.objects.count(), Loan.objects.count(), Bid.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Loan.objects.count(), Bid.objects.count()) == counts
    assert User.objects.filter(is_staff=True, email="admin@communitylend.local").exists()
    assert User.objects.filter(verification_status="verified").count() >= 10
    listed = Loan.objects.filter(status="listed")
    assert listed.count() >= 30
    assert len(set(listed.values_list("risk_grade", flat=True))) >= 4
    assert set(listed.values_list("term_months", flat=True)) == {12, 24, 36, 60}
    scores = listed.values_list("borrower__credit_score", flat=True)
    assert min(scores) <= 620 and max(scores) >= 800
    assert Bid.objects.count() >= 10
    assert listed.filter(max_rate__gte=models.F("floor_rate")).count() == listed.count()
    assert "seed_demo:" in capsys.readouterr().out.strip().splitlines()[-1]
    call_command("ledger_check")


@pytest.mark.django_db(transaction=True)
def test_a_notification_email_goes_through_a_real_celery_worker():
    """The worker consumes from the configured broker: Redis in CI, the filesystem locally."""
    from celery.contrib.testing.worker import start_worker

    from communitylend.celery import app

    user = make_user("worker.test@example.com")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING",
                          shutdown_timeout=10):
            notification = notification_create(user_id=user.pk, kind="test",
                                               title="Hello from the worker")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                notification.refresh_from_db()
                if notification.email_status == Notification.EmailStatus.SENT:
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert notification.email_status == Notification.EmailStatus.SENT
    assert [m.subject for m in mail.outbox if m.to == [user.email]] == [
        "[CommunityLend] Hello from the worker"]


@pytest.mark.django_db
def test_the_outbox_sweep_sends_what_the_broker_never_got(monkeypatch, settings,
                                                          django_capture_on_commit_callbacks):
    """Queueing fails (broker down): the row stays pending and the sweep sends it once."""
    from datetime import timedelta

    from accounts import tasks

    user = make_user()
    monkeypatch.setattr(tasks.send_notification_email, "delay",
                        lambda *a, **k: (_ for _ in ()).throw(ConnectionError("broker down")))
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_create(user_id=user.pk, kind="test", title="Queued offline")
    notification.refresh_from_db()
    assert notification.email_status == "pending"
    settings.NOTIFICATION_RETRY_AFTER = timedelta(seconds=-1)
    assert tasks.notifications_flush() == 1
    assert tasks.notifications_flush() == 0
    notification.refresh_from_db()
    assert notification.email_status == "sent"
    assert [m.subject for m in mail.outbox].count("[CommunityLend] Queued offline") == 1
