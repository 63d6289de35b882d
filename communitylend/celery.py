"""The Celery app. Broker: Redis when REDIS_URL is set, else kombu's filesystem transport."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communitylend.settings")

app = Celery("communitylend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
