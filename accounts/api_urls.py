from django.urls import path

from . import apis

urlpatterns = [
    path("auth/register", apis.RegisterApi.as_view(), name="api-register"),
    path("auth/login", apis.LoginApi.as_view(), name="api-login"),
    path("auth/logout", apis.LogoutApi.as_view(), name="api-logout"),
    path("auth/password", apis.PasswordChangeApi.as_view(), name="api-password"),
    path("users/profile", apis.ProfileApi.as_view(), name="api-profile"),
    path("users/<int:user_id>/verification", apis.VerificationApi.as_view(),
         name="api-verification"),
    path("users/documents", apis.KycDocumentListApi.as_view(), name="api-documents"),
    path("users/documents/<uuid:document_id>", apis.KycDocumentDetailApi.as_view(),
         name="api-document"),
    path("users/documents/<uuid:document_id>/download", apis.KycDocumentDownloadApi.as_view(),
         name="api-document-download"),
    path("notifications", apis.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read", apis.NotificationReadAllApi.as_view(),
         name="api-notifications-read"),
    path("notifications/<int:notification_id>/read", apis.NotificationReadApi.as_view(),
         name="api-notification-read"),
]
