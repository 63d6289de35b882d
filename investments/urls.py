from django.urls import path

from . import views
from .market import views as market

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/export/notes.csv", views.export_notes, name="portfolio_export_notes"),
    path("portfolio/export/payments.csv", views.export_payments,
         name="portfolio_export_payments"),
    path("portfolio/notes/<int:note_id>/sell/", market.note_sell, name="note_sell"),
    path("market/", market.market_browse, name="market"),
    path("market/listings/<int:listing_id>/buy/", market.market_buy, name="market_buy"),
    path("market/listings/<int:listing_id>/price/", market.listing_price,
         name="market_listing_price"),
    path("market/listings/<int:listing_id>/cancel/", market.listing_cancel,
         name="market_listing_cancel"),
    path("market/orders/", market.market_orders, name="market_orders"),
    path("market/orders/<int:order_id>/toggle/", market.market_order_toggle,
         name="market_order_toggle"),
    path("market/orders/<int:order_id>/delete/", market.market_order_delete,
         name="market_order_delete"),
]
