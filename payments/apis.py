from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from communitylend.core.api import PagePagination, data_with_idempotency_key

from . import selectors, services
from .gateways import GATEWAYS
from .serializers import (
    GatewayPaymentSerializer,
    HistoryQuerySerializer,
    MoveSerializer,
    WalletMovementSerializer,
    WalletSerializer,
)

MoveResponse = inline_serializer("WalletMoveResponse", {
    "success": serializers.BooleanField(), "transaction": GatewayPaymentSerializer(),
    "wallet": WalletSerializer()})


class WalletApi(APIView):
    @extend_schema(responses={200: WalletSerializer})
    def get(self, request):
        return Response(WalletSerializer(selectors.wallet_balances(request.user.pk)).data)


class _MoveApi(APIView):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "money"
    service = None

    def post(self, request):
        data = MoveSerializer(data=data_with_idempotency_key(request))
        data.is_valid(raise_exception=True)
        payment, created = type(self).service(
            user=request.user, amount=data.validated_data["amount"],
            idempotency_key=data.validated_data.get("idempotency_key"))
        return Response({
            "success": True, "transaction": GatewayPaymentSerializer(payment).data,
            "wallet": WalletSerializer(selectors.wallet_balances(request.user.pk)).data,
        }, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class DepositApi(_MoveApi):
    service = staticmethod(services.wallet_deposit)

    @extend_schema(request=MoveSerializer, responses={201: MoveResponse, 200: MoveResponse})
    def post(self, request):
        return super().post(request)


class WithdrawApi(_MoveApi):
    service = staticmethod(services.wallet_withdraw)

    @extend_schema(request=MoveSerializer, responses={201: MoveResponse, 200: MoveResponse})
    def post(self, request):
        return super().post(request)


class TransactionPagination(PagePagination):
    items_key = "transactions"


class WalletTransactionsApi(generics.ListAPIView):
    """The user's cash movements, newest first: one row per leg on their available or held
    account (a hold shows as -available and +held), amount signed."""

    serializer_class = WalletMovementSerializer
    pagination_class = TransactionPagination

    def get_queryset(self):
        query = HistoryQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.wallet_legs(self.request.user.pk, **query.validated_data)

    @extend_schema(parameters=[HistoryQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class WebhookApi(APIView):
    """Signed callbacks from payment gateways (HMAC-SHA256 of the raw body)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=None, auth=[], parameters=[OpenApiParameter(
        "gateway", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(GATEWAYS))],
        responses={200: inline_serializer(
        "WebhookResponse", {"success": serializers.BooleanField(),
                            "duplicate": serializers.BooleanField()})})
    def post(self, request, gateway: str):
        _, duplicate = services.webhook_receive(gateway_name=gateway,
                                                      headers=request.headers,
                                                      body=request.body)
        return Response({"success": True, "duplicate": duplicate})
