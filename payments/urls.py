from django.urls import path

from . import servicing_views, views

urlpatterns = [
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/deposit/", views.deposit, name="wallet_deposit"),
    path("wallet/withdraw/", views.withdraw, name="wallet_withdraw"),
    path("loans/<int:loan_id>/schedule/", servicing_views.loan_schedule, name="loan_schedule"),
    path("loans/<int:loan_id>/pay/", servicing_views.loan_pay, name="loan_pay"),
]
