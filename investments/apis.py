from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from communitylend.core.api import IntegerInput

from .market.selectors import model_values
from .models import Note
from .selectors import notes_of, payments_received, portfolio_summary, with_loan_life

MONEY = {"max_digits": 14, "decimal_places": 2}


class NoteSerializer(serializers.ModelSerializer):
    loan_id = serializers.IntegerField()
    grade = serializers.CharField(source="loan.risk_grade")
    loan_status = serializers.CharField(source="loan.status")
    rate = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    amount = serializers.DecimalField(source="principal", **MONEY)
    recoveries = serializers.DecimalField(**MONEY, read_only=True, default="0.00")
    hardship_plan = serializers.SerializerMethodField()
    model_value = serializers.SerializerMethodField()
    purchase_price = serializers.DecimalField(allow_null=True, **MONEY)

    class Meta:
        model = Note
        fields = ["id", "loan_id", "grade", "loan_status", "amount", "principal", "rate",
                  "status", "outstanding_principal", "model_value", "principal_received",
                  "interest_received", "late_fees_received", "servicing_fees_paid",
                  "charged_off_principal", "sold_principal", "capitalized_principal",
                  "purchase_price", "acquired_from", "recoveries", "hardship_plan", "created_at"]

    @extend_schema_field(inline_serializer("NoteHardshipPlan", {
        "type": serializers.CharField(), "months": serializers.IntegerField(),
        "starts_on": serializers.DateField(), "ends_on": serializers.DateField(),
        "status": serializers.CharField()}, allow_null=True))
    def get_hardship_plan(self, note):
        plan = getattr(note, "hardship_plan", None)
        if plan is None:
            return None
        return {"type": plan.kind, "months": plan.months, "starts_on": plan.starts_on,
                "ends_on": plan.ends_on, "status": plan.status}

    def get_model_value(self, note) -> str | None:
        """Expected cash flows at the PD for the loan's status, discounted at the note's rate
        (open notes only)."""
        value = self.context.get("model_values", {}).get(note.pk)
        return None if value is None else f"{value:.2f}"


class SummarySerializer(serializers.Serializer):
    total_invested = serializers.DecimalField(**MONEY)
    expected_return = serializers.DecimalField(**MONEY)
    expected_losses = serializers.DecimalField(**MONEY)
    expected_net_return = serializers.DecimalField(**MONEY)
    actual_return = serializers.DecimalField(**MONEY)
    active_investments = serializers.IntegerField()
    completed_investments = serializers.IntegerField()
    net_annualized_return = serializers.FloatField(allow_null=True)
    outstanding_principal = serializers.DecimalField(**MONEY)
    model_value = serializers.DecimalField(**MONEY)
    sale_proceeds = serializers.DecimalField(**MONEY)
    charged_off = serializers.DecimalField(**MONEY)
    received = serializers.DecimalField(**MONEY)
    recoveries = serializers.DecimalField(**MONEY)
    by_grade = serializers.DictField()


class PortfolioApi(APIView):
    @extend_schema(responses={200: inline_serializer("PortfolioResponse", {
        "investments": NoteSerializer(many=True), "summary": SummarySerializer()})})
    def get(self, request):
        notes = list(notes_of(request.user)[:1000])
        values = model_values(notes, as_of=timezone.localdate())
        whole = len(notes) < 1000  # else the summary reads every note itself
        summary = portfolio_summary(request.user, notes=notes if whole else None,
                                    values=values if whole else None)
        summary["by_grade"] = {g: {k: f"{v:.2f}" for k, v in row.items()}
                               for g, row in summary["by_grade"].items()}
        notes = with_loan_life(request.user, notes)
        return Response({"investments": NoteSerializer(notes, many=True, context={
                            "model_values": values}).data,
                         "summary": SummarySerializer(summary).data})


class PaymentsQuerySerializer(serializers.Serializer):
    year = IntegerInput(min_value=1900, max_value=9999, required=False,
                        help_text="only the payments received in this calendar year")


class PaymentReceivedSerializer(serializers.Serializer):
    """One note's share of one repayment, as the portfolio's payments.csv export has it."""

    date = serializers.DateField(source="repayment.paid_on")
    loan_id = serializers.IntegerField(source="note.loan_id")
    note_id = serializers.IntegerField()
    principal = serializers.DecimalField(**MONEY)
    interest = serializers.DecimalField(**MONEY)
    late_fee = serializers.DecimalField(**MONEY)
    servicing_fee = serializers.DecimalField(**MONEY)
    net = serializers.DecimalField(**MONEY)


MAX_PAYMENTS = 10_000


class PaymentsReceivedApi(APIView):
    """The payments export (``/portfolio/export/payments.csv``) for API clients: every payment
    the lender's notes received, oldest first (at most 10,000; ``?year=`` narrows it)."""

    @extend_schema(parameters=[PaymentsQuerySerializer], responses={200: inline_serializer(
        "PaymentsReceivedResponse", {"year": serializers.IntegerField(allow_null=True),
                                     "payments": PaymentReceivedSerializer(many=True)})})
    def get(self, request):
        query = PaymentsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year")
        rows = payments_received(request.user, year=year)[:MAX_PAYMENTS]
        return Response({"year": year, "payments": PaymentReceivedSerializer(rows, many=True).data})
