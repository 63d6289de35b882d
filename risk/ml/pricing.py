"""Rates from cash flows (DESIGN.md, "Pricing"): the floor, the recommended rate, the expected net
return and the expected loss rate of a loan, from its probability of default and its term.

A pool of loans of one PD and term pays back, per dollar lent, what the training loans of that
term did: a repaying loan pays its installments until the month of its last payment, when it pays
off the rest (prepayment); a defaulting loan pays the interest on its balance and, spread evenly
over the months it paid, the share of principal such loans repaid, then stops; what was recovered
comes ``recovery_lag`` months after its last payment. The 1% servicing fee comes off every payment.
Those shares and amounts, by month, are measured on the training loans (``estimate_cash_flows``:
LendingClub's ``issue_d``, ``last_pymnt_d``, ``total_rec_prncp``, ``recoveries``, weighted by
amount) and travel with the model version. With them:

- ``pooled_irr(pd, term, rate)``: the pool's internal rate of return, annualized as
  (1 + monthly IRR)^12 - 1, in percent; ``expected_net_return`` is the same, to 2 places.
- ``floor_rate``: the lowest rate, rounded up to the hundredth, whose pooled IRR is at least the
  funding cost; ``recommended_rate``: the same for funding cost + margin; both within
  [min_rate, max_rate]. Both are solved at the PD plus the pricing's margin of conservatism
  (``Pricing.pd_margin``, in log-odds, see ``stressed_pd``): default rates drift from one vintage
  to the next, and a floor that only breaks even when the PD is exactly right loses money on
  every vintage that turns out worse. The expected net return and the expected loss rate a lender
  sees use the PD itself (the best estimate), not the stressed one.
- ``expected_loss_rate``: the principal a defaulting loan never repays nor recovers, times the
  PD, per year of balance outstanding, in percent.

LendingClub lent over 36 and 60 months only: a 12- or 24-month loan takes the 36-month cash flows
with every month scaled by term / 36 (``TermCashFlows.scaled``) and the 36-month PD scaled by
term / 36 (``pd_for_term``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

import numpy as np

from communitylend.core.money import CENT, GRADES, TERMS

BASE_TERM = 36  # the cash flows and PD of shorter terms come from the 36-month loans
DATA_TERMS = (36, 60)  # the terms LendingClub lent over


@dataclass(frozen=True)
class TermCashFlows:
    """What the training loans of one term paid back, per dollar lent.

    ``payoff_share[m]`` (m = 1..term): the share of the repaying loans' dollars whose last payment
    came in month m (the rest of the balance paid off then). ``default_share[d]`` (d = 0..term):
    the share of the defaulting loans' dollars that made payments for d months;
    ``default_principal[d]`` and ``default_recovery[d]`` what those loans repaid in principal and
    recovered afterwards, per dollar lent."""

    term: int
    payoff_share: tuple[float, ...]
    default_share: tuple[float, ...]
    default_principal: tuple[float, ...]
    default_recovery: tuple[float, ...]
    recovery_lag: int = 12

    def __post_init__(self):
        n = self.term + 1
        for name in ("payoff_share", "default_share", "default_principal", "default_recovery"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} must have term + 1 = {n} entries")

    def scaled(self, term: int) -> TermCashFlows:
        """The same loans on a shorter ``term``: month m becomes month ceil(m x term / self.term)."""
        if term == self.term:
            return self
        target = [max(1, math.ceil(m * term / self.term)) for m in range(self.term + 1)]
        target[0] = 0
        payoff, share = [0.0] * (term + 1), [0.0] * (term + 1)
        principal, recovery = [0.0] * (term + 1), [0.0] * (term + 1)
        for m in range(self.term + 1):
            j = target[m]
            payoff[j] += self.payoff_share[m]
            w = self.default_share[m]
            share[j] += w
            principal[j] += w * self.default_principal[m]
            recovery[j] += w * self.default_recovery[m]
        principal = [p / s if s else 0.0 for p, s in zip(principal, share, strict=True)]
        recovery = [c / s if s else 0.0 for c, s in zip(recovery, share, strict=True)]
        return TermCashFlows(term, tuple(payoff), tuple(share), tuple(principal),
                             tuple(recovery), self.recovery_lag)

    @classmethod
    def simple(cls, term: int, *, payoff_month: int | None = None, default_month: int = 0,
               default_principal: float = 0.0, default_recovery: float = 0.0,
               recovery_lag: int = 12) -> TermCashFlows:
        """Every repaying loan pays off in ``payoff_month`` (default: runs to maturity), every
        defaulting loan pays ``default_month`` months: for hand-checked examples and defaults."""
        payoff = [0.0] * (term + 1)
        payoff[payoff_month or term] = 1.0
        share, principal, recovery = [0.0] * (term + 1), [0.0] * (term + 1), [0.0] * (term + 1)
        share[default_month] = 1.0
        principal[default_month] = default_principal
        recovery[default_month] = default_recovery
        return cls(term, tuple(payoff), tuple(share), tuple(principal), tuple(recovery),
                   recovery_lag)

    def summary(self) -> dict:
        """The figures the model card shows (at no rate: balances by schedule at 0%)."""
        share = np.asarray(self.default_share)
        months = np.arange(self.term + 1)
        lost = 1.0 - np.asarray(self.default_principal) - np.asarray(self.default_recovery)
        return {
            "term": self.term,
            "mean_payoff_month": round(float(np.dot(months, self.payoff_share)), 1),
            "prepaid_share": round(1.0 - float(self.payoff_share[self.term]), 4),
            "mean_default_month": round(float(np.dot(months, share)), 1),
            "default_principal_repaid": round(float(np.dot(share, self.default_principal)), 4),
            "default_recovered": round(float(np.dot(share, self.default_recovery)), 4),
            "loss_given_default": round(float(np.dot(share, lost)), 4),
            "recovery_lag": self.recovery_lag,
        }


def _stylized(term: int) -> TermCashFlows:
    """Used only without a trained model (``DEFAULT_PRICING``): loans that repay run to maturity;
    loans that default pay for a third of the term, repay 30% of principal, recover 6%."""
    return TermCashFlows.simple(term, default_month=term // 3, default_principal=0.30,
                                default_recovery=0.06)


@dataclass(frozen=True)
class Pricing:
    """Percent a year: the funding cost the floor earns, the margin on top of it for the
    recommended rate, the bounds, the servicing fee taken off every payment; and the cash flows
    of each LendingClub term (none: the stylized ones of ``_stylized``). Hashable, so that the
    solved rates are cached per pricing."""

    funding_cost: float = 4.0
    margin: float = 3.0
    min_rate: float = 5.0
    max_rate: float = 35.99
    servicing_fee: float = 1.0
    cash_flows: tuple[TermCashFlows, ...] = ()
    lgd: float = 0.60  # the amount-weighted loss of charged-off loans, for reference only
    # The margin of conservatism the floor and the recommended rate are solved at, in log-odds
    # added to the PD: the spread of the training vintages' default rates around the model's
    # predictions (``risk.ml.model.vintage_margin``); 0 without a trained model.
    pd_margin: float = 0.0

    def flows(self, term_months: int) -> TermCashFlows:
        """The cash flows of ``term_months``: measured on that term, or else the 36-month (60
        for 60 and more) ones scaled to it."""
        exact = next((f for f in self.cash_flows if f.term == term_months), None)
        if exact is not None:
            return exact
        base = 60 if term_months >= 60 else BASE_TERM
        flows = next((f for f in self.cash_flows if f.term == base), None) or _stylized(base)
        return _scaled(flows, term_months) if term_months < base else flows


DEFAULT_PRICING = Pricing()


@lru_cache(maxsize=64)
def _scaled(flows: TermCashFlows, term: int) -> TermCashFlows:
    return flows.scaled(term)


def to_rate(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_EVEN)


def rate_up(value: float) -> Decimal:
    """Rounded up to the hundredth of a percent (a floor must earn at least its target); the
    solver's last digits (below 1e-5 of a hundredth) are noise, not a reason to round up."""
    return Decimal(math.ceil(round(float(value) * 100, 5))) / 100


def pd_for_term(pd_model, term_months):
    """The PD over ``term_months`` from the model's PD (over 36 months for shorter terms):
    scaled by term / 36 below 36 months (DESIGN.md, "Pricing")."""
    pd_model = np.asarray(pd_model, dtype=float)
    term = np.asarray(term_months, dtype=float)
    return np.where(term < BASE_TERM, pd_model * np.minimum(term, BASE_TERM) / BASE_TERM,
                    pd_model)


def stressed_pd(pds, pricing=None) -> np.ndarray:
    """The PDs the rates are solved at: each PD's log-odds plus ``pricing.pd_margin``."""
    margin = _pricing_of(pricing).pd_margin
    pds = np.asarray(pds, dtype=float)
    if not margin:
        return pds
    clipped = np.clip(pds, 1e-9, 1 - 1e-9)
    stressed = 1.0 / (1.0 + (1.0 - clipped) / clipped * math.exp(-margin))
    return np.where((pds <= 0) | (pds >= 1), pds, stressed)


def _pricing_of(pricing) -> Pricing:
    if pricing is None:
        return DEFAULT_PRICING
    return getattr(pricing, "pricing", pricing)  # a Bundle carries its own Pricing


def _check(pd: float, term_months: int) -> None:
    if not 0.0 <= pd <= 1.0:
        raise ValueError(f"probability of default must be within 0..1, got {pd!r}")
    if term_months <= 0:
        raise ValueError(f"term must be a positive number of months, got {term_months!r}")


# --- the cash flows of a pool -------------------------------------------------------------------

def schedule_balance(monthly_rate, term: int) -> tuple:
    """(installment, balance after k = 0..term scheduled payments) per dollar lent."""
    k = np.arange(term + 1)
    if monthly_rate == 0:
        return 1.0 / term, 1.0 - k / term
    growth = (1.0 + monthly_rate) ** k
    installment = monthly_rate / (1.0 - (1.0 + monthly_rate) ** -term)
    return installment, growth - installment * (growth - 1.0) / monthly_rate


@lru_cache(maxsize=256)
def _default_parts(flows: TermCashFlows) -> tuple[np.ndarray, np.ndarray, float]:
    """A defaulting dollar's cash flow by month is ``cash + rate x balance`` (month 0..term+lag);
    also the principal it loses (neither repaid nor recovered)."""
    horizon = flows.term + flows.recovery_lag
    cash, balance = np.zeros(horizon + 1), np.zeros(horizon + 1)
    lost = 0.0
    for d, w in enumerate(flows.default_share):
        if not w:
            continue
        p, c = flows.default_principal[d], flows.default_recovery[d]
        if d:
            k = np.arange(1, d + 1)
            cash[1:d + 1] += w * p / d
            balance[1:d + 1] += w * (1.0 - (k - 1) * p / d)
        cash[d + flows.recovery_lag] += w * c
        lost += w * max(0.0, 1.0 - p - c)
    return cash, balance, lost


def _repaying(flows: TermCashFlows, monthly_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """A repaying dollar's cash flow and balance outstanding during each month 1..term."""
    term = flows.term
    installment, balance = schedule_balance(monthly_rate, term)
    payoff = np.asarray(flows.payoff_share)
    still_paying = 1.0 - np.cumsum(payoff)  # share whose last payment is after month k
    cash = np.zeros(term + 1)
    cash[1:] = installment * still_paying[1:] + payoff[1:] * balance[:-1] * (1 + monthly_rate)
    outstanding = np.zeros(term + 1)
    outstanding[1:] = balance[:-1] * (still_paying[:-1])
    return cash, outstanding


def pool_cash_flows(pd: float, term_months: int, rate: float, pricing=None) -> np.ndarray:
    """Per dollar lent at ``rate`` (percent a year) to loans of PD ``pd`` over the term: month 0
    is -1 (the dollar lent), months 1.. what the lender receives after the servicing fee."""
    p = _pricing_of(pricing)
    _check(pd, term_months)
    flows = p.flows(term_months)
    r = float(rate) / 1200.0
    repay, _ = _repaying(flows, r)
    cash, balance, _ = _default_parts(flows)
    pool = pd * (cash + r * balance)
    pool[:len(repay)] += (1.0 - pd) * repay
    pool *= 1.0 - p.servicing_fee / 100.0
    pool[0] = -1.0
    return pool


def monthly_irr(cash_flows: np.ndarray) -> float:
    """The monthly rate x at which the flows' present value is 0 (Newton from 1%, bisection as a
    safety net); flows are one outflow at month 0, then inflows, so the root is unique."""
    flows = np.asarray(cash_flows, dtype=float)
    k = np.arange(len(flows))

    def npv(x):
        discount = (1.0 + x) ** -k
        return float(np.dot(flows, discount)), float(np.dot(-k * flows, discount / (1.0 + x)))

    x = 0.01
    for _ in range(50):
        value, slope = npv(x)
        if abs(value) < 1e-13:
            return x
        if slope == 0:
            break
        step = x - value / slope
        if not -0.99 < step < 10:
            break
        if abs(step - x) < 1e-14:
            return step
        x = step
    low, high = -0.99, 10.0  # npv(low) > 0 > npv(high) when inflows exist
    for _ in range(200):
        mid = (low + high) / 2
        if npv(mid)[0] > 0:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def annualized(monthly: float) -> float:
    """(1 + monthly)^12 - 1, in percent."""
    return ((1.0 + monthly) ** 12 - 1.0) * 100.0


def pooled_irr(pd: float, term_months: int, rate: float, pricing=None) -> float:
    """The expected pooled IRR, percent a year, of lending at ``rate`` to loans of PD ``pd``."""
    return annualized(monthly_irr(pool_cash_flows(pd, term_months, rate, pricing)))


def _repaying_present_value(flows: TermCashFlows, rates: np.ndarray, discount: float
                            ) -> np.ndarray:
    """The present value at monthly ``discount`` of a repaying dollar's cash flows, for each of
    ``rates`` (monthly) at once."""
    term = flows.term
    r = np.maximum(np.asarray(rates, dtype=float), 1e-12)[:, None]
    k = np.arange(term + 1)[None, :]
    growth = (1.0 + r) ** k
    installment = r / (1.0 - (1.0 + r) ** -term)
    balance = growth - installment * (growth - 1.0) / r
    payoff = np.asarray(flows.payoff_share)
    still_paying = 1.0 - np.cumsum(payoff)
    cash = installment * still_paying[None, 1:] + payoff[None, 1:] * balance[:, :-1] * (1 + r)
    return cash @ ((1.0 + discount) ** -np.arange(1, term + 1))


def rates_for_return(pds, term_months: int, target: float, pricing=None) -> np.ndarray:
    """For each PD in ``pds``, the rate (percent a year, unrounded, at most max_rate) whose
    expected pooled IRR is ``target`` (percent a year). The IRR is ``target`` exactly where the
    pool's present value at that discount rate is zero, which rises with the rate: bisection on
    every PD at once."""
    p = _pricing_of(pricing)
    pds = np.atleast_1d(np.asarray(pds, dtype=float))
    flows = p.flows(int(term_months))
    discount = (1.0 + target / 100.0) ** (1.0 / 12.0) - 1.0
    cash, balance, _ = _default_parts(flows)
    v = (1.0 + discount) ** -np.arange(len(cash))
    default_cash, default_balance = float(cash @ v), float(balance @ v)
    keep = 1.0 - p.servicing_fee / 100.0

    def npv(rates_pct):
        r = rates_pct / 1200.0
        repaying = _repaying_present_value(flows, r, discount)
        return keep * ((1 - pds) * repaying + pds * (default_cash + r * default_balance)) - 1.0

    low, high = np.zeros_like(pds), np.full_like(pds, p.max_rate)
    for _ in range(60):
        mid = (low + high) / 2
        below = npv(mid) < 0
        low, high = np.where(below, mid, low), np.where(below, high, mid)
        if float(np.max(high - low)) < 1e-9:
            break
    return np.where(npv(np.full_like(pds, p.max_rate)) < 0, p.max_rate, high)


def quoted_rates(pds, terms, pricing=None) -> tuple[np.ndarray, np.ndarray]:
    """The floor and the recommended rate (percent a year, 2 places) for each PD and term: the
    rates whose pooled IRR at the stressed PD (``stressed_pd``) is the funding cost, and the
    funding cost plus the margin, rounded up to the hundredth; the floor at most max_rate, the
    recommended rate within [min_rate, max_rate] and never below the floor. All PDs of a term are
    solved at once."""
    p = _pricing_of(pricing)
    pds = np.atleast_1d(np.asarray(pds, dtype=float))
    terms = np.broadcast_to(np.asarray(terms), pds.shape)
    if pds.size and (pds.min() < 0 or pds.max() > 1):
        raise ValueError("probability of default must be within 0..1")
    pds = stressed_pd(pds, p)
    floors, recommended = np.zeros(len(pds)), np.zeros(len(pds))
    up = np.vectorize(lambda v: float(rate_up(v)), otypes=[float])
    for term in np.unique(terms):
        _check(0.0, int(term))
        mask = terms == term
        unique, inverse = np.unique(np.round(pds[mask], 6), return_inverse=True)
        floor = np.minimum(up(rates_for_return(unique, int(term), p.funding_cost, p)),
                           p.max_rate)
        best = up(rates_for_return(unique, int(term), p.funding_cost + p.margin, p))
        rec = np.minimum(np.maximum(np.maximum(best, p.min_rate), floor), p.max_rate)
        floors[mask], recommended[mask] = floor[inverse], rec[inverse]
    return floors, recommended


@lru_cache(maxsize=65536)
def _quoted(pd: float, term_months: int, pricing: Pricing) -> tuple[float, float]:
    floors, recommended = quoted_rates([pd], [term_months], pricing)
    return float(floors[0]), float(recommended[0])


def floor_rate_value(pd: float, term_months: int, pricing=None) -> float:
    _check(pd, term_months)
    return _quoted(round(float(pd), 6), int(term_months), _pricing_of(pricing))[0]


def recommended_rate_value(pd: float, term_months: int, pricing=None) -> float:
    _check(pd, term_months)
    return _quoted(round(float(pd), 6), int(term_months), _pricing_of(pricing))[1]


def floor_rate(pd: float, term_months: int, pricing=None) -> Decimal:
    """The lowest rate (2 places, rounded up) whose expected pooled IRR after defaults,
    recoveries, prepayments and the servicing fee is at least the funding cost.

    ``pricing`` is a ``Pricing``, a ``Bundle`` (its pricing) or None (``DEFAULT_PRICING``)."""
    return to_rate(floor_rate_value(pd, term_months, pricing))


def recommended_rate(pd: float, term_months: int, pricing=None) -> Decimal:
    """The rate (2 places, rounded up) that earns the funding cost plus the margin, bounded to
    [min_rate, max_rate] and never below the floor."""
    return to_rate(recommended_rate_value(pd, term_months, pricing))


@lru_cache(maxsize=65536)
def _net_return(pd: float, term_months: int, rate: float, pricing: Pricing) -> float:
    return pooled_irr(pd, term_months, rate, pricing)


def expected_net_return(pd: float, term_months: int, rate, pricing=None) -> Decimal:
    """Percent a year (2 places) a lender can expect at ``rate``: the pooled IRR after expected
    defaults, recoveries, prepayments and the servicing fee."""
    p = _pricing_of(pricing)
    _check(float(pd), term_months)
    return to_rate(_net_return(round(float(pd), 6), int(term_months), float(rate), p))


@lru_cache(maxsize=65536)
def _loss_rate(pd: float, term_months: int, rate: float, pricing: Pricing) -> float:
    flows = pricing.flows(term_months)
    r = rate / 1200.0
    _, repaying_balance = _repaying(flows, r)
    _, defaulting_balance, lost = _default_parts(flows)
    balance_years = ((1.0 - pd) * repaying_balance.sum() + pd * defaulting_balance.sum()) / 12
    return pd * lost / balance_years * 100.0 if balance_years else 0.0


def expected_loss_rate(pd: float, term_months: int, rate, pricing=None) -> Decimal:
    """Percent a year of the balance outstanding (2 places): the principal that defaulting loans
    neither repay nor recover, times the PD, over the years the pool's dollars are lent out."""
    p = _pricing_of(pricing)
    _check(float(pd), term_months)
    return to_rate(_loss_rate(round(float(pd), 6), int(term_months), float(rate), p))


def loss_share(pd: float, term_months: int, pricing=None) -> float:
    """The principal a dollar lent at ``pd`` over ``term_months`` is expected to lose: the PD
    times what a defaulting dollar neither repays nor recovers."""
    p = _pricing_of(pricing)
    _check(pd, term_months)
    return pd * _default_parts(p.flows(int(term_months)))[2]


# --- grades -------------------------------------------------------------------------------------

def _grade_pd(bundle, grade: str, term_months: int) -> float:
    if grade not in bundle.grade_pd:
        raise ValueError(f"unknown grade {grade!r}; grades are {', '.join(GRADES)}")
    if term_months not in TERMS:
        raise ValueError(f"term must be one of {', '.join(map(str, TERMS))} months, "
                         f"got {term_months!r}")
    by_term = bundle.grade_pd[grade]
    return float(pd_for_term(by_term[60 if term_months == 60 else BASE_TERM], term_months))


def grade_probability_default(bundle, grade: str, term_months: int) -> float:
    """The grade's pooled PD for the term (what a grade without a model score is priced at)."""
    return _grade_pd(bundle, grade, term_months)


def grade_floor_rate(bundle, grade: str, term_months: int) -> Decimal:
    """The floor at the grade's pooled PD for the term (the amount-weighted mean PD of the
    training loans in its band with that term; 12 and 24 months scale the 36-month one)."""
    return floor_rate(_grade_pd(bundle, grade, term_months), term_months, bundle.pricing)


def grade_recommended_rate(bundle, grade: str, term_months: int) -> Decimal:
    return recommended_rate(_grade_pd(bundle, grade, term_months), term_months, bundle.pricing)


def grade_rate_table(bundle, terms=(12, 24, 36, 60)) -> dict[str, dict[int, dict[str, Decimal]]]:
    return {g: {t: {"floor": grade_floor_rate(bundle, g, t),
                    "recommended": grade_recommended_rate(bundle, g, t)} for t in terms}
            for g in GRADES}
