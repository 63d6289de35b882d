"""The project's URLs plus the floors; the bench sets ROOT_URLCONF to this module while it runs
(the floors are never routed in the site itself)."""

from django.urls import path

from communitylend.urls import handler404, handler500  # noqa: F401
from communitylend.urls import urlpatterns as project_urlpatterns

from . import floors

urlpatterns = [
    path("bench-floor/api/loans", floors.LoansFloorApi.as_view()),
    path("bench-floor/api/loan", floors.LoanDetailFloorApi.as_view()),
    path("bench-floor/marketplace/", floors.marketplace_floor),
    path("bench-floor/api/market/listings", floors.MarketListingsFloorApi.as_view()),
    *project_urlpatterns,
]
