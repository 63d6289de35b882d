from django.urls import path

from . import servicing_apis

urlpatterns = [
    path("payments/schedule", servicing_apis.PaymentScheduleApi.as_view(),
         name="api-payment-schedule"),
    path("payments/history/<int:loan_id>", servicing_apis.PaymentHistoryApi.as_view(),
         name="api-payment-history"),
    path("payments/payoff/<int:loan_id>", servicing_apis.PayoffApi.as_view(),
         name="api-payoff"),
]
