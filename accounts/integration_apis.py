"""API keys and webhooks for API consumers (API.md): thin views over accounts.integrations.

None of these accept an API key (``api_keys_allowed = False``): a key that could make keys or
point webhooks elsewhere would outlive its own revocation."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from communitylend.core.api import PagePagination

from . import integrations
from .models import ApiKey, ApiKeyScope, WebhookDelivery, WebhookEndpoint, WebhookEvent


class ApiKeySerializer(serializers.ModelSerializer):
    scopes = serializers.CharField(source="scope")

    class Meta:
        model = ApiKey
        fields = ["id", "name", "scopes", "prefix", "created_at", "last_used_at"]


@extend_schema_field({"oneOf": [
    {"type": "string", "enum": ["read", "trade"]},
    {"type": "array", "items": {"type": "string", "enum": ["read", "trade"]}, "minItems": 1}]})
class ScopesField(serializers.Field):
    """``"read"``, ``"trade"``, or a list of them (``["read", "trade"]`` is ``trade``)."""

    def to_internal_value(self, data):
        values = [data] if isinstance(data, str) else data
        if not isinstance(values, list) or not values or any(
                v not in ApiKeyScope.values for v in values):
            raise serializers.ValidationError("scopes must be read or trade")
        return ApiKeyScope.TRADE if ApiKeyScope.TRADE in values else ApiKeyScope.READ

    def to_representation(self, value):
        return value


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = ScopesField()


class ApiKeyListApi(APIView):
    api_keys_allowed = False

    @extend_schema(responses={200: inline_serializer("ApiKeyList", {
        "keys": ApiKeySerializer(many=True)})})
    def get(self, request):
        keys = integrations.api_keys_of(user=request.user)
        return Response({"keys": ApiKeySerializer(keys, many=True).data})

    @extend_schema(request=ApiKeyCreateSerializer, responses={201: inline_serializer(
        "ApiKeyCreated", {"success": serializers.BooleanField(),
                          "key": serializers.CharField(help_text="Shown once: keep it"),
                          "apiKey": ApiKeySerializer()})})
    def post(self, request):
        serializer = ApiKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        api_key, key = integrations.api_key_create(
            user=request.user, name=serializer.validated_data["name"],
            scope=serializer.validated_data["scopes"])
        return Response({"success": True, "key": key, "api_key": ApiKeySerializer(api_key).data},
                        status=status.HTTP_201_CREATED)


class ApiKeyDetailApi(APIView):
    api_keys_allowed = False

    @extend_schema(request=None, responses={200: inline_serializer(
        "ApiKeyRevoked", {"success": serializers.BooleanField()})})
    def delete(self, request, key_id: int):
        integrations.api_key_revoke(user=request.user, key_id=key_id)
        return Response({"success": True})


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "created_at"]


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.values),
                                   min_length=1, max_length=len(WebhookEvent.values))


class WebhookListApi(APIView):
    api_keys_allowed = False

    @extend_schema(responses={200: inline_serializer("WebhookList", {
        "webhooks": WebhookSerializer(many=True)})})
    def get(self, request):
        endpoints = integrations.webhook_endpoints_of(user=request.user)
        return Response({"webhooks": WebhookSerializer(endpoints, many=True).data})

    @extend_schema(request=WebhookCreateSerializer, responses={201: inline_serializer(
        "WebhookCreated", {"success": serializers.BooleanField(),
                           "webhook": WebhookSerializer(),
                           "secret": serializers.CharField(help_text="Shown once: keep it")})})
    def post(self, request):
        serializer = WebhookCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = integrations.webhook_endpoint_create(user=request.user,
                                                        **serializer.validated_data)
        return Response({"success": True, "webhook": WebhookSerializer(endpoint).data,
                         "secret": endpoint.secret}, status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    api_keys_allowed = False

    @extend_schema(request=None, responses={200: inline_serializer(
        "WebhookDeleted", {"success": serializers.BooleanField()})})
    def delete(self, request, webhook_id: int):
        integrations.webhook_endpoint_delete(user=request.user, endpoint_id=webhook_id)
        return Response({"success": True})


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_id = serializers.SerializerMethodField()

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event", "status", "attempts", "last_status_code",
                  "last_error", "created_at", "next_attempt_at", "delivered_at"]

    def get_event_id(self, delivery) -> str:
        return delivery.payload.get("id", "")


class DeliveryPagination(PagePagination):
    items_key = "deliveries"


class WebhookDeliveryListApi(generics.ListAPIView):
    """One endpoint's deliveries, newest first, a page at a time."""

    api_keys_allowed = False
    serializer_class = WebhookDeliverySerializer
    pagination_class = DeliveryPagination

    def get_queryset(self):
        endpoint = integrations.webhook_endpoint_of(user=self.request.user,
                                                    endpoint_id=self.kwargs["webhook_id"])
        return integrations.webhook_deliveries_of(endpoint=endpoint)
