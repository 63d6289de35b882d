"""Loan matching: open listings ranked for a lender by their stated preferences and past bids.

A score from 0 to 100 adds up weighted fits, each with a reason in plain words:
- risk (40): how the listing's grade sits with the lender's risk tolerance (conservative A-B,
  balanced B-D, aggressive C-E) or, with no stated tolerance, the grades they bid on before;
- amount (20): the listing amount within the lender's stated range;
- term (20): a preferred term (stated, or one they bid on before);
- return (20): the recommended rate against what the lender bid before (or the grade's norm).
Listings the lender already bid on, their own listings and listings whose maximum rate is under
the floor are left out.
"""

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg

from .models import Bid, LenderPreference, Loan, LoanStatus

TOLERANCE_GRADES = {"conservative": ("A", "B"), "balanced": ("B", "C", "D"),
                    "aggressive": ("C", "D", "E")}
GRADE_ORDER = "ABCDE"


@dataclass
class Match:
    loan_id: int
    match_score: int
    reasons: list[str]


def _grade_fit(grade: str, liked: tuple[str, ...]) -> float:
    if not liked:
        return 0.5
    distance = min(abs(GRADE_ORDER.index(grade) - GRADE_ORDER.index(g)) for g in liked)
    return {0: 1.0, 1: 0.5}.get(distance, 0.0)


def loan_matches(user, *, limit: int = 20) -> list[Match]:
    preference = LenderPreference.objects.filter(user=user).first()
    history = list(Bid.objects.filter(lender=user).values_list("loan__risk_grade",
                                                               "loan__term_months", "rate"))
    bid_grades = tuple(g for g, _ in Counter(g for g, _, _ in history).most_common(2))
    bid_terms = {t for _, t, _ in history}
    average_rate = (Bid.objects.filter(lender=user).aggregate(avg=Avg("rate"))["avg"]
                    if history else None)
    if preference and preference.risk_tolerance:
        liked = TOLERANCE_GRADES[preference.risk_tolerance]
        risk_source = f"your {preference.risk_tolerance} risk tolerance"
    else:
        liked, risk_source = bid_grades, "the grades you bid on before"
    terms = set(preference.terms or []) if preference and preference.terms else bid_terms
    candidates = (Loan.objects.filter(status=LoanStatus.LISTED)
                  .exclude(borrower=user).exclude(bids__lender=user)
                  .order_by("-created_at")[:500])
    matches = []
    for loan in candidates:
        if loan.max_rate < loan.floor_rate:
            continue
        reasons, score = [], 0.0
        fit = _grade_fit(loan.risk_grade, liked)
        score += 40 * fit
        if liked and fit == 1.0:
            reasons.append(f"grade {loan.risk_grade} fits {risk_source}")
        elif liked and fit == 0.0:
            reasons.append(f"grade {loan.risk_grade} is outside {risk_source}")
        low = preference.min_amount if preference and preference.min_amount else None
        high = preference.max_amount if preference and preference.max_amount else None
        if low is None and high is None:
            score += 10
        elif (low is None or loan.amount >= low) and (high is None or loan.amount <= high):
            score += 20
            reasons.append(f"amount {loan.amount:,.0f} is within your range")
        if not terms:
            score += 10
        elif loan.term_months in terms:
            score += 20
            reasons.append(f"{loan.term_months}-month term is one you prefer")
        if average_rate is not None:
            gap = loan.recommended_rate - Decimal(average_rate)
            score += 20 * max(0.0, min(1.0, 0.5 + float(gap) / 4))
            if gap >= 0:
                reasons.append(f"recommended rate {loan.recommended_rate:.2f}% is at or above "
                               f"your average bid of {average_rate:.2f}%")
        else:
            score += 10
        if loan.funded_percent < 100:
            reasons.append(f"{100 - loan.funded_percent}% still to fund")
        matches.append(Match(loan.pk, round(score), reasons or ["an open listing"]))
    matches.sort(key=lambda m: (-m.match_score, m.loan_id))
    return matches[:limit]
