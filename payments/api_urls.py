from django.urls import path

from . import apis

urlpatterns = [
    path("wallet", apis.WalletApi.as_view(), name="api-wallet"),
    path("wallet/deposit", apis.DepositApi.as_view(), name="api-wallet-deposit"),
    path("wallet/withdraw", apis.WithdrawApi.as_view(), name="api-wallet-withdraw"),
    path("wallet/transactions", apis.WalletTransactionsApi.as_view(),
         name="api-wallet-transactions"),
    path("payments/webhooks/<str:gateway>", apis.WebhookApi.as_view(), name="api-webhook"),
]
