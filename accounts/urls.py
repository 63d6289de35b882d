from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("profile/documents/", views.documents, name="documents"),
    path("documents/<uuid:document_id>/", views.document_download, name="document_download"),
    path("documents/<uuid:document_id>/delete/", views.document_delete, name="document_delete"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", views.notifications_read,
         name="notification_read"),
    path("borrower/", views.borrower_dashboard, name="borrower_dashboard"),
    path("lender/", views.lender_dashboard, name="lender_dashboard"),
]
