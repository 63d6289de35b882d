"""Scoring applicants with a trained bundle: PD, grade, risk score, rates and plain-word factors.

Explanations: for each field the applicant gave, the PD is recomputed with that field set to the
typical applicant's value (``bundle.reference_raw``); the difference is the field's impact. The few
largest impacts become the factors. All rows of a batch go through the models at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from .features import IMPUTABLE_FIELDS, RAW_FIELDS, engineer, raw_from_inputs
from .model import Bundle, assign_grades
from .pricing import GRADES, pd_for_term, quoted_rates, to_rate
from .schema import HOME_OWNERSHIPS, PURPOSES, ApplicantInput, validate_input

MAX_FACTORS = 5
MIN_FACTORS = 3
MIN_IMPACT = 0.001  # a field moving the PD by less than 0.1 point is not worth naming


@dataclass(frozen=True)
class Assessment:
    probability_default: float  # over the loan's own term
    grade: str
    risk_score: int  # 0-100, higher = riskier: percentile among the training loans
    recommended_rate: Decimal  # earns funding cost + margin at this PD and term, 2 places
    floor_rate: Decimal  # earns the funding cost at this PD and term, percent a year, 2 places
    factors: list[dict[str, Any]]  # {"feature", "direction" ("raises"|"lowers"), "text", "impact"}
    imputed: list[str]  # fields not given, assumed typical
    model_version: str
    notes: list[str] = field(default_factory=list)  # plain words for each imputed field


# --- plain words ----------------------------------------------------------------------------------

_PURPOSE_WORDS = {
    "debt_consolidation": "borrowing to consolidate debt",
    "credit_card": "borrowing to pay off credit cards",
    "home_improvement": "borrowing for home improvement",
    "major_purchase": "borrowing for a major purchase",
    "medical": "borrowing for medical costs",
    "car": "borrowing for a car",
    "business": "borrowing for a business",
    "education": "borrowing for education",
    "other": "borrowing for other purposes",
}
_HOME_WORDS = {"RENT": "renting your home", "OWN": "owning your home outright",
               "MORTGAGE": "owning your home with a mortgage", "OTHER": "other housing"}
_LABELS = {
    "loan_amount": "loan amount", "term_months": "term", "purpose": "purpose",
    "annual_income": "annual income", "employment_length": "employment length",
    "home_ownership": "home ownership", "debt_to_income": "debt-to-income",
    "delinquencies_2y": "delinquencies in the last 2 years",
    "inquiries_6m": "credit inquiries in the last 6 months",
    "credit_history_years": "length of credit history", "open_credit_lines": "open credit lines",
    "total_credit_lines": "total credit lines", "revolving_balance": "revolving balance",
    "revolving_utilization": "revolving utilisation", "public_records": "public records",
    "public_record_bankruptcies": "bankruptcies on record",
    "months_since_last_delinquency": "months since the last delinquency",
}


def _count(n: float, one: str, many: str) -> str:
    n = int(round(n))
    return f"having {'no' if n == 0 else n} {one if n == 1 else many}"


def describe(field_name: str, value: float) -> str:
    """A field's value in plain words, as the subject of "raises risk" / "lowers risk"."""
    v = value
    match field_name:
        case "loan_amount":
            return f"loan amount ${v:,.0f}"
        case "term_months":
            return f"{int(v)}-month term"
        case "purpose":
            return _PURPOSE_WORDS[PURPOSES[int(v)]]
        case "annual_income":
            return f"annual income ${v:,.0f}"
        case "employment_length":
            if v >= 10:
                return "10+ years employed"
            if v < 1:
                return "less than a year employed"
            return f"{v:g} year{'' if v == 1 else 's'} employed"
        case "home_ownership":
            return _HOME_WORDS[HOME_OWNERSHIPS[int(v)]]
        case "debt_to_income":
            return f"debt-to-income {v:.0f}%"
        case "delinquencies_2y":
            return _count(v, "delinquency in the last 2 years", "delinquencies in the last 2 years")
        case "inquiries_6m":
            return _count(v, "credit inquiry in the last 6 months",
                          "credit inquiries in the last 6 months")
        case "credit_history_years":
            return "credit history under a year" if v < 1 else f"{v:.0f}-year credit history"
        case "open_credit_lines":
            return _count(v, "open credit line", "open credit lines")
        case "total_credit_lines":
            return _count(v, "credit line in total", "credit lines in total")
        case "revolving_balance":
            return f"revolving balance ${v:,.0f}"
        case "revolving_utilization":
            return f"revolving utilisation {v:.0f}%"
        case "public_records":
            return _count(v, "derogatory public record", "derogatory public records")
        case "public_record_bankruptcies":
            return _count(v, "bankruptcy on record", "bankruptcies on record")
        case "months_since_last_delinquency":
            if np.isnan(v):
                return "no delinquency on record"
            return f"last delinquency {v:.0f} months ago"
    raise KeyError(field_name)


def imputed_note(field_name: str, typical: float) -> str:
    """Plain words for a field that was not given and was assumed typical."""
    if field_name == "months_since_last_delinquency":
        return ("months since the last delinquency not given (assumed typical of applicants "
                f"with a delinquency: {typical:.0f})")
    if field_name == "home_ownership":
        shown = _HOME_WORDS[HOME_OWNERSHIPS[int(typical)]]
    elif field_name in ("debt_to_income", "revolving_utilization"):
        shown = f"{typical:.0f}%"
    elif field_name == "revolving_balance":
        shown = f"${typical:,.0f}"
    elif field_name in ("employment_length", "credit_history_years"):
        shown = f"{typical:.0f} years"
    else:
        shown = f"{typical:.0f}"
    return f"{_LABELS[field_name]} not given (assumed typical: {shown})"


# --- scoring ------------------------------------------------------------------------------------

def _validated(items: Iterable[Any]) -> list[ApplicantInput]:
    return [item if isinstance(item, ApplicantInput) else validate_input(item) for item in items]


def _pd_over_term(bundle: Bundle, raw_imputed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    model_pd = bundle.model_pd(engineer(raw_imputed))
    return model_pd, pd_for_term(model_pd, raw_imputed[:, RAW_FIELDS.index("term_months")])


def assess_many(bundle: Bundle, items: Iterable[Mapping[str, Any] | ApplicantInput]
                ) -> list[Assessment]:
    """Assess a batch in one pass through the models (validating mappings first)."""
    applicants = _validated(items)
    n = len(applicants)
    if n == 0:
        return []
    raw_imputed, imputed_mask = bundle.imputer.apply(raw_from_inputs(applicants))
    n_fields = len(RAW_FIELDS)
    reference = bundle.reference_raw

    # Row block 0: the applicants; block k+1: field k set to the reference value.
    stacked = np.repeat(raw_imputed[np.newaxis], n_fields + 1, axis=0)
    for k in range(n_fields):
        stacked[k + 1, :, k] = reference[k]
    model_pd, term_pd = _pd_over_term(bundle, stacked.reshape(-1, n_fields))
    model_pd, term_pd = model_pd.reshape(n_fields + 1, n), term_pd.reshape(n_fields + 1, n)
    impacts = term_pd[0] - term_pd[1:]  # fields x applicants

    same = np.isclose(raw_imputed, reference) | (np.isnan(raw_imputed) & np.isnan(reference))
    imputed_cols = [RAW_FIELDS.index(f) for f in IMPUTABLE_FIELDS]
    was_imputed = np.zeros_like(same)
    was_imputed[:, imputed_cols] = imputed_mask
    impacts[(same | was_imputed).T] = 0.0

    grades = assign_grades(model_pd[0], bundle.grade_thresholds)
    percentiles = np.interp(model_pd[0], bundle.pd_quantiles,
                            np.linspace(0, 100, len(bundle.pd_quantiles)))
    scores = np.clip(np.rint(percentiles), 0, 100).astype(int).tolist()
    floors, recommendations = quoted_rates(term_pd[0], [a.term_months for a in applicants],
                                           bundle.pricing)
    results = []
    for i in range(n):
        grade = GRADES[int(grades[i])]
        floor, recommended = to_rate(floors[i]), to_rate(recommendations[i])
        imputed = [f for j, f in enumerate(IMPUTABLE_FIELDS) if imputed_mask[i, j]]
        results.append(Assessment(
            probability_default=float(term_pd[0, i]),
            grade=grade,
            risk_score=scores[i],
            recommended_rate=recommended,
            floor_rate=floor,
            factors=_factors(impacts[:, i], raw_imputed[i]),
            imputed=imputed,
            model_version=bundle.version,
            notes=[imputed_note(f, raw_imputed[i, RAW_FIELDS.index(f)]) for f in imputed],
        ))
    return results


def _factors(impacts: np.ndarray, raw_row: np.ndarray) -> list[dict[str, Any]]:
    order = np.argsort(-np.abs(impacts), kind="stable")
    chosen = [k for k in order[:MAX_FACTORS] if abs(impacts[k]) >= MIN_IMPACT]
    if len(chosen) < MIN_FACTORS:
        chosen = [k for k in order[:MIN_FACTORS] if impacts[k] != 0.0]
    factors = []
    for k in chosen:
        direction = "raises" if impacts[k] > 0 else "lowers"
        name = RAW_FIELDS[k]
        factors.append({"feature": name, "direction": direction,
                        "text": f"{describe(name, raw_row[k])} {direction} risk",
                        "impact": round(float(impacts[k]), 4)})
    return factors


def assess(bundle: Bundle, item: Mapping[str, Any] | ApplicantInput) -> Assessment:
    """Assess one applicant (a mapping is validated first; ``InputError`` names a bad field)."""
    return assess_many(bundle, [item])[0]
