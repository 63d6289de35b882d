"""Finding 7: every email (allauth's included) goes through the outbox after commit; a request
never fails because the mail server is down."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import OutboundEmail, User
from accounts.tasks import notifications_flush
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "accounts.mail.OutboxBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # production's setting
    return settings


def test_sign_up_registration_and_password_reset_answer_while_the_mail_server_is_down(
        mail_server_down, django_capture_on_commit_callbacks):
    make_user("has.an.account@example.com")
    client = Client(raise_request_exception=True)
    with django_capture_on_commit_callbacks(execute=True):
        registered = client.post("/api/auth/register", {
            "email": "api.signup@example.com", "password": PASSWORD},
            content_type="application/json")
        signed_up = client.post("/accounts/signup/", {
            "email": "page.signup@example.com", "password1": PASSWORD, "password2": PASSWORD})
        Client().post("/accounts/password/reset/", {"email": "has.an.account@example.com"})
        reset = client.post("/accounts/password/reset/", {"email": "has.an.account@example.com"})
    assert registered.status_code == 201
    assert signed_up.status_code == 302
    assert reset.status_code == 302
    assert mail.outbox == []
    waiting = OutboundEmail.objects.all()
    assert waiting.count() >= 3
    assert {e.status for e in waiting} == {"pending"}
    assert all(e.attempts == 1 and e.last_error for e in waiting)
    assert User.objects.filter(email="api.signup@example.com").exists()

    # The mail server is back: the outbox sweep delivers each email once.
    mail_server_down.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    notifications_flush()
    notifications_flush()
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients.count("api.signup@example.com") == 1
    assert recipients.count("page.signup@example.com") == 1
    assert recipients.count("has.an.account@example.com") >= 1
    assert any("/accounts/confirm-email/" in m.body or "confirm" in m.body.lower()
               for m in mail.outbox if m.to == ["api.signup@example.com"])


def test_an_email_is_written_in_the_senders_transaction_and_sent_only_after_commit(
        mail_server_down, django_capture_on_commit_callbacks):
    from django.core.mail import send_mail
    from django.db import transaction

    mail_server_down.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            send_mail("Hello", "Body", None, ["someone@example.com"])
            assert OutboundEmail.objects.filter(status="pending").count() == 1
            assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Hello"]
    assert OutboundEmail.objects.get(subject="Hello").message["body"] == "(delivered)"
    with transaction.atomic():
        send_mail("Rolled back", "Body", None, ["someone@example.com"])
        transaction.set_rollback(True)
    assert not OutboundEmail.objects.filter(subject="Rolled back").exists()


def test_the_site_sends_every_email_through_the_outbox_in_both_modes():
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_BACKEND, s.EMAIL_DELIVERY_BACKEND)")
    for mode in ({"DJANGO_DEBUG": "1"}, {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50,
                                         "PAYMENT_WEBHOOK_SECRET": "w" * 40,
                                         "FIELD_ENCRYPTION_KEYS":
                                             "QhVY1r4OEPOgMmJyXGmSX2VU7hNdK4ufF3oO4AHcDlk=",
                                         "EMAIL_URL": "smtp://mail.example.com:25"}):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "communitylend.settings", **mode}
        env.pop("EMAIL_BACKEND", None)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, cwd=django_settings.BASE_DIR, check=True).stdout.split()
        assert out[0] == "accounts.mail.OutboxBackend"
        assert out[1].endswith(("console.EmailBackend", "smtp.EmailBackend"))
