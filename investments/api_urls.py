from django.urls import path

from . import apis
from .market import apis as market

urlpatterns = [
    path("investments/portfolio", apis.PortfolioApi.as_view(), name="api-portfolio"),
    path("market/listings", market.ListingsApi.as_view(), name="api-market-listings"),
    path("market/listings/<int:listing_id>", market.ListingDetailApi.as_view(),
         name="api-market-listing"),
    path("market/listings/<int:listing_id>/buy", market.ListingBuyApi.as_view(),
         name="api-market-buy"),
    path("market/trades", market.TradesApi.as_view(), name="api-market-trades"),
    path("market/orders", market.OrdersApi.as_view(), name="api-market-orders"),
    path("market/orders/<int:order_id>", market.OrderDetailApi.as_view(),
         name="api-market-order"),
    path("investments/payments", apis.PaymentsReceivedApi.as_view(), name="api-payments-received"),
]
