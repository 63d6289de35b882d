from django.db.models import QuerySet

from .models import KycDocument, Notification, User


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def kyc_documents_for(*, user: User) -> QuerySet[KycDocument]:
    return KycDocument.objects.filter(owner=user)


def kyc_document_visible_to(*, user: User, document_id) -> KycDocument | None:
    """The document if ``user`` is its owner or staff, else None (callers answer 404)."""
    qs = KycDocument.objects.select_related("owner")
    if not user.is_staff:
        qs = qs.filter(owner=user)
    return qs.filter(pk=document_id).first()
