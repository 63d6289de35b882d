from django.urls import path

from . import apis, integration_apis

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
    path("keys", integration_apis.ApiKeyListApi.as_view(), name="api-keys"),
    path("keys/<int:key_id>", integration_apis.ApiKeyDetailApi.as_view(), name="api-key"),
    path("webhooks", integration_apis.WebhookListApi.as_view(), name="api-webhook-endpoints"),
    path("webhooks/<int:webhook_id>", integration_apis.WebhookDetailApi.as_view(),
         name="api-webhook-endpoint"),
    path("webhooks/<int:webhook_id>/deliveries", integration_apis.WebhookDeliveryListApi.as_view(),
         name="api-webhook-deliveries"),
]
