"""The bot cycle: no overlap, survives a failing bot, bounded queries at scale, its command and
its beat schedule."""

import io
import math
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from bots.cycle import SKIPPED_MESSAGE, bot_cycle_run
from bots.lease import cycle_lock_acquire, cycle_lock_release
from bots.models import BotDecision, BotLender, DecisionAction
from bots.tasks import run_bot_cycle
from loans.models import Bid, BidStatus
from tests.bots.conftest import bulk_listings, listing, make_borrower

pytestmark = pytest.mark.django_db
D = Decimal


def _rows_per_insert(model, batch_size=1000) -> int:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    return min(batch_size, connection.ops.bulk_batch_size(fields, [None] * batch_size))


def test_two_overlapping_cycles_do_not_double_bid(bots, risk_model):
    loan = listing(make_borrower(800))
    token = cycle_lock_acquire()  # a cycle is running (another worker, another process)
    assert token

    second = bot_cycle_run()

    assert second.skipped == SKIPPED_MESSAGE
    assert second.summary() == "bot cycle skipped: another cycle is running"
    assert not Bid.objects.filter(loan=loan).exists()
    cycle_lock_release(token)

    first = bot_cycle_run()
    again = bot_cycle_run()
    assert first.bids > 0 and again.bids == 0
    per_lender = Bid.objects.filter(loan=loan, status=BidStatus.OPEN).values_list("lender_id",
                                                                                  flat=True)
    assert len(per_lender) == len(set(per_lender)) == first.bids


def test_the_lock_is_released_after_a_cycle_and_expires_if_its_holder_dies(bots):
    bot_cycle_run()
    token = cycle_lock_acquire()
    assert token and cycle_lock_acquire() is None
    cycle_lock_release(token)
    dead = cycle_lock_acquire(lease_seconds=1)
    assert dead
    time.sleep(1.1)
    assert cycle_lock_acquire() is not None  # the dead holder's lease ran out


def test_one_failing_bot_is_logged_and_the_others_still_bid(bots, risk_model):
    loan = listing(make_borrower(800), grade="C", term=24, amount="40000")  # room for all
    # A strategy the validation would never let through: its sizing raises.
    BotLender.objects.filter(name="GrowthMax Lending").update(grade_limits={"C": "lots"})

    result = bot_cycle_run()

    assert result.errors == 1
    failed = next(r for r in result.reports if r.error)
    assert failed.label == "GrowthMax Lending" and "FAILED" in failed.line()
    assert BotDecision.objects.filter(bot__name="GrowthMax Lending",
                                      action=DecisionAction.ERROR).exists()
    bidders = set(Bid.objects.filter(loan=loan).values_list("lender__bot_lender__name", flat=True))
    assert "GrowthMax Lending" not in bidders
    assert {"BalancedChoice Finance", "QuickCash Solutions", "FlexiLend Partners"} <= bidders


def test_stopped_bots_do_not_bid(bots, risk_model):
    from bots.services import bot_stop

    loan = listing(make_borrower(800), term=24)
    for bot in bots.values():
        if bot.name != "QuickCash Solutions":
            bot_stop(acting_user=None, bot_id=bot.pk)
    result = bot_cycle_run()
    assert [r.label for r in result.reports] == ["QuickCash Solutions"]
    assert set(Bid.objects.filter(loan=loan).values_list("lender__bot_lender__name",
                                                         flat=True)) == {"QuickCash Solutions"}


def test_a_cycle_over_2000_listings_and_6_bots_runs_in_a_bounded_number_of_queries(
        bots, django_assert_max_num_queries, capsys):
    borrowers = [make_borrower(600 + 6 * i) for i in range(37)]  # scores 600..816
    bulk_listings(borrowers, 2000)

    # A constant number of queries, plus the decision log's INSERTs: at most one row per listing
    # and bot, as many rows per INSERT as the database takes (bulk_create; SQLite's 999
    # parameters make that 99 rows, PostgreSQL takes the batch size of 1,000).
    log_inserts = math.ceil(2000 * 6 / _rows_per_insert(BotDecision))
    started = time.monotonic()
    with django_assert_max_num_queries(50 + log_inserts) as queries:
        result = bot_cycle_run()
    seconds = time.monotonic() - started

    assert result.listings == 2000 and result.bids > 300 and result.errors == 0
    assert Bid.objects.filter(source="bot").count() == result.bids
    log = sum(1 for q in queries.captured_queries if 'INTO "bots_botdecision"' in q["sql"])
    with capsys.disabled():
        print(f"\nbot cycle over 2000 listings x 6 bots ({connection.vendor}): "
              f"{len(queries.captured_queries)} queries ({log} of them decision-log INSERTs), "
              f"{seconds:.2f} s, {result.bids} bids, {BotDecision.objects.count()} decisions")
    # The next cycle (everything already decided) is cheaper still, and also bounded.
    with django_assert_max_num_queries(40 + log_inserts):
        bot_cycle_run(now=timezone.now() + timedelta(seconds=30))
    call_command("ledger_check", stdout=io.StringIO())


def test_run_bots_once_prints_a_line_per_bot_and_a_summary_last(bots, risk_model):
    listing(make_borrower(800), term=24, amount="40000")
    out = io.StringIO()
    call_command("run_bots", "--once", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 7
    assert lines[0].startswith("SafetyFirst Capital: 1 bid (5,000.00), 0 re-bids, 0 skipped")
    assert lines[-1].startswith("bot cycle: 6 bots, 0 auto-invest rules, 1 open listing:")

    out = io.StringIO()
    call_command("run_bots", "--once", "--bot", "quickcash solutions", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[0].startswith("QuickCash Solutions: 0 bids") and len(lines) == 2

    with pytest.raises(CommandError, match="No bot named"):
        call_command("run_bots", "--once", "--bot", "Nobody", stdout=io.StringIO())


def test_run_bots_says_so_when_another_cycle_is_running(bots):
    token = cycle_lock_acquire()
    out = io.StringIO()
    call_command("run_bots", "--once", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "bot cycle skipped: another cycle is running"
    cycle_lock_release(token)


def test_the_cycle_is_a_celery_beat_task_every_30_seconds(bots, risk_model):
    task = PeriodicTask.objects.get(task="bots.tasks.run_bot_cycle")
    assert task.enabled and task.interval.every == 30 and task.interval.period == "seconds"
    listing(make_borrower(800))
    assert run_bot_cycle.delay().get().startswith("bot cycle: 6 bots")
    assert Bid.objects.filter(source="bot").exists()
