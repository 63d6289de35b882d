"""The site under gunicorn on 127.0.0.1, loaded by wrk (Debian's ``wrk`` package).

One wrk run of ``clients`` connections alternates the marketplace page (anonymous) and
``/api/loans?limit=50&sortBy=createdAt`` (token auth, rotating over many bench users so that the
per-user throttle is not what is measured). Requests per second, p50/p99 latency and errors
(non-2xx/3xx answers plus socket errors) come from wrk's own report.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

WRK_MISSING = "wrk is not installed (on Debian/Ubuntu: apt-get install wrk)"
LUA = """
local tokens = {%(tokens)s}
local counter = 0
request = function()
  counter = counter + 1
  if counter %% 2 == 0 then
    local token = tokens[math.floor(counter / 2) %% #tokens + 1]
    return wrk.format("GET", "/api/loans?limit=50&sortBy=createdAt",
                      {["Authorization"] = "Bearer " .. token})
  end
  return wrk.format("GET", "/marketplace/")
end
"""


@dataclass
class HttpResult:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    output: str


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse_wrk(output: str) -> HttpResult:
    """wrk's report (with --latency) -> figures; errors = non-2xx/3xx + socket errors."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {int(q): _ms(v, u) for q, v, u in
               re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)}
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                        output)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return HttpResult(rps=rps, p50_ms=latency[50], p99_ms=latency[99], errors=errors,
                      requests=requests, output=output)


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return (f"postgres://{auth}{'@' if auth else ''}{db.get('HOST') or 'localhost'}:"
            f"{db.get('PORT') or 5432}/{db['NAME']}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, proc, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def production_env(**extra) -> dict:
    """The environment of a production-mode process (gunicorn, a Celery worker) the bench
    starts against the current database: this process's SECRET_KEY (the API tokens the bench
    issued are bound to it), a fresh webhook secret, and a fresh encryption key in front of the
    keys in use (production refuses the public development key in front; the old keys behind it
    still read what is stored)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_DEBUG"}
    env.update(DATABASE_URL=database_url(), SECRET_KEY=settings.SECRET_KEY,
               PAYMENT_WEBHOOK_SECRET=secrets.token_urlsafe(32), LOG_LEVEL="WARNING",
               DJANGO_SETTINGS_MODULE="communitylend.settings",
               FIELD_ENCRYPTION_KEYS=",".join([Fernet.generate_key().decode(),
                                               *settings.FIELD_ENCRYPTION_KEYS]))
    env.update(extra)
    return env


def run_http(*, tokens: list[str], seconds: int, clients: int, workers: int = 4,
             threads: int = 2, log=print, extra_env: dict | None = None) -> HttpResult | None:
    """Start gunicorn against the current database, run wrk, stop gunicorn. None if wrk is
    missing (the caller reports it)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    port = _free_port()
    env = production_env(ALLOWED_HOSTS="127.0.0.1,localhost", SECURE_SSL_REDIRECT="0",
                         SECURE_HSTS_SECONDS="0", STATIC_MANIFEST="0", **(extra_env or {}))
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "mix.lua"
        script.write_text(LUA % {"tokens": ", ".join(f'"{t}"' for t in tokens)})
        errlog = open(Path(tmp) / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "communitylend.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(workers), "-k", "gthread", "--threads", str(threads), "--backlog", "2048",
             "--keep-alive", "5", "--preload"],
            cwd=settings.BASE_DIR, env=env, stdout=errlog, stderr=errlog)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{base}/marketplace/", proc)
            log(f"  gunicorn ({workers} workers x {threads} threads) up on port {port}; "
                f"wrk -c{clients} for {seconds} s after a warm-up")
            # Warm every worker (first requests load templates, URL patterns, connections).
            subprocess.run([wrk, "-t2", f"-c{clients}", "-d3s", "--timeout", "10s", "-s",
                            str(script), base], capture_output=True, timeout=60)
            run = subprocess.run([wrk, "-t2", f"-c{clients}", f"-d{seconds}s", "--latency",
                                  "--timeout", "10s", "-s", str(script), base],
                                 capture_output=True, text=True, timeout=seconds + 60)
            if run.returncode != 0:
                raise RuntimeError(f"wrk failed: {run.stderr.strip() or run.stdout.strip()}")
            return parse_wrk(run.stdout)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            errlog.close()
