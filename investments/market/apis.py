"""The secondary market's API (API.md, "Added with the second wave"): thin views over
``services`` and ``selectors``."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from communitylend.core.api import MAX_ID, DecimalInput, IntegerInput, RateOutput
from communitylend.core.errors import ApplicationError
from communitylend.core.money import GRADES
from communitylend.core.renderers import FastCamelCaseJSONRenderer

from ..models import BuyOrder, Listing, Trade
from . import selectors, services

MONEY = {"max_digits": 14, "decimal_places": 2}


class ListingSerializer(serializers.ModelSerializer):
    note_id = serializers.IntegerField()
    loan_id = serializers.IntegerField()
    outstanding_principal = serializers.DecimalField(**MONEY)
    accrued_interest = serializers.DecimalField(**MONEY)
    price = serializers.DecimalField(**MONEY)
    price_percent = RateOutput()
    yield_to_maturity = RateOutput(max_digits=8)
    loan_status = serializers.CharField(source="loan.status")
    seller = serializers.SerializerMethodField()

    class Meta:
        model = Listing
        fields = ["id", "note_id", "loan_id", "grade", "outstanding_principal",
                  "accrued_interest", "price", "price_percent", "yield_to_maturity",
                  "remaining_payments", "loan_status", "seller", "status", "suspended_reason",
                  "created_at"]

    def get_seller(self, listing) -> str | None:
        return None  # sellers stay anonymous to buyers


class TradeSerializer(serializers.ModelSerializer):
    note_id = serializers.IntegerField()
    buyer_note_id = serializers.IntegerField()
    loan_id = serializers.IntegerField()
    buyer_id = serializers.IntegerField()
    seller_id = serializers.IntegerField()
    price = serializers.DecimalField(**MONEY)
    fee = serializers.DecimalField(**MONEY)
    principal = serializers.DecimalField(**MONEY)
    accrued_interest = serializers.DecimalField(**MONEY)
    price_percent = RateOutput()

    class Meta:
        model = Trade
        fields = ["id", "note_id", "buyer_note_id", "loan_id", "price", "fee", "principal",
                  "accrued_interest", "price_percent", "buyer_id", "seller_id", "traded_at"]


class OrderSerializer(serializers.ModelSerializer):
    # The constraints investments.market.services checks, so the schema says them too; only
    # the rules across fields (termLeftMin above termLeftMax, a budget below what is spent)
    # are the service's alone.
    grades = serializers.ListField(child=serializers.ChoiceField(choices=GRADES),
                                   allow_empty=False, max_length=len(GRADES))
    term_left_min = IntegerInput(min_value=1, max_value=60, required=False)
    term_left_max = IntegerInput(min_value=1, max_value=60, required=False)
    max_price_percent = DecimalInput(max_digits=5, decimal_places=2, required=False,
                                     min_value=Decimal("0.01"), max_value=Decimal("130"))
    min_yield = DecimalInput(max_digits=5, decimal_places=2, required=False,
                             min_value=Decimal("-100"), max_value=Decimal("100"))
    max_per_note = DecimalInput(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    budget = DecimalInput(max_digits=14, decimal_places=2, min_value=Decimal("0"))
    spent = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    required_return = serializers.DecimalField(max_digits=7, decimal_places=4, read_only=True,
                                               allow_null=True)
    spread = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True,
                                      allow_null=True)

    class Meta:
        model = BuyOrder
        fields = ["id", "grades", "term_left_min", "term_left_max", "max_price_percent",
                  "min_yield", "max_per_note", "budget", "spent", "enabled", "required_return",
                  "spread", "created_at"]
        read_only_fields = ["id", "spent", "created_at"]


class ListingQuerySerializer(serializers.Serializer):
    grade = serializers.ChoiceField(choices=GRADES, required=False)
    term_left_max = IntegerInput(min_value=1, max_value=600, required=False)
    min_yield = DecimalInput(max_digits=8, decimal_places=2, required=False)
    max_price_percent = DecimalInput(max_digits=7, decimal_places=2, required=False)
    sort_by = serializers.ChoiceField(choices=list(selectors.SORTS), required=False,
                                      default="price")
    limit = IntegerInput(min_value=1, max_value=100, required=False, default=50)
    after = serializers.CharField(required=False, max_length=200)

    def validate(self, attrs):
        if "after" in attrs:
            try:
                attrs["after"] = selectors.ListingCursor.decode(attrs["after"], attrs["sort_by"])
            except selectors.BadCursor as exc:
                raise serializers.ValidationError({"after": str(exc)}) from None
        return attrs


class ListingCreateSerializer(serializers.Serializer):
    note_id = IntegerInput(min_value=1, max_value=MAX_ID)
    price = DecimalInput(max_digits=12, decimal_places=2)


class PriceSerializer(serializers.Serializer):
    price = DecimalInput(max_digits=12, decimal_places=2)


class BuySerializer(serializers.Serializer):
    idempotency_key = serializers.CharField(required=False, max_length=80)


class MoneyThrottleMixin:
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "money"


ROW_FIELDS = ("id", "note_id", "loan_id", "grade", "outstanding_principal", "accrued_interest",
              "price", "price_percent", "yield_to_maturity", "remaining_payments",
              "loan__status", "status", "suspended_reason", "created_at")


def _listing_row(row: dict) -> dict:
    """``ListingSerializer``'s output from a row of values: the list is the market's busiest
    read, and building model instances and serializer fields for 50 rows costs more than the
    query (the bench's ``market`` figure)."""
    return {"id": row["id"], "note_id": row["note_id"], "loan_id": row["loan_id"],
            "grade": row["grade"], "outstanding_principal": f"{row['outstanding_principal']:.2f}",
            "accrued_interest": f"{row['accrued_interest']:.2f}", "price": f"{row['price']:.2f}",
            "price_percent": float(row["price_percent"]),
            "yield_to_maturity": float(row["yield_to_maturity"]),
            "remaining_payments": row["remaining_payments"], "loan_status": row["loan__status"],
            "seller": None, "status": row["status"], "suspended_reason": row["suspended_reason"],
            "created_at": serializers.DateTimeField().to_representation(row["created_at"])}


def _listing_body(listing, code=status.HTTP_200_OK):
    listing = Listing.objects.select_related("loan").get(pk=listing.pk)
    return Response({"success": True, "listing": ListingSerializer(listing).data}, status=code)


class ListingsApi(MoneyThrottleMixin, APIView):
    renderer_classes = [FastCamelCaseJSONRenderer]

    def get_throttles(self):
        return [UserRateThrottle()] if self.request.method == "GET" else super().get_throttles()

    @extend_schema(parameters=[ListingQuerySerializer], operation_id="market_listings",
                   responses={200: inline_serializer("MarketListings", {
                       "listings": ListingSerializer(many=True),
                       "pagination": serializers.DictField()})})
    def get(self, request):
        query = ListingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = dict(query.validated_data)
        limit = options.pop("limit")
        rows = list(selectors.listings_browse(**options).values(*ROW_FIELDS)[:limit + 1])
        more, rows = len(rows) > limit, rows[:limit]
        cursor = None
        if more:
            last = rows[-1]
            cursor = selectors.ListingCursor(options["sort_by"],
                                             last[selectors.SORTS[options["sort_by"]]],
                                             last["id"])
        return Response({"listings": [_listing_row(row) for row in rows],
                         "pagination": {"limit": limit,
                                        "next_cursor": cursor.encode() if cursor else None}})

    @extend_schema(request=ListingCreateSerializer, operation_id="market_listing_create",
                   responses={201: inline_serializer("MarketListingCreated", {
                       "success": serializers.BooleanField(), "listing": ListingSerializer()})})
    def post(self, request):
        data = ListingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = services.listing_create(seller=request.user, **data.validated_data)
        return _listing_body(listing, status.HTTP_201_CREATED)


class ListingDetailApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=PriceSerializer, operation_id="market_listing_reprice",
                   responses={200: inline_serializer("MarketListingChanged", {
                       "success": serializers.BooleanField(), "listing": ListingSerializer()})})
    def patch(self, request, listing_id: int):
        data = PriceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        listing = services.listing_reprice(seller=request.user, listing_id=listing_id,
                                           price=data.validated_data["price"])
        return _listing_body(listing)

    @extend_schema(request=None, operation_id="market_listing_cancel",
                   responses={200: inline_serializer("MarketListingCancelled", {
                       "success": serializers.BooleanField(), "listing": ListingSerializer()})})
    def delete(self, request, listing_id: int):
        return _listing_body(services.listing_cancel(seller=request.user,
                                                     listing_id=listing_id))


class ListingBuyApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=BuySerializer, operation_id="market_listing_buy",
                   responses={201: inline_serializer("MarketTrade", {
                       "success": serializers.BooleanField(), "trade": TradeSerializer()})})
    def post(self, request, listing_id: int):
        data = BuySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        trade = services.listing_buy(buyer=request.user, listing_id=listing_id,
                                     idempotency_key=data.validated_data.get("idempotency_key"))
        return Response({"success": True, "trade": TradeSerializer(trade).data},
                        status=status.HTTP_201_CREATED)


class TradesApi(APIView):
    @extend_schema(operation_id="market_trades", responses={200: inline_serializer(
        "MarketTrades", {"trades": TradeSerializer(many=True)})})
    def get(self, request):
        rows = selectors.trades_of(request.user)[:500]
        return Response({"trades": TradeSerializer(rows, many=True).data})


def _order_values(data) -> dict:
    values = dict(data.validated_data)
    if "grades" in values and not values["grades"]:
        raise ApplicationError("Choose at least one grade", field="grades")
    return values


class OrdersApi(MoneyThrottleMixin, APIView):
    @extend_schema(operation_id="market_orders", responses={200: inline_serializer(
        "MarketOrders", {"orders": OrderSerializer(many=True)})})
    def get(self, request):
        return Response({"orders": OrderSerializer(selectors.orders_of(request.user),
                                                   many=True).data})

    @extend_schema(request=OrderSerializer, operation_id="market_order_create",
                   responses={201: inline_serializer("MarketOrderCreated", {
                       "success": serializers.BooleanField(), "order": OrderSerializer()})})
    def post(self, request):
        data = OrderSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.order_create(buyer=request.user, **_order_values(data))
        return Response({"success": True, "order": OrderSerializer(order).data},
                        status=status.HTTP_201_CREATED)


class OrderDetailApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=OrderSerializer, operation_id="market_order_update",
                   responses={200: inline_serializer("MarketOrderChanged", {
                       "success": serializers.BooleanField(), "order": OrderSerializer()})})
    def patch(self, request, order_id: int):
        data = OrderSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        order = services.order_update(buyer=request.user, order_id=order_id,
                                      **_order_values(data))
        return Response({"success": True, "order": OrderSerializer(order).data})

    @extend_schema(request=None, operation_id="market_order_delete",
                   responses={200: inline_serializer("MarketOrderDeleted", {
                       "success": serializers.BooleanField()})})
    def delete(self, request, order_id: int):
        services.order_delete(buyer=request.user, order_id=order_id)
        return Response({"success": True})
