"""Training: a logistic regression and a monotone gradient-boosting model, averaged in log-odds and
recalibrated (Platt) on out-of-fold predictions; grade bands, risk-score quantiles and pricing.

``train_and_evaluate`` measures everything the model card reports, then refits on all the data;
``fit_only`` is the fast path for tests (see its docstring for what it skips).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
from scipy.special import expit, logit
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score, roc_curve
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from communitylend.core.money import GRADES

from .cashflows import backtest, check_against_ledger, estimate_cash_flows
from .data import DEFAULT_DATA_PATH, file_sha256, load_loans
from .features import (
    CATEGORICAL_MASK,
    CATEGORIES,
    FEATURE_NAMES,
    MONOTONE,
    RAW_FIELDS,
    Imputer,
    engineer,
    raw_from_frame,
)
from .pricing import DATA_TERMS, Pricing

SEED = 42
OOT_CUTOFF = "2010-12-31"  # train on loans issued up to this day, test out of time on 2011
CV_FOLDS = 5
# LendingClub tightened its credit policy over 2007-2011; loans issued more than 24 months before
# the newest loan in the training data count 0.3 (chosen on a 2010 validation year, not on 2011).
RECENT_MONTHS = 24
OLD_LOAN_WEIGHT = 0.3
LOGISTIC_C = 0.3
BOOSTING_PARAMS = {
    "learning_rate": 0.03, "max_iter": 150, "max_leaf_nodes": 16, "min_samples_leaf": 150,
    "l2_regularization": 3.0,
}
# Candidate cumulative shares of training loans at the upper edges of grades A..D. The first one
# under which the out-of-time default rate rises strictly from A to E, with every grade holding at
# least MIN_GRADE_SHARE of the holdout, sets the PD thresholds.
GRADE_SHARE_CANDIDATES = (
    (0.20, 0.40, 0.60, 0.80),
    (0.15, 0.35, 0.60, 0.82),
    (0.25, 0.50, 0.70, 0.85),
    (0.12, 0.30, 0.55, 0.80),
    (0.10, 0.30, 0.55, 0.80),
)
MIN_GRADE_SHARE = 0.08
PD_QUANTILES = 1001  # 0.0%, 0.1%, ... 100.0% of training loans' PDs, for the risk score
# Training runs on one thread: on a 2-core machine shared with other work, OpenMP's threads spin
# against each other; measured fit_only 6 s on one thread against 11-23 s on two.
TRAINING_THREADS = 1


class ModelArtifactError(Exception):
    """The model artifact is missing, unreadable, or not the one expected (sha256 mismatch)."""


@dataclass
class LinearScorer:
    """A fitted logistic regression reduced to numpy: log-odds = intercept + sum of per-feature
    terms, each one weight x (standardised value) or a per-category table value."""

    intercept: float
    weights: np.ndarray  # per feature; 0 for categorical and dropped features
    centers: np.ndarray
    tables: dict[int, np.ndarray]  # feature index -> log-odds term per category code
    dropped: tuple[str, ...] = ()

    def logit(self, X: np.ndarray) -> np.ndarray:
        z = self.intercept + (np.nan_to_num(X - self.centers) * self.weights).sum(axis=1)
        for j, table in self.tables.items():
            z = z + table[X[:, j].astype(int)]
        return z


@dataclass
class Bundle:
    """Everything scoring needs, and what the model card reports. Plain data + two fitted models."""

    version: str
    trained_at: datetime
    data_hash: str
    seed: int
    mode: str  # "full" (train_and_evaluate) or "fast" (fit_only)
    imputer: Imputer
    linear: LinearScorer
    booster: HistGradientBoostingClassifier
    calibration: dict[int, tuple[float, float]]  # per term (36, 60): PD = expit(a * z + b)
    grade_thresholds: tuple[float, ...]  # upper PD edges of A, B, C, D
    grade_pd: dict[str, dict[int, float]]  # representative PD per grade and term (36, 60)
    pd_quantiles: np.ndarray
    reference_raw: np.ndarray  # the "typical applicant" used by explanations
    pricing: Pricing
    metrics: dict[str, Any] = field(default_factory=dict)
    evaluation: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    sklearn_version: str = sklearn.__version__

    def model_pd(self, X: np.ndarray) -> np.ndarray:
        """PD over max(term, 36) months for engineered rows X (what grades are based on)."""
        return predict_pd(self.linear, self.booster, self.calibration, X)


# --- fitting ---------------------------------------------------------------------------------

def recency_weights(issued: pd.Series) -> np.ndarray:
    newest = issued.max()
    recent = issued > newest - pd.DateOffset(months=RECENT_MONTHS)
    return np.where(recent, 1.0, OLD_LOAN_WEIGHT)


def fit_linear(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> LinearScorer:
    """Logistic regression on standardised numeric features and one-hot categories. A numeric
    feature whose weight comes out against its monotone sign (e.g. a higher debt-to-income lowering
    the PD, given the other features) is dropped and the model refitted, so that the blend keeps
    the boosting model's monotone guarantees."""
    categorical = [j for j, c in enumerate(CATEGORICAL_MASK) if c]
    numeric = [j for j, c in enumerate(CATEGORICAL_MASK) if not c]
    dropped: list[int] = []
    while True:
        kept = [j for j in numeric if j not in dropped]
        columns = ColumnTransformer([
            ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
             categorical),
            ("numeric", StandardScaler(), kept),
        ])
        Z = columns.fit_transform(X)
        regression = LogisticRegression(C=LOGISTIC_C, max_iter=5000)
        regression.fit(Z, y, sample_weight=w)
        coef = regression.coef_[0]
        encoder, scaler = columns.named_transformers_["categorical"], columns.named_transformers_[
            "numeric"]
        n_onehot = sum(len(c) for c in encoder.categories_)
        numeric_coef = coef[n_onehot:]
        wrong = [j for j, c in zip(kept, numeric_coef, strict=True) if MONOTONE[j] * c < 0]
        if not wrong:
            break
        dropped.extend(wrong)

    weights = np.zeros(len(FEATURE_NAMES))
    centers = np.zeros(len(FEATURE_NAMES))
    for j, c, mean, scale in zip(kept, numeric_coef, scaler.mean_, scaler.scale_, strict=True):
        weights[j], centers[j] = c / scale, mean
    tables, start = {}, 0
    for j, cats in zip(categorical, encoder.categories_, strict=True):
        table = np.zeros(len(CATEGORIES[FEATURE_NAMES[j]]))
        table[cats.astype(int)] = coef[start:start + len(cats)]
        tables[j] = table
        start += len(cats)
    return LinearScorer(float(regression.intercept_[0]), weights, centers, tables,
                        tuple(FEATURE_NAMES[j] for j in dropped))


def fit_booster(X: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int):
    booster = HistGradientBoostingClassifier(
        categorical_features=list(CATEGORICAL_MASK), monotonic_cst=list(MONOTONE),
        early_stopping=False, random_state=seed, **BOOSTING_PARAMS)
    return booster.fit(X, y, sample_weight=w)


# Below this many rows the boosting model predicts on one thread: OpenMP's thread start-up costs
# more than it saves on a few rows, and with the cores busy (web workers, Celery) a multi-threaded
# predict of 18 rows was measured at p99 1.8 s instead of 13 ms.
SINGLE_THREAD_ROWS = 5000


def booster_logit(booster, X: np.ndarray) -> np.ndarray:
    try:
        return booster._raw_predict(X, n_threads=1 if len(X) < SINGLE_THREAD_ROWS else None
                                    ).ravel()
    except TypeError:  # a scikit-learn whose private _raw_predict lost its n_threads argument
        return booster.decision_function(X)


def blended_logit(linear: LinearScorer, booster, X: np.ndarray) -> np.ndarray:
    return 0.5 * linear.logit(X) + 0.5 * booster_logit(booster, X)


PD_BOUNDS = (0.0001, 0.9999)  # no applicant is certain to repay or to default


_TERM_COLUMN = FEATURE_NAMES.index("term_months")


def calibrate(calibration, z: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """PD from blended log-odds ``z`` with the calibration of each row's term (60 months, or 36
    for anything shorter: the model sees the term clamped to 36-60)."""
    long = np.asarray(terms) >= 60
    a36, b36 = calibration[36]
    a60, b60 = calibration[60]
    return np.clip(expit(np.where(long, a60 * z + b60, a36 * z + b36)), *PD_BOUNDS)


def predict_pd(linear, booster, calibration, X: np.ndarray) -> np.ndarray:
    return calibrate(calibration, blended_logit(linear, booster, X), X[:, _TERM_COLUMN])


def fit_platt(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(z.reshape(-1, 1), y, sample_weight=w)
    return float(platt.coef_[0, 0]), float(platt.intercept_[0])


def fit_platt_by_term(z: np.ndarray, y: np.ndarray, w: np.ndarray, terms: np.ndarray
                      ) -> dict[int, tuple[float, float]]:
    """The PD calibrated by term: one Platt fit per LendingClub term (the two terms default at
    different rates for the same log-odds out of time: DESIGN.md, "Pricing")."""
    return {term: fit_platt(z[terms == term], y[terms == term], w[terms == term])
            for term in DATA_TERMS}


@dataclass
class _Fitted:
    imputer: Imputer
    linear: LinearScorer
    booster: Any

    def logit(self, raw: np.ndarray) -> np.ndarray:
        return blended_logit(self.linear, self.booster, engineer(self.imputer.apply(raw)[0]))


def _fit(raw: np.ndarray, y: np.ndarray, w: np.ndarray, seed: int) -> _Fitted:
    imputer = Imputer.fit(raw)
    X = engineer(imputer.apply(raw)[0])
    return _Fitted(imputer, fit_linear(X, y, w), fit_booster(X, y, w, seed))


def _out_of_fold(raw, y, w, seed) -> tuple[np.ndarray, list[float]]:
    """Out-of-fold blended log-odds and the AUC of each fold."""
    z = np.zeros(len(y))
    aucs = []
    folds = StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=seed)
    for fit_idx, val_idx in folds.split(raw, y):
        fitted = _fit(raw[fit_idx], y[fit_idx], w[fit_idx], seed)
        z[val_idx] = fitted.logit(raw[val_idx])
        aucs.append(float(roc_auc_score(y[val_idx], z[val_idx])))
    return z, aucs


# --- grades, quantiles ------------------------------------------------------------------------

def assign_grades(pd_model: np.ndarray, thresholds) -> np.ndarray:
    """Index 0..4 (A..E): the first band whose upper edge is at or above the PD."""
    return np.searchsorted(np.asarray(thresholds), pd_model, side="left")


def choose_grade_thresholds(pd_train, pd_holdout, y_holdout) -> tuple[tuple[float, ...], dict]:
    """PD thresholds from candidate training-loan shares; the first under which the holdout's
    observed default rate rises strictly from A to E with each grade >= MIN_GRADE_SHARE."""
    tried = []
    for shares in GRADE_SHARE_CANDIDATES:
        thresholds = tuple(round(float(q), 4) for q in np.quantile(pd_train, shares))
        table = grade_table(pd_holdout, y_holdout, thresholds)
        rates = [table["default_rate"][g] for g in GRADES]
        ok = (all(b > a for a, b in zip(rates, rates[1:], strict=False))
              and min(table["share"].values()) >= MIN_GRADE_SHARE)
        tried.append({"shares": shares, "ok": ok})
        if ok:
            return thresholds, {"shares": shares, "tried": tried}
    raise RuntimeError(f"no grade banding met the holdout conditions: {tried}")


def grade_table(pd_model, y, thresholds) -> dict[str, dict[str, float]]:
    grades = assign_grades(pd_model, thresholds)
    out: dict[str, dict[str, float]] = {"default_rate": {}, "share": {}, "mean_pd": {}, "n": {}}
    for i, g in enumerate(GRADES):
        mask = grades == i
        n = int(mask.sum())
        out["n"][g] = n
        out["share"][g] = round(n / len(grades), 4)
        out["default_rate"][g] = round(float(y[mask].mean()), 4) if n else float("nan")
        out["mean_pd"][g] = round(float(pd_model[mask].mean()), 4) if n else float("nan")
    return out


def ks_statistic(y, p) -> float:
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def estimate_lgd(loans: pd.DataFrame) -> float:
    charged = loans[loans["defaulted"] == 1]
    recovered = (charged["total_rec_prncp"] + charged["recoveries"]).sum()
    return float(1.0 - recovered / charged["funded_amnt"].sum())


VINTAGE_MIN_LOANS = 200  # a quarter-term vintage smaller than this is too noisy to count


def vintage_margin(pd_pred: np.ndarray, y: np.ndarray, w: np.ndarray, terms: np.ndarray,
                   issued: pd.Series) -> float:
    """The margin of conservatism the rates are solved at (``Pricing.pd_margin``), in log-odds:
    the root mean square, weighted like the training loans, of each vintage's (issue quarter and
    term) calibration error ``logit(observed default rate) - logit(mean predicted PD)``, on
    out-of-sample predictions of the training loans. It measures how far a vintage's defaults
    have strayed from a calibrated model's forecast in the data the model learnt from; the out-of-
    time year is never used."""
    quarters = pd.Series(issued).dt.to_period("Q").astype(str).to_numpy()
    errors, weights = [], []
    for term in np.unique(terms):
        for quarter in np.unique(quarters[terms == term]):
            mask = (quarters == quarter) & (terms == term)
            observed, predicted = float(y[mask].mean()), float(pd_pred[mask].mean())
            if mask.sum() < VINTAGE_MIN_LOANS or not 0 < observed < 1:
                continue
            errors.append(logit(observed) - logit(predicted))
            weights.append(float(w[mask].sum()))
    if not errors:
        return 0.0
    return round(float(np.sqrt(np.average(np.square(errors), weights=weights))), 4)


def estimate_pricing(loans: pd.DataFrame, pd_margin: float = 0.0) -> Pricing:
    """The pricing whose cash flows are those of ``loans`` (the training loans), solved at the
    PD plus ``pd_margin`` (``vintage_margin``)."""
    return Pricing(cash_flows=estimate_cash_flows(loans), lgd=round(estimate_lgd(loans), 2),
                   pd_margin=pd_margin)


def _representative_pds(pd_all, grades, terms, amounts) -> dict[str, dict[int, float]]:
    """Per grade and LendingClub term (36, 60): the pooled PD (amount-weighted mean) of the loans
    in the band with that term, or of the whole band when fewer than 50 loans have that term."""
    out = {}
    for i, g in enumerate(GRADES):
        band = grades == i
        out[g] = {}
        for term in (36, 60):
            mask = band & (terms == term)
            mask = mask if mask.sum() >= 50 else band
            out[g][term] = round(float(np.average(pd_all[mask], weights=amounts[mask])), 4)
    return out


def calibration_table(pd_test, y_test, grades, terms) -> dict[str, dict[str, float]]:
    """Mean predicted PD against the observed default rate, by term and by grade, in percent."""
    rows = {}
    for name, mask in ([(f"{t} months", terms == t) for t in DATA_TERMS]
                       + [(f"grade {g}", grades == i) for i, g in enumerate(GRADES)]):
        if mask.any():
            predicted, observed = float(pd_test[mask].mean()), float(y_test[mask].mean())
            rows[name] = {"predicted": round(predicted * 100, 2),
                          "observed": round(observed * 100, 2),
                          "gap": round((predicted - observed) * 100, 2), "n": int(mask.sum())}
    return rows


def evaluate_pricing(loans: pd.DataFrame, train: np.ndarray, pd_test: np.ndarray,
                     thresholds, pd_margin: float = 0.0) -> dict:
    """The out-of-time backtest: the 2011 loans priced by the pricing measured on the training
    loans (cash flows and margin), at the PDs and grades of the model trained on them, replayed
    on their real outcomes."""
    pricing = estimate_pricing(loans[train], pd_margin)
    test_loans = loans[~train]
    result = backtest(test_loans, pd_test, assign_grades(pd_test, thresholds), pricing)
    result["ledger_check"] = check_against_ledger(loans[train])
    result["cash_flows"] = [f.summary() for f in pricing.cash_flows]
    result["pd_margin"] = pricing.pd_margin
    return result


def _reference_raw(raw_imputed: np.ndarray, imputer: Imputer) -> np.ndarray:
    """The typical applicant: training medians (most common category), 36 months, never
    delinquent. Explanations measure each field's effect against these values."""
    ref = np.array([float(np.median(raw_imputed[:, j])) for j in range(len(RAW_FIELDS))])
    for name, value in imputer.typical.items():
        ref[RAW_FIELDS.index(name)] = value
    for name in ("purpose", "home_ownership"):
        j = RAW_FIELDS.index(name)
        values, counts = np.unique(raw_imputed[:, j], return_counts=True)
        ref[j] = values[np.argmax(counts)]
    ref[RAW_FIELDS.index("term_months")] = 36
    ref[RAW_FIELDS.index("months_since_last_delinquency")] = np.nan
    return ref


def _version(data_hash: str, seed: int, trained_at: datetime, mode: str) -> str:
    suffix = "" if mode == "full" else f"-{mode}"
    return f"lc-{trained_at:%Y.%m}-{data_hash[:8]}-{seed}{suffix}"


# --- the two entry points ---------------------------------------------------------------------

def _split(loans: pd.DataFrame):
    train = (loans["issue_d"] <= OOT_CUTOFF).to_numpy()
    return train, ~train


def _finish(*, loans, raw, y, w, seed, data_hash, mode, calibration, final, thresholds,
            banding, metrics, evaluation, started, pd_margin) -> Bundle:
    raw_imputed, _ = final.imputer.apply(raw)
    X = engineer(raw_imputed)
    pd_all = predict_pd(final.linear, final.booster, calibration, X)
    grades = assign_grades(pd_all, thresholds)
    grade_pd = _representative_pds(pd_all, grades, loans["term_months"].to_numpy(),
                                   loans["funded_amnt"].to_numpy())
    pricing = estimate_pricing(loans, pd_margin)
    lgd = pricing.lgd
    trained_at = datetime.now(UTC).replace(microsecond=0)
    metrics = {**metrics, "lgd_estimate": lgd, "base_rate_all": round(float(y.mean()), 4),
               "grade_shares_all": {g: round(float((grades == i).mean()), 4)
                                    for i, g in enumerate(GRADES)},
               "training_seconds": round(time.perf_counter() - started, 1)}
    return Bundle(
        version=_version(data_hash, seed, trained_at, mode), trained_at=trained_at,
        data_hash=data_hash, seed=seed, mode=mode, imputer=final.imputer, linear=final.linear,
        booster=final.booster, calibration=calibration, grade_thresholds=thresholds,
        grade_pd=grade_pd,
        pd_quantiles=np.quantile(pd_all, np.linspace(0, 1, PD_QUANTILES)),
        reference_raw=_reference_raw(raw_imputed, final.imputer),
        pricing=pricing, metrics=metrics, evaluation=evaluation,
        training={"loans": len(y), "default_rate": round(float(y.mean()), 4),
                  "issued_from": str(loans["issue_d"].min().date()),
                  "issued_to": str(loans["issue_d"].max().date()),
                  "banding": banding, "linear_dropped": list(final.linear.dropped)},
    )


@threadpool_limits.wrap(limits=TRAINING_THREADS)
def train_and_evaluate(data_path: Path | str = DEFAULT_DATA_PATH, seed: int = SEED) -> Bundle:
    """Measure the model (5-fold CV on 2007-2010, out-of-time test on 2011), choose the grade
    bands, then refit on all loans (2007-2011) for production, recalibrated by a 5-fold CV on all
    loans. ``bundle.metrics`` holds the measurements; ``bundle.evaluation`` the card's curves."""
    started = time.perf_counter()
    loans = load_loans(data_path)
    raw, y = raw_from_frame(loans), loans["defaulted"].to_numpy()
    train, test = _split(loans)
    w_train = recency_weights(loans["issue_d"][train])

    # 1. Cross-validation on the training period, and its out-of-fold Platt calibration.
    terms = loans["term_months"].to_numpy()
    z_oof, fold_aucs = _out_of_fold(raw[train], y[train], w_train, seed)
    calibration_train = fit_platt_by_term(z_oof, y[train], w_train, terms[train])

    # 2. Out of time: fit on 2007-2010, test on 2011.
    oot = _fit(raw[train], y[train], w_train, seed)
    pd_test = calibrate(calibration_train, oot.logit(raw[test]), terms[test])
    pd_train = calibrate(calibration_train, oot.logit(raw[train]), terms[train])
    y_test = y[test]
    base_rate = float(np.average(y[train]))
    thresholds, banding = choose_grade_thresholds(pd_train, pd_test, y_test)
    grades_oot = grade_table(pd_test, y_test, thresholds)
    test_loans = loans[test]
    sub_grade_rank = test_loans["sub_grade"].rank(method="dense").to_numpy()
    metrics = {
        "auc_cv": round(float(np.mean(fold_aucs)), 4),
        "auc_cv_folds": [round(v, 4) for v in fold_aucs],
        "auc_oot": round(float(roc_auc_score(y_test, pd_test)), 4),
        "brier_oot": round(float(brier_score_loss(y_test, pd_test)), 5),
        "base_rate_brier_oot": round(float(brier_score_loss(y_test, np.full(len(y_test),
                                                                            base_rate))), 5),
        "ks_oot": round(ks_statistic(y_test, pd_test), 4),
        "grade_default_rates_oot": grades_oot["default_rate"],
        "grade_shares_oot": grades_oot["share"],
        "grade_mean_pd_oot": grades_oot["mean_pd"],
        "lc_subgrade_auc_oot": round(float(roc_auc_score(y_test, sub_grade_rank)), 4),
        "lc_int_rate_auc_oot": round(float(roc_auc_score(y_test, test_loans["int_rate"])), 4),
        "base_rate_train": round(base_rate, 4),
        "default_rate_oot": round(float(y_test.mean()), 4),
        "mean_pd_oot": round(float(pd_test.mean()), 4),
        "n_train": int(train.sum()), "n_oot": int(test.sum()),
        "calibration_oot_model": {str(t): [round(v, 4) for v in ab]
                                  for t, ab in calibration_train.items()},
        "calibration_by_term_grade_oot": calibration_table(
            pd_test, y_test, assign_grades(pd_test, thresholds), terms[test]),
    }
    evaluation = _evaluation(test_loans, y_test, pd_test, sub_grade_rank, thresholds)
    issued = loans["issue_d"]
    margin_train = vintage_margin(calibrate(calibration_train, z_oof, terms[train]), y[train],
                                  w_train, terms[train], issued[train])
    metrics["backtest_oot"] = evaluate_pricing(loans, train, pd_test, thresholds, margin_train)

    # 3. Production: all loans, recalibrated out of fold.
    w_all = recency_weights(loans["issue_d"])
    z_all, _ = _out_of_fold(raw, y, w_all, seed)
    calibration = fit_platt_by_term(z_all, y, w_all, terms)
    pd_margin = vintage_margin(calibrate(calibration, z_all, terms), y, w_all, terms, issued)
    final = _fit(raw, y, w_all, seed)
    return _finish(loans=loans, raw=raw, y=y, w=w_all, seed=seed, data_hash=file_sha256(data_path),
                   mode="full", calibration=calibration, final=final, thresholds=thresholds,
                   banding=banding, metrics=metrics, evaluation=evaluation, started=started,
                   pd_margin=pd_margin)


@threadpool_limits.wrap(limits=TRAINING_THREADS)
def backtest_pricing(data_path: Path | str = DEFAULT_DATA_PATH, seed: int = SEED) -> dict:
    """The out-of-time pricing backtest alone (what ``train_and_evaluate`` records as
    ``metrics["backtest_oot"]``): the model and the pricing as trained on 2007-2010, calibrated
    out of fold, price the 2011 loans, replayed on their real outcomes. About 15 seconds."""
    loans = load_loans(data_path)
    raw, y = raw_from_frame(loans), loans["defaulted"].to_numpy()
    train, test = _split(loans)
    terms = loans["term_months"].to_numpy()
    w_train = recency_weights(loans["issue_d"][train])
    z_oof, _ = _out_of_fold(raw[train], y[train], w_train, seed)
    calibration = fit_platt_by_term(z_oof, y[train], w_train, terms[train])
    oot = _fit(raw[train], y[train], w_train, seed)
    pd_test = calibrate(calibration, oot.logit(raw[test]), terms[test])
    pd_train = calibrate(calibration, oot.logit(raw[train]), terms[train])
    thresholds, _ = choose_grade_thresholds(pd_train, pd_test, y[test])
    margin = vintage_margin(calibrate(calibration, z_oof, terms[train]), y[train], w_train,
                            terms[train], loans["issue_d"][train])
    result = evaluate_pricing(loans, train, pd_test, thresholds, margin)
    result["auc_oot"] = round(float(roc_auc_score(y[test], pd_test)), 4)
    result["calibration"] = calibration_table(pd_test, y[test],
                                              assign_grades(pd_test, thresholds), terms[test])
    result["data_hash"] = file_sha256(data_path)
    return result


@threadpool_limits.wrap(limits=TRAINING_THREADS)
def fit_only(data_path: Path | str = DEFAULT_DATA_PATH, seed: int = SEED) -> Bundle:
    """The fast path (about 5 seconds, for tests and demos): one fit on 2007-2010 to choose the
    grade bands on 2011 as ``train_and_evaluate`` does, then one fit on all loans.

    Skipped: both cross-validations. The Platt calibration is fitted on the 2011 predictions of
    the 2007-2010 model instead of out-of-fold ones, so no honest holdout Brier score exists and
    ``metrics`` holds only ``auc_oot`` (rank-based, unaffected by the calibration) and the grade
    table; no model-card curves."""
    started = time.perf_counter()
    loans = load_loans(data_path)
    raw, y = raw_from_frame(loans), loans["defaulted"].to_numpy()
    train, test = _split(loans)
    oot = _fit(raw[train], y[train], recency_weights(loans["issue_d"][train]), seed)
    terms = loans["term_months"].to_numpy()
    z_test = oot.logit(raw[test])
    calibration = fit_platt_by_term(z_test, y[test], np.ones(int(test.sum())), terms[test])
    pd_test = calibrate(calibration, z_test, terms[test])
    pd_train = calibrate(calibration, oot.logit(raw[train]), terms[train])
    thresholds, banding = choose_grade_thresholds(pd_train, pd_test, y[test])
    grades_oot = grade_table(pd_test, y[test], thresholds)
    metrics = {"auc_oot": round(float(roc_auc_score(y[test], pd_test)), 4),
               "grade_default_rates_oot": grades_oot["default_rate"],
               "grade_shares_oot": grades_oot["share"]}
    w_all = recency_weights(loans["issue_d"])
    # The fast path has no out-of-fold predictions: the margin is measured on the 2011 vintages
    # the calibration was fitted on (close to the full path's; see the docstring).
    pd_margin = vintage_margin(pd_test, y[test], np.ones(int(test.sum())), terms[test],
                               loans["issue_d"][test])
    final = _fit(raw, y, w_all, seed)
    return _finish(loans=loans, raw=raw, y=y, w=w_all, seed=seed, data_hash=file_sha256(data_path),
                   mode="fast", calibration=calibration, final=final, thresholds=thresholds,
                   banding=banding, metrics=metrics, evaluation={}, started=started,
                   pd_margin=pd_margin)


# --- what the model card draws ------------------------------------------------------------------

_REGIONS = {
    "Northeast": "CT ME MA NH RI VT NJ NY PA",
    "Midwest": "IL IN MI OH WI IA KS MN MO NE ND SD",
    "South": "DE DC FL GA MD NC SC VA WV AL KY MS TN AR LA OK TX",
    "West": "AZ CO ID MT NV NM UT WY AK CA HI OR WA",
}
STATE_REGION = {state: region for region, states in _REGIONS.items() for state in states.split()}


def _curve(fpr, tpr, points=200):
    idx = np.unique(np.linspace(0, len(fpr) - 1, points).astype(int))
    return {"fpr": [round(float(v), 4) for v in fpr[idx]],
            "tpr": [round(float(v), 4) for v in tpr[idx]]}


def _groups(y, p, labels, order=None) -> list[dict]:
    frame = pd.DataFrame({"y": y, "p": p, "g": labels})
    rows = []
    for name, part in frame.groupby("g", sort=order is None, observed=True):
        rows.append({"group": str(name), "n": len(part), "share": round(len(part) / len(frame), 4),
                     "observed": round(float(part["y"].mean()), 4),
                     "predicted": round(float(part["p"].mean()), 4)})
    if order:
        rows.sort(key=lambda r: order.index(r["group"]) if r["group"] in order else len(order))
    return rows


def _evaluation(test_loans: pd.DataFrame, y, p, sub_grade_rank, thresholds) -> dict:
    fpr, tpr, _ = roc_curve(y, p)
    lc_fpr, lc_tpr, _ = roc_curve(y, sub_grade_rank)
    bins = np.quantile(p, np.linspace(0, 1, 11))
    which = np.clip(np.searchsorted(bins, p, side="right") - 1, 0, 9)
    calibration = [{"predicted": round(float(p[which == k].mean()), 4),
                    "observed": round(float(y[which == k].mean()), 4), "n": int((which == k).sum())}
                   for k in range(10) if (which == k).any()]
    emp = test_loans["employment_length"]
    emp_band = pd.cut(emp, [-1, 0.5, 3.5, 6.5, 9.5, 10], labels=["<1", "1-3", "4-6", "7-9", "10+"])
    emp_band = emp_band.astype(str).where(emp.notna(), "not given")
    income_q = pd.qcut(test_loans["annual_income"], 5, labels=["Q1 (lowest)", "Q2", "Q3", "Q4",
                                                               "Q5 (highest)"]).astype(str)
    region = test_loans["addr_state"].map(STATE_REGION).fillna("other")
    return {
        "roc_oot": _curve(fpr, tpr), "roc_lc_subgrade_oot": _curve(lc_fpr, lc_tpr),
        "calibration_oot": calibration,
        "fairness_oot": {
            "home_ownership": _groups(y, p, test_loans["home_ownership"].to_numpy()),
            "employment_length": _groups(y, p, emp_band.to_numpy(),
                                         ["<1", "1-3", "4-6", "7-9", "10+", "not given"]),
            "income_quintile": _groups(y, p, income_q.to_numpy()),
            "region": _groups(y, p, region.to_numpy()),
            "term_months": _groups(y, p, test_loans["term_months"].astype(str).to_numpy()),
        },
    }
