"""The Celery app. Broker: Redis when REDIS_URL is set, else kombu's filesystem transport."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communitylend.settings")

app = Celery("communitylend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every task logs the id of the request that queued it (a message header set at publish).
from communitylend import observability  # noqa: E402,F401 - connects the Celery signals
