"""The model card: MODEL_CARD.md and its charts, from what a bundle recorded when it was trained."""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from communitylend.core.money import GRADES, TERMS

from .cashflows import backtest_markdown, target_report
from .features import FEATURE_NAMES, MONOTONE, NEVER_DELINQUENT_MONTHS, REFERENCE_RATE
from .model import (
    BOOSTING_PARAMS,
    CV_FOLDS,
    GRADE_SHARE_CANDIDATES,
    LOGISTIC_C,
    MIN_GRADE_SHARE,
    OLD_LOAN_WEIGHT,
    OOT_CUTOFF,
    RECENT_MONTHS,
    Bundle,
)
from .pricing import grade_rate_table, stressed_pd

_MONOTONE_WORDS = {1: "PD never falls as it rises", -1: "PD never rises as it rises", 0: "free"}


def _save(figure: Figure, path: Path) -> None:
    FigureCanvasAgg(figure)
    figure.savefig(path, dpi=110, bbox_inches="tight")


def _charts(bundle: Bundle, out_dir: Path) -> list[str]:
    evaluation, metrics = bundle.evaluation, bundle.metrics
    written = []
    if "roc_oot" in evaluation:
        figure = Figure(figsize=(5, 5))
        ax = figure.subplots()
        roc, lc = evaluation["roc_oot"], evaluation["roc_lc_subgrade_oot"]
        ax.plot(roc["fpr"], roc["tpr"], label=f"this model (AUC {metrics['auc_oot']:.3f})")
        ax.plot(lc["fpr"], lc["tpr"], label=f"LendingClub sub-grade (AUC "
                                             f"{metrics['lc_subgrade_auc_oot']:.3f})")
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
        ax.set(xlabel="false positive rate", ylabel="true positive rate",
               title="ROC, out of time (2011 loans)")
        ax.legend(loc="lower right")
        _save(figure, out_dir / "roc_oot.png")
        written.append("roc_oot.png")
    if "calibration_oot" in evaluation:
        figure = Figure(figsize=(5, 5))
        ax = figure.subplots()
        rows = evaluation["calibration_oot"]
        top = max(max(r["predicted"] for r in rows), max(r["observed"] for r in rows)) * 1.1
        ax.plot([0, top], [0, top], color="grey", linestyle=":", linewidth=1)
        ax.plot([r["predicted"] for r in rows], [r["observed"] for r in rows], marker="o")
        ax.set(xlabel="mean predicted PD (decile)", ylabel="observed default rate",
               title="Calibration, out of time (2011 loans)")
        _save(figure, out_dir / "calibration_oot.png")
        written.append("calibration_oot.png")
    if "grade_default_rates_oot" in metrics:
        figure = Figure(figsize=(5, 4))
        ax = figure.subplots()
        rates = [metrics["grade_default_rates_oot"][g] * 100 for g in GRADES]
        bars = ax.bar(GRADES, rates, color="#4a7ab5")
        for bar, g in zip(bars, GRADES, strict=True):
            share = metrics["grade_shares_oot"][g] * 100
            ax.annotate(f"{bar.get_height():.1f}%\n({share:.0f}% of loans)",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8)
        ax.set(ylabel="observed default rate (%)", ylim=(0, max(rates) * 1.3),
               title="Default rate by grade, out of time (2011)")
        _save(figure, out_dir / "default_rate_by_grade_oot.png")
        written.append("default_rate_by_grade_oot.png")
    return written


def _pct(value) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _metric(metrics, key, fmt="{:.4f}") -> str:
    return fmt.format(metrics[key]) if key in metrics else "not measured (fast fit)"


def _group_table(rows) -> list[str]:
    lines = ["| group | loans | share | observed default rate | mean predicted PD | gap |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        gap = (r["predicted"] - r["observed"]) * 100
        lines.append(f"| {r['group']} | {r['n']:,} | {_pct(r['share'])} | {_pct(r['observed'])} "
                     f"| {_pct(r['predicted'])} | {gap:+.1f} pt |")
    return lines


def _reading(fairness, titles) -> list[str]:
    """What the fairness tables say, computed from them (so a retrained card stays true)."""
    region = sorted(fairness["region"], key=lambda r: -r["observed"])
    by_prediction = sorted(fairness["region"], key=lambda r: -r["predicted"])
    worst = region[0]
    rank = by_prediction.index(worst) + 1
    predicted = [r["predicted"] for r in region]
    observed = [r["observed"] for r in region]
    lines = [
        f"Reading, region: mean predicted PD spans {_pct(min(predicted))} to "
        f"{_pct(max(predicted))} across regions, observed default rates {_pct(min(observed))} to "
        f"{_pct(max(observed))}. The region with the highest observed rate, {worst['group']} "
        f"({_pct(worst['observed'])}), ranks {rank} of {len(region)} by predicted PD "
        f"({_pct(worst['predicted'])})"
        + ("; predictions do not follow the regional ordering, so the model is not "
           "reconstructing location." if rank > 1 else
           "; it is also predicted highest: check that borrower fields, not location, explain "
           "it before release."),
    ]
    gaps = []
    for key, rows in fairness.items():
        for r in rows:
            gap = (r["predicted"] - r["observed"]) * 100
            if r["share"] >= 0.02 and abs(gap) >= 1.0:
                gaps.append((abs(gap), f"{titles[key].split(' (')[0].lower()} {r['group']} "
                                       f"({gap:+.1f} pt)"))
    if gaps:
        listed = ", ".join(text for _, text in sorted(gaps, reverse=True))
        lines += ["", f"Groups (at least 2% of loans) predicted 1 point or more away from what "
                      f"they did: {listed}. A negative gap means the model under-predicts the "
                      "group's defaults; the 2011 mean PD is below the 2011 default rate overall "
                      "(see Metrics), so gaps lean negative. Borrowers who gave no employment "
                      "length are assumed typical rather than penalised for the missing answer, "
                      "which is why they default more than predicted."]
    return lines


def _stressed_example(pricing) -> float:
    return float(stressed_pd([0.10], pricing)[0]) * 100


def _pricing_lines(bundle: Bundle, table) -> list[str]:
    m, p = bundle.metrics, bundle.pricing
    flows = [f.summary() for f in p.cash_flows]
    lines = [
        f"Funding cost {p.funding_cost:.2f}% a year, margin {p.margin:.2f}%, servicing fee "
        f"{p.servicing_fee:.2f}% of every payment; rates within [{p.min_rate:.2f}%, "
        f"{p.max_rate:.2f}%] (DESIGN.md, \"Pricing\"). A pool of loans of one PD and term pays "
        "back, per dollar, what the training loans of that term did (amount-weighted): a "
        "repaying loan pays its installments until the month of its last payment "
        "(`last_pymnt_d` - `issue_d`), then pays off the rest; a defaulting loan pays the "
        "interest on its balance and, evenly over the months it paid, the principal such loans "
        "repaid (`total_rec_prncp`), then its `recoveries` "
        f"{flows[0]['recovery_lag'] if flows else 12} months after its last payment (the data "
        "has no recovery date: an assumption). The floor is the lowest rate, rounded up to the "
        "hundredth, whose expected pooled IRR after the PD's defaults, the recoveries, the "
        "prepayments and the fee, annualized as (1 + monthly IRR)^12 - 1, is the funding cost; "
        "the recommended rate earns the funding cost plus the margin. Both are solved at the PD "
        f"plus a margin of conservatism of {p.pd_margin:.3f} in log-odds (a PD of 10% is priced "
        f"as {_stressed_example(p):.2f}%): the root mean square of the training vintages' "
        "calibration errors (issue quarter and term, out of fold), because default rates drift "
        "from one vintage to the next and a floor that only breaks even at exactly the "
        "predicted PD loses money on every worse vintage. The expected net return and the "
        "expected loss a lender sees use the PD itself. A loan's floor and "
        "recommended rate are those of its own PD and term (a staff-graded import takes its "
        "grade's floor: the floor at the grade's pooled PD, below). 12/24-month loans take the "
        "36-month cash flows with months scaled by term / 36, and the 36-month PD scaled by "
        "term / 36. The parameters are stored with this model version (`bundle.pricing`).",
        "",
        "| term | mean payoff month (repaying) | repaying loans that prepaid | mean months paid "
        "(defaulting) | principal repaid before default | recovered | loss given default |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[f"| {f['term']} m | {f['mean_payoff_month']} | {_pct(f['prepaid_share'])} "
          f"| {f['mean_default_month']} | {_pct(f['default_principal_repaid'])} "
          f"| {_pct(f['default_recovered'])} | {_pct(f['loss_given_default'])} |"
          for f in flows],
        "",
        "Grade floors and recommended rates (at each grade's pooled PD):",
        "",
        "| grade | " + " | ".join(f"{t_} m floor / recommended" for t_ in TERMS) + " |",
        "|---|" + "---:|" * len(TERMS),
        *[f"| {g} | " + " | ".join(f"{table[g][t_]['floor']}% / {table[g][t_]['recommended']}%"
                                   for t_ in TERMS) + " |" for g in GRADES],
    ]
    result = m.get("backtest_oot")
    if not result:
        return lines + ["", "Backtest: not run for a fast fit (`manage.py backtest_pricing`)."]
    check = result.get("ledger_check", {})
    lines += [
        "",
        "### Backtest, out of time (2011 loans)",
        "",
        "The model and the pricing as trained on 2007-2010 (PD calibrated out of fold) price every "
        "2011 loan; each loan's real outcome (payoff month, default month, principal repaid, "
        "recoveries) is replayed at our floor, at our recommended rate and at LendingClub's own "
        "rate, with the 1% fee off every payment. IRR: pooled, annualized; NAR: net annualized "
        "return (interest - fees - principal lost net of recoveries, over the balance "
        f"outstanding). Target: the floor earns the funding cost ({result['funding_cost']:.0f}%), "
        f"the recommended rate {result['target']:.0f}%. Rates are amount-weighted means. "
        "At LendingClub's rates the same rule gives back the interest the training loans really "
        "paid within "
        + ", ".join(f"{(v['ratio'] - 1) * 100:+.1f}% ({k} m)" for k, v in check.items()) + ".",
        "",
        *backtest_markdown(result),
    ]
    calibration = m.get("calibration_by_term_grade_oot")
    lines += ["", "Against the targets (the 2011 60-month and grade D-E loans defaulted more than "
              "the model trained on 2007-2010 predicts for them; the margin of conservatism, "
              f"{result.get('pd_margin', 0):.3f} as measured on 2007-2010, is what keeps the "
              "floors above the funding cost there):",
              "",
              *target_report(result, calibration)]
    if calibration:
        lines += ["", "Calibration out of time (2011): mean predicted PD against the observed "
                  "default rate.", "", "| group | loans | predicted | observed | gap |",
                  "|---|---:|---:|---:|---:|",
                  *[f"| {name} | {r['n']:,} | {r['predicted']:.2f}% | {r['observed']:.2f}% "
                    f"| {r['gap']:+.2f} pt |" for name, r in calibration.items()]]
    return lines


def write_model_card(bundle: Bundle, out_dir: Path | str) -> Path:
    """Write ``out_dir/MODEL_CARD.md`` and its PNG charts; return the card's path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = _charts(bundle, out_dir)
    m, t = bundle.metrics, bundle.training
    full = bundle.mode == "full"
    lines = [
        f"# Model card: CommunityLend credit risk `{bundle.version}`",
        "",
        f"Trained {bundle.trained_at:%Y-%m-%d %H:%M} UTC with seed {bundle.seed}, scikit-learn "
        f"{bundle.sklearn_version}; training data sha256 `{bundle.data_hash}`. "
        + ("Full training: cross-validation and out-of-time test measured below."
           if full else "**Fast fit (`fit_only`)**: cross-validation and the calibrated "
                        "out-of-time metrics were not measured; do not use this card for a "
                        "release decision."),
        "",
        "## Intended use",
        "",
        "Scores a loan application at submission: the probability that the borrower "
        "defaults (charged off) over the loan's term, a grade A-E, a 0-100 risk score, the "
        "floor and recommended rates of its PD and term (priced from cash flows: see Pricing), "
        "with the factors that moved the PD most. "
        "It informs lenders and prices the auction floor; staff may override the grade for "
        "imported loans. It is not a credit-bureau score and was not trained on CommunityLend's "
        "own borrowers.",
        "",
        "## Data",
        "",
        f"LendingClub loans issued {t['issued_from']} to {t['issued_to']} (public LoanStats3a "
        "release; see `risk/data/PROVENANCE.md`), all matured, so every outcome is final: "
        f"{t['loans']:,} loans, default rate {_pct(t['default_rate'])}. "
        "Outcome: *Charged Off* (including *Does not meet the credit policy. Status:Charged Off*) "
        "= 1, *Fully Paid* (including its policy variant) = 0. The 4 loans without an income are "
        "dropped. In the 2007-2008 rows LendingClub wrote \"never delinquent\" as 0 months since "
        "the last delinquency; a 0 with no delinquency in the last 2 years is read as never.",
        "",
        f"Evaluation split: trained on loans issued up to {OOT_CUTOFF} "
        f"({m.get('n_train', 0):,} loans), tested out of time on 2011 "
        f"({m.get('n_oot', 0):,} loans). LendingClub tightened its policy over these years, so "
        f"loans issued more than {RECENT_MONTHS} months before the newest training loan weigh "
        f"{OLD_LOAN_WEIGHT} (chosen on a 2010 validation year, not on the 2011 test).",
        "",
        "## Features",
        "",
        "Only what a borrower states at application or the profile holds: loan amount, term, "
        "purpose (our nine; LendingClub's small_business = business, educational = education, "
        "wedding/house/moving/vacation/renewable_energy = other), annual income, employment "
        "length (years, 10 = 10+), home ownership (RENT/OWN/MORTGAGE/OTHER; LendingClub's NONE = "
        "OTHER), debt-to-income (%), delinquencies in 2 years, inquiries in 6 months, credit "
        "history (years from the earliest credit line to the issue date; in the app, to today), "
        "open and total credit lines, revolving balance and utilisation (%), public records, "
        "bankruptcies, months since the last delinquency (none = never, coded as "
        f"{NEVER_DELINQUENT_MONTHS:.0f}).",
        "",
        "Engineered from those inputs only: log amount, log income, loan-to-income, "
        f"installment-to-income (our own amortization at a fixed {REFERENCE_RATE:.0f}% reference "
        "rate, never the loan's price), revolving balance-to-income.",
        "",
        "| model column | monotone constraint (boosting model) |", "|---|---|",
        *[f"| {name} | {_MONOTONE_WORDS[sign]} |"
          for name, sign in zip(FEATURE_NAMES, MONOTONE, strict=True)],
        "",
        "**Optional inputs**: everything except amount, term, purpose and income. A missing one "
        "is replaced by the training median (most common category) and listed in the "
        "assessment's `imputed`; months since the last delinquency left blank means never "
        "delinquent, unless delinquencies in the last 2 years are reported.",
        "",
        "**Terms**: LendingClub lent over 36 and 60 months only. The model sees the term clamped "
        "to 36-60; for 12 and 24 months the 36-month PD is scaled by term / 36 (DESIGN.md, "
        "\"Pricing\"), so the PD never decreases with the term. Grades and the "
        "risk score use the model's PD (over 36 months for 12/24-month loans); "
        "`probability_default` is over the loan's own term.",
        "",
        "### Excluded, and why",
        "",
        "- `addr_state`, zip code: location; using it would be redlining. Used only in the "
        "fair-lending review below.",
        "- LendingClub's `grade`, `sub_grade`, `int_rate`, `installment`: LendingClub's own "
        "pricing of the loan, not something a borrower states. Used only as a benchmark.",
        "- `verification_status`: LendingClub's process, not the borrower's; CommunityLend's "
        "KYC differs.",
        "- Anything known after origination (`total_pymnt`, `recoveries`, `last_pymnt_d`, ...): "
        "future information. `issue_d`, `last_pymnt_d`, `total_rec_prncp`, `recoveries` and "
        "`total_rec_int` serve only to measure the pricing's cash flows (see Pricing).",
        "- `credit_score`: there is no FICO score in this LendingClub release, so the model cannot "
        "learn from it. The app still collects it, and lenders and bots use it for eligibility.",
        "- `employment_status`: not in LendingClub's data. Accepted and stored, never used.",
        "",
        "## Model",
        "",
        f"The average, in log-odds, of (1) a logistic regression (C={LOGISTIC_C}) on standardised "
        "numeric features and one-hot categories, and (2) a histogram gradient-boosting model "
        f"({', '.join(f'{k}={v}' for k, v in BOOSTING_PARAMS.items())}) with the monotone "
        "constraints above; then Platt-recalibrated on out-of-fold predictions. A regression "
        "weight that came out against a feature's monotone sign drops that feature from the "
        "regression (dropped this time: "
        f"{', '.join(t.get('linear_dropped') or ['none'])}); the boosting model keeps it. "
        "The PD is calibrated by term (one Platt fit per LendingClub term): (a, b) = "
        + ", ".join(f"{term} months ({a:.4f}, {b:.4f})"
                    for term, (a, b) in sorted(bundle.calibration.items())) + ".",
        "",
        "Production model: refitted on **all** loans (2007-2011) after evaluation, recalibrated "
        f"by a {CV_FOLDS}-fold out-of-fold Platt fit on all loans; the grade thresholds chosen "
        "out of time are kept. The metrics below are those of the same procedure trained up to "
        "2010 and tested on 2011.",
        "",
        "## Metrics",
        "",
        "| metric | value |", "|---|---|",
        f"| ROC AUC, {CV_FOLDS}-fold CV on 2007-2010 | {_metric(m, 'auc_cv')} "
        f"(folds {', '.join(f'{v:.3f}' for v in m.get('auc_cv_folds', []))}) |",
        f"| ROC AUC, out of time (2011) | {_metric(m, 'auc_oot')} |",
        f"| Brier score, out of time | {_metric(m, 'brier_oot', '{:.5f}')} |",
        "| Brier score of the base-rate predictor (training default rate "
        f"{_pct(m.get('base_rate_train'))}) | {_metric(m, 'base_rate_brier_oot', '{:.5f}')} |",
        f"| KS statistic, out of time | {_metric(m, 'ks_oot')} |",
        f"| mean predicted PD vs observed default rate, 2011 | {_pct(m.get('mean_pd_oot'))} vs "
        f"{_pct(m.get('default_rate_oot'))} |",
        f"| LendingClub sub-grade AUC, same holdout | {_metric(m, 'lc_subgrade_auc_oot')} |",
        f"| LendingClub interest rate AUC, same holdout | {_metric(m, 'lc_int_rate_auc_oot')} |",
        f"| training time (CV + out-of-time + final fit) | {m.get('training_seconds', 'n/a')} s |",
        "",
        *[f"![{c}]({c})" for c in charts],
        "",
        "## Grades",
        "",
        "Grades are PD bands (on the model PD). Thresholds: the PD at cumulative shares of "
        "training loans, taken from the first of "
        f"{len(GRADE_SHARE_CANDIDATES)} candidate share sets under which the 2011 default rate "
        f"rises strictly from A to E with every grade holding at least {MIN_GRADE_SHARE:.0%} of "
        f"2011 loans (chosen: {t.get('banding', {}).get('shares')}).",
        "",
        "| grade | PD band | 2011 observed default rate | 2011 share | 2011 mean PD | "
        "representative PD, 36 / 60 months (final model, all loans) | share of all loans "
        "(final model) |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    edges = (0.0, *bundle.grade_thresholds, 1.0)
    for i, g in enumerate(GRADES):
        lines.append(
            f"| {g} | {edges[i] * 100:.2f}% - {edges[i + 1] * 100:.2f}% "
            f"| {_pct(m.get('grade_default_rates_oot', {}).get(g))} "
            f"| {_pct(m.get('grade_shares_oot', {}).get(g))} "
            f"| {_pct(m.get('grade_mean_pd_oot', {}).get(g))} "
            f"| {_pct(bundle.grade_pd[g][36])} / {_pct(bundle.grade_pd[g][60])} "
            f"| {_pct(m.get('grade_shares_all', {}).get(g))} |")
    table = grade_rate_table(bundle, TERMS)
    lines += ["", "## Pricing", "", *_pricing_lines(bundle, table), ""]
    lines += [
        "## Fair-lending review",
        "",
        "No location feature is an input (no state, no zip code), nor any protected "
        "characteristic (the data holds none). Below, on the 2011 holdout, the observed default "
        "rate and the mean predicted PD by the groups the data allows. Region (the borrower's "
        "state grouped into census regions) is reported, never used: if the model proxied "
        "location, its predictions would track the regions' observed differences.",
    ]
    fairness = bundle.evaluation.get("fairness_oot")
    if fairness:
        titles = {"home_ownership": "Home ownership", "employment_length": "Employment length",
                  "income_quintile": "Income quintile (2011 loans)",
                  "region": "State region (not a model input)", "term_months": "Term (months)"}
        for key, title in titles.items():
            lines += ["", f"### {title}", "", *_group_table(fairness[key])]
        lines += ["", *_reading(fairness, titles)]
    else:
        lines += ["", "Not measured for a fast fit; run `train_and_evaluate`."]
    lines += [
        "",
        "## Limitations",
        "",
        "- Trained on 2007-2011 LendingClub borrowers; CommunityLend's borrowers, economy and "
        "12/24-month terms differ. The 12/24-month PDs and cash flows are an extrapolation "
        "(the 36-month ones scaled by term / 36).",
        "- Out of time, the 2011 60-month and grade D-E loans defaulted more than predicted (see "
        "the calibration table): their floors earned less than the funding cost. Watch the "
        "observed default rate by term and grade as loans mature, and retrain.",
        "- Recoveries have no date in the data: they are assumed to arrive 12 months after the "
        "last payment. Default timing and prepayment are those of all loans of a term, not of "
        "the PD: riskier LendingClub borrowers defaulted a little earlier (36 months: 14.5 "
        "months paid in the riskiest band against 16.2 overall).",
        "- No bureau score: a FICO-based model would rank better.",
        "- Monitor: compare predicted PD with observed defaults by grade as loans mature, and "
        "retrain when they drift apart.",
        "",
    ]
    path = out_dir / "MODEL_CARD.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
