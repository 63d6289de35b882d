"""The loans' real cash flows: what the pricing's parameters are measured on (``estimate_cash_flows``)
and what the backtest replays (``backtest``), with one rule for both.

Each LendingClub loan is re-priced at a rate of ours on its real outcome: a loan that was repaid
pays its installments at that rate until the month of its last payment (``last_pymnt_d`` - ``issue_d``,
at least 1, at most the term), when it pays off the rest; a loan that was charged off pays the
interest on its balance and, spread evenly over the months to its last payment, the principal it
really repaid (``total_rec_prncp``), then its ``recoveries`` ``RECOVERY_LAG`` months after its
last payment. The 1% servicing fee comes off every payment. At LendingClub's own rate this rule
gives back the interest the loans really paid (``total_rec_int``) within a few percent
(``check_against_ledger``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from communitylend.core.money import GRADES

from .pricing import (
    DATA_TERMS,
    Pricing,
    TermCashFlows,
    annualized,
    monthly_irr,
    quoted_rates,
)

# LendingClub's file has no date for recoveries. A loan is charged off 150 days after it stops
# paying and collections take months more: we assume the recovery arrives 12 months after the
# last payment (recoveries are about 6% of what defaulted loans borrowed, so a few months either
# way move a floor by less than 0.05 point).
RECOVERY_LAG = 12


def months_paid(loans: pd.DataFrame) -> np.ndarray:
    """Months from issue to the last payment (0 for a loan that never paid)."""
    issued, last = loans["issue_d"], loans["last_pymnt_d"]
    months = (last.dt.year - issued.dt.year) * 12 + (last.dt.month - issued.dt.month)
    return months.fillna(0).to_numpy(dtype=int)


def _outcome(loans: pd.DataFrame, term: int):
    months = months_paid(loans)
    repaid = loans["defaulted"].to_numpy() == 0
    months = np.where(repaid, np.clip(months, 1, term), np.clip(months, 0, term))
    funded = loans["funded_amnt"].to_numpy(dtype=float)
    principal = np.clip(loans["total_rec_prncp"].to_numpy(dtype=float) / funded, 0, 1)
    recovered = np.clip(loans["recoveries"].to_numpy(dtype=float) / funded, 0, None)
    return repaid, months, funded, principal, recovered


def estimate_cash_flows(loans: pd.DataFrame, recovery_lag: int = RECOVERY_LAG
                        ) -> tuple[TermCashFlows, ...]:
    """The pricing's parameters per LendingClub term, weighted by the amount lent."""
    out = []
    for term in DATA_TERMS:
        part = loans[loans["term_months"] == term]
        repaid, months, funded, principal, recovered = _outcome(part, term)
        n = term + 1
        payoff = np.bincount(months[repaid], weights=funded[repaid], minlength=n)
        bad = ~repaid
        weight = np.bincount(months[bad], weights=funded[bad], minlength=n)
        paid = np.bincount(months[bad], weights=funded[bad] * principal[bad], minlength=n)
        back = np.bincount(months[bad], weights=funded[bad] * recovered[bad], minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            paid = np.where(weight > 0, paid / weight, 0.0)
            back = np.where(weight > 0, back / weight, 0.0)
        out.append(TermCashFlows(
            term=term,
            payoff_share=tuple(round(float(v), 6) for v in payoff / payoff.sum()),
            default_share=tuple(round(float(v), 6) for v in weight / weight.sum()),
            default_principal=tuple(round(float(v), 6) for v in paid),
            default_recovery=tuple(round(float(v), 6) for v in back),
            recovery_lag=recovery_lag))
    return tuple(out)


def realized(loans: pd.DataFrame, rates: np.ndarray, term: int, fee: float,
             recovery_lag: int = RECOVERY_LAG) -> dict[str, np.ndarray]:
    """Per loan of ``term``, re-priced at ``rates`` (percent a year): its cash flows per dollar
    by month (after the fee), the interest it paid, its balance-years and the principal lost."""
    repaid, months, funded, principal, recovered = _outcome(loans, term)
    n, horizon = len(loans), term + recovery_lag
    r = np.maximum(np.asarray(rates, dtype=float) / 1200.0, 1e-12)[:, None]
    k = np.arange(horizon + 1)[None, :]
    m = months[:, None]
    # repaid: scheduled balance before month k, installments until the payoff month
    growth = (1.0 + r) ** np.minimum(k, term)
    installment = r / (1.0 - (1.0 + r) ** -term)
    scheduled = growth - installment * (growth - 1.0) / r  # after k payments
    before = np.concatenate([np.ones((n, 1)), scheduled[:, :-1]], axis=1)  # during month k
    paying = (k >= 1) & (k <= m)
    repaid_cash = np.where(k < m, installment, np.where(k == m, before * (1 + r), 0.0))
    repaid_balance = np.where(paying, before, 0.0)
    # defaulted: even principal over the months paid, recoveries after the lag
    d = np.maximum(m, 1)
    default_balance = np.where(paying, 1.0 - (k - 1) * principal[:, None] / d, 0.0)
    default_cash = np.where(paying, principal[:, None] / d, 0.0) + r * default_balance
    default_cash = default_cash + np.where(k == m + recovery_lag, recovered[:, None], 0.0)
    is_repaid = repaid[:, None]
    cash = np.where(is_repaid, repaid_cash * paying, default_cash)
    balance = np.where(is_repaid, repaid_balance, default_balance)
    cash[:, 0] = 0.0
    balance[:, 0] = 0.0
    lost = np.where(repaid, 0.0, 1.0 - principal - recovered)
    return {"cash": cash * (1.0 - fee / 100.0), "gross": cash, "funded": funded,
            "interest": (r * balance).sum(axis=1), "balance_years": balance.sum(axis=1) / 12.0,
            "lost": lost}


def _pooled(parts: list[dict], fee: float) -> dict[str, float]:
    """Pooled IRR and net annualized return (percent a year) of the loans in ``parts``."""
    if not parts:
        return {"irr": float("nan"), "net_annualized_return": float("nan")}
    width = max(p["cash"].shape[1] for p in parts)
    flows = np.zeros(width)
    funded = interest = fees = lost = balance_years = 0.0
    for p in parts:
        w = p["funded"]
        flows[:p["cash"].shape[1]] += w @ p["cash"]
        funded += w.sum()
        interest += w @ p["interest"]
        fees += fee / 100.0 * (w @ p["gross"].sum(axis=1))
        lost += w @ p["lost"]
        balance_years += w @ p["balance_years"]
    flows[0] = -funded
    return {"irr": round(float(annualized(monthly_irr(flows / funded))), 2),
            "net_annualized_return": round(float((interest - fees - lost) / balance_years * 100),
                                           2)}


def backtest(loans: pd.DataFrame, pds: np.ndarray, grades: np.ndarray, pricing: Pricing,
             recovery_lag: int = RECOVERY_LAG) -> dict:
    """Replay ``loans`` (36/60 months, final outcomes) at the floor and recommended rates
    ``pricing`` quotes for ``pds``, and at LendingClub's own rates: pooled IRR and net annualized
    return by grade and term, by grade, by term and for the whole book."""
    terms = loans["term_months"].to_numpy()
    floors, recommended = quoted_rates(np.asarray(pds, dtype=float), terms, pricing)
    lc = loans["int_rate"].to_numpy(dtype=float)
    fee = pricing.servicing_fee
    parts: dict[tuple[str, str], dict[str, list]] = {}
    rows = []
    grade_names = np.asarray(GRADES)[np.asarray(grades)]
    for term in DATA_TERMS:
        mask = terms == term
        if not mask.any():
            continue
        sub = loans[mask]
        by_rate = {name: realized(sub, rates[mask], term, fee, recovery_lag)
                   for name, rates in (("floor", floors), ("recommended", recommended),
                                       ("lendingclub", lc))}
        for g in GRADES:
            chosen = grade_names[mask] == g
            for name, result in by_rate.items():
                part = {k: v[chosen] for k, v in result.items()}
                for key in ((g, str(term)), (g, "all"), ("all", str(term)), ("all", "all")):
                    parts.setdefault(key, {}).setdefault(name, []).append(part)
    defaulted = loans["defaulted"].to_numpy()
    for key in sorted(parts, key=lambda k: (k[0] == "all", k[0], k[1] == "all", k[1])):
        grade, term = key
        mask = np.ones(len(loans), dtype=bool)
        if grade != "all":
            mask &= grade_names == grade
        if term != "all":
            mask &= terms == int(term)
        if not mask.any():
            continue
        weights = loans["funded_amnt"].to_numpy(dtype=float)[mask]
        row = {"grade": grade, "term": term, "loans": int(mask.sum()),
               "default_rate": round(float(defaulted[mask].mean()) * 100, 2),
               "mean_pd": round(float(np.mean(pds[mask])) * 100, 2)}
        for name, rates in (("floor", floors), ("recommended", recommended),
                            ("lendingclub", lc)):
            pooled = _pooled(parts[key][name], fee)
            row[name] = {"rate": round(float(np.average(rates[mask], weights=weights)), 2),
                         **pooled}
        rows.append(row)
    return {"rows": rows, "funding_cost": pricing.funding_cost,
            "target": pricing.funding_cost + pricing.margin, "servicing_fee": fee,
            "recovery_lag": recovery_lag}


def check_against_ledger(loans: pd.DataFrame, recovery_lag: int = RECOVERY_LAG) -> dict:
    """The rule at LendingClub's own rates against what the loans really paid in interest
    (``total_rec_int``), by term: how faithful the re-pricing is."""
    out = {}
    for term in DATA_TERMS:
        part = loans[loans["term_months"] == term]
        if part.empty:
            continue
        result = realized(part, part["int_rate"].to_numpy(dtype=float), term, 0.0, recovery_lag)
        modelled = float(result["funded"] @ result["interest"])
        actual = float(part["total_rec_int"].sum())
        out[str(term)] = {"modelled_interest": round(modelled, 2),
                          "actual_interest": round(actual, 2),
                          "ratio": round(modelled / actual, 4)}
    return out


def backtest_markdown(result: dict) -> list[str]:
    """The backtest as a Markdown table: one row per grade and term, then per grade, per term
    and the whole book (the model card, README and ``backtest_pricing`` print it)."""
    lines = [
        "| grade | term | loans | default rate | mean PD | floor | IRR at floor | NAR at floor "
        "| recommended | IRR at recommended | NAR at recommended | LendingClub rate "
        "| IRR at LendingClub's | NAR at LendingClub's |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        grade = "book" if row["grade"] == "all" else row["grade"]
        term = "all" if row["term"] == "all" else f"{row['term']} m"
        cells = [grade, term, f"{row['loans']:,}", f"{row['default_rate']:.1f}%",
                 f"{row['mean_pd']:.1f}%"]
        for name in ("floor", "recommended", "lendingclub"):
            part = row[name]
            cells += [f"{part['rate']:.2f}%", f"{part['irr']:.2f}%",
                      f"{part['net_annualized_return']:.2f}%"]
        text = "| " + " | ".join(cells) + " |"
        lines.append(text.replace("| book |", "| **book** |") if grade == "book" else text)
    return lines


def book_returns(result: dict) -> dict[str, float]:
    """The whole book's pooled IRR at the floors, the recommended rates and LendingClub's."""
    book = next(r for r in result["rows"] if r["grade"] == "all" and r["term"] == "all")
    return {"irr_floor": book["floor"]["irr"], "irr_recommended": book["recommended"]["irr"],
            "irr_lendingclub": book["lendingclub"]["irr"]}


def target_report(result: dict, calibration: dict | None = None) -> list[str]:
    """The issue's targets, each as "met" or "missed" with its figure (reported, never
    asserted: they are measurements on one year of real loans)."""
    rows = {(r["grade"], r["term"]): r for r in result["rows"]}
    book = rows[("all", "all")]
    funding, target = result["funding_cost"], result["target"]

    def verdict(ok: bool) -> str:
        return "met" if ok else "missed"

    floor_irr, rec_irr = book["floor"]["irr"], book["recommended"]["irr"]
    lines = [
        f"- book IRR at the floors {floor_irr:.2f}% (target {funding - 1:.0f}-{funding + 1:.0f}%):"
        f" {verdict(abs(floor_irr - funding) <= 1)}",
        f"- book IRR at the recommended rates {rec_irr:.2f}% (target {target - 1:.0f}-"
        f"{target + 1:.0f}%): {verdict(abs(rec_irr - target) <= 1)}",
    ]
    grades = [g for g in GRADES if (g, "all") in rows]
    low_floor = [f"{g} {rows[(g, 'all')]['floor']['irr']:.2f}%" for g in grades
                 if rows[(g, "all")]["floor"]["irr"] < 2.5]
    low_rec = [f"{g} {rows[(g, 'all')]['recommended']['irr']:.2f}%" for g in grades
               if rows[(g, "all")]["recommended"]["irr"] < 5.0]
    lines.append("- every grade at least 2.5% at its floor: "
                 + ("met" if not low_floor else f"missed ({', '.join(low_floor)})"))
    lines.append("- every grade at least 5% at its recommended rate: "
                 + ("met" if not low_rec else f"missed ({', '.join(low_rec)})"))
    rising = all(
        [rows[(g, t)]["floor"]["rate"] for g in grades if (g, t) in rows]
        == sorted(rows[(g, t)]["floor"]["rate"] for g in grades if (g, t) in rows)
        for t in ("36", "60"))
    lines.append(f"- quoted floors rise from A to E for every term: {verdict(rising)}")
    if calibration:
        far = [f"{name} {row['gap']:+.2f} pt" for name, row in calibration.items()
               if abs(row["gap"]) > 1.5]
        lines.append("- mean predicted PD within 1.5 points of the observed default rate for "
                     "each term and grade: " + ("met" if not far else
                                                f"missed ({', '.join(far)})"))
    return lines
