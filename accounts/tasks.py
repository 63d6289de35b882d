from celery import shared_task

from . import integrations, services
from .imports import send_invitation
from .models import User


@shared_task(acks_late=True)
def send_notification_email(notification_id: int) -> bool:
    return services.notification_send_email(notification_id=notification_id)


@shared_task(acks_late=True)
def send_notification_emails(notification_ids: list[int]) -> int:
    """The emails of many notices (queued in chunks by a batch); each is sent at most once
    (``notification_send_email`` claims it first)."""
    return sum(1 for pk in notification_ids
               if services.notification_send_email(notification_id=pk))


@shared_task(acks_late=True)
def deliver_outbound_email(email_id: int) -> bool:
    return services.outbound_email_deliver(email_id=email_id)


@shared_task
def notifications_flush() -> int:
    """Outbox sweep: send emails whose queueing failed (broker down), whose delivery failed
    (mail server down) or whose worker died."""
    ids = services.notifications_requeue_stale()
    for notification_id in ids:
        services.notification_send_email(notification_id=notification_id)
    emails = services.outbound_emails_requeue_stale()
    for email_id in emails:
        services.outbound_email_deliver(email_id=email_id)
    # Webhook deliveries due (first attempts whose queueing failed, retries after backoff): one
    # task each, so a slow endpoint holds up no other.
    webhooks = integrations.webhooks_due()
    for delivery_id in webhooks:
        deliver_webhook.delay(delivery_id)
    return len(ids) + len(emails) + len(webhooks)


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> bool:
    return integrations.webhook_deliver(delivery_id=delivery_id)


@shared_task(acks_late=True)
def send_invitations(user_ids: list[int]) -> int:

    sent = 0
    for user in User.objects.filter(pk__in=user_ids, password__startswith="!"):
        send_invitation(user)
        sent += 1
    return sent
