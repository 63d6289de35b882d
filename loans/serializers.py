from decimal import Decimal

from rest_framework import serializers

from communitylend.api import MAX_ID, DecimalInput, RateOutput

from .models import GRADES, MAX_LOAN, MIN_BID, MIN_LOAN, TERMS, Bid, Loan, Purpose
from .selectors import SORTS


class BorrowerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    first_name = serializers.CharField()
    credit_score = serializers.IntegerField(allow_null=True)
    verification_status = serializers.CharField()


class LoanSerializer(serializers.ModelSerializer):
    """API.md's loan: the list and the detail carry the same fields."""

    interest_rate = serializers.SerializerMethodField()
    max_rate = RateOutput()
    floor_rate = RateOutput()
    recommended_rate = RateOutput()
    clearing_rate = RateOutput(allow_null=True)
    apr = RateOutput()
    funded_amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    funded_percent = serializers.IntegerField()
    borrower = BorrowerSerializer()
    risk_grade = serializers.CharField()
    rate_below_floor = serializers.BooleanField()

    class Meta:
        model = Loan
        fields = [
            "id", "amount", "requested_amount", "interest_rate", "max_rate", "term_months",
            "purpose", "status", "risk_grade", "model_grade", "ml_score", "probability_default",
            "floor_rate", "recommended_rate", "monthly_payment", "total_payment", "apr",
            "origination_fee", "funded_amount", "funded_percent", "bid_count", "clearing_rate",
            "funding_deadline", "acceptance_deadline", "created_at", "disbursed_at",
            "description", "collateral_description", "rate_below_floor", "borrower",
        ]

    def get_interest_rate(self, loan) -> float:
        rate = loan.interest_rate if loan.interest_rate is not None else loan.max_rate
        return float(rate.quantize(Decimal("0.01")))


class LoanCreateSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_LOAN,
                                      max_value=MAX_LOAN)
    interest_rate = DecimalInput(max_digits=5, decimal_places=2,
                                             min_value=Decimal("0.01"),
                                             max_value=Decimal("36.00"),
                                             help_text="Your maximum rate, percent a year.")
    term_months = serializers.ChoiceField(choices=TERMS)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True,
                                        default="")
    collateral_description = serializers.CharField(max_length=1000, required=False,
                                                   allow_blank=True, default="")


class LoanCreateResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    loan = LoanSerializer()
    warning = serializers.CharField(required=False)


class LoanListQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, required=False, default=1)
    limit = serializers.IntegerField(min_value=1, required=False, default=20)
    status = serializers.ChoiceField(choices=["all", *[s for s, _ in Loan._meta.get_field(
        "status").choices]], required=False)
    min_amount = DecimalInput(max_digits=12, decimal_places=2, min_value=0,
                                          required=False)
    max_amount = DecimalInput(max_digits=12, decimal_places=2, min_value=0,
                                          required=False)
    risk_grade = serializers.CharField(required=False, max_length=20)
    term_months = serializers.ChoiceField(choices=TERMS, required=False)
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False)
    sort_by = serializers.ChoiceField(choices=list(SORTS), required=False, default="createdAt")
    sort_order = serializers.ChoiceField(choices=["asc", "desc"], required=False,
                                         default="desc")

    def validate_limit(self, value):
        return min(value, 100)

    def validate_risk_grade(self, value):
        grades = [g.strip().upper() for g in value.split(",") if g.strip()]
        bad = [g for g in grades if g not in GRADES]
        if bad:
            raise serializers.ValidationError(f"unknown grade {bad[0]}; use A, B, C, D or E")
        return grades


class LenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class BidSerializer(serializers.ModelSerializer):
    loan_id = serializers.IntegerField()
    rate = RateOutput()
    lender = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()

    class Meta:
        model = Bid
        fields = ["id", "loan_id", "amount", "accepted_amount", "rate", "status", "placed_at",
                  "mine", "lender"]

    def _viewer(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_mine(self, bid) -> bool:
        viewer = self._viewer()
        return bool(viewer and viewer.pk == bid.lender_id)

    def get_lender(self, bid) -> dict | None:
        viewer = self._viewer()
        if viewer is None or not (viewer.is_staff or viewer.pk == bid.lender_id):
            return None
        return {"id": bid.lender_id, "display_name": bid.lender.display_name}


BID_AMOUNT_ERRORS = {"min_value": f"The minimum bid is {MIN_BID}",
                     "max_value": f"A bid cannot be more than {MAX_LOAN:,.2f}"}


class BidCreateSerializer(serializers.Serializer):
    loan_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_BID,
                                      max_value=MAX_LOAN, error_messages=BID_AMOUNT_ERRORS)
    rate = DecimalInput(max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                    max_value=Decimal("36.00"))


class BidUpdateSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_BID,
                                      max_value=MAX_LOAN, required=False,
                                      error_messages=BID_AMOUNT_ERRORS)
    rate = DecimalInput(max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                    max_value=Decimal("36.00"), required=False)


class AcceptSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_LOAN,
                                      max_value=MAX_LOAN, required=False)


class LenderPreferenceSerializer(serializers.Serializer):
    risk_tolerance = serializers.ChoiceField(choices=["", "conservative", "balanced",
                                                      "aggressive"], required=False, default="")
    min_amount = DecimalInput(max_digits=12, decimal_places=2, min_value=0, required=False,
                              allow_null=True, default=None)
    max_amount = DecimalInput(max_digits=12, decimal_places=2, min_value=0, required=False,
                              allow_null=True, default=None)
    terms = serializers.ListField(child=serializers.ChoiceField(choices=TERMS), required=False,
                                  default=list)


class MatchSerializer(serializers.Serializer):
    loan_id = serializers.IntegerField()
    match_score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class EstimateSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_LOAN,
                          max_value=MAX_LOAN)
    term_months = serializers.ChoiceField(choices=TERMS)
    purpose = serializers.ChoiceField(choices=Purpose.choices)


class MaxRateSerializer(serializers.Serializer):
    interest_rate = DecimalInput(max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
                                 max_value=Decimal("36.00"))


# --- Response shapes (for the OpenAPI schema; the views build these bodies) ----------------------


class PaginationSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total = serializers.IntegerField()
    total_pages = serializers.IntegerField()


class LoanListResponseSerializer(serializers.Serializer):
    loans = LoanSerializer(many=True)
    pagination = PaginationSerializer()


class LoanResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    loan = LoanSerializer()


class BidResponseSerializer(serializers.Serializer):
    success = serializers.BooleanField()
    bid = BidSerializer()


class BidListResponseSerializer(serializers.Serializer):
    bids = BidSerializer(many=True)


class OrderBookResponseSerializer(serializers.Serializer):
    bids = BidSerializer(many=True)
    clearing_rate = serializers.FloatField(allow_null=True)
    funded_amount = serializers.CharField(help_text="Money, two decimals")
    bid_count = serializers.IntegerField()
