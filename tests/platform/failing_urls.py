"""A URL whose view fails, for the Sentry test (tests/platform/test_observability.py)."""

from django.urls import path


def boom(request):
    raise RuntimeError("the failing view failed")


urlpatterns = [path("boom/", boom)]
