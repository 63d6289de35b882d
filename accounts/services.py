"""Every write to accounts goes through these services (STYLE.md rule 2)."""

import hashlib
import json
import logging
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import filetype
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection, send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from rest_framework.authtoken.models import Token

from communitylend.core import context as request_context
from communitylend.core.bulk import AnyOf, insert_rows, reserve_ids
from communitylend.core.encryption import encrypted_fields
from communitylend.core.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from communitylend.core.http import site_url

from .documents import DocumentRefused, check_document
from .flags import flag_enabled, flag_name, flags_forget_cached
from .integrations import api_keys_revoke_all
from .models import (
    CREDIT_DATA_FIELDS,
    AuditEvent,
    DocumentStatus,
    FeatureFlag,
    FeatureFlagOverride,
    KycDocument,
    KycDocumentType,
    Notification,
    OutboundEmail,
    TokenCredential,
    User,
    VerificationStatus,
)

logger = logging.getLogger(__name__)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit row before it is written: who (a user id or None for the platform), what, on
    which object, the old and new values (JSON-ready), and where from: the IP address, user
    agent and id of the request during which it was written (empty outside a request)."""

    actor_id: int | None
    event: str
    target_type: str
    target_id: str
    old: dict | None = None
    new: dict | None = None
    ip_address: str | None = None
    user_agent: str = ""
    request_id: str = ""


def audit_entry(*, actor: User | int | None, event: str, target, old: dict | None = None,
                new: dict | None = None, target_type: str | None = None) -> AuditEntry:
    """The audit row of a change to ``target`` (a model instance, or an id with ``target_type``
    where a batch holds plain rows)."""
    if isinstance(actor, User):
        actor = actor.pk
    if target_type is None:
        target_type = target._meta.label_lower if hasattr(target, "_meta") else str(type(target))
    # Set by RequestContextMiddleware for the request being served (a task queued by it keeps
    # only the request id: the address is the request's, not the worker's).
    where = request_context.current()
    return AuditEntry(
        actor_id=actor, event=event, target_type=target_type,
        target_id=str(getattr(target, "pk", target)),
        old={k: _jsonable(v) for k, v in old.items()} if old else None,
        new={k: _jsonable(v) for k, v in new.items()} if new else None,
        ip_address=where.client_ip, user_agent=where.user_agent, request_id=where.request_id,
    )


def audit_record(*, actor: User | None, event: str, target, old: dict | None = None,
                 new: dict | None = None, target_type: str | None = None) -> AuditEvent:
    """Append one audit row; call inside the transaction that makes the change."""
    entry = audit_entry(actor=actor, event=event, target=target, old=old, new=new,
                        target_type=target_type)
    return AuditEvent.objects.create(actor_id=entry.actor_id, event=entry.event,
                                     target_type=entry.target_type, target_id=entry.target_id,
                                     old=entry.old, new=entry.new, ip_address=entry.ip_address,
                                     user_agent=entry.user_agent, request_id=entry.request_id)


def audit_record_many(entries: Iterable[AuditEntry], *, now=None) -> None:
    """The audit rows of a batch (servicing, the bot cycle) in one bulk insert; the same rows
    ``audit_record`` writes one at a time."""
    now = now or timezone.now()
    insert_rows(AuditEvent, ["actor", "event", "target_type", "target_id", "old", "new",
                             "created_at", "ip_address", "user_agent", "request_id"],
                ((e.actor_id, e.event, e.target_type, e.target_id,
                  None if e.old is None else json.dumps(e.old),
                  None if e.new is None else json.dumps(e.new), now,
                  e.ip_address, e.user_agent, e.request_id) for e in entries))


# --- Notifications ------------------------------------------------------------------------------


def _enqueue_notification_email(notification_id: int) -> None:
    """Queue the email task; if the broker is down the row stays pending and the periodic sweep
    (``notifications_flush``) sends it later, so nothing is lost."""
    from .tasks import send_notification_email  # tasks import this module

    try:
        send_notification_email.delay(notification_id)
    except Exception:  # noqa: BLE001 - any broker failure: the outbox sweep retries
        logger.warning("Could not queue email for notification %s; the sweep will retry",
                       notification_id, exc_info=True)


def notification_create(*, user_id: int, kind: str, title: str, body: str = "", url: str = "",
                        dedupe_key: str | None = None, email: bool = True) -> Notification | None:
    """Create an in-app notification and, after commit, queue its email.

    ``dedupe_key`` makes the call idempotent (a repeated key creates nothing). With
    ENABLE_EMAIL_NOTIFICATIONS off the notice is in-app only.
    """
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    email = email and _notification_emails_on()
    status = Notification.EmailStatus.PENDING if email else Notification.EmailStatus.SKIPPED
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user_id=user_id, kind=kind, title=title[:200], body=body, url=url,
                dedupe_key=dedupe_key, email_status=status,
            )
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    if email:
        transaction.on_commit(lambda: _enqueue_notification_email(notification.pk))
    return notification


@dataclass(frozen=True, slots=True)
class NotificationDraft:
    """A notice a batch will write: what ``notification_create`` takes, as a row."""

    user_id: int
    kind: str
    title: str
    body: str = ""
    url: str = ""
    dedupe_key: str | None = None


EMAIL_CHUNK = 500


def notification_create_many(drafts: list[NotificationDraft], *, email: bool = True,
                             now=None) -> list[int]:
    """The notices of a batch, each as ``notification_create`` would write it: a dedupe key
    already used (or repeated in ``drafts``) creates nothing. With ``email`` their emails are
    queued after commit in chunks (one task per chunk, not per notice); if the broker is down
    they stay pending and the outbox sweep sends them. Returns the new notices' ids (none
    without ``email``: in-app notices need no ids, and one INSERT that skips used keys is all
    they cost). With ENABLE_EMAIL_NOTIFICATIONS off they are in-app only."""
    if not email or not _notification_emails_on():
        Notification.objects.bulk_create([
            Notification(user_id=d.user_id, kind=d.kind, title=d.title[:200], body=d.body,
                         url=d.url, dedupe_key=d.dedupe_key,
                         email_status=Notification.EmailStatus.SKIPPED)
            for d in drafts], batch_size=1000, ignore_conflicts=True)
        return []
    keys = [d.dedupe_key for d in drafts if d.dedupe_key]
    used = set(Notification.objects.filter(AnyOf(F("dedupe_key"), keys))
               .values_list("dedupe_key", flat=True)) if keys else set()
    fresh = []
    for draft in drafts:
        if draft.dedupe_key:
            if draft.dedupe_key in used:
                continue
            used.add(draft.dedupe_key)
        fresh.append(draft)
    if not fresh:
        return []
    status = Notification.EmailStatus.PENDING if email else Notification.EmailStatus.SKIPPED
    ids = reserve_ids(Notification, len(fresh))
    insert_rows(Notification, ["id", "user", "kind", "title", "body", "url", "created_at",
                               "read_at", "email_status", "email_attempts", "email_claimed_at",
                               "emailed_at", "dedupe_key"],
                ((pk, d.user_id, d.kind, d.title[:200], d.body, d.url, now or timezone.now(),
                  None, status, 0, None, None, d.dedupe_key)
                 for pk, d in zip(ids, fresh, strict=True)))
    if email:
        transaction.on_commit(lambda: _enqueue_notification_emails(ids))
    return ids


def _enqueue_notification_emails(notification_ids: list[int]) -> None:
    from .tasks import send_notification_emails  # tasks import this module

    for start in range(0, len(notification_ids), EMAIL_CHUNK):
        try:
            send_notification_emails.delay(notification_ids[start:start + EMAIL_CHUNK])
        except Exception:  # noqa: BLE001 - the outbox sweep retries
            logger.warning("Could not queue notification emails; the sweep will send them",
                           exc_info=True)
            return


def _notification_emails_on() -> bool:
    return flag_enabled(FeatureFlag.EMAIL_NOTIFICATIONS)


def notification_send_email(*, notification_id: int) -> bool:
    """Send one notification's email at most once: claim it with a compare-and-swap, send, mark.
    An email still pending when ENABLE_EMAIL_NOTIFICATIONS is turned off is skipped, not sent.

    Returns True if this call sent it.
    """
    if not _notification_emails_on():
        Notification.objects.filter(
            pk=notification_id, email_status=Notification.EmailStatus.PENDING
        ).update(email_status=Notification.EmailStatus.SKIPPED)
        return False
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, email_status=Notification.EmailStatus.PENDING
    ).update(
        email_status=Notification.EmailStatus.SENDING, email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
    )
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    body = notification.body
    if notification.url:
        body = f"{body}\n\n{site_url()}{notification.url}"
    try:
        send_mail(
            subject=f"[CommunityLend] {notification.title}",
            message=body or notification.title,
            from_email=None,
            recipient_list=[notification.user.email],
            connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(
            email_status=Notification.EmailStatus.PENDING
            if notification.email_attempts < 5
            else Notification.EmailStatus.FAILED
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        email_status=Notification.EmailStatus.SENT, emailed_at=timezone.now()
    )
    return True


def notifications_requeue_stale(*, older_than=None) -> list[int]:
    """Ids of emails still pending (queueing failed) or stuck in 'sending' (a worker died);
    puts stuck ones back to pending so they can be sent."""
    cutoff = timezone.now() - (older_than or settings.NOTIFICATION_RETRY_AFTER)
    Notification.objects.filter(
        email_status=Notification.EmailStatus.SENDING, email_claimed_at__lt=cutoff
    ).update(email_status=Notification.EmailStatus.PENDING)
    return list(
        Notification.objects.filter(
            email_status=Notification.EmailStatus.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)[:500]
    )


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, every) unread notification of ``user`` read."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        if not Notification.objects.filter(user=user, pk=notification_id).exists():
            raise NotFound("Notification not found")
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


# --- Registration and profile -------------------------------------------------------------------


def user_register(*, email: str, password: str, first_name: str = "", last_name: str = "",
                  phone: str = "", date_of_birth: date | None = None,
                  request=None) -> User | None:
    """Create an account (API sign-up); the verification email goes out after commit.

    An email that already has an account gets the same answer (None instead of the new user,
    which callers do not show): the owner is told by email instead, so the answer never says
    whether an address is registered (issue 18, finding 11)."""

    email = User.objects.normalize_email(email).strip().lower()
    candidate = User(email=email, first_name=first_name, last_name=last_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc
    _check_age(date_of_birth)
    existing = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email, password=password, first_name=first_name,
                    last_name=last_name, phone=phone, date_of_birth=date_of_birth,
                )
                address = EmailAddress.objects.create(user=user, email=email, primary=True,
                                                      verified=False)
                audit_record(actor=user, event="user.registered", target=user,
                             new={"email": email})
                if request is not None:
                    transaction.on_commit(
                        lambda: address.send_confirmation(request, signup=True))
            return user
        except IntegrityError:  # registered by a concurrent request a moment ago
            existing = User.objects.filter(email__iexact=email).values_list(
                "pk", flat=True).first()
    make_password(password)  # the work a new account costs, so the answer takes as long
    notification_create(
        user_id=existing, kind="registration_attempt",
        title="Someone tried to register with your email address",
        body="Somebody (perhaps you) tried to create a CommunityLend account with this email "
             "address, which already has one. If it was you, log in, or reset your password "
             "if you have forgotten it. If not, you can ignore this message.",
        url="/accounts/password/reset/",
        # at most one such email a day: the form must not become a way to flood an inbox
        dedupe_key=f"registration-attempt:{existing}:{timezone.localdate().isoformat()}")
    return None


def _check_age(date_of_birth: date | None) -> None:
    if date_of_birth is None:
        return
    today = timezone.localdate()
    age = today.year - date_of_birth.year - (
        (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    )
    if age < 18:
        raise ApplicationError("You must be 18 or older", field="date_of_birth")
    if age > 120:
        raise ApplicationError("Date of birth is not plausible", field="date_of_birth")


PROFILE_FIELDS = (
    "first_name", "last_name", "phone", "date_of_birth", "street", "city", "state", "zip_code",
    "annual_income", "employment_status", "employment_length", "monthly_debt", "credit_score",
    "home_ownership", "earliest_credit_line", "open_credit_lines", "total_credit_lines",
    "revolving_balance", "revolving_utilization", "inquiries_6m", "delinquencies_2y",
    "months_since_last_delinquency", "public_records", "public_record_bankruptcies",
    "is_borrower", "is_lender",
)


# Encrypted at rest, so never copied in clear into an audit row: the row says it changed.
ENCRYPTED_PROFILE_FIELDS = frozenset(f.name for f in encrypted_fields(User))


def _audit_safe(values: dict) -> dict:
    return {name: "(encrypted)" if name in ENCRYPTED_PROFILE_FIELDS and value not in (None, "")
            else value for name, value in values.items()}


@transaction.atomic
def profile_update(*, user: User, acting_user: User, data: dict) -> User:
    """Change profile fields. Changing credit data after verification sets it back to pending."""
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown profile field: {sorted(unknown)[0]}",
                               field=sorted(unknown)[0])
    if "date_of_birth" in data:
        _check_age(data["date_of_birth"])
    user = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    old = {name: getattr(user, name) for name in data}
    changed = {name: value for name, value in data.items() if old[name] != value}
    if not changed:
        return user
    for name, value in changed.items():
        setattr(user, name, value)
    if user.home_ownership:
        user.home_ownership = user.home_ownership.upper()
    try:
        user.full_clean(exclude=["password", "email", "verified_by"], validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(messages[0], field=field) from exc
    extra_changes = {}
    if (
        user.verification_status == VerificationStatus.VERIFIED
        and set(changed) & set(CREDIT_DATA_FIELDS)
    ):
        user.verification_status = VerificationStatus.PENDING
        user.verification_note = "Credit data changed after verification; re-verification needed."
        extra_changes["verification_status"] = VerificationStatus.PENDING
    user.profile_completed = not user.missing_profile_fields()
    user.save()
    audit_record(
        actor=acting_user, event="profile.updated", target=user,
        old=_audit_safe({k: old[k] for k in changed}) | (
            {"verification_status": VerificationStatus.VERIFIED} if extra_changes else {}
        ),
        new=_audit_safe(changed) | extra_changes,
    )
    return user


def user_privileges_set(*, acting_user: User, user_id: int, is_staff: bool | None = None,
                        is_superuser: bool | None = None) -> User:
    """Grant or withdraw staff or superuser status: a superuser's decision, never one's own
    promotion (a superuser may step down)."""
    if not acting_user.is_superuser:
        raise PermissionDenied("Only a superuser grants or changes staff and superuser status")
    with transaction.atomic():  # not durable: the admin's change view runs in a transaction
        user = User.objects.select_for_update(no_key=True).get(pk=user_id)
        old = {"is_staff": user.is_staff, "is_superuser": user.is_superuser}
        new = {"is_staff": old["is_staff"] if is_staff is None else is_staff,
               "is_superuser": old["is_superuser"] if is_superuser is None else is_superuser}
        if new == old:
            return user
        raises = any(new[flag] and not old[flag] for flag in new)
        if raises and user.pk == acting_user.pk:
            raise PermissionDenied("Nobody may raise their own privileges")
        User.objects.filter(pk=user.pk).update(**new)
        audit_record(actor=acting_user, event="user.privileges_changed", target=user, old=old,
                     new=new)
        user.is_staff, user.is_superuser = new["is_staff"], new["is_superuser"]
    return user


def _may_decide_kyc(acting_user: User) -> None:
    # Support staff see users but may not change them (accounts/migrations/0003_staff_groups).
    if not (acting_user.is_staff and acting_user.has_perm("accounts.change_user")):
        raise PermissionDenied("Only staff who may change users can verify them")


def _verification_apply(*, user: User, acting_user: User, status: str, note: str,
                        event: str = "kyc.decided") -> bool:
    """Set the (locked) ``user``'s verification status with its audit row; True if it changed.
    The caller notifies."""
    if user.verification_status == status and user.verification_note == note:
        return False
    old = {"verification_status": user.verification_status,
           "verification_note": user.verification_note}
    user.verification_status = status
    user.verification_note = note
    user.verified_at = timezone.now()
    user.verified_by = acting_user
    user.save(update_fields=["verification_status", "verification_note", "verified_at",
                             "verified_by"])
    audit_record(actor=acting_user, event=event, target=user, old=old,
                 new={"verification_status": status, "verification_note": note})
    return True


_PROFILE_DECISION_TEXT = {
    VerificationStatus.VERIFIED: ("Your identity is verified",
                                  "Staff verified your profile. You can now accept loan funding."),
    VerificationStatus.REJECTED: ("Your verification was rejected",
                                  "Staff could not verify your profile."),
    VerificationStatus.PENDING: ("Your verification is under review again",
                                 "Your profile is back under review."),
}


def user_verification_set(*, acting_user: User, user_id: int, status: str, note: str = "") -> User:
    """Staff decision on a user's KYC: verified or rejected, with a note; the user is notified."""
    _may_decide_kyc(acting_user)
    if status not in (VerificationStatus.VERIFIED, VerificationStatus.REJECTED):
        raise ApplicationError("status must be 'verified' or 'rejected'", field="status")
    if status == VerificationStatus.REJECTED and not note.strip():
        raise ApplicationError("A note is required when rejecting", field="note")
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update(no_key=True).get(pk=user_id)
        if not _verification_apply(user=user, acting_user=acting_user, status=status,
                                   note=note):
            return user
        title, body = _PROFILE_DECISION_TEXT[status]
        if note:
            body += f"\n\nNote from staff: {note}"
        notification_create(user_id=user.pk, kind="kyc_decision", title=title, body=body,
                            url="/profile/")
    return user


# --- KYC documents ------------------------------------------------------------------------------

ALLOWED_KYC_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx"}
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KYC_CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _sniff_extension(head: bytes, fileobj) -> str | None:
    """The document type the bytes really are (not what the name says)."""
    if head.startswith(_OLE2_SIGNATURE):
        return ".doc"
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.extension == "docx" or (kind.extension == "zip"):
        try:
            fileobj.seek(0)
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        return ".docx" if "word/document.xml" in names else None
    return {"pdf": ".pdf", "jpg": ".jpg", "png": ".png"}.get(kind.extension)


def kyc_document_validate(uploaded_file) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload, or ApplicationError saying why not."""
    name = uploaded_file.name or ""
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_KYC_EXTENSIONS:
        raise ApplicationError(
            "File type not allowed: upload a PDF, JPG, PNG, DOC or DOCX file", field="file"
        )
    limit = settings.KYC_MAX_UPLOAD_BYTES
    if uploaded_file.size > limit:
        raise ApplicationError(
            f"File too large: {uploaded_file.size / 1048576:.1f} MB; the limit is "
            f"{limit // 1048576} MB",
            field="file",
        )
    if uploaded_file.size == 0:
        raise ApplicationError("The file is empty", field="file")
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    actual = _sniff_extension(head, uploaded_file)
    uploaded_file.seek(0)
    normalized = ".jpg" if extension == ".jpeg" else extension
    if actual != normalized:
        raise ApplicationError(
            f"The file's content does not match its type ({extension}): upload a real "
            f"{extension.lstrip('.').upper()} file",
            field="file",
        )
    try:
        check_document(normalized, uploaded_file)
    except DocumentRefused as exc:
        raise ApplicationError(f"The file cannot be accepted: {exc}", field="file") from exc
    return normalized, KYC_CONTENT_TYPES[extension]


def kyc_document_upload(*, user: User, uploaded_file, document_type: str,
                        then: Callable[[KycDocument], None] | None = None) -> KycDocument:
    """Store a checked upload (encrypted on disk) for ``user``. ``then`` runs inside the same
    transaction with the new document (the loans app attaches it to an application there): if
    it refuses, nothing is kept, the file included."""
    if document_type not in KycDocumentType.values:
        raise ApplicationError(
            f"Unknown document type; choose one of {', '.join(KycDocumentType.values)}",
            field="document_type",
        )
    extension, content_type = kyc_document_validate(uploaded_file)
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    with transaction.atomic(durable=True):
        document = KycDocument(
            owner=user, document_type=document_type, original_name=uploaded_file.name[:255],
            content_type=content_type, extension=extension, size=uploaded_file.size,
            sha256=digest.hexdigest(),
        )
        document.file.save("upload", uploaded_file, save=False)
        try:
            document.save()
            audit_record(actor=user, event="kyc.document_uploaded", target=document,
                         new={"document_type": document_type, "size": uploaded_file.size})
            if then is not None:
                then(document)
        except BaseException:
            document.file.storage.delete(document.file.name)
            raise
    return document


def kyc_document_delete(*, user: User, document: KycDocument) -> None:
    if document.owner_id != user.pk:
        raise NotFound("Document not found")
    if user.verification_status == VerificationStatus.VERIFIED:
        raise InvalidState("Documents of a verified profile cannot be deleted")
    if document.status == DocumentStatus.ACCEPTED:
        raise InvalidState("An accepted document cannot be deleted: staff relied on it")
    with transaction.atomic(durable=True):
        audit_record(actor=user, event="kyc.document_deleted", target=document,
                     old={"document_type": document.document_type})
        storage, path = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(path))


def profile_status_from_documents(*, documents: Iterable[KycDocument],
                                  current: str) -> tuple[str, str]:
    """The profile's (status, note) that the documents' decisions call for.

    Each identity type counts by its latest upload (a new one replaces a rejected one); every
    "other" document counts. Any of them rejected: rejected, with the staff notes. All of them
    accepted, a government ID among them: verified. Otherwise the decision waits: the status
    stays, except that a rejected profile whose rejected documents were all replaced goes back
    to pending."""
    latest: dict[str, KycDocument] = {}
    others: list[KycDocument] = []
    for document in sorted(documents, key=lambda d: d.uploaded_at):
        if document.document_type == KycDocumentType.OTHER:
            others.append(document)
        else:
            latest[document.document_type] = document
    counted = [*latest.values(), *others]
    rejected = [d for d in counted if d.status == DocumentStatus.REJECTED]
    if rejected:
        return VerificationStatus.REJECTED, "; ".join(
            f"{d.get_document_type_display()}: {d.staff_note}" for d in rejected)
    if (counted and all(d.status == DocumentStatus.ACCEPTED for d in counted)
            and KycDocumentType.GOVERNMENT_ID in latest):
        return VerificationStatus.VERIFIED, "Documents accepted: " + ", ".join(
            d.get_document_type_display() for d in counted)
    if current == VerificationStatus.REJECTED:
        return VerificationStatus.PENDING, "New documents under review."
    return current, ""


def kyc_document_review(*, acting_user: User, document_id, status: str,
                        note: str = "") -> KycDocument:
    """Staff decision on one document (accepted or rejected, with a note shown to its owner);
    the owner's profile then follows the documents (``profile_status_from_documents``)."""
    _may_decide_kyc(acting_user)
    if status not in (DocumentStatus.ACCEPTED, DocumentStatus.REJECTED):
        raise ApplicationError("status must be 'accepted' or 'rejected'", field="status")
    note = note.strip()
    if status == DocumentStatus.REJECTED and not note:
        raise ApplicationError("A note is required when rejecting a document",
                               field="staff_note")
    # Not durable: the admin's change view runs in a transaction of its own.
    with transaction.atomic():
        owner_id = KycDocument.objects.filter(pk=document_id).values_list(
            "owner_id", flat=True).first()
        if owner_id is None:
            raise NotFound("Document not found")
        user = User.objects.select_for_update(no_key=True).get(pk=owner_id)
        document = KycDocument.objects.select_for_update().get(pk=document_id)
        if document.status == status and document.staff_note == note:
            return document
        old = {"status": document.status, "staff_note": document.staff_note}
        document.status, document.staff_note = status, note
        document.reviewed_at, document.reviewed_by = timezone.now(), acting_user
        document.save(update_fields=["status", "staff_note", "reviewed_at", "reviewed_by"])
        audit_record(actor=acting_user, event="kyc.document_reviewed", target=document, old=old,
                     new={"status": status, "staff_note": note})
        profile_status, profile_note = profile_status_from_documents(
            documents=KycDocument.objects.filter(owner_id=user.pk),
            current=user.verification_status)
        changed = _verification_apply(user=user, acting_user=acting_user,
                                      status=profile_status,
                                      note=profile_note or user.verification_note,
                                      event="kyc.decided_by_documents")
        kind = document.get_document_type_display()
        title = f"Your {kind.lower()} was {status}"
        body = f"Staff {status} your {kind.lower()} ({document.original_name})."
        if note:
            body += f"\n\nNote from staff: {note}"
        if changed:
            body += "\n\n" + _PROFILE_DECISION_TEXT[profile_status][1]
        notification_create(user_id=user.pk, kind="kyc_decision", title=title, body=body,
                            url="/profile/documents/")
    return document


# --- Credentials: passwords, sessions, API tokens -----------------------------------------------
# Sessions and tokens are bound to the account's session auth hash (an HMAC of the password hash
# and User.credentials_epoch): a new password or "log out everywhere" changes it, so every other
# session (Django checks the hash on each request) and every token (accounts.authentication
# checks TokenCredential.auth_hash) stops working at once, whichever path changed it.


def api_token_issue(*, user: User, second_factor: bool) -> str:
    """The account's API token after a successful login (``second_factor``: the login passed
    the TOTP or recovery code). A token issued under an older password or epoch, or without the
    second factor when this login passed it, is replaced rather than upgraded."""
    auth_hash = user.get_session_auth_hash()
    with transaction.atomic():
        # One token per account (DRF's model): two logins at once must not both create it.
        User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
        token = Token.objects.filter(user_id=user.pk).select_related("credential").first()
        credential = getattr(token, "credential", None) if token else None
        if (credential is not None and constant_time_compare(credential.auth_hash, auth_hash)
                and (credential.second_factor_at is not None or not second_factor)):
            return token.key
        Token.objects.filter(user_id=user.pk).delete()
        token = Token.objects.create(user_id=user.pk)
        TokenCredential.objects.create(token=token, auth_hash=auth_hash,
                                       second_factor_at=timezone.now() if second_factor else None)
    return token.key


def api_tokens_revoke(*, user_id: int) -> int:
    """Delete every API token of the account (logout, password change)."""
    deleted, _ = Token.objects.filter(user_id=user_id).delete()
    return deleted


def user_password_set(*, user: User, password: str | None, acting_user: User | None) -> User:
    """Set (or, with None, disable) ``user``'s password and revoke their API tokens; their other
    sessions end by themselves (the session auth hash changes). ``user`` is updated in place, so
    the caller can keep its own session (update_session_auth_hash)."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    with transaction.atomic():
        user.save(update_fields=["password"])
        revoked = api_tokens_revoke(user_id=user.pk)
        keys = api_keys_revoke_all(user_id=user.pk)
        audit_record(actor=acting_user if getattr(acting_user, "pk", None) else None,
                     event="user.password_changed", target=user,
                     new={"tokens_revoked": revoked, "usable": password is not None,
                          "api_keys_revoked": keys})
    return user


def user_sign_out_everywhere(*, user: User) -> None:
    """End every session and API token of the account ("log out everywhere")."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(credentials_epoch=F("credentials_epoch") + 1)
        revoked = api_tokens_revoke(user_id=user.pk)
        keys = api_keys_revoke_all(user_id=user.pk)
        audit_record(actor=user, event="user.signed_out_everywhere", target=user,
                     new={"tokens_revoked": revoked, "api_keys_revoked": keys})


# --- Feature flags (accounts/flags.py reads them) -------------------------------------------------


def feature_flag_set(*, acting_user: User | None, name: str, enabled: bool | None,
                     note: str = "") -> FeatureFlagOverride:
    """Staff turn a flag on or off at run time, or (``enabled=None``) back to the environment's
    default. An unknown name is refused and changes nothing. Audited with the old and new
    choice; every process sees the change within FEATURE_FLAG_CACHE_SECONDS."""
    name = flag_name(name)
    with transaction.atomic():
        row, _ = FeatureFlagOverride.objects.select_for_update().get_or_create(name=name)
        old = row.enabled
        row.enabled, row.note, row.updated_by = enabled, note[:200], acting_user
        row.save()
        audit_record(actor=acting_user, event="feature_flag.set", target=row,
                     old={"enabled": old}, new={"enabled": enabled, "note": row.note})
        transaction.on_commit(flags_forget_cached)
    flags_forget_cached()
    return row


# --- Failed logins: one counter per account, whichever way the attempt came --------------------


def _failure_key(email: str) -> str:
    return f"login-failures:{email.strip().lower()}"


def login_locked(*, email: str) -> bool:
    """True once the account has LOGIN_FAILURES_PER_ACCOUNT failed attempts (wrong passwords and
    wrong second-factor codes, API and pages together) in the window."""
    return cache.get(_failure_key(email), 0) >= settings.LOGIN_FAILURES_PER_ACCOUNT


class LoginChannel:
    WEB = "web"
    API = "api"


def login_failure_record(*, email: str, reason: str = "password",
                         channel: str = LoginChannel.WEB) -> None:
    """A failed attempt (``reason``: password, code, current_password) counts towards the
    account's lockout and is audited with the address it came from."""
    key = _failure_key(email)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    login_refusal_audit(email=email, reason=reason, channel=channel)


def login_refusal_audit(*, email: str, reason: str, channel: str) -> None:
    """The audit row of a refused login (a failure, or an attempt on a locked account): the
    account it named, if it exists, and the email as typed (at most 254 characters)."""
    email = email.strip().lower()[:254]
    user_id = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
    audit_record(actor=None, event="user.login_failed", target=user_id or "",
                 target_type="accounts.user",
                 new={"email": email, "reason": reason, "channel": channel})


def login_success_record(*, user: User, channel: str, second_factor: bool = False) -> None:
    """A successful login clears the account's failed attempts and is audited."""
    cache.delete(_failure_key(user.email))
    audit_record(actor=user, event="user.logged_in", target=user,
                 new={"channel": channel, "second_factor": second_factor})


def login_failures_clear(*, email: str) -> None:
    cache.delete(_failure_key(email))


# --- The email outbox (every email: accounts.mail.OutboxBackend) -------------------------------


def _outbound_payload(message) -> dict:
    return {
        "subject": str(message.subject), "body": str(message.body),
        "from_email": message.from_email, "to": list(message.to), "cc": list(message.cc),
        "bcc": list(message.bcc), "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
        "alternatives": [[str(content), mimetype] for content, mimetype
                         in getattr(message, "alternatives", [])],
    }


def outbound_email_queue(*, message) -> OutboundEmail:
    """Write ``message`` (an EmailMessage) to the outbox and, after the caller's transaction
    commits, queue its delivery; if the broker is down the sweep delivers it later."""
    payload = _outbound_payload(message)
    email = OutboundEmail.objects.create(
        recipients=", ".join(payload["to"] + payload["cc"] + payload["bcc"])[:10000],
        subject=payload["subject"][:300], message=payload)
    transaction.on_commit(lambda: _enqueue_outbound_email(email.pk))
    return email


def _enqueue_outbound_email(email_id: int) -> None:
    from .tasks import deliver_outbound_email  # tasks import this module

    try:
        deliver_outbound_email.delay(email_id)
    except Exception:  # noqa: BLE001 - any broker failure: the outbox sweep delivers it
        logger.warning("Could not queue email %s; the sweep will deliver it", email_id,
                       exc_info=True)


def outbound_email_deliver(*, email_id: int) -> bool:
    """Deliver one outbox email at most once (claimed with a compare-and-swap). A failure of
    the mail server leaves it pending for the sweep (failed after 5 attempts); never raises."""
    claimed = OutboundEmail.objects.filter(
        pk=email_id, status=OutboundEmail.Status.PENDING
    ).update(status=OutboundEmail.Status.SENDING, claimed_at=timezone.now(),
             attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    data = email.message
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], from_email=data["from_email"],
        to=data["to"], cc=data["cc"], bcc=data["bcc"], reply_to=data["reply_to"],
        headers=data["headers"],
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND))
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - the mail server is down or refuses: retry later
        logger.warning("Email %s not delivered (attempt %s): %s", email_id, email.attempts, exc)
        OutboundEmail.objects.filter(pk=email_id).update(
            status=OutboundEmail.Status.PENDING if email.attempts < 5
            else OutboundEmail.Status.FAILED, last_error=str(exc)[:300])
        return False
    # The body may hold a password-reset or confirmation link: once delivered it is not kept.
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="",
        message={"subject": data["subject"], "to": data["to"], "body": "(delivered)"})
    return True


def outbound_emails_requeue_stale(*, older_than=None) -> list[int]:
    """Ids of outbox emails to deliver again: pending (queueing or delivery failed) or stuck in
    'sending' (a worker died) for longer than NOTIFICATION_RETRY_AFTER."""
    cutoff = timezone.now() - (older_than or settings.NOTIFICATION_RETRY_AFTER)
    OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING,
                                 claimed_at__lt=cutoff).update(status=OutboundEmail.Status.PENDING)
    return list(OutboundEmail.objects.filter(
        status=OutboundEmail.Status.PENDING, created_at__lt=cutoff).values_list("pk", flat=True)[:500])
