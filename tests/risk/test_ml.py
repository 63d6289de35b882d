"""The credit-risk engine (risk.ml): validation, scoring, grades, pricing, artifacts, factors."""

import gzip
import subprocess
import sys
import time
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risk.ml import (
    DEFAULT_DATA_PATH,
    GRADES,
    PURPOSES,
    TERMS,
    ApplicantInput,
    InputError,
    ModelArtifactError,
    assess,
    assess_many,
    floor_rate,
    grade_floor_rate,
    grade_recommended_rate,
    load_bundle,
    recommended_rate,
    save_bundle,
    train_and_evaluate,
    validate_input,
    write_model_card,
)
from risk.ml.data import SOURCE_COLUMNS, file_sha256
from risk.ml.schema import OPTIONAL_MODEL_FIELDS

MINIMAL = {"loan_amount": 10000, "term_months": 36, "purpose": "credit_card",
           "annual_income": 50000}


# --- validation -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("change", "field"), [
    ({"loan_amount": None}, "loan_amount"),
    ({"loan_amount": 0}, "loan_amount"),
    ({"loan_amount": 20_000_000}, "loan_amount"),
    ({"loan_amount": "lots"}, "loan_amount"),
    ({"term_months": 48}, "term_months"),
    ({"term_months": None}, "term_months"),
    ({"purpose": "yacht"}, "purpose"),
    ({"purpose": ""}, "purpose"),
    ({"annual_income": -1}, "annual_income"),
    ({"annual_income": float("nan")}, "annual_income"),
    ({"debt_to_income": "abc"}, "debt_to_income"),
    ({"debt_to_income": -3}, "debt_to_income"),
    ({"revolving_utilization": True}, "revolving_utilization"),
    ({"inquiries_6m": 1.5}, "inquiries_6m"),
    ({"delinquencies_2y": -1}, "delinquencies_2y"),
    ({"home_ownership": "castle"}, "home_ownership"),
    ({"employment_status": "astronaut"}, "employment_status"),
    ({"credit_score": 900}, "credit_score"),
    ({"months_since_last_delinquency": -5}, "months_since_last_delinquency"),
])
def test_it_names_the_field_of_a_bad_input(change, field):
    with pytest.raises(InputError) as caught:
        validate_input({**MINIMAL, **change})
    assert caught.value.field == field
    assert field in str(caught.value)
    assert caught.value.message


def test_it_refuses_something_that_is_not_a_mapping():
    with pytest.raises(InputError):
        validate_input(["loan_amount", 1000])


def test_it_accepts_lending_club_names_strings_and_decimals():
    clean = validate_input({"loan_amount": Decimal("2500.50"), "term_months": "60",
                            "purpose": "small_business", "annual_income": "75,000",
                            "home_ownership": "none", "employment_status": "Self-Employed",
                            "debt_to_income": "", "unknown_field": "ignored"})
    assert clean == ApplicantInput(loan_amount=2500.5, term_months=60, purpose="business",
                                   annual_income=75000.0, home_ownership="OTHER",
                                   employment_status="self_employed")


def test_an_applicant_input_passes_validation_unchanged(applicant):
    clean = validate_input(applicant)
    assert validate_input(clean) == clean


# --- imputation -----------------------------------------------------------------------------------

def test_missing_optional_fields_are_imputed_and_listed(risk_bundle):
    result = assess(risk_bundle, MINIMAL)
    assert result.imputed == list(OPTIONAL_MODEL_FIELDS)
    assert len(result.notes) == len(result.imputed)
    assert all("not given (assumed typical" in note for note in result.notes)


def test_a_complete_application_imputes_nothing(risk_bundle, applicant):
    result = assess(risk_bundle, applicant)
    assert result.imputed == []
    assert result.notes == []


def test_a_blank_months_since_delinquency_means_never_unless_delinquencies_are_reported(
        risk_bundle, applicant):
    assert "months_since_last_delinquency" not in assess(risk_bundle, applicant).imputed
    delinquent = {**applicant, "delinquencies_2y": 2}
    assert "months_since_last_delinquency" in assess(risk_bundle, delinquent).imputed


def test_credit_score_and_employment_status_are_accepted_but_do_not_move_the_pd(
        risk_bundle, applicant):
    base = assess(risk_bundle, applicant).probability_default
    for status in ("employed", "self_employed", "unemployed", "retired", "student", None):
        for score in (300, 850, None):
            changed = {**applicant, "employment_status": status, "credit_score": score}
            assert assess(risk_bundle, changed).probability_default == base


# --- the probability of default -------------------------------------------------------------------

@pytest.mark.parametrize(("field", "values", "rising"), [
    ("debt_to_income", [0, 5, 10, 15, 20, 25, 30, 40, 60], True),
    ("revolving_utilization", [0, 20, 40, 60, 80, 100, 120], True),
    ("inquiries_6m", [0, 1, 2, 3, 5, 8], True),
    ("delinquencies_2y", [0, 1, 2, 4], True),
    ("public_records", [0, 1, 2], True),
    ("public_record_bankruptcies", [0, 1, 2], True),
    ("term_months", [12, 24, 36, 60], True),
    ("employment_length", [0, 1, 3, 5, 10, 15], False),
    ("credit_history_years", [1, 3, 8, 15, 30], False),
])
def test_the_pd_moves_one_way_with_monotone_fields(risk_bundle, lending_club_applicants, field,
                                                   values, rising):
    for base in lending_club_applicants[:20]:
        pds = [assess(risk_bundle, {**base, field: v}).probability_default for v in values]
        steps = np.diff(pds)
        assert (steps >= -1e-12).all() if rising else (steps <= 1e-12).all(), (field, pds)


def test_shorter_terms_scale_the_36_month_pd_by_term(risk_bundle, applicant):
    pd36 = assess(risk_bundle, applicant).probability_default
    pd12 = assess(risk_bundle, {**applicant, "term_months": 12}).probability_default
    assert pd12 == pytest.approx(pd36 * 12 / 36)


def test_probabilities_and_risk_scores_are_in_range(risk_bundle, lending_club_applicants):
    results = assess_many(risk_bundle, lending_club_applicants)
    for result in results:
        assert 0.0 < result.probability_default < 1.0
        assert 0 <= result.risk_score <= 100
        assert result.model_version == risk_bundle.version


def test_a_riskier_applicant_never_gets_a_lower_risk_score(risk_bundle, applicant):
    utilisations = [0, 30, 60, 90, 120]
    scores = [assess(risk_bundle, {**applicant, "revolving_utilization": u}).risk_score
              for u in utilisations]
    assert scores == sorted(scores)


# --- grades ---------------------------------------------------------------------------------------

def test_grade_thresholds_rise_and_grades_follow_the_pd(risk_bundle, lending_club_applicants):
    assert list(risk_bundle.grade_thresholds) == sorted(set(risk_bundle.grade_thresholds))
    three_year = [a for a in lending_club_applicants if a["term_months"] == 36]
    by_pd = sorted(assess_many(risk_bundle, three_year), key=lambda r: r.probability_default)
    grade_order = [GRADES.index(r.grade) for r in by_pd]
    assert grade_order == sorted(grade_order)
    assert len(set(grade_order)) >= 3


def test_the_holdout_default_rate_rises_strictly_from_a_to_e(risk_bundle):
    rates = [risk_bundle.metrics["grade_default_rates_oot"][g] for g in GRADES]
    assert all(b > a for a, b in zip(rates, rates[1:], strict=False)), rates
    assert min(risk_bundle.metrics["grade_shares_oot"].values()) >= 0.08


# --- pricing --------------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(pd=st.floats(min_value=0.0, max_value=1.0), term=st.sampled_from(TERMS))
def test_rates_are_bounded_with_the_floor_below_the_recommendation(pd, term):
    floor, recommended = floor_rate(pd, term), recommended_rate(pd, term)
    assert floor <= recommended
    assert Decimal("5.00") <= recommended <= Decimal("35.99")
    assert floor.as_tuple().exponent == -2
    assert recommended.as_tuple().exponent == -2


def test_rates_refuse_an_impossible_probability():
    with pytest.raises(ValueError):
        floor_rate(1.5, 36)


def test_grade_floors_rise_from_a_to_e_for_every_term(risk_bundle):
    for term in TERMS:
        floors = [grade_floor_rate(risk_bundle, g, term) for g in GRADES]
        assert floors == sorted(floors) and len(set(floors)) == len(floors), (term, floors)
        for g in GRADES:
            assert grade_floor_rate(risk_bundle, g, term) <= grade_recommended_rate(
                risk_bundle, g, term)
    with pytest.raises(ValueError):
        grade_floor_rate(risk_bundle, "F", 36)


def test_an_assessment_carries_its_own_pds_floor_and_a_rate_not_below_it(
        risk_bundle, lending_club_applicants):
    for applicant, result in zip(lending_club_applicants,
                                 assess_many(risk_bundle, lending_club_applicants), strict=True):
        term = applicant["term_months"]
        assert result.floor_rate == floor_rate(result.probability_default, term, risk_bundle)
        assert result.recommended_rate == recommended_rate(result.probability_default, term,
                                                           risk_bundle)
        assert result.floor_rate <= result.recommended_rate <= Decimal("35.99")
        for rate in (result.floor_rate, result.recommended_rate):
            assert isinstance(rate, Decimal) and rate.as_tuple().exponent == -2


# --- explanations ---------------------------------------------------------------------------------

def test_factors_are_plain_words_that_agree_with_their_impact(risk_bundle,
                                                              lending_club_applicants):
    for result in assess_many(risk_bundle, lending_club_applicants):
        assert 1 <= len(result.factors) <= 5
        for factor in result.factors:
            assert set(factor) == {"feature", "direction", "text", "impact"}
            assert factor["direction"] in ("raises", "lowers")
            assert (factor["impact"] > 0) == (factor["direction"] == "raises")
            text = factor["text"]
            assert isinstance(text, str) and text.endswith(f"{factor['direction']} risk")
            assert "_" not in text and "nan" not in text.lower()
        impacts = [abs(f["impact"]) for f in result.factors]
        assert impacts == sorted(impacts, reverse=True)


def test_an_ordinary_application_gets_three_to_five_factors(risk_bundle, applicant):
    risky = {**applicant, "revolving_utilization": 95, "inquiries_6m": 4, "term_months": 60,
             "annual_income": 30000}
    factors = assess(risk_bundle, risky).factors
    assert 3 <= len(factors) <= 5
    texts = [f["text"] for f in factors]
    assert "60-month term raises risk" in texts
    assert "revolving utilisation 95% raises risk" in texts


def test_a_field_left_blank_is_never_a_factor(risk_bundle):
    result = assess(risk_bundle, MINIMAL)
    assert not {f["feature"] for f in result.factors} & set(result.imputed)


# --- batches --------------------------------------------------------------------------------------

def test_assess_many_equals_assess_one_by_one(risk_bundle, lending_club_applicants):
    batch = assess_many(risk_bundle, lending_club_applicants)
    for applicant, from_batch in zip(lending_club_applicants, batch, strict=True):
        single = assess(risk_bundle, applicant)
        assert from_batch.probability_default == pytest.approx(single.probability_default,
                                                               rel=1e-12)
        assert (from_batch.grade, from_batch.risk_score, from_batch.floor_rate,
                from_batch.recommended_rate, from_batch.imputed) == (
            single.grade, single.risk_score, single.floor_rate, single.recommended_rate,
            single.imputed)
        assert [f["text"] for f in from_batch.factors] == [f["text"] for f in single.factors]
    assert assess_many(risk_bundle, []) == []


def test_a_bad_input_in_a_batch_names_its_field(risk_bundle, applicant):
    with pytest.raises(InputError) as caught:
        assess_many(risk_bundle, [applicant, {**applicant, "purpose": "yacht"}])
    assert caught.value.field == "purpose"


def test_one_assessment_takes_well_under_20_ms(risk_bundle, applicant):
    assess(risk_bundle, applicant)
    timings = []
    for _ in range(200):
        started = time.perf_counter()
        assess(risk_bundle, applicant)
        timings.append(time.perf_counter() - started)
    assert np.percentile(timings, 50) < 0.020


# --- artifacts ------------------------------------------------------------------------------------

def test_a_saved_bundle_loads_back_and_scores_the_same(risk_bundle, saved_bundle, applicant):
    path, digest = saved_bundle
    assert digest == file_sha256(path) and len(digest) == 64
    loaded = load_bundle(path, digest)
    assert loaded.version == risk_bundle.version
    assert assess(loaded, applicant) == assess(risk_bundle, applicant)


def test_a_tampered_artifact_is_refused(saved_bundle, tmp_path):
    path, digest = saved_bundle
    tampered = tmp_path / "model.joblib"
    content = bytearray(path.read_bytes())
    content[len(content) // 2] ^= 0xFF
    tampered.write_bytes(bytes(content))
    with pytest.raises(ModelArtifactError, match="sha256"):
        load_bundle(tampered, digest)


def test_a_missing_artifact_is_refused(tmp_path, saved_bundle):
    _, digest = saved_bundle
    with pytest.raises(ModelArtifactError, match="not found"):
        load_bundle(tmp_path / "nowhere.joblib", digest)


def test_an_artifact_is_never_loaded_unchecked(saved_bundle):
    path, _ = saved_bundle
    with pytest.raises(ModelArtifactError):
        load_bundle(path, "")


def test_a_file_that_is_not_a_bundle_is_refused(tmp_path):
    path = tmp_path / "other.joblib"
    digest = save_bundle({"not": "a bundle"}, path)
    with pytest.raises(ModelArtifactError, match="not a risk model bundle"):
        load_bundle(path, digest)


# --- provenance, packaging ------------------------------------------------------------------------

def test_the_bundle_records_its_data_and_version(risk_bundle):
    assert risk_bundle.data_hash == file_sha256(DEFAULT_DATA_PATH)
    assert risk_bundle.version.startswith("lc-") and risk_bundle.data_hash[:8] in (
        risk_bundle.version)
    assert risk_bundle.trained_at.tzinfo is not None
    assert risk_bundle.pricing.lgd == pytest.approx(0.60, abs=0.01)


def test_the_projects_data_file_keeps_only_the_columns_it_needs():
    with gzip.open(DEFAULT_DATA_PATH, "rt") as handle:
        header = handle.readline().strip().split(",")
    assert header == list(SOURCE_COLUMNS)
    assert "last_pymnt_d" in header and "zip_code" not in header and "installment" not in header


def test_the_engine_does_not_import_django():
    code = "import sys, risk.ml; assert 'django' not in sys.modules, 'django imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_purposes_are_ours():
    assert PURPOSES == ("debt_consolidation", "credit_card", "home_improvement", "major_purchase",
                        "medical", "car", "business", "education", "other")


def test_a_fast_fit_writes_a_model_card_that_says_so(risk_bundle, tmp_path):
    path = write_model_card(risk_bundle, tmp_path)
    text = path.read_text()
    assert path.name == "MODEL_CARD.md"
    assert "Fast fit" in text and "credit_score" in text
    assert (tmp_path / "default_rate_by_grade_oot.png").exists()


# --- full training --------------------------------------------------------------------------------

@pytest.mark.slow
def test_full_training_meets_the_targets(tmp_path):
    started = time.perf_counter()
    bundle = train_and_evaluate()
    elapsed = time.perf_counter() - started
    m = bundle.metrics
    assert m["auc_oot"] >= 0.685
    assert m["auc_cv"] >= 0.67
    assert m["brier_oot"] < m["base_rate_brier_oot"]
    assert m["auc_oot"] > m["lc_subgrade_auc_oot"]
    rates = [m["grade_default_rates_oot"][g] for g in GRADES]
    assert all(b > a for a, b in zip(rates, rates[1:], strict=False)), rates
    assert min(m["grade_shares_oot"].values()) >= 0.08
    assert elapsed < 120

    card = write_model_card(bundle, tmp_path).read_text()
    for png in ("roc_oot.png", "calibration_oot.png", "default_rate_by_grade_oot.png"):
        assert (tmp_path / png).stat().st_size > 1000
        assert png in card
    assert "Fair-lending review" in card and "State region" in card
