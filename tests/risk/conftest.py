"""Fixtures for the risk engine's tests: plain pytest, no database, no Django settings.

The model is trained once per test run (``fit_only``, a few seconds) and shared read-only.
"""

import numpy as np
import pytest

from risk.ml import ApplicantInput, load_loans, save_bundle


@pytest.fixture(scope="session")
def risk_bundle(risk_artifact):
    """The one model the whole test run trains (tests/conftest.py: ``risk_artifact``)."""
    return risk_artifact[0]


@pytest.fixture(scope="session")
def saved_bundle(risk_bundle, tmp_path_factory):
    """(path, sha256) of ``risk_bundle`` saved once for the artifact tests."""
    path = tmp_path_factory.mktemp("risk-artifact") / "model.joblib"
    return path, save_bundle(risk_bundle, path)


@pytest.fixture(scope="session")
def lending_club_applicants():
    """50 real LendingClub applications as the app would send them (missing values left out)."""
    loans = load_loans().sample(50, random_state=7)
    fields = [f for f in ApplicantInput.__dataclass_fields__ if f in loans.columns]
    return [{k: v for k, v in row.items() if not (isinstance(v, float) and np.isnan(v))}
            for row in loans[fields].to_dict("records")]


@pytest.fixture
def applicant():
    """A complete, ordinary application."""
    return {
        "loan_amount": 12000, "term_months": 36, "purpose": "debt_consolidation",
        "annual_income": 58000, "employment_length": 4, "home_ownership": "RENT",
        "debt_to_income": 16.5, "delinquencies_2y": 0, "inquiries_6m": 1,
        "credit_history_years": 11.0, "open_credit_lines": 8, "total_credit_lines": 19,
        "revolving_balance": 9000, "revolving_utilization": 48.0, "public_records": 0,
        "public_record_bankruptcies": 0, "months_since_last_delinquency": None,
        "credit_score": 705, "employment_status": "employed",
    }
