from celery import shared_task
from django.utils import timezone

from .servicing.batch import run_servicing


@shared_task(acks_late=True)
def run_servicing_today() -> dict:
    report = run_servicing(as_of=timezone.localdate())
    return {"loans": report.loans, "autopay": report.autopay, "errors": report.errors}
