"""What the model takes: the applicant's fields, their ranges, and their validation.

Every field is snake_case and means the same thing in the app's profile, in the API and in the
LendingClub training data (``data.py`` maps LendingClub's columns onto these names).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from communitylend.core.money import TERMS

PURPOSES = (
    "debt_consolidation", "credit_card", "home_improvement", "major_purchase", "medical", "car",
    "business", "education", "other",
)
# LendingClub's purposes that are not ours; also accepted by ``validate_input`` (CSV imports).
PURPOSE_ALIASES = {
    "small_business": "business",
    "educational": "education",
    "wedding": "other",
    "house": "other",
    "moving": "other",
    "vacation": "other",
    "renewable_energy": "other",
}
HOME_OWNERSHIPS = ("RENT", "OWN", "MORTGAGE", "OTHER")
EMPLOYMENT_STATUSES = ("employed", "self_employed", "unemployed", "retired", "student")

REQUIRED_FIELDS = ("loan_amount", "term_months", "purpose", "annual_income")
# Optional fields the model uses; a missing one is imputed and listed in the assessment.
# months_since_last_delinquency is optional too, but None there means "never delinquent".
OPTIONAL_MODEL_FIELDS = (
    "employment_length", "home_ownership", "debt_to_income", "delinquencies_2y", "inquiries_6m",
    "credit_history_years", "open_credit_lines", "total_credit_lines", "revolving_balance",
    "revolving_utilization", "public_records", "public_record_bankruptcies",
)
# Accepted but not model inputs: there is no FICO in the training data, and LendingClub does not
# record employment status (see the model card).
IGNORED_FIELDS = ("credit_score", "employment_status")

# field: (lowest, highest, integer?) for the numeric fields.
_NUMERIC_RANGES: dict[str, tuple[float, float, bool]] = {
    "loan_amount": (1, 10_000_000, False),
    "annual_income": (0, 100_000_000, False),
    "employment_length": (0, 80, False),
    "debt_to_income": (0, 1000, False),
    "delinquencies_2y": (0, 100, True),
    "inquiries_6m": (0, 100, True),
    "credit_history_years": (0, 100, False),
    "open_credit_lines": (0, 1000, True),
    "total_credit_lines": (0, 1000, True),
    "revolving_balance": (0, 100_000_000, False),
    "revolving_utilization": (0, 1000, False),
    "public_records": (0, 100, True),
    "public_record_bankruptcies": (0, 100, True),
    "months_since_last_delinquency": (0, 1200, False),
    "credit_score": (300, 850, True),
}


class InputError(ValueError):
    """An input the model cannot take; ``field`` names it, ``message`` says why in plain words."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ApplicantInput:
    """One application, validated. Money in dollars, rates and ratios in percent, None = not given.

    ``employment_length`` is in years (values above 10 count as "10+", as in the training data).
    ``months_since_last_delinquency`` None means never delinquent.
    ``credit_score`` and ``employment_status`` are accepted and carried but not used by the model.
    """

    loan_amount: float
    term_months: int
    purpose: str
    annual_income: float
    employment_length: float | None = None
    home_ownership: str | None = None
    debt_to_income: float | None = None
    delinquencies_2y: int | None = None
    inquiries_6m: int | None = None
    credit_history_years: float | None = None
    open_credit_lines: int | None = None
    total_credit_lines: int | None = None
    revolving_balance: float | None = None
    revolving_utilization: float | None = None
    public_records: int | None = None
    public_record_bankruptcies: int | None = None
    months_since_last_delinquency: float | None = None
    credit_score: int | None = None
    employment_status: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELD_NAMES = tuple(f.name for f in fields(ApplicantInput))


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(field: str, value: Any) -> float:
    if isinstance(value, bool):
        raise InputError(field, "must be a number, not true/false")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, (Decimal, str)):
        try:
            number = float(Decimal(str(value).strip().replace(",", "")))
        except (InvalidOperation, ValueError):
            raise InputError(field, f"must be a number, got {value!r}") from None
    else:
        raise InputError(field, f"must be a number, got {type(value).__name__}")
    if not math.isfinite(number):
        raise InputError(field, "must be a finite number")
    return number


def _numeric(field: str, value: Any) -> float | int:
    low, high, integer = _NUMERIC_RANGES[field]
    number = _number(field, value)
    if integer and number != int(number):
        raise InputError(field, f"must be a whole number, got {value!r}")
    if not low <= number <= high:
        raise InputError(field, f"must be between {low:,} and {high:,}, got {value!r}")
    return int(number) if integer else number


def _choice(field: str, value: Any, choices: tuple[str, ...], aliases: dict[str, str],
            upper: bool = False) -> str:
    if not isinstance(value, str):
        raise InputError(field, f"must be one of {', '.join(choices)}")
    text = value.strip()
    text = text.upper() if upper else text.lower()
    text = aliases.get(text, text)
    if text not in choices:
        raise InputError(field, f"must be one of {', '.join(choices)}, got {value!r}")
    return text


def validate_input(data: Any) -> ApplicantInput:
    """Check ``data`` (a mapping or an ``ApplicantInput``) and return a clean ``ApplicantInput``.

    Raises ``InputError(field, message)`` for a missing required field, a wrong type or a value out
    of range. Unknown keys are ignored, so a caller may pass a whole form's data.
    """
    if isinstance(data, ApplicantInput):
        data = data.as_dict()
    if not hasattr(data, "get"):
        raise InputError("inputs", "must be a mapping of field names to values")
    for field in REQUIRED_FIELDS:
        if _is_missing(data.get(field)):
            raise InputError(field, "is required")

    clean: dict[str, Any] = {}
    for field in FIELD_NAMES:
        value = data.get(field)
        if _is_missing(value):
            clean[field] = None
        elif field == "term_months":
            term = _number(field, value)
            if term not in TERMS:
                raise InputError(field, f"must be one of {', '.join(map(str, TERMS))} months, "
                                        f"got {value!r}")
            clean[field] = int(term)
        elif field == "purpose":
            clean[field] = _choice(field, value, PURPOSES, PURPOSE_ALIASES)
        elif field == "home_ownership":
            clean[field] = _choice(field, value, HOME_OWNERSHIPS, {"NONE": "OTHER"}, upper=True)
        elif field == "employment_status":
            clean[field] = _choice(field, value, EMPLOYMENT_STATUSES,
                                   {"self-employed": "self_employed"})
        else:
            clean[field] = _numeric(field, value)
    return ApplicantInput(**clean)
