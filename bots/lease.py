"""The bot cycle's lock: a lease on the one ``BotCycleLock`` row, taken with a compare-and-swap,
so two cycles never overlap, on SQLite or PostgreSQL, in one process or many. On PostgreSQL the
lease of a holder whose database session ended (a killed worker) is taken over at once.

The cycle (``bots.cycle.bot_cycle_run``) holds it while it runs; ``bots.services.bot_reset`` holds
it so that no cycle bids for a bot between its two steps.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import BotCycleLock

logger = logging.getLogger(__name__)


def _lease_seconds() -> int:
    return getattr(settings, "BOT_CYCLE_LEASE_SECONDS", 300)


def cycle_lock_acquire(*, lease_seconds: int | None = None) -> str | None:
    """Take the cycle lease; returns a token, or None while another holder's lease runs.

    One UPDATE ... WHERE lease_until <= now is the compare-and-swap: the database lets exactly
    one of two concurrent callers change the row. A holder that dies without releasing blocks
    the next cycles for at most the lease (wall-clock time, whatever ``now`` a cycle simulates).
    """
    now = timezone.now()
    if not BotCycleLock.objects.filter(pk=1).exists():
        try:
            with transaction.atomic():
                BotCycleLock.objects.create(pk=1, holder="", lease_until=now - timedelta(seconds=1))
        except IntegrityError:  # created concurrently
            pass
    token = _holder_token()
    lease = timedelta(seconds=lease_seconds or _lease_seconds())
    taken = BotCycleLock.objects.filter(pk=1, lease_until__lte=now).update(
        holder=token, lease_until=now + lease, acquired_at=now)
    if taken == 0:
        # A worker killed mid-cycle (SIGKILL, a lost machine) never releases, and its task is
        # redelivered at once to another worker: on PostgreSQL, take over a lease whose
        # holder's database session has ended instead of skipping cycles until it runs out.
        holder = BotCycleLock.objects.filter(pk=1).values_list("holder", flat=True).first()
        if holder and _holder_gone(holder):
            taken = BotCycleLock.objects.filter(pk=1, holder=holder).update(
                holder=token, lease_until=now + lease, acquired_at=now)
            if taken:
                logger.warning("Bot cycle: took over the lease of %s, whose session ended", holder)
    return token if taken == 1 else None


def _holder_token() -> str:
    """A lock holder's token; on PostgreSQL it names the holder's backend process."""
    token = uuid.uuid4().hex
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            token = f"pg{cursor.fetchone()[0]}:{token}"
    return token


def _holder_gone(holder: str) -> bool:
    """True when ``holder`` held the lease from a PostgreSQL session that no longer exists (its
    process died: PostgreSQL ends the session when the client's connection drops)."""
    pid = holder.split(":", 1)[0].removeprefix("pg")
    if connection.vendor != "postgresql" or not holder.startswith("pg") or not pid.isdigit():
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [int(pid)])
        return cursor.fetchone() is None


def cycle_lock_release(token: str) -> None:
    BotCycleLock.objects.filter(pk=1, holder=token).update(holder="", lease_until=timezone.now())
