"""From applicant fields to the model's feature matrix: encoding, imputation, engineered ratios.

Everything here is plain numpy so that one assessment costs microseconds, and the training frame
and a single ``ApplicantInput`` go through exactly the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .schema import HOME_OWNERSHIPS, OPTIONAL_MODEL_FIELDS, PURPOSES, ApplicantInput

# The raw columns, in order: the model fields of ApplicantInput (categoricals as codes).
RAW_FIELDS = (
    "loan_amount", "term_months", "purpose", "annual_income", "employment_length",
    "home_ownership", "debt_to_income", "delinquencies_2y", "inquiries_6m", "credit_history_years",
    "open_credit_lines", "total_credit_lines", "revolving_balance", "revolving_utilization",
    "public_records", "public_record_bankruptcies", "months_since_last_delinquency",
)
R = {name: i for i, name in enumerate(RAW_FIELDS)}
CATEGORIES = {"purpose": PURPOSES, "home_ownership": HOME_OWNERSHIPS}
_CODES = {field: {value: float(i) for i, value in enumerate(values)}
          for field, values in CATEGORIES.items()}

# LendingClub only lent over 36 and 60 months: the model sees the term clamped to that range, and
# shorter terms are priced by scaling the 36-month PD with a constant hazard (see ``pd_for_term``).
MODEL_TERM_RANGE = (36, 60)
# "Never delinquent" is coded as this many months since the last delinquency (data max: 120).
NEVER_DELINQUENT_MONTHS = 240.0
# The installment-to-income ratio uses OUR amortization at a fixed reference rate, never the loan's
# own rate (that would be LendingClub's pricing leaking into the model).
REFERENCE_RATE = 12.0
_INCOME_FLOOR = 1000.0

# The model's columns. ``monotone`` is the sign the gradient-boosting model is constrained to
# (+1: a higher value never lowers the PD; -1: never raises it; 0: free). Employment length and
# credit history length go with age: the model may reward them but never penalise them (in the
# data 10+ years of employment defaults slightly more), which costs 0.0003 of out-of-time AUC.
FEATURES: tuple[tuple[str, int], ...] = (
    ("log_loan_amount", 0),
    ("term_months", +1),
    ("purpose", 0),
    ("log_annual_income", -1),
    ("employment_length", -1),
    ("home_ownership", 0),
    ("debt_to_income", +1),
    ("delinquencies_2y", +1),
    ("inquiries_6m", +1),
    ("credit_history_years", -1),
    ("open_credit_lines", 0),
    ("total_credit_lines", 0),
    ("log_revolving_balance", 0),
    ("revolving_utilization", +1),
    ("public_records", +1),
    ("public_record_bankruptcies", +1),
    ("months_since_last_delinquency", -1),
    ("loan_to_income", +1),
    ("installment_to_income", +1),
    ("revolving_balance_to_income", 0),
)
FEATURE_NAMES = tuple(name for name, _ in FEATURES)
MONOTONE = tuple(sign for _, sign in FEATURES)
CATEGORICAL_MASK = tuple(name in CATEGORIES for name in FEATURE_NAMES)


def raw_from_frame(frame: pd.DataFrame) -> np.ndarray:
    """The raw matrix of a frame with the RAW_FIELDS columns (as ``data.load_loans`` returns)."""
    columns = []
    for field in RAW_FIELDS:
        if field in CATEGORIES:
            columns.append(frame[field].map(_CODES[field]).to_numpy(dtype=float))
        else:
            columns.append(frame[field].to_numpy(dtype=float))
    return np.column_stack(columns)


def raw_from_inputs(inputs: Sequence[ApplicantInput]) -> np.ndarray:
    raw = np.full((len(inputs), len(RAW_FIELDS)), np.nan)
    for row, applicant in enumerate(inputs):
        for col, field in enumerate(RAW_FIELDS):
            value = getattr(applicant, field)
            if value is not None:
                raw[row, col] = _CODES[field][value] if field in CATEGORIES else float(value)
    return raw


@dataclass(frozen=True)
class Imputer:
    """Typical values (training medians; the most common category) for the optional fields, and
    the typical months since the last delinquency of applicants who had one."""

    typical: dict[str, float]
    months_since_delinquency_if_delinquent: float

    @classmethod
    def fit(cls, raw: np.ndarray) -> Imputer:
        typical = {}
        for field in OPTIONAL_MODEL_FIELDS:
            column = raw[:, R[field]]
            column = column[~np.isnan(column)]
            if field in CATEGORIES:
                values, counts = np.unique(column, return_counts=True)
                typical[field] = float(values[np.argmax(counts)])
            else:
                typical[field] = float(np.median(column))
        since = raw[:, R["months_since_last_delinquency"]]
        return cls(typical, float(np.nanmedian(since[raw[:, R["delinquencies_2y"]] > 0])))

    def apply(self, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Impute a copy of ``raw``. Returns it and a boolean matrix (rows x OPTIONAL_MODEL_FIELDS
        + months_since_last_delinquency) of what was imputed.

        A missing months_since_last_delinquency means "never delinquent" and is not imputed,
        except when the applicant reports delinquencies in the last 2 years: then the typical
        value of delinquent applicants is assumed."""
        out = raw.copy()
        imputed = np.zeros((raw.shape[0], len(OPTIONAL_MODEL_FIELDS) + 1), dtype=bool)
        for j, field in enumerate(OPTIONAL_MODEL_FIELDS):
            col = R[field]
            missing = np.isnan(out[:, col])
            if missing.any():
                out[missing, col] = self.typical[field]
                imputed[:, j] = missing
        since = R["months_since_last_delinquency"]
        contradictory = np.isnan(out[:, since]) & (out[:, R["delinquencies_2y"]] > 0)
        out[contradictory, since] = self.months_since_delinquency_if_delinquent
        imputed[:, -1] = contradictory
        return out, imputed


IMPUTABLE_FIELDS = (*OPTIONAL_MODEL_FIELDS, "months_since_last_delinquency")


def installment(amount: np.ndarray, term: np.ndarray, annual_rate: float = REFERENCE_RATE):
    """Monthly payment of equal installments (PMT), the platform's amortization rule."""
    r = annual_rate / 1200.0
    return amount * r / (1.0 - (1.0 + r) ** -term)


def engineer(raw: np.ndarray) -> np.ndarray:
    """The model's feature matrix (columns FEATURE_NAMES) from an imputed raw matrix."""
    amount = raw[:, R["loan_amount"]]
    term = np.clip(raw[:, R["term_months"]], *MODEL_TERM_RANGE)
    income = np.maximum(raw[:, R["annual_income"]], _INCOME_FLOOR)
    revolving = raw[:, R["revolving_balance"]]
    since = raw[:, R["months_since_last_delinquency"]]
    return np.column_stack([
        np.log(amount),
        term,
        raw[:, R["purpose"]],
        np.log(income),
        np.minimum(raw[:, R["employment_length"]], 10.0),
        raw[:, R["home_ownership"]],
        raw[:, R["debt_to_income"]],
        raw[:, R["delinquencies_2y"]],
        raw[:, R["inquiries_6m"]],
        raw[:, R["credit_history_years"]],
        raw[:, R["open_credit_lines"]],
        raw[:, R["total_credit_lines"]],
        np.log1p(revolving),
        raw[:, R["revolving_utilization"]],
        raw[:, R["public_records"]],
        raw[:, R["public_record_bankruptcies"]],
        np.where(np.isnan(since), NEVER_DELINQUENT_MONTHS, np.minimum(since, 200.0)),
        amount / income,
        installment(amount, term) * 12.0 / income,
        revolving / income,
    ])
