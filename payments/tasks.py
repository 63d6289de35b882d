import logging
from datetime import date, timedelta

from celery import chord, shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone

from .models import ServicingRun
from .reconciliation import reconcile, sandbox_settlement_path, settlement_file_write
from .servicing import distributed
from .servicing.batch import run_servicing


@shared_task(acks_late=True)
def run_servicing_today() -> dict:
    """The daily run (Celery beat): in this process by default; with ``SERVICING_CELERY`` a
    chord of batches over every worker (payments/servicing/distributed.py)."""
    if settings.SERVICING_CELERY:
        run = distributed.servicing_run_start(as_of=timezone.localdate())
        servicing_dispatch.delay(run.pk)
        return {"run": run.pk}
    report = run_servicing(as_of=timezone.localdate())
    return {"loans": report.loans, "autopay": report.autopay, "errors": report.errors}


@shared_task(acks_late=True)
def servicing_dispatch(run_id: int) -> str:
    """The next day of the run as a chord of its batches (days with nothing to do are recorded
    at once). Redelivered, it finds the day's batches already planned and dispatches only those
    not done."""
    run = ServicingRun.objects.get(pk=run_id)
    if run.status != ServicingRun.Status.RUNNING:
        return run.status
    for day in distributed.servicing_days(run=run):
        batches = distributed.servicing_day_plan(run=run, day=day,
                                                 batch_size=settings.SERVICING_BATCH_SIZE)
        pending = [b.pk for b in batches if b.done_at is None]
        if pending:
            chord(servicing_batch.si(pk) for pk in pending)(
                servicing_day_done.si(run_id, day.isoformat()))
            return f"{day}: {len(pending)} batches dispatched"
        distributed.servicing_day_finish(run_id=run_id, day=day)
    distributed.servicing_day_finish(run_id=run_id, day=run.as_of)
    return "done"


@shared_task(acks_late=True, ignore_result=False, autoretry_for=(OperationalError,),
             retry_backoff=2, max_retries=8)
def servicing_batch(batch_id: int) -> dict:
    return distributed.servicing_batch_run(batch_id=batch_id)


@shared_task(bind=True, acks_late=True, max_retries=120)
def servicing_day_done(self, run_id: int, day: str) -> str:
    """The chord's callback: the day is recorded done only when every batch of it is (a batch
    redelivered after it had already reported can make the chord fire early: then wait)."""
    if not distributed.servicing_day_finish(run_id=run_id, day=date.fromisoformat(day)):
        raise self.retry(countdown=5)
    servicing_dispatch.delay(run_id)
    return day


@shared_task(acks_late=True)
def reconcile_yesterday() -> dict:
    """The daily reconciliation (Celery beat, 01:15): the sandbox gateway writes yesterday's
    settlement file (a real gateway delivers its own into ``SETTLEMENT_FILES_DIR`` under the same
    name, and then that file is read), and it is matched against the ledger's bank account. The
    run and its breaks are in the admin; breaks are logged as errors (and so reach Sentry).
    Run again for the same day, it records a new run from the same file."""
    day = timezone.localdate() - timedelta(days=1)
    path = sandbox_settlement_path(day)
    if not path.exists():
        settlement_file_write(day, path)
    run = reconcile(day=day, path=path).run
    if run.break_count:
        logging.getLogger(__name__).error(
            "reconciliation %s: %s break(s) (run #%s)", day, run.break_count, run.pk)
    return {"day": day.isoformat(), "run": run.pk, "breaks": run.break_count}
