from django.urls import path

from . import apis, views

urlpatterns = [
    path("api/payments/schedule", apis.PaymentScheduleApi.as_view(),
         name="api-payment-schedule"),
    path("api/payments/history/<int:loan_id>", apis.PaymentHistoryApi.as_view(),
         name="api-payment-history"),
    path("api/payments/payoff/<int:loan_id>", apis.PayoffApi.as_view(),
         name="api-payoff"),
    path("api/loans/<int:loan_id>/hardship", apis.HardshipApi.as_view(), name="api-hardship"),
    path("api/loans/<int:loan_id>/recoveries", apis.RecoveryApi.as_view(),
         name="api-recoveries"),
    path("api/statements", apis.StatementsApi.as_view(), name="api-statements"),
    path("loans/<int:loan_id>/hardship/", views.loan_hardship, name="loan_hardship"),
    path("statements/", views.statements, name="statements"),
    path("loans/<int:loan_id>/schedule/", views.loan_schedule, name="loan_schedule"),
    path("loans/<int:loan_id>/pay/", views.loan_pay, name="loan_pay"),
]
