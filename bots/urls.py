from django.urls import path

from . import views

urlpatterns = [
    path("auto-invest/", views.auto_invest, name="auto_invest"),
    path("auto-invest/<int:rule_id>/edit/", views.auto_invest_edit, name="auto_invest_edit"),
    path("auto-invest/<int:rule_id>/delete/", views.auto_invest_delete, name="auto_invest_delete"),
]
