"""Rates from a probability of default: the floor (funding cost + expected loss per year) and the
recommended rate (floor + margin), in percent a year, as Decimals with 2 places.

The rule (DESIGN.md, "Loan lifecycle"): expected loss per year = PD over the term x LGD / years of
the term; floor = funding cost + expected loss per year; recommended = floor + margin, bounded to
[min_rate, max_rate]. The floor is capped at max_rate too, so floor <= recommended always holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np

from communitylend.core.money import CENT, GRADES, TERMS

# LendingClub lent over 36 and 60 months only. The PD the model gives for a 36-month loan is
# scaled to shorter terms with a constant monthly hazard: PD(t) = 1 - (1 - PD(36)) ** (t / 36).
BASE_TERM = 36


@dataclass(frozen=True)
class Pricing:
    """Percent a year, except ``lgd`` (loss given default, a fraction of the amount lent).

    ``lgd`` 0.60 is what LendingClub's charged-off loans of 2007-2011 lost: 1 - (principal repaid +
    recoveries) / amount funded, weighted by amount (training re-measures it into the bundle)."""

    funding_cost: float = 4.0
    lgd: float = 0.60
    margin: float = 3.0
    min_rate: float = 5.0
    max_rate: float = 35.99


DEFAULT_PRICING = Pricing()


def to_rate(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_EVEN)


def pd_for_term(pd_model, term_months):
    """The PD over ``term_months`` from the model's PD (which is over max(term, 36) months)."""
    pd_model = np.asarray(pd_model, dtype=float)
    term = np.asarray(term_months, dtype=float)
    scaled = 1.0 - (1.0 - pd_model) ** (np.minimum(term, BASE_TERM) / BASE_TERM)
    return np.where(term < BASE_TERM, scaled, pd_model)


def _pricing_of(pricing) -> Pricing:
    if pricing is None:
        return DEFAULT_PRICING
    return getattr(pricing, "pricing", pricing)  # a Bundle carries its own Pricing


def _check(pd: float, term_months: int) -> None:
    if not 0.0 <= pd <= 1.0:
        raise ValueError(f"probability of default must be within 0..1, got {pd!r}")
    if term_months <= 0:
        raise ValueError(f"term must be a positive number of months, got {term_months!r}")


def floor_rate_value(pd: float, term_months: int, pricing=None) -> float:
    p = _pricing_of(pricing)
    _check(pd, term_months)
    expected_loss_per_year = pd * p.lgd / (term_months / 12.0) * 100.0
    return min(p.funding_cost + expected_loss_per_year, p.max_rate)


def recommended_rate_value(pd: float, term_months: int, pricing=None) -> float:
    p = _pricing_of(pricing)
    rate = floor_rate_value(pd, term_months, p) + p.margin
    return min(max(rate, p.min_rate), p.max_rate)


def floor_rate(pd: float, term_months: int, pricing=None) -> Decimal:
    """Funding cost + ``pd`` (over the term) x LGD / years, percent a year, 2 places.

    ``pricing`` is a ``Pricing``, a ``Bundle`` (its pricing) or None (``DEFAULT_PRICING``)."""
    return to_rate(floor_rate_value(pd, term_months, pricing))


def recommended_rate(pd: float, term_months: int, pricing=None) -> Decimal:
    """The floor for ``pd`` plus the margin, bounded to [min_rate, max_rate], 2 places."""
    return to_rate(recommended_rate_value(pd, term_months, pricing))


def _grade_pd(bundle, grade: str, term_months: int) -> float:
    if grade not in bundle.grade_pd:
        raise ValueError(f"unknown grade {grade!r}; grades are {', '.join(GRADES)}")
    if term_months not in TERMS:
        raise ValueError(f"term must be one of {', '.join(map(str, TERMS))} months, "
                         f"got {term_months!r}")
    by_term = bundle.grade_pd[grade]
    return float(pd_for_term(by_term[60 if term_months == 60 else BASE_TERM], term_months))


def grade_floor_rate(bundle, grade: str, term_months: int) -> Decimal:
    """The floor of every loan of ``grade`` over ``term_months``: the rule applied to the grade's
    representative PD (mean PD of the training loans in its band with that term; 12 and 24
    months scale the 36-month one with ``pd_for_term``)."""
    return floor_rate(_grade_pd(bundle, grade, term_months), term_months, bundle.pricing)


def grade_recommended_rate(bundle, grade: str, term_months: int) -> Decimal:
    return recommended_rate(_grade_pd(bundle, grade, term_months), term_months, bundle.pricing)


def grade_rate_table(bundle, terms=(12, 24, 36, 60)) -> dict[str, dict[int, dict[str, Decimal]]]:
    return {g: {t: {"floor": grade_floor_rate(bundle, g, t),
                    "recommended": grade_recommended_rate(bundle, g, t)} for t in terms}
            for g in GRADES}
