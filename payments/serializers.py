from decimal import Decimal

from rest_framework import serializers

from communitylend.core.api import DecimalInput

from .gateways import is_test_money

MONEY = {"max_digits": 14, "decimal_places": 2}


class WalletSerializer(serializers.Serializer):
    available = serializers.DecimalField(**MONEY)
    held = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)
    invested = serializers.DecimalField(**MONEY)
    pending = serializers.DecimalField(**MONEY, help_text="Shares of borrowers' bank debits "
                                       "within their 4-business-day return window: not "
                                       "withdrawable or investable until released")


class MoveSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2,
                                      min_value=Decimal("0.01"),
                                      max_value=Decimal("1000000.00"))
    idempotency_key = serializers.CharField(max_length=120, required=False, allow_blank=False)


class WalletMovementSerializer(serializers.Serializer):
    """One movement of the user's cash: a leg of a ledger transaction, signed."""

    id = serializers.IntegerField(source="transaction_id")
    kind = serializers.CharField(source="transaction.kind")
    memo = serializers.CharField(source="transaction.memo")
    account = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="transaction.created_at")

    def get_account(self, leg) -> str:
        return "held" if leg.account.kind == "user_held" else "available"

    def get_amount(self, leg) -> str:
        return f"{leg.credit - leg.debit:.2f}"


class HistoryQuerySerializer(serializers.Serializer):
    """``?kind=&dateFrom=&dateTo=`` (dates YYYY-MM-DD, inclusive)."""

    kind = serializers.CharField(required=False, max_length=30)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_from": "must not be after dateTo"})
        return attrs


class GatewayPaymentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    direction = serializers.CharField()
    amount = serializers.DecimalField(**MONEY)
    status = serializers.CharField()
    gateway = serializers.CharField()
    idempotency_key = serializers.CharField()
    ledger_transaction_id = serializers.IntegerField(source="settlement_id", allow_null=True)
    test_money = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    settled_at = serializers.DateTimeField(allow_null=True)

    def get_test_money(self, payment) -> bool:
        return is_test_money(payment.gateway)
