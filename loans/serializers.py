from decimal import Decimal

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communitylend.core.api import MAX_ID, DecimalInput, IntegerInput, RateOutput
from communitylend.core.money import CENT, GRADES, TERMS

from .models import MAX_LOAN, MIN_BID, MIN_LOAN, Bid, Loan, Purpose
from .pricing import active_pricing, listing_expected
from .selectors import SORTS, BadCursor, ListCursor, bid_standings


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
    expected_loss_rate = serializers.SerializerMethodField(
        help_text="Percent a year of the balance lost to expected defaults, net of recoveries")
    expected_net_return = serializers.SerializerMethodField(
        help_text="Percent a year a lender can expect at the clearing rate (the borrower's "
                  "maximum before it is covered), after expected losses and the 1% fee")

    class Meta:
        model = Loan
        fields = [
            "id", "amount", "requested_amount", "interest_rate", "max_rate", "term_months",
            "purpose", "status", "risk_grade", "model_grade", "ml_score", "probability_default",
            "floor_rate", "recommended_rate", "monthly_payment", "total_payment", "apr",
            "origination_fee", "funded_amount", "funded_percent", "bid_count", "clearing_rate",
            "funding_deadline", "acceptance_deadline", "created_at", "disbursed_at",
            "description", "collateral_description", "rate_below_floor", "borrower",
            "expected_loss_rate", "expected_net_return",
        ]

    def _pricing(self):
        """The active model's pricing, read once per serializer (the list's 50 loans share it);
        a view may pass it in the context as ``pricing``."""
        if "pricing" not in self.context:
            self.root._context = {**getattr(self.root, "_context", {}),
                                  "pricing": active_pricing()}
        return self.context["pricing"]

    def get_expected_loss_rate(self, loan) -> float | None:
        return listing_expected(loan, self._pricing())[0]

    def get_expected_net_return(self, loan) -> float | None:
        return listing_expected(loan, self._pricing())[1]

    def get_interest_rate(self, loan) -> float:
        rate = loan.interest_rate if loan.interest_rate is not None else loan.max_rate
        return float(rate.quantize(Decimal("0.01")))

    def to_representation(self, loan):
        """The same output as the generic field-by-field path (a test compares them on every
        kind of loan), without its per-field overhead: the list serializes 50 loans a request."""
        money, rate, dt = _money, _rate, _datetime
        borrower = loan.borrower
        expected = listing_expected(loan, self._pricing())
        return {
            "id": loan.pk, "amount": money(loan.amount),
            "requested_amount": money(loan.requested_amount),
            "interest_rate": self.get_interest_rate(loan), "max_rate": rate(loan.max_rate),
            "term_months": loan.term_months, "purpose": loan.purpose, "status": loan.status,
            "risk_grade": loan.risk_grade, "model_grade": loan.model_grade,
            "ml_score": loan.ml_score,
            "probability_default": None if loan.probability_default is None
            else f"{loan.probability_default.quantize(PD_PLACES):f}",
            "floor_rate": rate(loan.floor_rate), "recommended_rate": rate(loan.recommended_rate),
            "monthly_payment": money(loan.monthly_payment),
            "total_payment": money(loan.total_payment), "apr": rate(loan.apr),
            "origination_fee": money(loan.origination_fee),
            "funded_amount": money(loan.funded_amount), "funded_percent": loan.funded_percent,
            "bid_count": loan.bid_count,
            "clearing_rate": None if loan.clearing_rate is None else rate(loan.clearing_rate),
            "funding_deadline": dt(loan.funding_deadline),
            "acceptance_deadline": dt(loan.acceptance_deadline),
            "created_at": dt(loan.created_at), "disbursed_at": dt(loan.disbursed_at),
            "description": loan.description,
            "collateral_description": loan.collateral_description,
            "rate_below_floor": loan.rate_below_floor,
            "borrower": {"id": borrower.pk, "first_name": borrower.first_name,
                         "credit_score": borrower.credit_score,
                         "verification_status": borrower.verification_status},
            "expected_loss_rate": expected[0], "expected_net_return": expected[1],
        }


PD_PLACES = Decimal("0.0001")


def _money(value: Decimal) -> str:
    """DRF's DecimalField(decimal_places=2) with COERCE_DECIMAL_TO_STRING."""
    return f"{value.quantize(CENT):f}"


def _rate(value: Decimal) -> Decimal:
    """RateOutput: the rate quantized to two places (rendered as a JSON number)."""
    return value.quantize(CENT)


def _datetime(value):
    """DRF's DateTimeField in ISO 8601: in the current time zone, UTC written as Z."""
    if value is None:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class LoanCreateSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_LOAN,
                                      max_value=MAX_LOAN)
    interest_rate = DecimalInput(max_digits=7, decimal_places=4,
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


@extend_schema_field({"type": "string", "maxLength": 20,
                     "pattern": r"^[\s,]*[A-Ea-e]\s*(?:,[\s,]*[A-Ea-e]\s*)*[\s,]*$",
                     "description": "one grade or several, comma-separated (A, B, C, D, E)"})
class GradesInput(serializers.CharField):
    """``?riskGrade=A`` or ``?riskGrade=a,B``: validate_risk_grade reads it."""


class LoanListQuerySerializer(serializers.Serializer):
    # A page beyond this would ask the database for an offset out of its range.
    page = IntegerInput(min_value=1, max_value=1_000_000, required=False, default=1)
    limit = IntegerInput(min_value=1, required=False, default=20)
    status = serializers.ChoiceField(choices=["all", *[s for s, _ in Loan._meta.get_field(
        "status").choices]], required=False)
    min_amount = DecimalInput(max_digits=12, decimal_places=2, min_value=0,
                                          required=False)
    max_amount = DecimalInput(max_digits=12, decimal_places=2, min_value=0,
                                          required=False)
    risk_grade = GradesInput(required=False, max_length=20)
    term_months = serializers.ChoiceField(choices=TERMS, required=False)
    purpose = serializers.ChoiceField(choices=Purpose.choices, required=False)
    sort_by = serializers.ChoiceField(choices=list(SORTS), required=False, default="createdAt")
    sort_order = serializers.ChoiceField(choices=["asc", "desc"], required=False,
                                         default="desc")
    after = serializers.CharField(
        required=False, max_length=200,
        help_text="keyset pagination: the previous page's pagination.nextCursor; the rows after "
                  "it (page is then ignored)")

    def validate_limit(self, value):
        return min(value, 100)

    def validate(self, attrs):

        if attrs.get("after"):
            try:
                attrs["after"] = ListCursor.decode(attrs["after"], attrs["sort_by"],
                                                   attrs["sort_order"])
            except BadCursor as exc:
                raise serializers.ValidationError({"after": str(exc)}) from None
        else:
            attrs.pop("after", None)
        return attrs

    def validate_risk_grade(self, value):
        grades = [g.strip().upper() for g in value.split(",") if g.strip()]
        bad = [g for g in grades if g not in GRADES]
        if bad:
            raise serializers.ValidationError(f"unknown grade {bad[0]}; use A, B, C, D or E")
        return grades


class BidSerializer(serializers.ModelSerializer):
    loan_id = serializers.IntegerField()
    rate = RateOutput(decimal_places=4)  # bids carry up to 4 decimals
    lender = serializers.SerializerMethodField()
    mine = serializers.SerializerMethodField()
    standing = serializers.SerializerMethodField()

    class Meta:
        model = Bid
        fields = ["id", "loan_id", "amount", "accepted_amount", "rate", "status", "placed_at",
                  "mine", "lender", "standing"]

    def get_standing(self, bid) -> str | None:
        """The viewer's own bids only (API.md, "My bids"): winning, partly_winning, outbid, won,
        lost or withdrawn. Views that list many bids pass ``standings`` in the context."""
        viewer = self._viewer()
        if viewer is None or viewer.pk != bid.lender_id:
            return None
        standings = self.context.get("standings")
        if standings is None:
            standings = bid_standings([bid])
        return standings.get(bid.pk)

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
    loan_id = IntegerInput(min_value=1, max_value=MAX_ID)
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_BID,
                                      max_value=MAX_LOAN, error_messages=BID_AMOUNT_ERRORS)
    rate = DecimalInput(max_digits=7, decimal_places=4, min_value=Decimal("0.0001"),
                                    max_value=Decimal("36.00"))


class BidUpdateSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_BID,
                                      max_value=MAX_LOAN, required=False,
                                      error_messages=BID_AMOUNT_ERRORS)
    rate = DecimalInput(max_digits=7, decimal_places=4, min_value=Decimal("0.0001"),
                                    max_value=Decimal("36.00"), required=False)


class AcceptSerializer(serializers.Serializer):
    amount = DecimalInput(max_digits=12, decimal_places=2, min_value=MIN_LOAN,
                                      max_value=MAX_LOAN, required=False)
    # Optional here so that the service's refusal (which names the current version) answers a
    # missing one; a value that is not a whole number is refused here, naming the field.
    agreement_version = IntegerInput(min_value=1, required=False, allow_null=True)


class AgreementTermsSerializer(serializers.Serializer):
    amount = serializers.CharField()
    rate = serializers.CharField()
    origination_fee = serializers.CharField()
    amount_received = serializers.CharField()
    apr = serializers.CharField()
    finance_charge = serializers.CharField()
    total_of_payments = serializers.CharField()
    monthly_payment = serializers.CharField()
    schedule = serializers.ListField(child=serializers.DictField())


class AgreementSerializer(serializers.Serializer):
    agreement_version = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    terms = AgreementTermsSerializer()


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


class ExpectedReturnQuerySerializer(serializers.Serializer):
    rate = DecimalInput(max_digits=8, decimal_places=4, min_value=Decimal("0"),
                        max_value=Decimal("100"),
                        help_text="The rate a lender is considering, percent a year (0-100)")


class ExpectedReturnSerializer(serializers.Serializer):
    loan_id = serializers.IntegerField()
    rate = serializers.FloatField()
    expected_loss_rate = serializers.FloatField(allow_null=True)
    expected_net_return = serializers.FloatField(allow_null=True)
    floor_rate = serializers.FloatField()
    recommended_rate = serializers.FloatField()


class MaxRateSerializer(serializers.Serializer):
    interest_rate = DecimalInput(max_digits=7, decimal_places=4, min_value=Decimal("0.01"),
                                 max_value=Decimal("36.00"))


# --- Response shapes (for the OpenAPI schema; the views build these bodies) ----------------------


class PaginationSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    limit = serializers.IntegerField()
    total = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    next_cursor = serializers.CharField(
        allow_null=True, help_text="pass as ?after= for the next page (null on the last page)")


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
