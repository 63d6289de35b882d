from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from communitylend.api import PagePagination

from . import selectors, services
from .serializers import (
    GatewayPaymentSerializer,
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
        data = MoveSerializer(data=request.data)
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


class WalletTransactionsApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("kind", str), OpenApiParameter("page", int),
                               OpenApiParameter("limit", int)],
                   responses={200: WalletMovementSerializer(many=True)})
    def get(self, request):
        legs = selectors.wallet_legs(request.user.pk, kind=request.query_params.get("kind"))
        paginator = TransactionPagination()
        page = paginator.paginate_queryset(legs, request, view=self)
        return paginator.get_paginated_response(WalletMovementSerializer(page, many=True).data)


class WebhookApi(APIView):
    """Signed callbacks from payment gateways (HMAC-SHA256 of the raw body)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=None, responses={200: None}, auth=[])
    def post(self, request, gateway: str):
        payment, duplicate = services.webhook_receive(gateway_name=gateway,
                                                      headers=request.headers,
                                                      body=request.body)
        return Response({"success": True, "duplicate": duplicate})
