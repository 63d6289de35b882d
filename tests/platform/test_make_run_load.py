"""Finding 9: `make run`'s own web command holds up under a script's load on PostgreSQL.

The Procfile's ``web`` line is started as honcho would (same command, WEB_PORT set), against
this test run's PostgreSQL database, and 16 threads send 2,000 API requests (the public listing
list, wallets, profiles and deposits of 20 users). No answer may be a 5xx, and the server may
never hold more database connections than its fixed pool (runserver opened one per request and
kept it, until PostgreSQL refused new ones and every request answered 503). PostgreSQL only:
CI (.ci/run) runs it, SQLite skips it."""

import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from accounts.models import User
from accounts.services import api_token_issue
from payments.services import wallet_balances
from tests.factories import make_user
from tests.money import fund

ROOT = Path(__file__).resolve().parents[2]
REQUESTS, THREADS, USERS = 2000, 16, 20

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _procfile_web_command(port: int) -> str:
    line = next(line for line in (ROOT / "Procfile").read_text().splitlines()
                if line.startswith("web:"))
    return re.sub(r"\$\{WEB_PORT:-\d+\}", str(port), line.split(":", 1)[1].strip())


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def make_run_server(transactional_db, tmp_path):
    port = _free_port()
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": _database_url(),
           "DJANGO_SETTINGS_MODULE": "communitylend.settings", "WEB_PORT": str(port),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "LOG_LEVEL": "WARNING"}
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(["bash", "-c", f"exec {_procfile_web_command(port)}"], cwd=ROOT,
                               env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/healthz")
            if probe.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        os.killpg(process.pid, signal.SIGTERM)
        pytest.fail("the web server did not start: " + (tmp_path / "web.log").read_text()[-3000:])
    yield port
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)
    log.close()


def _connections_sampler(stop: threading.Event, seen: list[int]) -> None:
    import psycopg

    s = connection.settings_dict
    with psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                         password=s["PASSWORD"] or None, dbname="postgres",
                         autocommit=True) as sampler:
        while not stop.is_set():
            seen.append(sampler.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()", [s["NAME"]]).fetchone()[0])
            time.sleep(0.1)


def test_make_runs_server_answers_2000_api_requests_from_16_threads_without_a_5xx(
        make_run_server, capsys):
    port = make_run_server
    tokens = []
    for n in range(USERS):
        user = make_user(f"load{n}@example.com")
        fund(user, "100.00")
        tokens.append(api_token_issue(user=user, second_factor=False))
    connection.close()  # the test's own connection is not the server's

    def call(i: int):
        token = tokens[i % USERS]
        kind = i % 4
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        started = time.monotonic()
        if kind == 0:
            conn.request("POST", "/api/wallet/deposit", json.dumps(
                {"amount": "1.00", "idempotencyKey": f"load-{i}"}), headers)
        else:
            path = ("/api/loans?limit=20", "/api/wallet", "/api/users/profile")[kind - 1]
            conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, time.monotonic() - started

    stop, seen = threading.Event(), []
    sampler = threading.Thread(target=_connections_sampler, args=(stop, seen), daemon=True)
    sampler.start()
    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(call, range(REQUESTS)))
    elapsed = time.monotonic() - started
    stop.set()
    sampler.join(timeout=5)
    statuses = Counter(status for status, _ in results)
    latencies = sorted(seconds for _, seconds in results)
    workers = int(os.environ.get("WEB_WORKERS") or os.cpu_count() or 2)
    threads = int(os.environ.get("WEB_THREADS") or 8)
    figures = {"requests": REQUESTS, "threads": THREADS, "seconds": round(elapsed, 1),
               "rps": round(REQUESTS / elapsed), "statuses": dict(statuses),
               "p50_ms": round(statistics.median(latencies) * 1000),
               "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000),
               "max_db_connections": max(seen, default=0), "pool": workers * threads}
    with capsys.disabled():
        print("\nmake run load:", json.dumps(figures))
    assert not [s for s in statuses if s >= 500], figures
    assert set(statuses) <= {200, 201}, figures
    assert max(seen, default=0) <= workers * threads + 2, figures
    # every deposit that answered 201 credited once
    credited = sum(wallet_balances(u.pk)["available"]
                   for u in User.objects.filter(email__startswith="load"))
    assert credited == Decimal("100.00") * USERS + statuses[201]
