from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark suite (``manage.py bench``); no app imports this package."""

    name = "communitylend.bench"
    label = "bench"
