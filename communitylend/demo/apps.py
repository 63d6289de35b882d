from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (``manage.py seed_demo``); no app imports this package."""

    name = "communitylend.demo"
    label = "demo"
