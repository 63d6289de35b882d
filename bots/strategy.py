"""Validation of strategy fields (bots and auto-invest rules share it): the domain rules behind
the API's 400s and the forms' errors. Values arrive already typed (forms and serializers parse
them); this checks ranges, lists and decimals and returns the cleaned values."""

from decimal import Decimal, InvalidOperation

from communitylend.core.errors import ApplicationError
from communitylend.core.money import CENT, GRADES, TERMS
from loans.models import MAX_LOAN, Purpose

from .models import STRATEGY_FIELDS

HUNDRED = Decimal("100")

# field -> (lowest, highest, what it is); None means no bound on that side.
DECIMAL_RANGES = {
    "max_debt_to_income": (Decimal("0"), Decimal("200"), "percent"),
    "loan_share": (CENT, HUNDRED, "percent of capital"),
    "min_per_loan": (Decimal("0"), MAX_LOAN, "amount"),
    "max_per_loan": (CENT, MAX_LOAN, "amount"),
    "max_capital_use": (CENT, HUNDRED, "percent of capital"),
    "borrower_limit": (CENT, HUNDRED, "percent of capital"),
    "rate_spread": (Decimal("-10"), Decimal("10"), "points"),
    "rate_jitter": (Decimal("0"), Decimal("2"), "points"),
    "min_rate": (CENT, Decimal("36"), "percent"),
    "min_expected_return": (Decimal("-20"), Decimal("36"), "percent"),
    "rebid_step": (CENT, Decimal("5"), "points"),
    "rebid_floor_margin": (Decimal("0"), Decimal("20"), "points"),
    "cash_reserve": (Decimal("0"), Decimal("1000000000"), "amount"),
    "capital": (CENT, Decimal("1000000000"), "amount"),
}
NULLABLE = {"max_debt_to_income", "min_rate", "min_expected_return"}


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ApplicationError(f"{field} must be a number", field=field) from None
    if not number.is_finite():
        raise ApplicationError(f"{field} must be a number", field=field)
    if number != number.quantize(CENT):
        raise ApplicationError(f"{field} can have at most two decimals", field=field)
    low, high, _ = DECIMAL_RANGES[field]
    if number < 0 and low >= 0:
        raise ApplicationError(f"{field} cannot be negative", field=field)
    if number < low or number > high:
        raise ApplicationError(f"{field} must be between {low} and {high}", field=field)
    return number.quantize(CENT)


def _choices(values, allowed, field: str, label: str, cast=str) -> list:
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        raise ApplicationError(f"{field} must be a list", field=field)
    cleaned = []
    for value in values:
        try:
            item = cast(value)
        except (TypeError, ValueError):
            raise ApplicationError(f"unknown {label} {value!r}", field=field) from None
        if item not in allowed:
            raise ApplicationError(f"unknown {label} {value!r}; choose from "
                                   f"{', '.join(map(str, allowed))}", field=field)
        if item not in cleaned:
            cleaned.append(item)
    return sorted(cleaned)


def clean_strategy(data: dict, *, current: dict | None = None) -> dict:
    """Cleaned strategy (and ``cash_reserve`` / ``capital``) values from ``data``; keys not in
    ``data`` keep their ``current`` value for the cross-field checks. Raises ApplicationError
    naming the field."""
    cleaned: dict = {}
    for field, value in data.items():
        if field in DECIMAL_RANGES:
            cleaned[field] = None if value in (None, "") and field in NULLABLE else \
                _decimal(value, field)
        elif field == "min_credit_score":
            try:
                score = int(value)
            except (TypeError, ValueError):
                raise ApplicationError("min_credit_score must be a whole number",
                                       field=field) from None
            if not 300 <= score <= 850:
                raise ApplicationError("min_credit_score must be between 300 and 850",
                                       field=field)
            cleaned[field] = score
        elif field == "grades":
            cleaned[field] = _choices(value, GRADES, field, "grade", lambda v: str(v).upper())
        elif field == "purposes":
            cleaned[field] = _choices(value, Purpose.values, field, "purpose")
        elif field == "terms":
            cleaned[field] = _choices(value, TERMS, field, "term", int)
        elif field == "grade_limits":
            cleaned[field] = _grade_limits(value)
        elif field in ("verified_only", "enabled"):
            if not isinstance(value, bool):
                raise ApplicationError(f"{field} must be true or false", field=field)
            cleaned[field] = value
        elif field == "name":
            cleaned[field] = str(value or "").strip()[:100]
    merged = {**(current or {}), **cleaned}
    low, high = merged.get("min_per_loan"), merged.get("max_per_loan")
    if low is not None and high is not None and low > high:
        raise ApplicationError("min_per_loan is above max_per_loan", field="min_per_loan")
    return cleaned


def _grade_limits(value) -> dict:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ApplicationError("grade_limits must map grades to percents, e.g. {\"C\": 30}",
                               field="grade_limits")
    limits = {}
    for grade, percent in value.items():
        key = str(grade).upper()
        if key not in GRADES:
            raise ApplicationError(f"unknown grade {grade!r} in grade_limits; choose from "
                                   f"{', '.join(GRADES)}", field="grade_limits")
        if percent in (None, ""):
            continue
        try:
            number = Decimal(str(percent))
        except (InvalidOperation, ValueError):
            raise ApplicationError(f"grade_limits[{key}] must be a number",
                                   field="grade_limits") from None
        if not number.is_finite() or number < 0 or number > HUNDRED:
            raise ApplicationError(f"grade_limits[{key}] must be between 0 and 100",
                                   field="grade_limits")
        limits[key] = str(number.quantize(CENT))
    return dict(sorted(limits.items()))


def strategy_values(obj) -> dict:
    """The strategy fields of a bot or rule, as a dict."""
    return {name: getattr(obj, name) for name in STRATEGY_FIELDS}
