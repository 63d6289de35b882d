from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from communitylend.core.api import PagePagination, error_response
from communitylend.core.errors import NotFound
from communitylend.core.parsers import CheckedFormParser, CheckedMultiPartParser

from . import mfa, selectors, services
from .models import User
from .serializers import (
    KycDocumentSerializer,
    LoginResponseSerializer,
    LoginSerializer,
    NotificationSerializer,
    ProfileSerializer,
    RegisterResponseSerializer,
    RegisterSerializer,
    UserSummarySerializer,
    VerificationSerializer,
)


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
        user = services.user_register(**serializer.validated_data, request=request._request)
        return Response(
            {"success": True, "user": UserSummarySerializer(user).data},
            status=status.HTTP_201_CREATED,
        )


def _failure_key(email: str) -> str:
    return f"login-failures:{email.strip().lower()}"


def _count_failure(key: str) -> None:
    """Wrong passwords and wrong two-factor codes count alike towards the account's lockout."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)


class LoginApi(APIView):
    """Email + password -> token. 20 failed attempts per account in 15 minutes lock it (429)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema(request=LoginSerializer, responses={200: LoginResponseSerializer}, auth=[])
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        email = serializer.validated_data["email"].strip().lower()
        key = _failure_key(email)
        if cache.get(key, 0) >= settings.LOGIN_FAILURES_PER_ACCOUNT:
            return error_response(
                "Too many failed login attempts for this account; try again in 15 minutes",
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        user = authenticate(request._request, email=email,
                            password=serializer.validated_data["password"])
        if user is None:
            _count_failure(key)
            return error_response("Invalid email or password",
                                  status_code=status.HTTP_401_UNAUTHORIZED)
        if mfa.staff_lacks_totp(user):
            return error_response(mfa.STAFF_NEEDS_TOTP, status_code=status.HTTP_403_FORBIDDEN)
        if mfa.has_totp(user):
            code = serializer.validated_data["code"]
            if not code:
                return error_response(
                    "This account uses two-factor authentication: send the code from your "
                    "authenticator app", status_code=status.HTTP_401_UNAUTHORIZED, field="code",
                    mfa_required=True)
            if not mfa.verify_second_factor(user, code):
                _count_failure(key)
                return error_response("Incorrect two-factor code",
                                      status_code=status.HTTP_401_UNAUTHORIZED, field="code",
                                      mfa_required=True)
        if not _email_verified_enough(user):
            return error_response(
                "Verify your email address first: follow the link we sent you",
                status_code=status.HTTP_403_FORBIDDEN,
            )
        cache.delete(key)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"success": True, "token": token.key,
                         "user": UserSummarySerializer(user).data})


def _email_verified_enough(user: User) -> bool:
    if settings.ACCOUNT_EMAIL_VERIFICATION != "mandatory" or user.is_staff:
        return True

    return EmailAddress.objects.filter(user=user, verified=True).exists()


SuccessResponse = inline_serializer("SuccessResponse", {"success": serializers.BooleanField()})


class LogoutApi(APIView):
    @extend_schema(request=None, responses={200: SuccessResponse})
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response({"success": True})


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

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    def get(self, request, document_id):
        return document_file_response(self._get(request, document_id))


def document_file_response(document):
    response = FileResponse(document.file.open("rb"), content_type=document.content_type,
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
    @extend_schema(request=None, responses={200: NotificationReadResponse},
                   operation_id="notifications_read_all")
    def post(self, request):
        return super().post(request)
