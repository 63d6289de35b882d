"""PostgreSQL restarted under load: requests during the outage get a clean 503 (the JSON
envelope for the API, a page for the site), never a 500 or a dropped connection; the app
recovers by itself when the database is back; a deposit retried with its idempotency key after a
503 credits once."""

import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from decimal import Decimal

import pytest

from tests.faults.conftest import app_env, scenario, wait_until

pytestmark = pytest.mark.faults


def _request(url, *, token=None, body=None):
    """(status, content type, body text) of one request; raises only if no response came."""
    headers = {"Accept": "application/json"} if "/api/" in url else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


def _is_clean_503(path, content_type, text) -> bool:
    if path == "/healthz":  # the load balancer's probe keeps its own body
        return json.loads(text) == {"status": "unavailable", "database": False}
    if path.startswith("/api/"):
        body = json.loads(text)
        return content_type.startswith("application/json") and body["success"] is False \
            and "temporarily unavailable" in body["error"]
    return "text/html" in content_type and "briefly unavailable" in text and "Traceback" not in text


def test_requests_during_a_database_restart_get_a_clean_503_and_the_app_recovers(
        fault_pg, fault_db, processes, work_dir):
    env = app_env(fault_db, var_dir=work_dir / "var", production=True,
                  THROTTLE_USER="100000/min", THROTTLE_MONEY="100000/min")
    scenario(env, "active_loans", loans=2)
    token = scenario(env, "api_token", email="lender0@faults.example.com")["token"]
    web = processes.web("web", env)
    reads = ["/api/loans?status=all", "/marketplace/", "/healthz"]
    for path in reads:
        assert _request(web.url + path, token=token)[0] == 200, path

    results, failures, deposits = [], [], []
    stop = threading.Event()

    def load(paths):
        while not stop.is_set():
            for path in paths:
                started = time.monotonic()
                try:
                    if path == "deposit":
                        key = uuid.uuid4().hex
                        status, kind, text = _request(
                            web.url + "/api/wallet/deposit", token=token,
                            body={"amount": "10.00", "idempotencyKey": key})
                        deposits.append((key, status))
                        path = "/api/wallet/deposit"
                    else:
                        status, kind, text = _request(web.url + path, token=token)
                    results.append((started, time.monotonic(), path, status, kind, text))
                except Exception as exc:  # noqa: BLE001 - a dropped connection is a failure
                    failures.append(f"{path}: {exc!r}")
            time.sleep(0.02)

    threads = [threading.Thread(target=load, args=(paths,)) for paths in
               (reads, reads[::-1], ["deposit"])]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    fault_pg.stop(mode="fast")  # every connection dropped, new ones refused
    down_at = time.monotonic()
    time.sleep(2.5)
    up_at = time.monotonic()
    fault_pg.start()
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures, failures[:5]
    statuses = {status for _, _, _, status, _, _ in results}
    assert statuses <= {200, 201, 503}, statuses
    # Requests made while the database was down (started after the stop, done before the start).
    # Each got a clean 503, except an anonymous marketplace page the cache can serve whole (the
    # listing rows and their total are shared for LISTING_CACHE_SECONDS): a 200 from the cache.
    during = [r for r in results if down_at < r[0] and r[1] < up_at]
    refused = [r for r in during if r[3] == 503]
    assert refused and all(r[3] == 503 or (r[2] == "/marketplace/" and r[3] == 200)
                           for r in during), [r[:4] for r in during if r[3] != 503][:5]
    for _, _, path, status, kind, text in results:
        if status == 503:
            assert _is_clean_503(path, kind, text), (path, kind, text[:300])
    # Recovered by itself: the server was never restarted.
    assert web.popen.poll() is None
    wait_until(lambda: all(_request(web.url + p, token=token)[0] == 200 for p in reads),
               timeout=30, what="the app to recover")
    for path in reads:
        assert _request(web.url + path, token=token)[0] == 200

    # The client retries every deposit with its key: each is credited exactly once.
    for key, _ in deposits:
        status = _request(web.url + "/api/wallet/deposit", token=token,
                          body={"amount": "10.00", "idempotencyKey": key})[0]
        assert status in (200, 201), status
    wallet = json.loads(_request(web.url + "/api/wallet", token=token)[2])
    assert any(status == 503 for _, status in deposits)
    assert Decimal(wallet["available"]) == Decimal("10.00") * len(deposits)
    assert scenario(env, "ledger_check")["ok"]
