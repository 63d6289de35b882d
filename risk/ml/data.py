"""The LendingClub 2007-2011 training data, mapped onto the applicant fields of ``schema.py``."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from .schema import PURPOSE_ALIASES, PURPOSES

DEFAULT_DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "lendingclub_2007_2011.csv.gz"

# The columns of LendingClub's file that the project keeps (see risk/data/PROVENANCE.md): model
# inputs, the outcome and issue date, LendingClub's own pricing (for comparison only), the state
# (for the fair-lending review only) and what the loans paid back and when (for the pricing's cash
# flows: see cashflows.py).
SOURCE_COLUMNS = (
    "loan_amnt", "funded_amnt", "term", "int_rate", "grade", "sub_grade", "emp_length",
    "home_ownership", "annual_inc", "issue_d", "loan_status", "purpose", "addr_state", "dti",
    "delinq_2yrs", "earliest_cr_line", "inq_last_6mths", "mths_since_last_delinq", "open_acc",
    "pub_rec", "revol_bal", "revol_util", "total_acc", "pub_rec_bankruptcies", "total_rec_prncp",
    "recoveries", "total_pymnt", "total_rec_int", "last_pymnt_d",
)

DEFAULTED = {"Charged Off", "Does not meet the credit policy. Status:Charged Off"}
REPAID = {"Fully Paid", "Does not meet the credit policy. Status:Fully Paid"}

_EMP_LENGTH_YEARS = {"< 1 year": 0.0, "1 year": 1.0, "10+ years": 10.0}
_EMP_LENGTH_YEARS.update({f"{n} years": float(n) for n in range(2, 10)})


def file_sha256(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def reduce_source(source: Path | str, destination: Path | str = DEFAULT_DATA_PATH) -> str:
    """Write the project's copy of the data: ``SOURCE_COLUMNS`` of ``source``, values untouched,
    gzip with a fixed timestamp so the same input gives the same bytes. Returns its sha256."""
    frame = pd.read_csv(source, usecols=list(SOURCE_COLUMNS), dtype=str, keep_default_na=False)
    text = frame[list(SOURCE_COLUMNS)].to_csv(index=False, lineterminator="\n")
    with open(destination, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                        filename="") as handle:
        handle.write(text.encode("utf-8"))
    return file_sha256(destination)


def load_loans(path: Path | str = DEFAULT_DATA_PATH) -> pd.DataFrame:
    """The loans with a final outcome, one row each, in the applicant fields' names and units.

    Columns: every model field of ``ApplicantInput``, ``defaulted`` (1 charged off, 0 fully paid),
    ``issue_d`` and, not for modelling, ``grade``, ``sub_grade``, ``int_rate`` (percent),
    ``addr_state``, and what the loan paid back: ``funded_amnt``, ``total_rec_prncp``,
    ``recoveries``, ``total_pymnt``, ``total_rec_int``, ``last_pymnt_d`` (NaT: never paid).
    Loans whose outcome is neither (none in this file) and the 4 without an income are dropped.
    """
    raw = pd.read_csv(path, usecols=list(SOURCE_COLUMNS), low_memory=False)
    raw = raw[raw["loan_status"].isin(DEFAULTED | REPAID)]
    raw = raw[raw["annual_inc"].notna()].reset_index(drop=True)

    issued = pd.to_datetime(raw["issue_d"])
    earliest = pd.to_datetime(raw["earliest_cr_line"])
    purpose = raw["purpose"].map(lambda p: PURPOSE_ALIASES.get(p, p))
    assert purpose.isin(PURPOSES).all(), "unmapped LendingClub purpose"

    # 2007-2008 rows record "never delinquent" as 0 instead of blank; a delinquency 0 months ago
    # with no delinquency in the last 2 years is impossible, so those zeros mean never.
    since_delinquency = raw["mths_since_last_delinq"].astype(float)
    since_delinquency = since_delinquency.mask((since_delinquency == 0) & (raw["delinq_2yrs"] == 0))

    return pd.DataFrame({
        "loan_amount": raw["loan_amnt"].astype(float),
        "term_months": raw["term"].astype(int),
        "purpose": purpose,
        "annual_income": raw["annual_inc"].astype(float),
        "employment_length": raw["emp_length"].map(_EMP_LENGTH_YEARS).astype(float),
        "home_ownership": raw["home_ownership"].replace({"NONE": "OTHER"}),
        "debt_to_income": raw["dti"].astype(float),
        "delinquencies_2y": raw["delinq_2yrs"].astype(float),
        "inquiries_6m": raw["inq_last_6mths"].astype(float),
        "credit_history_years": ((issued - earliest).dt.days / 365.25).clip(lower=0),
        "open_credit_lines": raw["open_acc"].astype(float),
        "total_credit_lines": raw["total_acc"].astype(float),
        "revolving_balance": raw["revol_bal"].astype(float),
        "revolving_utilization": raw["revol_util"].astype(float) * 100,
        "public_records": raw["pub_rec"].astype(float),
        "public_record_bankruptcies": raw["pub_rec_bankruptcies"].astype(float),
        "months_since_last_delinquency": since_delinquency,
        "defaulted": raw["loan_status"].isin(DEFAULTED).astype(np.int8),
        "issue_d": issued,
        "grade": raw["grade"],
        "sub_grade": raw["sub_grade"],
        "int_rate": raw["int_rate"].astype(float) * 100,
        "addr_state": raw["addr_state"],
        "funded_amnt": raw["funded_amnt"].astype(float),
        "total_rec_prncp": raw["total_rec_prncp"].astype(float),
        "recoveries": raw["recoveries"].astype(float),
        "total_pymnt": raw["total_pymnt"].astype(float),
        "total_rec_int": raw["total_rec_int"].astype(float),
        "last_pymnt_d": pd.to_datetime(raw["last_pymnt_d"]),
    })
