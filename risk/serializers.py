from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from communitylend.core.api import DecimalInput, IntegerInput
from communitylend.core.money import TERMS
from risk.ml.schema import EMPLOYMENT_STATUSES, HOME_OWNERSHIPS, PURPOSE_ALIASES, PURPOSES


@extend_schema_field({"type": "string", "enum": [*PURPOSES, *PURPOSE_ALIASES]})
class PurposeInput(serializers.CharField):
    """A purpose or one of its aliases (validate_purpose), as the document lists them."""


@extend_schema_field({"type": "string", "enum": list(HOME_OWNERSHIPS), "nullable": True})
class HomeOwnershipInput(serializers.CharField):
    """RENT, OWN, MORTGAGE or OTHER (read case-insensitively: validate_home_ownership)."""


class AssessRiskSerializer(serializers.Serializer):
    """The original platform's contract; ranges are checked again by the model's own validation."""

    loan_amount = DecimalInput(max_digits=14, decimal_places=2, min_value=1,
                                           max_value=10_000_000)
    term_months = serializers.ChoiceField(choices=TERMS)
    purpose = PurposeInput(max_length=40)
    annual_income = DecimalInput(max_digits=14, decimal_places=2, min_value=0,
                                             max_value=100_000_000)
    employment_status = serializers.ChoiceField(choices=EMPLOYMENT_STATUSES)
    credit_score = IntegerInput(min_value=300, max_value=850, required=False,
                                            allow_null=True)
    employment_length = IntegerInput(min_value=0, max_value=50, required=False,
                                                 allow_null=True)
    debt_to_income_ratio = DecimalInput(max_digits=7, decimal_places=2, min_value=0,
                                                    max_value=1000, required=False,
                                                    allow_null=True)
    home_ownership = HomeOwnershipInput(max_length=10, required=False, allow_null=True)
    delinquencies_2y = IntegerInput(min_value=0, max_value=100, required=False,
                                                allow_null=True)
    inquiries_6m = IntegerInput(min_value=0, max_value=100, required=False,
                                            allow_null=True)
    credit_history_years = DecimalInput(max_digits=5, decimal_places=2, min_value=0,
                                                    max_value=100, required=False,
                                                    allow_null=True)
    open_credit_lines = IntegerInput(min_value=0, max_value=1000, required=False,
                                                 allow_null=True)
    total_credit_lines = IntegerInput(min_value=0, max_value=1000, required=False,
                                                  allow_null=True)
    revolving_balance = DecimalInput(max_digits=14, decimal_places=2, min_value=0,
                                     max_value=100_000_000, required=False, allow_null=True)
    revolving_utilization = DecimalInput(max_digits=6, decimal_places=2,
                                                     min_value=0, max_value=1000,
                                                     required=False, allow_null=True)
    public_records = IntegerInput(min_value=0, max_value=100, required=False,
                                              allow_null=True)
    public_record_bankruptcies = IntegerInput(min_value=0, max_value=100,
                                                          required=False, allow_null=True)
    months_since_last_delinquency = IntegerInput(min_value=0, max_value=1200,
                                                             required=False, allow_null=True)

    def validate_purpose(self, value):

        value = PURPOSE_ALIASES.get(value, value)
        if value not in PURPOSES:
            raise serializers.ValidationError(f"must be one of {', '.join(PURPOSES)}")
        return value

    def validate_home_ownership(self, value):
        if value is None:
            return value
        value = value.upper()
        if value not in HOME_OWNERSHIPS:
            raise serializers.ValidationError(f"must be one of {', '.join(HOME_OWNERSHIPS)}")
        return value

    def to_model_inputs(self) -> dict:
        data = {k: v for k, v in self.validated_data.items() if v is not None}
        if "debt_to_income_ratio" in data:
            data["debt_to_income"] = data.pop("debt_to_income_ratio")
        return data


class AssessmentSerializer(serializers.Serializer):
    risk_score = serializers.IntegerField()
    risk_grade = serializers.CharField(source="grade")
    probability_default = serializers.FloatField()
    risk_factors = serializers.ListField(source="factors", child=serializers.DictField())
    imputed_fields = serializers.ListField(source="imputed", child=serializers.CharField())
    recommended_interest_rate = serializers.DecimalField(source="recommended_rate", max_digits=7,
                                                         decimal_places=2, coerce_to_string=False)
    floor_rate = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    model_version = serializers.CharField(source="model_version.version")
