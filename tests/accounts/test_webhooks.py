"""Webhooks (API.md): signed, delivered after commit through the outbox, retried with backoff
for a day, logged; no server-side request forgery. Deliveries go to a real HTTP receiver on a
thread (development mode allows loopback; the production rule is tested with it switched off)."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone

from accounts import integrations
from accounts.integrations import WebhookDraft, webhook_emit, webhook_emit_many
from accounts.models import WebhookDelivery, WebhookEndpoint
from accounts.tasks import notifications_flush
from tests.factories import api_client_for, make_user

pytestmark = pytest.mark.django_db


class Receiver:
    """A tiny HTTP server: records every POST; answers ``status`` (settable per path)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                self.send_response(receiver.status.get(self.path, 200))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path="/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def bodies(self, path="/hook") -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests if r["path"] == path]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def register(user, url, events=("bid.won",)) -> tuple[int, str]:
    response = api_client_for(user).post("/api/webhooks", {"url": url, "events": list(events)},
                                         format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    return body["webhook"]["id"], body["secret"]


def verify(secret: str, request: dict) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request["headers"]["X-CommunityLend-Signature"])


def test_an_event_is_delivered_after_commit_signed_with_the_endpoints_secret(
        receiver, lender, django_capture_on_commit_callbacks):
    webhook_id, secret = register(lender, receiver.url(), ["bid.won", "loan.funded"])
    assert secret.startswith("whsec_")
    listed = api_client_for(lender).get("/api/webhooks").json()["webhooks"]
    assert [w["id"] for w in listed] == [webhook_id] and "secret" not in listed[0]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert webhook_emit(user_id=lender.pk, event="bid.won",
                            data={"bidId": 7, "amount": Decimal("25.00")}) == 1
        assert receiver.requests == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    [request] = receiver.requests
    assert verify(secret, request)
    assert not verify("whsec_wrong", request)
    body = json.loads(request["body"])
    assert set(body) == {"id", "event", "createdAt", "data"}
    assert body["event"] == "bid.won" and body["data"] == {"bidId": 7, "amount": "25.00"}
    assert request["headers"]["X-CommunityLend-Event"] == "bid.won"
    deliveries = api_client_for(lender).get(f"/api/webhooks/{webhook_id}/deliveries").json()
    [logged] = deliveries["deliveries"]
    assert logged["status"] == "delivered" and logged["attempts"] == 1
    assert logged["lastStatusCode"] == 200 and logged["eventId"] == body["id"]


def test_only_subscribed_events_of_the_users_own_endpoints_are_sent(receiver, lender, borrower):
    register(lender, receiver.url("/lender"), ["bid.won"])
    register(borrower, receiver.url("/borrower"), ["loan.funded"])
    count = webhook_emit_many([
        WebhookDraft(lender.pk, "bid.won", {"n": 1}),
        WebhookDraft(lender.pk, "bid.outbid", {"n": 2}),  # not subscribed
        WebhookDraft(borrower.pk, "loan.funded", {"n": 3}),
        WebhookDraft(make_user().pk, "bid.won", {"n": 4}),  # no endpoint
    ])
    assert count == 2
    for pk in WebhookDelivery.objects.values_list("pk", flat=True):
        integrations.webhook_deliver(delivery_id=pk)
    assert [b["data"] for b in receiver.bodies("/lender")] == [{"n": 1}]
    assert [b["data"] for b in receiver.bodies("/borrower")] == [{"n": 3}]


def test_a_failing_endpoint_is_retried_with_backoff_and_blocks_no_other(receiver, lender):
    register(lender, receiver.url("/down"), ["bid.won"])
    register(lender, receiver.url("/up"), ["bid.won"])
    receiver.status["/down"] = 500
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        webhook_emit(user_id=lender.pk, event="bid.won", data={"bidId": 1})
        for pk in WebhookDelivery.objects.values_list("pk", flat=True):
            integrations.webhook_deliver(delivery_id=pk)
        down = WebhookDelivery.objects.get(endpoint__url__endswith="/down")
        up = WebhookDelivery.objects.get(endpoint__url__endswith="/up")
        assert up.status == "delivered" and down.status == "pending"
        assert (down.attempts, down.last_status_code, down.last_error) == (1, 500, "HTTP 500")
        assert down.next_attempt_at == start + timedelta(minutes=1)
        assert notifications_flush() == 0  # nothing due yet
    with time_machine.travel(start + timedelta(minutes=1, seconds=1), tick=False):
        notifications_flush()  # the sweep: attempt 2 fails, the next waits 2 minutes
        down.refresh_from_db()
        assert down.attempts == 2 and down.next_attempt_at > timezone.now() + timedelta(
            seconds=119)
    receiver.status["/down"] = 204
    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        notifications_flush()
        down.refresh_from_db()
        assert down.status == "delivered" and down.attempts == 3
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        notifications_flush()  # retries stop after success
    assert len(receiver.bodies("/down")) == 3 and len(receiver.bodies("/up")) == 1
    first, *_, last = receiver.bodies("/down")
    assert first == last  # the same event, the same id, each time


def test_retries_give_up_a_day_after_the_event(receiver, lender):
    register(lender, receiver.url("/down"), ["bid.won"])
    receiver.status["/down"] = 503
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        webhook_emit(user_id=lender.pk, event="bid.won", data={})
    delivery = WebhookDelivery.objects.get()
    attempts_times = []
    clock = start
    while delivery.status == "pending":
        clock = max(clock, delivery.next_attempt_at)
        with time_machine.travel(clock, tick=False):
            integrations.webhook_deliver(delivery_id=delivery.pk)
        attempts_times.append(clock)
        delivery.refresh_from_db()
        assert len(attempts_times) < 100
    assert delivery.status == "failed"
    assert attempts_times[-1] - start <= timedelta(days=1)
    assert attempts_times[-1] - start > timedelta(hours=22)
    gaps = [b - a for a, b in zip(attempts_times, attempts_times[1:], strict=False)]
    assert gaps[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert max(gaps) == timedelta(hours=1)


def test_a_delivery_is_sent_once_even_when_two_workers_try(receiver, lender):
    register(lender, receiver.url(), ["bid.won"])
    webhook_emit(user_id=lender.pk, event="bid.won", data={})
    pk = WebhookDelivery.objects.get().pk
    assert integrations.webhook_deliver(delivery_id=pk) is True
    assert integrations.webhook_deliver(delivery_id=pk) is False
    assert len(receiver.requests) == 1


def test_a_deleted_endpoint_receives_nothing_more(receiver, lender):
    webhook_id, _ = register(lender, receiver.url(), ["bid.won"])
    webhook_emit(user_id=lender.pk, event="bid.won", data={})
    assert api_client_for(lender).delete(f"/api/webhooks/{webhook_id}").status_code == 200
    assert WebhookDelivery.objects.get().status == "failed"
    assert webhook_emit(user_id=lender.pk, event="bid.won", data={}) == 0
    notifications_flush()
    assert receiver.requests == []
    # its log stays readable; someone else's is a 404
    assert api_client_for(lender).get(f"/api/webhooks/{webhook_id}/deliveries").status_code == 200
    assert api_client_for(make_user()).get(
        f"/api/webhooks/{webhook_id}/deliveries").status_code == 404


@pytest.mark.parametrize("url", [
    "http://8.8.8.8/hook",  # production needs https
    "https://127.0.0.1/hook", "https://localhost/hook", "https://[::1]/hook",
    "https://10.0.0.5/hook", "https://192.168.1.1/", "https://172.16.0.1/",
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://100.64.0.1/", "https://0.0.0.0/", "https://[::ffff:127.0.0.1]/",
    "https://[fd00::1]/", "https://224.0.0.1/",
    "https://user:pw@8.8.8.8/", "ftp://8.8.8.8/", "https://no-such-host.invalid/",
])
def test_production_refuses_urls_that_could_reach_inside(settings, lender, url):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    response = api_client_for(lender).post("/api/webhooks", {"url": url, "events": ["bid.won"]},
                                           format="json")
    assert response.status_code == 400, url
    assert response.json()["field"] == "url"
    assert not WebhookEndpoint.objects.exists()


def test_production_accepts_a_public_https_address(settings, lender):
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    register(lender, "https://8.8.8.8/hooks/communitylend")


def test_a_delivery_checks_the_address_again(settings, receiver, lender):
    """An endpoint whose host came to resolve inside (DNS rebinding) is not called."""
    register(lender, receiver.url(), ["bid.won"])
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    webhook_emit(user_id=lender.pk, event="bid.won", data={})
    integrations.webhook_deliver(delivery_id=WebhookDelivery.objects.get().pk)
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.status == "pending" and "https" in delivery.last_error


def test_bad_input_is_a_400_naming_the_field(lender):
    client = api_client_for(lender)
    for body, field in [({"url": "https://8.8.8.8/", "events": ["loan.exploded"]}, "events"),
                        ({"url": "https://8.8.8.8/", "events": []}, "events"),
                        ({"url": "not a url", "events": ["bid.won"]}, "url"),
                        ({"events": ["bid.won"]}, "url")]:
        response = client.post("/api/webhooks", body, format="json")
        assert response.status_code == 400 and response.json()["field"] == field, body
    assert not WebhookEndpoint.objects.exists()
