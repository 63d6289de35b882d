"""The servicing run spread over every Celery worker (DESIGN.md, "Architecture": scaling out).

``run_servicing`` (batch.py) runs each day's batches in one process. Here the same batches of the
same day become a Celery chord: one task per batch (``payments.tasks.servicing_batch``), on any
worker, and a callback (``payments.tasks.servicing_day_done``) that records the day as done only
when every batch of it is, then dispatches the next day of a catch-up (days stay in date order:
a day's chord starts only after the previous day is done). The batches are the ones
``run_servicing_day`` cuts (each borrower's loans in one batch, in primary-key order) and each
runs ``_service_batch``, the in-process path's own function, so the result is the same to the
cent. A worker lost mid-batch leaves its message unacknowledged; the broker redelivers it and
the batch, being idempotent (loans serviced through the day are skipped, autopay keys are
unique), completes once.

In-process stays the default (``SERVICING_CELERY`` off): on the embedded SQLite setup there is
one database writer anyway. With PostgreSQL and Redis, ``SERVICING_CELERY=1`` makes the daily
task dispatch the chord instead.
"""

import logging
from dataclasses import asdict
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from payments.models import ServicingBatch, ServicingRun

from .batch import BATCH_SIZE, _borrower_batches, _days_behind, _loans_with_work, _service_batch
from .services import DayReport

logger = logging.getLogger(__name__)


def servicing_run_start(*, as_of: date) -> ServicingRun:
    """A run up to ``as_of``; its first day is the earliest one a loan with work is behind on."""
    return ServicingRun.objects.create(as_of=as_of)


def servicing_days(*, run: ServicingRun) -> list[date]:
    """The days still to run, in order (from the earliest a loan with work is behind on)."""
    done = {date.fromisoformat(d) for d in run.days_done}
    days = _days_behind(run.as_of, _loans_with_work(run.as_of))
    return [d for d in days if d not in done]


def servicing_day_plan(*, run: ServicingRun, day: date,
                       batch_size: int = BATCH_SIZE) -> list[ServicingBatch]:
    """The day's batches (written once: a redelivered dispatch finds them)."""
    existing = list(ServicingBatch.objects.filter(run=run, day=day).order_by("index"))
    if existing:
        return existing
    batches = _borrower_batches(_loans_with_work(day), batch_size)
    ServicingBatch.objects.bulk_create(
        [ServicingBatch(run=run, day=day, index=i, loan_ids=ids) for i, ids in enumerate(batches)],
        ignore_conflicts=True)
    return list(ServicingBatch.objects.filter(run=run, day=day).order_by("index"))


def servicing_batch_run(*, batch_id: int) -> dict:
    """One batch (on any worker): the in-process path's ``_service_batch``, then the batch
    marked done. A batch already done (a redelivered message) does nothing."""
    batch = ServicingBatch.objects.get(pk=batch_id)
    if batch.done_at is not None:
        return batch.report or {}
    report = _service_batch(list(batch.loan_ids), batch.day)
    data = _report_dict(report)
    ServicingBatch.objects.filter(pk=batch_id, done_at__isnull=True).update(
        done_at=timezone.now(), report=data)
    return data


def servicing_day_finish(*, run_id: int, day: date) -> bool:
    """Record ``day`` done if every batch of it is; False (nothing recorded) otherwise."""
    with transaction.atomic():
        run = ServicingRun.objects.select_for_update().get(pk=run_id)
        if day.isoformat() in run.days_done:
            return True
        batches = list(ServicingBatch.objects.filter(run=run, day=day))
        if any(b.done_at is None for b in batches):
            return False
        total = DayReport(**{k: v for k, v in run.report.items() if k != "transitions"},
                          transitions=dict(run.report.get("transitions", {})))
        for batch in batches:
            total.add(_report_from_dict(batch.report or {}))
        total.days += 1
        run.report = _report_dict(total)
        run.days_done = [*run.days_done, day.isoformat()]
        if day >= run.as_of:
            run.status, run.finished_at = ServicingRun.Status.DONE, timezone.now()
        run.save(update_fields=["report", "days_done", "status", "finished_at"])
    return True


def servicing_run_fail(*, run_id: int, error: str) -> None:
    ServicingRun.objects.filter(pk=run_id, status=ServicingRun.Status.RUNNING).update(
        status=ServicingRun.Status.FAILED, error=error[:300], finished_at=timezone.now())


def _report_dict(report: DayReport) -> dict:
    return asdict(report)


def _report_from_dict(data: dict) -> DayReport:
    report = DayReport()
    for name, value in data.items():
        setattr(report, name, dict(value) if name == "transitions" else value)
    return report


def next_day(day: date) -> date:
    return day + timedelta(days=1)
