from celery import shared_task
from django.utils import timezone

from .servicing import run_servicing


@shared_task(acks_late=True)
def run_servicing_today() -> dict:
    report = run_servicing(as_of=timezone.localdate())
    return {"loans": report.loans, "autopay": report.autopay, "errors": report.errors}


@shared_task(acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """The emails of many notices (queued in chunks by batch servicing); each is sent at most
    once (``notification_send_email`` claims it first)."""
    from accounts.services import notification_send_email

    return sum(1 for pk in notification_ids if notification_send_email(notification_id=pk))
