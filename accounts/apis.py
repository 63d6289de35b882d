from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from communitylend.core.api import PagePagination, error_response
from communitylend.core.errors import ApplicationError, NotFound
from communitylend.core.parsers import CheckedFormParser, CheckedMultiPartParser

from . import mfa, selectors, services
from .models import User
from .serializers import (
    KycDocumentSerializer,
    LoginResponseSerializer,
    LoginSerializer,
    NotificationSerializer,
    PasswordChangeSerializer,
    ProfileSerializer,
    RegisterResponseSerializer,
    RegisterSerializer,
    UserSummarySerializer,
    VerificationSerializer,
)
from .services import KYC_CONTENT_TYPES


class RegisterApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "register"

    @extend_schema(request=RegisterSerializer, responses={201: RegisterResponseSerializer},
                   auth=[])
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.user_register(**data, request=request._request)
        # The same answer whether the email was new or already had an account (its owner gets
        # an email instead): nothing here tells which.
        return Response({"success": True, "user": {
            "email": User.objects.normalize_email(data["email"]).strip().lower(),
            "first_name": data["first_name"], "last_name": data["last_name"]},
            "message": "Check your email: we sent a link to confirm the address."},
            status=status.HTTP_201_CREATED)


class LoginApi(APIView):
    """Email + password (+ code) -> token. Failed attempts count towards the account's one
    lockout counter, shared with the login pages (services.login_failure_record)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses={200: LoginResponseSerializer}, auth=[])
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].strip().lower()
        if services.login_locked(email=email):
            services.login_refusal_audit(email=email, reason="locked", channel="api")
            return error_response(
                "Too many failed login attempts for this account; try again in 15 minutes",
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request._request, email=email,
                            password=serializer.validated_data["password"])
        if user is None:
            services.login_failure_record(email=email, channel="api")
            return error_response("Invalid email or password",
                                  status_code=status.HTTP_401_UNAUTHORIZED)
        if mfa.staff_lacks_totp(user):
            return error_response(mfa.STAFF_NEEDS_TOTP, status_code=status.HTTP_403_FORBIDDEN)
        second_factor = mfa.has_totp(user)
        if second_factor:
            code = serializer.validated_data["code"]
            if not code:
                return error_response(
                    "This account uses two-factor authentication: send the code from your "
                    "authenticator app", status_code=status.HTTP_401_UNAUTHORIZED, field="code",
                    mfa_required=True)
            if not mfa.verify_second_factor(user, code):
                services.login_failure_record(email=email, reason="code", channel="api")
                return error_response("Incorrect two-factor code",
                                      status_code=status.HTTP_401_UNAUTHORIZED, field="code",
                                      mfa_required=True)
        if not _email_verified_enough(user):
            return error_response(
                "Verify your email address first: follow the link we sent you",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        token = services.api_token_issue(user=user, second_factor=second_factor)
        services.login_success_record(user=user, channel="api", second_factor=second_factor)
        return Response({"success": True, "token": token,
                         "user": UserSummarySerializer(user).data})


def _email_verified_enough(user: User) -> bool:
    if settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory" or user.is_staff:
        return True

    return EmailAddress.objects.filter(user=user, verified=True).exists()


SuccessResponse = inline_serializer("SuccessResponse", {"success": serializers.BooleanField()})


class LogoutApi(APIView):
    api_keys_allowed = False  # a key is revoked with DELETE /api/keys/{id}, not by logging out
    @extend_schema(request=None, responses={200: SuccessResponse})
    def post(self, request):
        services.api_tokens_revoke(user_id=request.user.pk)
        return Response({"success": True})


class PasswordChangeApi(APIView):
    """The account's new password; every API token and every session of the account ends, and
    the answer carries a fresh token (with the second factor if the caller's token had it)."""

    api_keys_allowed = False

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=PasswordChangeSerializer, responses={200: inline_serializer(
        "PasswordChangeResponse", {"success": serializers.BooleanField(),
                                   "token": serializers.CharField()})})
    def post(self, request):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = User.objects.get(pk=request.user.pk)
        if not user.check_password(serializer.validated_data["current_password"]):
            services.login_failure_record(email=user.email, reason="current_password",
                                          channel="api")
            raise ApplicationError("The current password is wrong", field="current_password")
        new = serializer.validated_data["new_password"]
        try:
            validate_password(new, user=user)
        except DjangoValidationError as exc:
            raise ApplicationError(" ".join(exc.messages), field="new_password") from exc
        credential = getattr(request.auth, "credential", None)
        second_factor = bool(credential and credential.second_factor_at) or (
            request.auth is None and mfa.session_passed_second_factor(request, user))
        services.user_password_set(user=user, password=new, acting_user=user)
        if request.auth is None:  # by session: this session stays, the others end
            update_session_auth_hash(request._request, user)
        token = services.api_token_issue(user=user, second_factor=second_factor)
        return Response({"success": True, "token": token})


class ProfileApi(APIView):
    @extend_schema(responses={200: ProfileSerializer})
    def get(self, request):
        return Response(ProfileSerializer(request.user).data)

    @extend_schema(request=ProfileSerializer, responses={200: ProfileSerializer})
    def put(self, request):
        serializer = ProfileSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.profile_update(user=request.user, acting_user=request.user,
                                       data=dict(serializer.validated_data))
        return Response(ProfileSerializer(user).data)

    patch = put


class VerificationApi(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(request=VerificationSerializer, responses={200: inline_serializer(
        "VerificationResponse", {"success": serializers.BooleanField(),
                                 "user": ProfileSerializer()})})
    def post(self, request, user_id: int):
        if not User.objects.filter(pk=user_id).exists():
            raise NotFound("User not found")
        serializer = VerificationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_verification_set(acting_user=request.user, user_id=user_id,
                                              **serializer.validated_data)
        return Response({"success": True, "user": ProfileSerializer(user).data})


class KycDocumentListApi(generics.ListAPIView):
    serializer_class = KycDocumentSerializer
    parser_classes = [CheckedMultiPartParser, CheckedFormParser]
    pagination_class = None

    def get_queryset(self):
        return selectors.kyc_documents_for(user=self.request.user)

    @extend_schema(request={"multipart/form-data": KycDocumentSerializer},
                   responses={201: KycDocumentSerializer})
    def post(self, request):
        serializer = KycDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.kyc_document_upload(
            user=request.user, uploaded_file=serializer.validated_data["file"],
            document_type=serializer.validated_data["document_type"],
        )
        return Response(KycDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class KycDocumentDetailApi(APIView):
    def _get(self, request, document_id):
        document = selectors.kyc_document_visible_to(user=request.user, document_id=document_id)
        if document is None:
            raise NotFound("Document not found")
        return document

    @extend_schema(responses={200: KycDocumentSerializer})
    def get(self, request, document_id):
        return Response(KycDocumentSerializer(self._get(request, document_id)).data)

    @extend_schema(responses={200: SuccessResponse})
    def delete(self, request, document_id):
        services.kyc_document_delete(user=request.user,
                                     document=self._get(request, document_id))
        return Response({"success": True})


class KycDocumentDownloadApi(KycDocumentDetailApi):
    http_method_names = ["get", "head", "options"]  # not the detail's DELETE

    @extend_schema(responses={(200, content_type): OpenApiTypes.BINARY
                              for content_type in sorted(set(KYC_CONTENT_TYPES.values()))})
    def get(self, request, document_id):
        return document_file_response(self._get(request, document_id))


def document_file_response(document):
    """The file as an attachment; a row whose file is gone from storage (a restore without the
    media folder, a delete whose row stayed) is a 404 saying so, not a server error."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound("The document's file is no longer stored; upload it again") from exc
    response = FileResponse(handle, content_type=document.content_type,
                            as_attachment=True, filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationSerializer
    pagination_class = PagePagination

    def get_queryset(self):
        return selectors.notifications_for(user=self.request.user)


NotificationReadResponse = inline_serializer("NotificationReadResponse", {
    "success": serializers.BooleanField(), "marked": serializers.IntegerField(),
    "unread": serializers.IntegerField()})


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses={200: NotificationReadResponse})
    def post(self, request, notification_id: int | None = None):
        count = services.notification_mark_read(user=request.user,
                                                notification_id=notification_id)
        return Response({"success": True, "marked": count,
                         "unread": selectors.unread_count(user=request.user)})


class NotificationReadAllApi(NotificationReadApi):
    @extend_schema(request=None, responses={200: NotificationReadResponse})
    def post(self, request):
        return super().post(request)
