from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def close_listings() -> dict:
    return services.listings_close_due(now=timezone.now())
