"""Scoring with the active model version, and registering new versions.

The app loads the active version's artifact and checks its sha256 on load: a missing or tampered
artifact raises ``RiskModelUnavailable`` with a clear message, never a silent fallback.
"""

import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.flags import flag_enabled
from accounts.models import FeatureFlag
from communitylend.core.errors import ApplicationError

from .models import ModelVersion, RiskAssessment


class RiskModelUnavailable(ApplicationError):
    status_code = 503


_cache_lock = threading.Lock()
_cache: dict[tuple[str, str, str], object] = {}


def _resolve(path: str) -> Path:
    candidate = Path(path)
    return candidate if candidate.is_absolute() else Path(settings.BASE_DIR) / candidate


def active_version() -> ModelVersion:
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None:
        raise RiskModelUnavailable(
            "No risk model is active: run `python manage.py train_risk_model` first"
        )
    return version


def bundle_for(version: ModelVersion):
    """The loaded model of ``version`` (cached per process, keyed by version and sha256)."""
    from risk import ml  # scikit-learn loads in seconds: only when a model is used

    key = (version.version, version.artifact_sha256, version.artifact_path)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    try:
        bundle = ml.load_bundle(_resolve(version.artifact_path), version.artifact_sha256)
    except ml.ModelArtifactError as exc:
        raise RiskModelUnavailable(f"Risk model {version.version} cannot be loaded: {exc}") from exc
    with _cache_lock:
        _cache.clear()
        _cache[key] = bundle
    return bundle


def active_bundle():
    return bundle_for(active_version())


@transaction.atomic
def model_version_register(*, bundle, artifact_path: Path, artifact_sha256: str,
                           card_path: Path | None = None, activate: bool = True) -> ModelVersion:
    metrics = dict(getattr(bundle, "metrics", {}) or {})
    version, _ = ModelVersion.objects.update_or_create(
        version=bundle.version,
        defaults={
            "trained_at": getattr(bundle, "trained_at", None) or timezone.now(),
            "data_hash": bundle.data_hash,
            "metrics": metrics,
            "artifact_path": str(artifact_path),
            "artifact_sha256": artifact_sha256,
            "card_path": str(card_path or ""),
        },
    )
    if activate:
        ModelVersion.objects.exclude(pk=version.pk).filter(is_active=True).update(is_active=False)
        ModelVersion.objects.filter(pk=version.pk).update(is_active=True)
        version.is_active = True
    return version


def _years_since(day: date | None) -> float | None:
    if day is None:
        return None
    return round((timezone.localdate() - day).days / 365.25, 2)


def inputs_from_profile(user, *, loan_amount, term_months: int, purpose: str) -> dict:
    """The model's inputs for ``user`` applying for a loan: what the profile holds, and the
    application. Missing optional fields stay None; the model imputes them and says so."""
    inputs = {
        "loan_amount": Decimal(loan_amount),
        "term_months": term_months,
        "purpose": purpose,
        "annual_income": user.annual_income,
        "employment_status": user.employment_status or None,
        "employment_length": user.employment_length,
        "home_ownership": user.home_ownership or None,
        "debt_to_income": user.debt_to_income,
        "credit_score": user.credit_score,
        "credit_history_years": _years_since(user.earliest_credit_line),
        "open_credit_lines": user.open_credit_lines,
        "total_credit_lines": user.total_credit_lines,
        "revolving_balance": user.revolving_balance,
        "revolving_utilization": user.revolving_utilization,
        "inquiries_6m": user.inquiries_6m,
        "delinquencies_2y": user.delinquencies_2y,
        "months_since_last_delinquency": user.months_since_last_delinquency,
        "public_records": user.public_records,
        "public_record_bankruptcies": user.public_record_bankruptcies,
    }
    return {key: value for key, value in inputs.items() if value is not None}


def _jsonable(inputs: dict) -> dict:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in inputs.items()}


def _score(inputs: dict):
    from risk import ml  # scikit-learn loads in seconds: only when a model is used

    version = active_version()
    bundle = bundle_for(version)
    try:
        validated = ml.validate_input(inputs)
    except ml.InputError as exc:
        raise ApplicationError(str(exc.message if hasattr(exc, "message") else exc),
                               field=getattr(exc, "field", None)) from exc
    return version, ml.assess(bundle, validated)


# With ENABLE_ML_SCORING off, an application is graded by its credit score (the bands a lender
# reading a bureau report would use), one grade lower when debts take over 35% of income, and
# priced at that grade's pooled PD from the active model version's pricing tables (the cash-flow
# pricing is not the scoring model: it stays). Staff-graded imports keep the grade staff gave.
FALLBACK_GRADE_BANDS = ((740, "A"), (700, "B"), (660, "C"), (620, "D"))
FALLBACK_HIGH_DTI = 35.0
FALLBACK_RISK_SCORES = {"A": 10, "B": 30, "C": 50, "D": 70, "E": 90}


def fallback_grade(*, credit_score: int | None, debt_to_income: float | None) -> str:
    grade = next((g for floor, g in FALLBACK_GRADE_BANDS
                  if credit_score is not None and credit_score >= floor), "E")
    if debt_to_income is not None and debt_to_income > FALLBACK_HIGH_DTI and grade != "E":
        grade = chr(ord(grade) + 1)
    return grade


def _fallback_score(inputs: dict):
    from risk import ml  # scikit-learn loads in seconds: only when a model is used

    version = active_version()
    bundle = bundle_for(version)
    try:
        item = ml.validate_input(inputs)
    except ml.InputError as exc:
        raise ApplicationError(str(exc.message if hasattr(exc, "message") else exc),
                               field=getattr(exc, "field", None)) from exc
    grade = fallback_grade(credit_score=item.credit_score, debt_to_income=item.debt_to_income)
    pd = ml.grade_probability_default(bundle, grade, item.term_months)
    score = "not given" if item.credit_score is None else str(item.credit_score)
    dti = "" if item.debt_to_income is None else f", debt-to-income {item.debt_to_income:g}%"
    factors = [{"feature": "fallback_rule", "direction": "raises", "impact": 0.0,
                "text": f"Machine-learning scoring is off: graded {grade} by the fallback rule "
                        f"(credit score {score}{dti})"}]
    return version, ml.Assessment(
        probability_default=pd, grade=grade,
        # the middle of the grade's fifth of the score range (no model, no percentile)
        risk_score=FALLBACK_RISK_SCORES[grade],
        recommended_rate=ml.grade_recommended_rate(bundle, grade, item.term_months),
        floor_rate=ml.grade_floor_rate(bundle, grade, item.term_months), factors=factors,
        imputed=[], model_version=version.version)


def ml_scoring_enabled() -> bool:
    return flag_enabled(FeatureFlag.ML_SCORING)


def risk_assess(*, inputs: dict, user=None, source: str = RiskAssessment.Source.API,
                save: bool = True) -> RiskAssessment:
    """Score ``inputs`` with the active model (or, with ENABLE_ML_SCORING off, the fallback
    rule) and record the assessment."""
    version, result = _score(inputs) if ml_scoring_enabled() else _fallback_score(inputs)
    assessment = RiskAssessment(
        user=user if user is not None and user.pk else None,
        source=source,
        inputs=_jsonable(inputs),
        imputed=list(result.imputed),
        probability_default=Decimal(str(round(result.probability_default, 4))),
        risk_score=result.risk_score,
        grade=result.grade,
        recommended_rate=result.recommended_rate,
        floor_rate=result.floor_rate,
        factors=list(result.factors),
        model_version=version,
    )
    if save:
        assessment.save()
    return assessment


def grade_floor_rate(grade: str, term_months: int) -> Decimal:
    """The floor rate of ``grade`` for ``term_months`` under the active model's pricing."""
    from risk import ml  # scikit-learn loads in seconds: only when a model is used

    return ml.grade_floor_rate(active_bundle(), grade, term_months)


def grade_recommended_rate(grade: str, term_months: int) -> Decimal:
    from risk import ml  # scikit-learn loads in seconds: only when a model is used

    return ml.grade_recommended_rate(active_bundle(), grade, term_months)


def active_pricing():
    """The active model version's pricing (``risk.ml.Pricing``), or None when no model is active
    or its artifact cannot be loaded: listings then show no expected figures rather than fail."""
    try:
        return active_bundle().pricing
    except RiskModelUnavailable:
        return None


def expected_loss_share(*, pricing, probability_default, term_months: int) -> Decimal:
    """The share of the principal lent that ``pricing`` expects a loan of that PD and term to
    lose (PD x principal a defaulting loan neither repays nor recovers), 4 places."""
    # Loaded with the bundle that gave ``pricing``; numpy-only, but the package pulls scikit-learn.
    from risk.ml import loss_share

    share = loss_share(float(probability_default), term_months, pricing)
    return Decimal(repr(share)).quantize(Decimal("0.0001"))


def expected_figures(*, pricing, probability_default, term_months: int, rate
                     ) -> tuple[Decimal, Decimal]:
    """(expected loss rate, expected net return), percent a year with 2 places, for a loan of
    ``probability_default`` over ``term_months`` lent at ``rate`` (DESIGN.md, "Pricing")."""
    # Loaded with the bundle that gave ``pricing``; numpy-only, but the package pulls scikit-learn.
    from risk.ml import expected_loss_rate, expected_net_return

    pd, rate = float(probability_default), float(rate)
    return (expected_loss_rate(pd, term_months, rate, pricing),
            expected_net_return(pd, term_months, rate, pricing))
