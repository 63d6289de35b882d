from django.urls import path

from . import views

urlpatterns = [
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/export/notes.csv", views.export_notes, name="portfolio_export_notes"),
    path("portfolio/export/payments.csv", views.export_payments,
         name="portfolio_export_payments"),
]
