from celery import shared_task

from . import cycle


@shared_task(ignore_result=True)
def run_bot_cycle() -> str:
    """Every 30 s (Celery beat): one cycle of every running bot and enabled auto-invest rule.
    A cycle that finds the previous one still running returns at once (the lock)."""
    return cycle.bot_cycle_run().summary()
