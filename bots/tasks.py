import time
from datetime import datetime

from celery import chord, shared_task
from django.conf import settings
from django.db import OperationalError

from . import cycle, distributed, market


@shared_task(ignore_result=True)
def run_bot_cycle() -> str:
    """Every 30 s (Celery beat): one cycle of every running bot and enabled auto-invest rule,
    then the standing buy orders on the secondary market. A cycle that finds the previous one
    still running returns at once (the lock). With ``BOT_CYCLE_CELERY`` its orders are placed by
    a chord over every worker."""
    if settings.BOT_CYCLE_CELERY:
        summary = bot_cycle_dispatch()
    else:
        summary = cycle.bot_cycle_run().summary()
    matched = market.market_cycle_run()
    return f"{summary}; market: {matched.trades} trades"


@shared_task(ignore_result=True)
def match_listing(listing_id: int) -> int:
    """A new listing against the standing orders."""
    return market.market_match_run(listing_ids=[listing_id]).trades


def bot_cycle_dispatch(*, now: datetime | None = None) -> str:
    """Decide here, then place the orders as a chord of partitions (bots/distributed.py)."""
    began = time.time()
    plan = distributed.bot_cycle_plan(now=now, partitions=settings.BOT_CYCLE_PARTITIONS)
    if isinstance(plan, str):
        return f"bot cycle {plan}"
    finish = (plan.token, plan.started_at.isoformat(), plan.reports, plan.listings, began)
    if not plan.partitions:
        return bot_cycle_done([], *finish)
    chord(bot_cycle_partition.si(group, plan.now.isoformat())
          for group in plan.partitions)(bot_cycle_done.s(*finish))
    return f"bot cycle: {len(plan.partitions)} partitions dispatched"


@shared_task(acks_late=True)
def bot_cycle_dispatch_at(now: str) -> str:
    """``bot_cycle_dispatch`` for a given moment (the bench runs the cycle "3 days ahead")."""
    return bot_cycle_dispatch(now=datetime.fromisoformat(now))


@shared_task(acks_late=True, ignore_result=False, autoretry_for=(OperationalError,),
             retry_backoff=2, max_retries=8)
def bot_cycle_partition(orders: list[dict], now: str) -> dict:
    return distributed.bot_cycle_partition_run(orders=orders, now=datetime.fromisoformat(now))


@shared_task(acks_late=True)
def bot_cycle_done(results: list[dict], token: str, started_at: str, reports: dict,
                   listings: int, began: float) -> str:
    return distributed.bot_cycle_finish(
        token=token, started_at=datetime.fromisoformat(started_at), reports=[reports, *results],
        listings=listings, began=began).summary()

