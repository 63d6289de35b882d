from decimal import Decimal

from rest_framework import serializers

from communitylend.core.api import DecimalInput, IntegerInput, KeyedDictField
from communitylend.core.money import GRADES, TERMS
from loans.models import MAX_LOAN, Purpose

from .models import AutoInvestRule
from .services import RULE_FIELDS


def _percent(**kwargs):
    return DecimalInput(max_digits=5, decimal_places=2, required=False, **kwargs)


def _money(**kwargs):
    return DecimalInput(max_digits=12, decimal_places=2, required=False, **kwargs)



class AutoInvestRuleSerializer(serializers.ModelSerializer):
    """A rule as the API shows it (camelCase on the wire); percents are of the capital the rule
    works with: the user's cash and investments less the cash reserve."""

    class Meta:
        model = AutoInvestRule
        fields = ["id", *RULE_FIELDS, "last_run_at", "created_at", "updated_at"]


class AutoInvestRuleInputSerializer(serializers.Serializer):
    """Types and plain ranges; the service checks the rest (e.g. min_per_loan <= max_per_loan).
    Every field is optional: POST fills the defaults, PATCH changes what it is given."""

    name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False)
    cash_reserve = _money(min_value=Decimal("0"))
    min_credit_score = IntegerInput(min_value=300, max_value=850, required=False)
    max_debt_to_income = _percent(min_value=Decimal("0"), max_value=Decimal("200"),
                                  allow_null=True)
    grades = serializers.ListField(child=serializers.ChoiceField(choices=GRADES),
                                   required=False)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=Purpose.choices),
                                     required=False)
    terms = serializers.ListField(child=serializers.ChoiceField(choices=TERMS), required=False)
    verified_only = serializers.BooleanField(required=False)
    loan_share = _percent(min_value=Decimal("0.01"), max_value=Decimal("100"))
    min_per_loan = _money(min_value=Decimal("0"), max_value=MAX_LOAN)
    max_per_loan = _money(min_value=Decimal("0.01"), max_value=MAX_LOAN)
    max_capital_use = _percent(min_value=Decimal("0.01"), max_value=Decimal("100"))
    grade_limits = KeyedDictField(
        keys=GRADES, child=DecimalInput(max_digits=5, decimal_places=2, min_value=Decimal("0"),
                           max_value=Decimal("100")), required=False)
    borrower_limit = _percent(min_value=Decimal("0.01"), max_value=Decimal("100"))
    rate_spread = _percent(min_value=Decimal("-10"), max_value=Decimal("10"))
    rate_jitter = _percent(min_value=Decimal("0"), max_value=Decimal("2"))
    min_rate = _percent(min_value=Decimal("0.01"), max_value=Decimal("36"), allow_null=True)
    min_expected_return = _percent(min_value=Decimal("-20"), max_value=Decimal("36"),
                                   allow_null=True)
    rebid_step = _percent(min_value=Decimal("0.01"), max_value=Decimal("5"))
    rebid_floor_margin = _percent(min_value=Decimal("0"), max_value=Decimal("20"))
