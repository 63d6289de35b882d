"""What a lender reads to judge a listing (issue 19): the borrower's facts as the risk model used
them at application (from the assessment's stored inputs, so they match the grade), and the PD
and grade in words. Income is shown as a range, never the exact figure."""

from dataclasses import dataclass
from decimal import Decimal

from communitylend.core.money import format_money

from .models import Loan

INCOME_BANDS = (25_000, 50_000, 75_000, 100_000, 150_000, 250_000)
GRADE_WORDS = {
    "A": "lowest risk: borrowers like this one rarely default",
    "B": "low risk",
    "C": "moderate risk",
    "D": "elevated risk: defaults are common enough to matter",
    "E": "high risk: expect a meaningful share of such loans to default",
}
HOME = {"RENT": "Rents", "OWN": "Owns outright", "MORTGAGE": "Owns with a mortgage",
        "OTHER": "Other"}
EMPLOYMENT = {"employed": "Employed", "self_employed": "Self-employed",
              "unemployed": "Not employed", "retired": "Retired", "student": "Student"}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    imputed: bool = False  # not given: the model filled in a typical value


def income_range(income) -> str:
    income = Decimal(str(income))
    lower = 0
    for upper in INCOME_BANDS:
        if income < upper:
            return f"{format_money(lower)[:-3]}–{format_money(upper)[:-3]} a year"
        lower = upper
    return f"{format_money(INCOME_BANDS[-1])[:-3]} or more a year"


def _count(n, one: str, many: str) -> str:
    n = int(n)
    return f"{'None' if n == 0 else n} {one if n == 1 else many}".replace("None " + many, "None")


def borrower_facts(loan: Loan) -> list[Fact]:
    assessment = loan.risk_assessment
    if assessment is None:
        return []
    given, imputed = assessment.inputs, set(assessment.imputed or [])

    def fact(key, label, show):
        if key in given and given[key] not in (None, ""):
            return Fact(label, show(given[key]), key in imputed)
        return Fact(label, "Not given", True)

    years = lambda v: f"{Decimal(str(v)):.0f} years" if Decimal(str(v)) != 1 else "1 year"  # noqa: E731
    return [
        fact("annual_income", "Income", income_range),
        fact("debt_to_income", "Debt-to-income", lambda v: f"{Decimal(str(v)):.1f}%"),
        fact("employment_status", "Employment", lambda v: EMPLOYMENT.get(v, str(v))),
        fact("employment_length", "Employment length", years),
        fact("home_ownership", "Home", lambda v: HOME.get(v, str(v))),
        fact("credit_history_years", "Credit history", years),
        fact("inquiries_6m", "Credit inquiries (6 months)",
             lambda v: _count(v, "inquiry", "inquiries")),
        fact("revolving_utilization", "Revolving utilization", lambda v: f"{Decimal(str(v)):.0f}%"),
        fact("open_credit_lines", "Open credit lines", lambda v: str(int(v))),
        fact("delinquencies_2y", "Delinquencies (2 years)",
             lambda v: _count(v, "delinquency", "delinquencies")),
        fact("public_records", "Public records", lambda v: _count(v, "record", "records")),
        fact("credit_score", "Credit score (self-stated)", lambda v: str(int(v))),
    ]


def pd_in_words(loan: Loan) -> str | None:
    if loan.probability_default is None:
        return None
    pd = Decimal(loan.probability_default) * 100
    per_hundred = f"{pd:.0f}" if pd >= 1 else "fewer than 1"
    return (f"{pd:.1f}% chance of default over the {loan.term_months}-month term: about "
            f"{per_hundred} in 100 loans like this one are expected to default.")


def grade_in_words(grade: str) -> str:
    return f"Grade {grade}: {GRADE_WORDS.get(grade, '')}"
