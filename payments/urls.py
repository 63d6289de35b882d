from django.urls import path

from . import views

urlpatterns = [
    path("wallet/", views.wallet, name="wallet"),
    path("wallet/deposit/", views.deposit, name="wallet_deposit"),
    path("wallet/withdraw/", views.withdraw, name="wallet_withdraw"),
]
