"""Included at "admin/bots/" before the admin's own URLs: only the empty remainder is ours, so
/admin/bots/botlender/ and the other model lists still reach the admin."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.bot_dashboard, name="bot_dashboard"),
]
