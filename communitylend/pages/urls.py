from django.urls import path

from . import views

urlpatterns = [
    path("how-it-works/", views.static_page, {"name": "how_it_works"}, name="page_how_it_works"),
    path("fees/", views.static_page, {"name": "fees"}, name="page_fees"),
    path("risk/", views.static_page, {"name": "risk"}, name="page_risk"),
    path("terms/", views.static_page, {"name": "terms"}, name="page_terms"),
    path("privacy/", views.static_page, {"name": "privacy"}, name="page_privacy"),
    path("faq/", views.static_page, {"name": "faq"}, name="page_faq"),
    path("performance/", views.performance, name="page_performance"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]
