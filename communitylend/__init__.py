"""The project: its wiring (settings, urls, the Celery app) over the shared kernel
(``communitylend.core``). Nothing is imported here, so that the kernel can be imported without
Django or Celery (the risk engine is used that way); the Celery app is loaded by
``ProjectConfig.ready`` in a Django process and by ``celery -A communitylend`` (which finds
``communitylend.celery``) in a worker."""
