from rest_framework import serializers

from communitylend.core.api import DecimalInput, IntegerInput, camel

from .models import (
    EmploymentStatus,
    HomeOwnership,
    KycDocument,
    KycDocumentType,
    Notification,
    User,
    VerificationStatus,
)


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name"]


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                       default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                      default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    code = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="",
        help_text="The TOTP code (or a recovery code) of an account with two-factor "
                  "authentication; required for those accounts.")


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class LoginResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    token = serializers.CharField()
    user = UserSummarySerializer()


class RegisteredUserSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()


class RegisterResponseSerializer(serializers.Serializer):
    """The same for a new email and one that already has an account (no id: it would tell)."""

    success = serializers.BooleanField()
    user = RegisteredUserSerializer()
    message = serializers.CharField()


class UpperChoiceField(serializers.ChoiceField):
    """Case-insensitive on input (``rent`` -> ``RENT``), as API.md asks for homeOwnership."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.upper()
        return super().to_internal_value(data)


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    state = serializers.CharField(max_length=100, required=False, allow_blank=True)
    zip_code = serializers.CharField(max_length=20, required=False, allow_blank=True)


class ProfileSerializer(serializers.ModelSerializer):
    """Every profile field (camelCase on the wire). Writes are partial: send what changes."""

    address = AddressSerializer(source="*", required=False)
    employment_status = serializers.ChoiceField(
        choices=EmploymentStatus.choices, required=False, allow_blank=True
    )
    home_ownership = UpperChoiceField(
        choices=HomeOwnership.choices, required=False, allow_blank=True
    )
    annual_income = DecimalInput(
        max_digits=14, decimal_places=2, min_value=0, max_value=100_000_000,
        required=False, allow_null=True,
    )
    monthly_debt = DecimalInput(
        max_digits=12, decimal_places=2, min_value=0, max_value=10_000_000,
        required=False, allow_null=True,
    )
    credit_score = IntegerInput(
        min_value=300, max_value=850, required=False, allow_null=True
    )
    employment_length = IntegerInput(
        min_value=0, max_value=50, required=False, allow_null=True
    )
    revolving_utilization = DecimalInput(
        max_digits=6, decimal_places=2, min_value=0, max_value=200, required=False,
        allow_null=True,
    )
    # Derived from two inputs: as large as their ratio is (a tiny income makes it huge).
    debt_to_income = serializers.DecimalField(max_digits=None, decimal_places=2, read_only=True,
                                              allow_null=True)
    verification_status = serializers.ChoiceField(
        choices=VerificationStatus.choices, read_only=True
    )
    missing_fields = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id", "email", "first_name", "last_name", "phone", "date_of_birth", "address",
            "annual_income", "employment_status", "employment_length", "monthly_debt",
            "debt_to_income", "credit_score", "home_ownership",
            "earliest_credit_line", "open_credit_lines", "total_credit_lines",
            "revolving_balance", "revolving_utilization", "inquiries_6m", "delinquencies_2y",
            "months_since_last_delinquency", "public_records", "public_record_bankruptcies",
            "verification_status", "verification_note", "profile_completed", "missing_fields",
            "is_borrower", "is_lender", "is_staff",
        ]
        read_only_fields = ["id", "email", "verification_note", "profile_completed", "is_staff"]

    def get_missing_fields(self, user) -> list[str]:

        return [camel(name) for name in user.missing_profile_fields()]


# What staff may decide (ENUM_NAME_OVERRIDES names it apart from the profile's status enum).
VERIFICATION_DECISIONS = [(choice.value, choice.label) for choice in (VerificationStatus.VERIFIED,
                                                                      VerificationStatus.REJECTED)]


class VerificationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VERIFICATION_DECISIONS)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class KycDocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.ChoiceField(choices=KycDocumentType.choices)
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = KycDocument
        fields = ["id", "document_type", "file", "original_name", "content_type", "size",
                  "uploaded_at", "status", "staff_note", "reviewed_at", "download_url"]
        read_only_fields = ["id", "original_name", "content_type", "size", "uploaded_at",
                            "status", "staff_note", "reviewed_at"]

    def get_download_url(self, document) -> str:
        return f"/api/users/documents/{document.pk}/download"


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "read"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None
