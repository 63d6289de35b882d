"""The bot cycle as a Celery chord (bots/distributed.py): decided once over the whole market,
its orders placed by partitions of listings; the same bids, to the cent, as the in-process
cycle, the lease held until the callback."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command

from bots.cycle import bot_cycle_run
from bots.models import BotCycleLock, BotDecision, BotLender
from bots.tasks import bot_cycle_dispatch, run_bot_cycle
from loans import services as loan_services
from loans.models import Bid, Loan
from payments.models import Account
from tests.bots.conftest import bulk_listings, make_borrower

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def market(scores) -> tuple[list, list[int]]:
    with time_machine.travel(T0, tick=False):
        borrowers = [make_borrower(score) for score in scores]
        return borrowers, bulk_listings(borrowers, 60, seed=11)


def fingerprint(listing_ids: list[int]) -> list:
    """Per listing (in order): its bids as (bot, amount, rate, source, status) and its live
    state; then each bot's available and held cash."""
    names = dict(BotLender.objects.values_list("user_id", "name"))
    rows = []
    for pk in listing_ids:
        loan = Loan.objects.get(pk=pk)
        rows.append((loan.bid_total, loan.bid_count, loan.clearing_rate, sorted(
            (names.get(b.lender_id, "person"), b.amount, b.rate, b.source, b.status)
            for b in Bid.objects.filter(loan_id=pk))))
    cash = sorted((names[a.user_id], a.kind, a.balance) for a in Account.objects.filter(
        user_id__in=names, kind__in=("user_available", "user_held")))
    return [rows, cash]


def test_the_chord_places_the_in_process_cycles_bids_to_the_cent(bots, settings):
    scores = [600 + 7 * i for i in range(30)]
    borrowers_a, first = market(scores)
    result = bot_cycle_run(now=T0 + timedelta(minutes=1))
    assert result.bids > 20 and result.errors == 0
    in_process = fingerprint(first)
    # Undo: A's listings are withdrawn, every hold released.
    for pk in first:
        loan = Loan.objects.get(pk=pk)
        loan_services.loan_cancel(acting_user=loan.borrower, loan_id=pk)

    borrowers_b, second = market(scores)  # the same market again
    settings.BOT_CYCLE_CELERY = True
    settings.BOT_CYCLE_PARTITIONS = 4
    message = bot_cycle_dispatch(now=T0 + timedelta(minutes=1))
    assert "4 partitions dispatched" in message
    assert fingerprint(second) == in_process
    assert BotCycleLock.objects.get().holder == ""  # released by the callback
    assert all(b.last_run_at is not None for b in BotLender.objects.all())
    assert BotDecision.objects.filter(loan_id__in=second, action="bid").count() == result.bids
    call_command("ledger_check")


def test_a_partition_delivered_twice_places_nothing_twice(bots, settings):
    from bots import distributed

    _, listings = market([650 + 5 * i for i in range(20)])
    plan = distributed.bot_cycle_plan(now=T0 + timedelta(minutes=1), partitions=3)
    results = [distributed.bot_cycle_partition_run(orders=group, now=plan.now)
               for group in plan.partitions]
    bids = Bid.objects.filter(status="open").count()
    assert bids == sum(r["bids"] for part in results for r in part.values())
    again = distributed.bot_cycle_partition_run(orders=plan.partitions[0], now=plan.now)
    assert sum(r["bids"] for r in again.values()) == 0
    assert Bid.objects.filter(status="open").count() == bids
    distributed.bot_cycle_finish(token=plan.token, started_at=plan.started_at,
                                 reports=[plan.reports, *results], listings=plan.listings)
    for bot in BotLender.objects.all():
        held = Account.objects.get(user_id=bot.user_id, kind="user_held").balance
        assert held == sum(b.amount for b in Bid.objects.filter(lender_id=bot.user_id,
                                                                status="open"))
    call_command("ledger_check")


def test_a_cycle_while_the_chord_holds_the_lease_is_skipped(bots, settings):
    from bots import distributed

    market([700, 720, 740])
    plan = distributed.bot_cycle_plan(now=T0 + timedelta(minutes=1))
    settings.BOT_CYCLE_CELERY = True
    assert "another cycle is running" in run_bot_cycle()
    distributed.bot_cycle_finish(token=plan.token, started_at=plan.started_at,
                                 reports=[plan.reports], listings=plan.listings)
    assert "another cycle is running" not in run_bot_cycle()
