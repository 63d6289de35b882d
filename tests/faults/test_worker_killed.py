"""A Celery worker killed (SIGKILL, the whole worker) in the middle of a servicing day and of a
bot cycle: the message is acknowledged late, so the broker hands it to the next worker once its
visibility timeout runs out; the work completes once, no payment is taken twice and the ledger
stays clean.

"In the middle" is made deterministic with a row lock: the test holds one loan (or the bots'
rows) locked, waits until the worker is blocked on it with part of the work committed, and kills
the worker there.
"""

import os
import signal
import subprocess
from decimal import Decimal

import pytest
from celery import Celery

from tests.faults.conftest import app_env, scenario, wait_until

pytestmark = pytest.mark.faults
VISIBILITY_TIMEOUT = 4


def _env(fault_db, fault_redis, work_dir, **extra):
    return app_env(fault_db, redis_url=fault_redis.url, var_dir=work_dir / "var",
                   CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT, **extra)


# The scale-out (SERVICING_CELERY / BOT_CYCLE_CELERY): the day as a chord of batches of 2 loans,
# the cycle as a chord of partitions; the kill lands inside one of the chord's tasks.
CHORD = {"SERVICING_CELERY": "1", "SERVICING_BATCH_SIZE": "2", "BOT_CYCLE_CELERY": "1",
         "BOT_CYCLE_PARTITIONS": "3"}


def _send(redis_url: str, task: str):
    client = Celery(broker=redis_url, set_as_current=False)  # shared tasks keep the app
    try:
        client.send_task(task)
    finally:
        client.close()


def _waiting_for_a_lock(conn) -> bool:
    return conn.execute("SELECT count(*) FROM pg_locks WHERE NOT granted").fetchone()[0] > 0


def _broker_empty(redis) -> bool:
    import redis as redis_py

    client = redis_py.Redis.from_url(redis.url)
    try:
        return client.llen("celery") == 0 and client.zcard("unacked_index") == 0
    finally:
        client.close()


def _pool_children(worker) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(worker.popen.pid)], capture_output=True,
                            text=True)
    return [int(pid) for pid in result.stdout.split()]


@pytest.mark.parametrize(("killed", "mode"), [("worker", "in-process"),
                                              ("pool process", "in-process"),
                                              ("worker", "chord")])
def test_a_worker_killed_mid_servicing_day_is_replaced_and_each_payment_is_taken_once(
        killed, mode, fault_pg, fault_db, fault_redis, processes, work_dir):
    """``worker``: the whole worker dies (a lost machine); another worker gets the message
    after the visibility timeout. ``pool process``: the process running the task dies; its
    worker requeues the message at once (reject on worker lost) and runs it again. ``chord``:
    the day runs as a chord of batches and the worker dies inside one batch."""
    env = _env(fault_db, fault_redis, work_dir, **(CHORD if mode == "chord" else {}))
    loans = scenario(env, "active_loans", loans=8)["loan_ids"]
    held_back = loans[4]
    dbname = fault_db.rsplit("/", 1)[1]

    with fault_pg.connect(dbname) as locker, fault_pg.connect(dbname, autocommit=True) as watch:
        locker.execute("SELECT id FROM loans_loan WHERE id = %s FOR UPDATE", [held_back])
        first = processes.celery_worker("first", env)
        _send(fault_redis.url, "payments.tasks.run_servicing_today")
        wait_until(lambda: _waiting_for_a_lock(watch), timeout=60,
                   what="the servicing day to reach the locked loan")
        paid_before_kill = watch.execute(
            "SELECT count(*) FROM payments_repayment WHERE status = 'completed'").fetchone()[0]
        if killed == "worker":
            first.kill()  # SIGKILL to the worker and its pool child, mid-day
        else:
            (child,) = _pool_children(first)
            os.kill(child, signal.SIGKILL)
        locker.rollback()

    # Loans before the locked one are paid (committed) unless servicing batches them in one
    # transaction with it; either way the day was not finished when the worker died.
    assert paid_before_kill < len(loans), "the kill must fall in the middle of the day"
    second = processes.celery_worker("second", env) if killed == "worker" else first
    wait_until(lambda: all(row["payments"] for row in scenario(
        env, "servicing_report", loan_ids=loans)["loans"].values()), timeout=90,
        what="the redelivered servicing day to finish")
    if mode == "chord":
        wait_until(lambda: "servicing_day_done" in second.output(), timeout=30,
                   what="the chord's callback")
    wait_until(lambda: _broker_empty(fault_redis), timeout=30, what="the message's ack")
    second.stop()

    assert ("servicing_batch" if mode == "chord" else "run_servicing_today") in second.output()
    assert "succeeded" in second.output()
    if killed == "pool process":
        assert "WorkerLostError" in first.output()
    report = scenario(env, "servicing_report", loan_ids=loans)
    assert report["ledger"]["ok"], report["ledger"]["output"]
    for loan_id, row in report["loans"].items():
        assert row["payments"] == 1, (loan_id, row)
        assert row["postings"] == 1, (loan_id, row)
        assert row["first_installment"] == "paid", (loan_id, row)
        assert Decimal(row["available"]) == Decimal(row["disbursed"]) - Decimal(
            row["installment"]), (loan_id, row)


@pytest.mark.parametrize("mode", ["in-process", "chord"])
def test_a_worker_killed_mid_bot_cycle_is_replaced_and_no_bid_is_placed_twice(
        mode, fault_pg, fault_db, fault_redis, processes, work_dir):
    env = _env(fault_db, fault_redis, work_dir, **(CHORD if mode == "chord" else {}))
    listings = scenario(env, "bot_market", listings=6)["loan_ids"]
    dbname = fault_db.rsplit("/", 1)[1]

    with fault_pg.connect(dbname) as locker, fault_pg.connect(dbname, autocommit=True) as watch:
        locker.execute("SELECT id FROM bots_botlender FOR UPDATE")
        first = processes.celery_worker("first", env)
        _send(fault_redis.url, "bots.tasks.run_bot_cycle")
        wait_until(lambda: _waiting_for_a_lock(watch), timeout=60,
                   what="the bot cycle to reach the bots' rows")
        bids_before_kill = {row[0] for row in watch.execute(
            "SELECT id FROM loans_bid WHERE status = 'open'").fetchall()}
        first.kill()
        locker.rollback()

    second = processes.celery_worker("second", env)
    wait_until(lambda: all(bot["last_run_at"] for bot in scenario(
        env, "bots_report", loan_ids=listings)["bots"].values()), timeout=90,
        what="the redelivered bot cycle to finish")
    wait_until(lambda: _broker_empty(fault_redis), timeout=30, what="the message's ack")
    second.stop()

    assert ("bot_cycle_done" if mode == "chord" else "run_bot_cycle") in second.output()
    assert "succeeded" in second.output()
    report = scenario(env, "bots_report", loan_ids=listings)
    assert report["ledger"]["ok"], report["ledger"]["output"]
    assert report["lock_holder"] == ""
    # The bids the killed cycle committed stand; the rerun placed none twice.
    assert report["open_bid_ids"] and set(report["open_bid_ids"]) >= bids_before_kill
    if bids_before_kill:
        assert set(report["open_bid_ids"]) == bids_before_kill
    for name, bot in report["bots"].items():
        assert bot["max_bids_per_listing"] <= 1, (name, bot)
        assert Decimal(bot["held"]) == Decimal(bot["open_total"]), (name, bot)
