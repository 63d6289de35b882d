"""Repayment API (the original platform's contract): schedule/pay, history, payoff."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from communitylend.core.api import MAX_ID, DecimalInput, data_with_idempotency_key
from communitylend.core.errors import ApplicationError, NotFound
from loans.models import SERVICED, Loan
from payments.models import ApplyTo, Installment, Repayment

from .selectors import payoff_quote, schedule_summary
from .services import repayment_for_key, repayment_schedule

MONEY = {"max_digits": 14, "decimal_places": 2}


class RepaymentSerializer(serializers.ModelSerializer):
    loan_id = serializers.IntegerField()

    class Meta:
        model = Repayment
        fields = ["id", "loan_id", "kind", "status", "amount", "scheduled_for", "paid_on",
                  "principal", "interest", "late_fees", "servicing_fees", "failure_reason",
                  "apply_to", "created_at"]


class InstallmentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(source="total", **MONEY)
    principal_amount = serializers.DecimalField(source="principal", **MONEY)
    interest_amount = serializers.DecimalField(source="interest", **MONEY)

    class Meta:
        model = Installment
        fields = ["number", "due_date", "amount", "principal_amount", "interest_amount",
                  "principal_paid", "interest_paid", "late_fee", "late_fee_paid", "status"]


class ScheduleRequestSerializer(serializers.Serializer):
    loan_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=Decimal("0.01"),
                          max_value=10_000_000)
    payment_date = serializers.DateField()
    idempotency_key = serializers.CharField(max_length=80, required=False)
    apply_to = serializers.ChoiceField(choices=ApplyTo.choices, default=ApplyTo.INSTALLMENT,
                                       help_text="installment: what is due, then the next "
                                       "installment ahead, then principal; principal: what is "
                                       "due, the interest accrued to the day, then principal")


def _loan_for(request, loan_id: int, *, lenders_too: bool):
    """The loan if the user is its borrower, one of its lenders (when allowed) or staff."""
    loan = Loan.objects.filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("Loan not found")
    user = request.user
    if user.is_staff or loan.borrower_id == user.pk:
        return loan
    if lenders_too and loan.notes.filter(lender=user).exists():
        return loan
    raise NotFound("Loan not found")


SCHEDULE_RESPONSE = inline_serializer("PaymentScheduleResponse", {
    "success": serializers.BooleanField(), "payment": RepaymentSerializer()})


class PaymentScheduleApi(APIView):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "money"

    @extend_schema(request=ScheduleRequestSerializer,
                   responses={201: SCHEDULE_RESPONSE, 200: SCHEDULE_RESPONSE})
    def post(self, request):
        """201 with the payment; the same idempotency key again answers 200 with the original
        (a different amount, date or applyTo under that key is a 400)."""
        data = ScheduleRequestSerializer(data=data_with_idempotency_key(request))
        data.is_valid(raise_exception=True)
        values = data.validated_data
        _loan_for(request, values["loan_id"], lenders_too=False)
        key = values.get("idempotency_key")
        seen = key is not None and repayment_for_key(loan_id=values["loan_id"], key=key)
        payment = repayment_schedule(borrower=request.user, loan_id=values["loan_id"],
                                     amount=values["amount"],
                                     payment_date=values["payment_date"],
                                     idempotency_key=key, apply_to=values["apply_to"])
        return Response({"success": True, "payment": RepaymentSerializer(payment).data},
                        status=status.HTTP_200_OK if seen else status.HTTP_201_CREATED)


class PaymentHistoryApi(APIView):
    @extend_schema(responses={200: inline_serializer("PaymentHistoryResponse", {
        "payments": RepaymentSerializer(many=True),
        "schedule": InstallmentSerializer(many=True),
        "summary": inline_serializer("PaymentSummary", {
            "total_paid": serializers.DecimalField(**MONEY),
            "remaining_balance": serializers.DecimalField(**MONEY),
            "next_payment_due": serializers.DateField(allow_null=True),
            "next_payment_amount": serializers.DecimalField(allow_null=True, **MONEY)})})})
    def get(self, request, loan_id: int):
        loan = _loan_for(request, loan_id, lenders_too=True)
        summary = schedule_summary(loan, timezone.localdate())
        money = serializers.DecimalField(**MONEY)
        return Response({
            "payments": RepaymentSerializer(loan.repayments.order_by("-created_at")[:500],
                                            many=True).data,
            "schedule": InstallmentSerializer(loan.installments.order_by("number"),
                                              many=True).data,
            "summary": {
                "total_paid": money.to_representation(summary["total_paid"]),
                "remaining_balance": money.to_representation(summary["remaining_balance"]),
                "next_payment_due": summary["next_payment_due"],
                "next_payment_amount": money.to_representation(summary["next_payment_amount"])
                if summary["next_payment_amount"] is not None else None,
            },
        })


class PayoffApi(APIView):
    @extend_schema(parameters=[OpenApiParameter("date", str)], responses={200: inline_serializer(
        "PayoffResponse", {"payoff_amount": serializers.DecimalField(**MONEY),
                           "principal": serializers.DecimalField(**MONEY),
                           "interest": serializers.DecimalField(**MONEY),
                           "fees": serializers.DecimalField(**MONEY)})})
    def get(self, request, loan_id: int):
        loan = _loan_for(request, loan_id, lenders_too=False)
        raw = request.query_params.get("date")
        try:
            day = date.fromisoformat(raw) if raw else timezone.localdate()
        except ValueError:
            raise ApplicationError("date must be YYYY-MM-DD", field="date") from None
        if loan.status not in SERVICED:
            raise ApplicationError(f"Loan #{loan.pk} is {loan.status}: nothing to pay off")
        quote = payoff_quote(loan, day)
        money = serializers.DecimalField(**MONEY)
        return Response({"payoff_amount": money.to_representation(quote.payoff_amount),
                         "principal": money.to_representation(quote.principal),
                         "interest": money.to_representation(quote.interest),
                         "fees": money.to_representation(quote.fees),
                         "date": day})
