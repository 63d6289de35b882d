from celery import shared_task

from . import cycle, market


@shared_task(ignore_result=True)
def run_bot_cycle() -> str:
    """Every 30 s (Celery beat): one cycle of every running bot and enabled auto-invest rule,
    then the standing buy orders on the secondary market. A cycle that finds the previous one
    still running returns at once (the lock)."""
    summary = cycle.bot_cycle_run().summary()
    matched = market.market_cycle_run()
    return f"{summary}; market: {matched.trades} trades"


@shared_task(ignore_result=True)
def match_listing(listing_id: int) -> int:
    """A new listing against the standing orders."""
    return market.market_match_run(listing_ids=[listing_id]).trades
