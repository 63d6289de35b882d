"""``servicing_day`` and ``bot_cycle`` through Celery with 1 and 2 worker processes (API.md:
``"celery": {"1": .., "2": ..}``), on PostgreSQL and Redis only.

The bench starts its own ``celery worker -c N`` on a queue of its own (so no other worker on the
same Redis takes its tasks), against the bench's database, with ``SERVICING_CELERY`` and
``BOT_CYCLE_CELERY`` on; it sends the run's first task by name, and waits in the database for the
run to finish (the servicing run's row done; every running bot marked run by the cycle's
callback and the lease free). The time includes the workers picking the tasks up.
"""

import os
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from celery import Celery
from django.conf import settings
from django.db import connection

from bots.models import BotCycleLock, BotLender, BotStatus
from payments.models import ServicingRun
from payments.servicing.distributed import servicing_run_start

from .http import production_env

WORKER_COUNTS = (1, 2)


def unavailable() -> str | None:
    """Why the Celery figures cannot be measured here, or None."""
    if connection.vendor != "postgresql":
        return "needs PostgreSQL (DATABASE_URL)"
    if not settings.REDIS_URL:
        return "needs Redis (REDIS_URL)"
    if connection.in_atomic_block:
        return "the data is inside an open transaction (the workers could not see it)"
    return None


@contextmanager
def celery_workers(processes: int, *, batch_size: int, log=print):
    """A Celery worker with ``processes`` pool processes on a queue of its own; yields a
    function that sends a task by name to it."""
    queue = f"bench-{os.getpid()}-{processes}-{secrets.token_hex(3)}"
    env = production_env(REDIS_URL=settings.REDIS_URL, CELERY_QUEUE=queue, SERVICING_CELERY="1",
                         BOT_CYCLE_CELERY="1", SERVICING_BATCH_SIZE=str(batch_size),
                         SERVICING_WORKERS="1", BOT_CYCLE_PARTITIONS=str(4 * processes))
    with tempfile.TemporaryDirectory() as tmp:
        logfile = Path(tmp) / "worker.log"
        out = open(logfile, "w")  # noqa: SIM115 - closed below
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "communitylend", "worker", "-P", "prefork",
             "-c", str(processes), "-Q", queue, "-n", f"{queue}@%h", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "-l", "INFO"],
            cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
        client = Celery(broker=settings.REDIS_URL)
        try:
            deadline = time.monotonic() + 90
            while "ready." not in logfile.read_text():
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"celery worker did not start:\n{logfile.read_text()}")
                time.sleep(0.2)
            log(f"  celery worker with {processes} process(es) on queue {queue}")

            def send(task: str, *args):
                client.send_task(task, args=list(args), queue=queue)
            yield send
        finally:
            client.close()
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            out.close()


def wait_for(condition, *, what: str, timeout: float = 1800) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def servicing_run_through_celery(send, *, as_of) -> tuple[float, dict]:
    """Seconds from sending the run to its last day recorded done, and its report."""
    run = servicing_run_start(as_of=as_of)
    started = time.monotonic()
    send("payments.tasks.servicing_dispatch", run.pk)

    def finished():
        run.refresh_from_db()
        return run.status != ServicingRun.Status.RUNNING
    wait_for(finished, what=f"servicing run {run.pk}")
    seconds = time.monotonic() - started
    if run.status != ServicingRun.Status.DONE:
        raise RuntimeError(f"servicing run {run.pk} {run.status}: {run.error}")
    return seconds, run.report


def bot_cycle_through_celery(send, *, now: datetime) -> float:
    """Seconds from sending the cycle to its callback's end (every running bot marked run, the
    lease free)."""
    sent_at = datetime.now(tz=now.tzinfo)
    running = BotLender.objects.filter(status=BotStatus.RUNNING)
    started = time.monotonic()
    send("bots.tasks.bot_cycle_dispatch_at", now.isoformat())

    def finished():
        lock = BotCycleLock.objects.filter(pk=1).values_list("holder", flat=True).first()
        return not lock and not running.filter(last_run_at__lt=sent_at).exists() \
            and not running.filter(last_run_at__isnull=True).exists()
    wait_for(finished, what="the bot cycle's chord")
    return time.monotonic() - started
