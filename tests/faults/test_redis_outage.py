"""Redis stopped for a while: web requests that queue work (a payment queues its
payment-received email) still succeed; what they queued is in the notification outbox (a row
per email, in the same transaction as the payment), and Celery beat's outbox sweep delivers it
once Redis is back: none lost, none twice. Real processes: gunicorn, a Celery worker and Celery
beat, on a throwaway Redis that the test stops and starts again (empty: Redis keeps no data
here, the worst case)."""

import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tests.faults.conftest import app_env, scenario, wait_until

pytestmark = pytest.mark.faults
SUBJECT = re.compile(r"^Subject: (.*)$", re.MULTILINE)
TO = re.compile(r"^To: (.*)$", re.MULTILINE)


def _pay(base_url, token, loan_id, amount):
    request = urllib.request.Request(
        f"{base_url}/api/payments/schedule",
        data=json.dumps({"loanId": loan_id, "amount": amount,
                         "paymentDate": timezone.localdate().isoformat()}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()[:500]


def _emails(mail_dir: Path) -> Counter:
    """(recipient, subject) -> how many times it was sent, from the file email backend."""
    sent = Counter()
    for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
        for message in path.read_text(errors="replace").split("-" * 79):
            subject, to = SUBJECT.search(message), TO.search(message)
            if subject and to:
                sent[(to.group(1), subject.group(1))] += 1
    return sent


def test_work_queued_while_redis_is_down_is_delivered_once_when_it_is_back(
        fault_db, fault_redis, processes, work_dir):
    var = work_dir / "var"
    env = app_env(fault_db, redis_url=fault_redis.url, var_dir=var,
                  NOTIFICATION_RETRY_SECONDS=3, THROTTLE_MONEY="100000/min")
    loans = scenario(env, "active_loans", loans=6, disbursed_days_ago=5)["loan_ids"]
    tokens = [scenario(env, "api_token", email=f"borrower{n}@faults.example.com")["token"]
              for n in range(len(loans))]
    scenario(env, "outbox_sweep_every", seconds=2)
    mail_dir = var / "mail"
    processes.celery_worker("worker", env)
    processes.start("beat", [
        sys.executable, "-m", "celery", "-A", "communitylend", "beat", "-l", "INFO",
        "-S", "django_celery_beat.schedulers:DatabaseScheduler",
        "-s", str(work_dir / "beat-schedule"), "--pidfile="], env)
    web = processes.web("web", env)

    def subject(loan_id):
        n = loans.index(loan_id)
        return (f"borrower{n}@faults.example.com",
                f"[CommunityLend] Payment of 50.00 received on loan #{loan_id}")

    # Redis up: the email goes through the broker.
    assert _pay(web.url, tokens[0], loans[0], "50.00")[0] == 201
    wait_until(lambda: _emails(mail_dir)[subject(loans[0])] == 1, timeout=30,
               what="the first email through Redis")

    fault_redis.stop()
    outage = []
    for token, loan_id in zip(tokens[1:], loans[1:], strict=True):
        started = time.monotonic()
        status, body = _pay(web.url, token, loan_id, "50.00")
        outage.append(time.monotonic() - started)
        assert status == 201, body
        assert body["payment"]["status"] == "completed"
    # Logging in uses the cache (throttles, the failed-login lockout): it still works.
    login = urllib.request.Request(
        f"{web.url}/api/auth/login", data=json.dumps(
            {"email": "lender0@faults.example.com", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"})
    with urllib.request.urlopen(login, timeout=30) as response:
        assert response.status == 200 and json.loads(response.read())["token"]
    time.sleep(3)  # the outage goes on; nothing can be delivered
    assert not any(_emails(mail_dir)[subject(loan_id)] for loan_id in loans[1:])
    pending = scenario(env, "notifications_report")["by_status"]
    assert pending["pending"] >= len(loans) - 1, pending

    fault_redis.start()  # same port, empty
    wait_until(lambda: all(_emails(mail_dir)[subject(loan_id)] for loan_id in loans),
               timeout=90, what="the outbox sweep to deliver the queued emails")
    time.sleep(5)  # more sweeps: none sends anything again
    emails = _emails(mail_dir)
    assert {s: n for s, n in emails.items() if n != 1} == {}
    assert all(emails[subject(loan_id)] == 1 for loan_id in loans)
    report = scenario(env, "notifications_report")["by_status"]
    assert report["pending"] == report["sending"] == report["failed"] == 0, report
    assert max(outage) < 10, outage  # a request does not hang on the missing broker


def test_the_redis_cache_treats_a_lost_redis_as_a_miss():
    from communitylend.cache import ResilientRedisCache
    from tests.faults.servers import free_port

    cache = ResilientRedisCache(f"redis://127.0.0.1:{free_port()}/0",
                                {"OPTIONS": {"socket_connect_timeout": 1}})
    assert cache.get("throttle_user_1", "default") == "default"
    cache.set("throttle_user_1", [1, 2, 3], 60)
    assert cache.add("lock", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.incr("counter", 3) == 3
    assert cache.delete("throttle_user_1") is False
