"""Users (email login) with their borrower/lender profile, KYC documents, notifications, audit log.

Profile fields live on the User row itself: every account may borrow and lend, and a profile that
always exists cannot be missing for a user created by allauth, the API or createsuperuser.
"""

import uuid
from datetime import date

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

from communitylend.core.encryption import (
    EncryptedCharField,
    EncryptedDateField,
    EncryptedDecimalField,
    EncryptedPositiveSmallIntegerField,
    encrypted_storage,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", "Employed"
    SELF_EMPLOYED = "self_employed", "Self-employed"
    UNEMPLOYED = "unemployed", "Unemployed"
    RETIRED = "retired", "Retired"
    STUDENT = "student", "Student"


class HomeOwnership(models.TextChoices):
    RENT = "RENT", "Rent"
    OWN = "OWN", "Own"
    MORTGAGE = "MORTGAGE", "Mortgage"
    OTHER = "OTHER", "Other"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


# Fields a borrower must fill before applying for a loan (API.md, "Users and profiles").
REQUIRED_FOR_BORROWING = (
    "phone",
    "date_of_birth",
    "street",
    "city",
    "state",
    "zip_code",
    "annual_income",
    "employment_status",
    "credit_score",
)
# Changing any of these after verification sends the profile back to pending (DESIGN.md): every
# field the risk model or the lenders read (risk.ml.features, the listing's borrower card).
CREDIT_DATA_FIELDS = (
    "annual_income",
    "monthly_debt",
    "employment_status",
    "employment_length",
    "credit_score",
    "home_ownership",
    "earliest_credit_line",
    "open_credit_lines",
    "total_credit_lines",
    "revolving_balance",
    "revolving_utilization",
    "inquiries_6m",
    "delinquencies_2y",
    "months_since_last_delinquency",
    "public_records",
    "public_record_bankruptcies",
)


class User(AbstractUser):
    username = None
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    email = models.EmailField("email address", unique=True)

    # Profile (original platform schema). Personal data and the credit-report fields are
    # encrypted at rest (communitylend/core/encryption.py): the database holds Fernet tokens, and
    # the phone a blind index besides (an HMAC), so staff can still find a user by phone number.
    phone = EncryptedCharField(max_length=32, blank=True, blind_index=True, normalise_digits=True)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    street = EncryptedCharField(max_length=200, blank=True)
    city = EncryptedCharField(max_length=100, blank=True)
    state = EncryptedCharField(max_length=100, blank=True)
    zip_code = EncryptedCharField(max_length=20, blank=True)
    annual_income = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100_000_000)],
    )
    employment_status = models.CharField(
        max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    employment_length = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Whole years, 0-50 (10 means 10 or more).",
        validators=[MaxValueValidator(50)],
    )
    monthly_debt = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Monthly debt payments, for debt-to-income.",
        validators=[MinValueValidator(0), MaxValueValidator(10_000_000)],
    )
    credit_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(300), MaxValueValidator(850)]
    )
    home_ownership = models.CharField(max_length=10, choices=HomeOwnership.choices, blank=True)

    # Optional credit-report fields the risk model uses (bureau data in production); encrypted.
    earliest_credit_line = EncryptedDateField(null=True, blank=True)
    open_credit_lines = EncryptedPositiveSmallIntegerField(null=True, blank=True)
    total_credit_lines = EncryptedPositiveSmallIntegerField(null=True, blank=True)
    revolving_balance = EncryptedDecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    revolving_utilization = EncryptedDecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, help_text="Percent, 0-200.",
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    inquiries_6m = EncryptedPositiveSmallIntegerField(null=True, blank=True)
    delinquencies_2y = EncryptedPositiveSmallIntegerField(null=True, blank=True)
    months_since_last_delinquency = EncryptedPositiveSmallIntegerField(null=True, blank=True)
    public_records = EncryptedPositiveSmallIntegerField(null=True, blank=True)
    public_record_bankruptcies = EncryptedPositiveSmallIntegerField(null=True, blank=True)

    verification_status = models.CharField(
        max_length=10, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verification_note = models.TextField(blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    profile_completed = models.BooleanField(default=False)
    is_borrower = models.BooleanField(default=False)
    is_lender = models.BooleanField(default=False)
    # Raised by "log out everywhere": every session and API token of the account is bound to
    # it (through the session auth hash), as they are to the password.
    credentials_epoch = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(credit_score__isnull=True) | Q(credit_score__gte=300, credit_score__lte=850),
                name="user_credit_score_range",
            ),
            models.CheckConstraint(
                condition=Q(annual_income__isnull=True) | Q(annual_income__gte=0),
                name="user_annual_income_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(monthly_debt__isnull=True) | Q(monthly_debt__gte=0),
                name="user_monthly_debt_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(employment_length__isnull=True) | Q(employment_length__lte=50),
                name="user_employment_length_range",
            ),
        ]
        indexes = [models.Index(fields=["verification_status"])]

    def __str__(self):
        return self.email

    def _get_session_auth_hash(self, secret=None):
        """Django's session check (an HMAC of the password hash) with the credentials epoch
        mixed in: a password change or "log out everywhere" ends every other session, and every
        API token (TokenCredential keeps the hash it was issued under)."""
        if not self.credentials_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac("communitylend.accounts.User.session_auth_hash",
                           f"{self.password}:{self.credentials_epoch}", secret=secret,
                           algorithm="sha256").hexdigest()

    @property
    def display_name(self) -> str:
        full = f"{self.first_name} {self.last_name}".strip()
        return full or self.email.split("@")[0]

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def debt_to_income(self):
        """Monthly debt x 12 / annual income, in percent; None when unknown."""
        if self.monthly_debt is None or not self.annual_income:
            return None
        return round(self.monthly_debt * 12 * 100 / self.annual_income, 2)

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = date.today()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def missing_profile_fields(self) -> list[str]:
        return [name for name in REQUIRED_FOR_BORROWING if getattr(self, name) in (None, "")]


def kyc_upload_to(instance, filename):
    # Never the user's own file name or id: a random name, not guessable from anything public.
    return f"kyc/{uuid.uuid4().hex}{instance.extension}"


class KycDocumentType(models.TextChoices):
    GOVERNMENT_ID = "government_id", "Government ID"
    PROOF_OF_ADDRESS = "proof_of_address", "Proof of address"
    PROOF_OF_INCOME = "proof_of_income", "Proof of income"
    OTHER = "other", "Other"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class KycDocument(models.Model):
    """A document a person uploads for KYC, reviewed one by one by staff (its own status and
    note); the profile's verification follows the decisions (accounts.services). The loans app
    may attach it to one or more of the owner's loan applications (loans.LoanDocument)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="kyc_documents")
    document_type = models.CharField(max_length=30, choices=KycDocumentType.choices)
    # Encrypted on disk (one Fernet token per file); the name a person gave it may hold theirs.
    file = models.FileField(upload_to=kyc_upload_to, max_length=255, storage=encrypted_storage)
    original_name = EncryptedCharField(max_length=255)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=DocumentStatus.choices,
                              default=DocumentStatus.PENDING)
    staff_note = models.TextField(blank=True, help_text="Shown to the owner. Required when "
                                                        "rejecting.")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["status", "uploaded_at"])]

    def __str__(self):
        return f"{self.get_document_type_display()} ({self.original_name})"


class Notification(models.Model):
    """In-app notification; also the outbox row for its email (sent by Celery after commit and
    retried by a periodic sweep, so an email queued while the broker is down is not lost)."""

    class EmailStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications",
                             db_index=False)  # the (user, read_at) index covers it
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self):
        return self.title


class AuditEvent(models.Model):
    """Append-only record of every change of state: who, what, old and new values, and, for a
    row written during a request, where it came from (the client's IP address, as the rate
    limits read it, and its user agent) and the request's id (to find its log lines)."""

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True, default="", db_default="")
    request_id = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["event"]),
            models.Index(fields=["ip_address", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.event} {self.target_type}:{self.target_id}"


class TokenCredential(models.Model):
    """What an API token was issued under: the account's session auth hash at the time (a
    password change or "log out everywhere" changes it, and the token stops working) and
    whether that login passed the second factor (staff powers need it: accounts/mfa.py)."""

    token = models.OneToOneField("authtoken.Token", primary_key=True, on_delete=models.CASCADE,
                                 related_name="credential")
    auth_hash = models.CharField(max_length=128)
    second_factor_at = models.DateTimeField(null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"credential of token {self.token_id[:6]}..."


class OutboundEmail(models.Model):
    """The outbox of every email the site sends (EMAIL_BACKEND is accounts.mail.OutboxBackend):
    allauth's confirmations and password resets, invitations, the admin's. A row is written
    where the email is sent, inside the caller's transaction; a Celery task delivers it after
    commit through EMAIL_DELIVERY_BACKEND, and the outbox sweep retries what is still pending,
    so a request never fails because the mail server is down."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipients = models.TextField()
    subject = models.CharField(max_length=300)
    message = models.JSONField()  # subject, body, from, to, cc, bcc, reply_to, alternatives, headers
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.subject} -> {self.recipients}"


# --- API consumers: API keys and webhooks (API.md, "API keys and webhooks") ---------------------


class ApiKeyScope(models.TextChoices):
    READ = "read", "Read (safe methods only)"
    TRADE = "trade", "Trade (everything but credentials, keys and webhooks)"


class ApiKey(models.Model):
    """A long-lived key for an API consumer. Only the SHA-256 of the secret is kept (the key is
    shown once, at creation); ``prefix`` finds the row without the secret. A key never carries
    staff power (it has no second factor)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=ApiKeyScope.choices)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.name} ({self.prefix}...)"


class WebhookEvent(models.TextChoices):
    LOAN_FUNDED = "loan.funded", "A loan is funded (disbursed): its borrower and lenders"
    BID_WON = "bid.won", "A bid won (wholly or in part)"
    BID_OUTBID = "bid.outbid", "A bid is outbid"
    NOTE_PAYMENT_RECEIVED = "note.payment_received", "A note received a payment"
    NOTE_CHARGED_OFF = "note.charged_off", "A note was charged off"
    ORDER_FILLED = "order.filled", "A standing buy order bought a note"


class WebhookEndpoint(models.Model):
    """Where a user's events are POSTed. The secret signs every delivery (HMAC-SHA256); it is
    shown once, when the endpoint is created, and kept to sign (like any webhook sender)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "deleted_at"])]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: the outbox row (written with the change, sent after commit,
    retried with backoff for WEBHOOK_RETRY_WINDOW, then failed) and its log."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE,
                                 related_name="deliveries")
    event_id = models.UUIDField(default=uuid.uuid4)
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()  # the body, as signed: {id, event, createdAt, data}
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event} -> endpoint {self.endpoint_id} ({self.status})"


class FeatureFlag(models.TextChoices):
    """The platform's feature flags; each is on unless its environment variable (same name)
    says otherwise, and staff may override it at run time (``FeatureFlagOverride``)."""

    ML_SCORING = "ENABLE_ML_SCORING", "Machine-learning scoring of applications"
    AUTO_MATCHING = "ENABLE_AUTO_MATCHING", "Loan matching and auto-invest rules"
    EMAIL_NOTIFICATIONS = "ENABLE_EMAIL_NOTIFICATIONS", "Notification emails"


class FeatureFlagOverride(models.Model):
    """Staff's run-time choice for one flag: on, off, or (``enabled`` NULL) the environment's
    default. One row per flag; changed only through ``services.feature_flag_set``."""

    name = models.CharField(max_length=64, unique=True, choices=FeatureFlag.choices)
    enabled = models.BooleanField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "feature flag"

    def __str__(self):
        return self.name
