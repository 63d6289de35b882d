from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    """Staff features that read every app (the platform dashboard, CSV exports); no app imports
    this package."""

    name = "communitylend.backoffice"
    label = "backoffice"
