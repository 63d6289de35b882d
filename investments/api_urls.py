from django.urls import path

from . import apis

urlpatterns = [
    path("investments/portfolio", apis.PortfolioApi.as_view(), name="api-portfolio"),
    path("investments/payments", apis.PaymentsReceivedApi.as_view(), name="api-payments-received"),
]
