from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project's wiring as an app: it loads the Celery app so that every Django process
    (web, commands, tests) queues tasks on it."""

    name = "communitylend"
    label = "communitylend"

    def ready(self):
        from . import celery  # noqa: F401 - creating the app makes it the current one
