"""Repayment API (the original platform's contract): schedule/pay, history, payoff."""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from communitylend.core.api import MAX_ID, DecimalInput, IntegerInput, data_with_idempotency_key
from communitylend.core.errors import ApplicationError, NotFound, PermissionDenied
from loans.models import SERVICED, Loan
from payments.models import ApplyTo, HardshipPlan, Installment, Recovery, Repayment

from .lifecycle import hardship_request, recovery_record
from .selectors import hardship_plan_for, payoff_quote, schedule_summary
from .services import repayment_for_key, repayment_schedule
from .statements import statement_csv, statement_for, statement_pdf, statement_year

MONEY = {"max_digits": 14, "decimal_places": 2}


class RepaymentSerializer(serializers.ModelSerializer):
    loan_id = serializers.IntegerField()

    class Meta:
        model = Repayment
        fields = ["id", "loan_id", "kind", "status", "amount", "scheduled_for", "paid_on",
                  "principal", "interest", "late_fees", "platform_fees", "servicing_fees",
                  "failure_reason", "apply_to", "method", "settles_on", "funds_pending",
                  "returned_on", "return_reason", "created_at"]


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
    method = serializers.ChoiceField(choices=Repayment.Method.choices,
                                     default=Repayment.Method.WALLET,
                                     help_text="wallet: cash in your wallet; bank_debit: from "
                                     "your bank (returnable for 4 business days)")


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
                                     idempotency_key=key, apply_to=values["apply_to"],
                                     method=values["method"])
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


# --- Loan life: hardship plans, recoveries, statements -----------------------------------------


class HardshipPlanSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind")
    loan_id = serializers.IntegerField()

    class Meta:
        model = HardshipPlan
        fields = ["id", "loan_id", "type", "months", "reason", "status", "starts_on", "ends_on",
                  "capitalized", "created_at"]


class HardshipRequestSerializer(serializers.Serializer):
    type = serializers.CharField(max_length=20)
    months = IntegerInput(min_value=-1000, max_value=1000)
    reason = serializers.CharField(max_length=2000, allow_blank=True, trim_whitespace=True)


class HardshipApi(APIView):
    throttle_classes = [UserRateThrottle]

    @extend_schema(responses={200: inline_serializer("HardshipPlanResponse", {
        "plan": HardshipPlanSerializer(allow_null=True)})})
    def get(self, request, loan_id: int):
        """The loan's plan requested or running (the borrower, its lenders, staff)."""
        loan = _loan_for(request, loan_id, lenders_too=True)
        plan = hardship_plan_for(loan)
        return Response({"plan": HardshipPlanSerializer(plan).data if plan else None})

    @extend_schema(request=HardshipRequestSerializer, responses={201: inline_serializer(
        "HardshipRequestResponse", {"success": serializers.BooleanField(),
                                    "plan": HardshipPlanSerializer()})})
    def post(self, request, loan_id: int):
        """The borrower asks for a plan: {type: deferral|reduced, months, reason}; staff decide
        in the admin (two staff members)."""
        data = HardshipRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        _loan_for(request, loan_id, lenders_too=False)
        plan = hardship_request(borrower=request.user, loan_id=loan_id, kind=values["type"],
                                months=values["months"], reason=values["reason"])
        return Response({"success": True, "plan": HardshipPlanSerializer(plan).data},
                        status=status.HTTP_201_CREATED)


class RecoveryRequestSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, max_value=10_000_000)
    source = serializers.ChoiceField(choices=Recovery.Source.choices)
    received_on = serializers.DateField()
    idempotency_key = serializers.CharField(max_length=80, required=False)


def recovery_json(recovery: Recovery) -> dict:
    money = "{:.2f}".format
    return {"id": recovery.pk, "loan_id": recovery.loan_id, "amount": money(recovery.amount),
            "source": recovery.source, "received_on": recovery.received_on,
            "collection_fee": money(recovery.collection_fee),
            "servicing_fees": money(recovery.servicing_fees), "net": money(recovery.net),
            "distributed": [{"note_id": s.note_id, "gross": money(s.gross),
                             "collection_fee": money(s.collection_fee),
                             "servicing_fee": money(s.servicing_fee), "net": money(s.net)}
                            for s in recovery.shares.order_by("note_id")]}


class RecoveryApi(APIView):
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "money"

    @extend_schema(request=RecoveryRequestSerializer, responses={201: inline_serializer(
        "RecoveryResponse", {"success": serializers.BooleanField(),
                             "recovery": serializers.DictField()})})
    def post(self, request, loan_id: int):
        """Staff record a recovery on a charged-off loan: {amount, source: borrower|debt_sale,
        receivedOn}; it is distributed to the charged-off notes at once."""
        if not (request.user.is_staff and request.user.has_perm("payments.add_recovery")):
            raise PermissionDenied("Only staff allowed to add recoveries record them")
        data = RecoveryRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if not Loan.objects.filter(pk=loan_id).exists():
            raise NotFound("Loan not found")
        key = values.get("idempotency_key")
        seen = key is not None and Recovery.objects.filter(
            idempotency_key=f"recovery:{loan_id}:{key}"[:120]).exists()
        recovery = recovery_record(staff=request.user, loan_id=loan_id, amount=values["amount"],
                                   source=values["source"], received_on=values["received_on"],
                                   idempotency_key=key)
        return Response({"success": True, "recovery": recovery_json(recovery)},
                        status=status.HTTP_200_OK if seen else status.HTTP_201_CREATED)


def statement_response(statement, fmt: str):
    """The statement as JSON, or a CSV or PDF download."""
    name = f"communitylend-statement-{statement.year}"
    if fmt == "csv":
        response = HttpResponse(statement_csv(statement), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "pdf":
        response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return Response(statement.as_json())


def statement_format(value) -> str:
    fmt = (value or "json").lower()
    if fmt not in ("json", "csv", "pdf"):
        raise ApplicationError("format must be json, csv or pdf", field="format")
    return fmt


class StatementsApi(APIView):
    def perform_content_negotiation(self, request, force=False):
        # ``?format=csv|pdf`` is this endpoint's own download switch (API.md), not DRF's
        # renderer override: the CSV and PDF are plain HTTP responses.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(parameters=[OpenApiParameter("year", int, required=True),
                               OpenApiParameter("format", str, enum=["json", "csv", "pdf"])],
                   responses={(200, "application/json"): OpenApiTypes.OBJECT,
                              (200, "text/csv"): OpenApiTypes.STR,
                              (200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request):
        """The user's statement for ``year``: {year, lender: {...totals, notes}, borrower:
        {interest, fees}}; ``format=csv|pdf`` downloads it."""
        fmt = statement_format(request.query_params.get("format"))
        year = statement_year(request.query_params.get("year"))
        return statement_response(statement_for(user=request.user, year=year), fmt)
