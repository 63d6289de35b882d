"""A note's market figures, with no database: its remaining scheduled payments, the cash flows a
holder can expect from them (after the 1% servicing fee and the model's expected losses for the
loan's PD and status), their yield at a price and their value at a rate.

The loss model (written here because DESIGN.md leaves its shape open):
- the probability that the loan defaults over what is left of it depends on its status, as roll
  rates do on every platform: a current loan keeps its priced PD pro rata to the months left;
  in grace (1-15 days) at least 25%; late 16-30 days 50%; late 31-120 days 70%; in default 90%;
  charged off it pays nothing;
- that probability is spread as a constant monthly hazard over the months left; a loan that
  defaults in a month pays nothing more but recovers (1 - LGD) of the balance it owed, where LGD
  is the priced expected loss share over the PD;
- every amount the holder receives pays the 1% servicing fee.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from communitylend.core.money import CENT, SERVICING_FEE_RATE, ZERO, cents

DAYS_PER_MONTH = 365 / 12
DEFAULT_LGD = 0.7  # a loan priced without a PD (imported with a staff grade): LendingClub's LGD


@dataclass(frozen=True)
class Payment:
    """One of the note's remaining scheduled payments: when (months from today, never below
    0), how much, and the principal it repays."""

    months: float
    amount: Decimal
    principal: Decimal


def note_payments(rows, *, note_outstanding: Decimal, loan_outstanding: Decimal,
                  as_of: date) -> list[Payment]:
    """The note's share (its outstanding principal over the loan's) of the unpaid principal and
    interest of the loan's open schedule ``rows`` (due_date, principal, interest, principal_paid,
    interest_paid), in due-date order. Late fees are left out: nothing a buyer can count on."""
    if loan_outstanding <= 0 or note_outstanding <= 0:
        return []
    share = note_outstanding / loan_outstanding
    payments = []
    for row in rows:
        principal = row.principal - row.principal_paid
        interest = row.interest - row.interest_paid
        if principal <= 0 and interest <= 0:
            continue
        months = max((row.due_date - as_of).days, 0) / DAYS_PER_MONTH
        payments.append(Payment(months, (principal + interest) * share, principal * share))
    return payments


def default_probability(*, pd_life: float, term_months: int, months_left: int,
                        days_past_due: int, status: str) -> float:
    """The chance the loan defaults over what is left of it, from its status (module doc)."""
    if status == "charged_off":
        return 1.0
    if status == "default" or days_past_due >= 121:
        return 0.9
    if days_past_due > 30:
        return 0.7
    if days_past_due > 15:
        return 0.5
    base = pd_life * min(months_left / term_months, 1.0) if term_months else pd_life
    return max(base, 0.25) if days_past_due > 0 else base


@dataclass(frozen=True)
class Risk:
    """What the loss model needs of a loan."""

    pd_life: float
    loss_share: float
    term_months: int
    days_past_due: int
    status: str

    @classmethod
    def of_loan(cls, loan) -> "Risk":
        loss_share = float(loan.expected_loss_share or 0)
        pd_life = float(loan.probability_default) if loan.probability_default is not None \
            else loss_share / DEFAULT_LGD
        return cls(min(pd_life, 1.0), loss_share, loan.term_months, loan.days_past_due,
                   loan.status)

    @property
    def lgd(self) -> float:
        return min(self.loss_share / self.pd_life, 1.0) if self.pd_life > 0 else DEFAULT_LGD


def expected_flows(payments: list[Payment], risk: Risk,
                   outstanding: Decimal) -> list[tuple[float, float]]:
    """(months, amount) a holder can expect: each payment if the loan survives to it, plus the
    recovery of the balance in the month it defaults, each net of the 1% fee."""
    if not payments or risk.status == "charged_off":
        return []
    pd = default_probability(pd_life=risk.pd_life, term_months=risk.term_months,
                             months_left=len(payments), days_past_due=risk.days_past_due,
                             status=risk.status)
    hazard = 1 - (1 - min(pd, 0.999999)) ** (1 / len(payments))
    keep = 1 - float(SERVICING_FEE_RATE)
    recovered = 1 - risk.lgd
    flows, alive, balance = [], 1.0, float(outstanding)
    for payment in payments:
        flows.append((payment.months, keep * (alive * (1 - hazard) * float(payment.amount)
                                              + alive * hazard * balance * recovered)))
        alive *= 1 - hazard
        balance -= float(payment.principal)
    return flows


def present_value(flows: list[tuple[float, float]], monthly_rate: float) -> float:
    return sum(amount / (1 + monthly_rate) ** months for months, amount in flows)


def model_value(flows: list[tuple[float, float]], annual_rate_percent) -> Decimal:
    """The expected flows discounted at a nominal annual rate (a note's own rate, or a bot's
    required return), to the cent."""
    return cents(Decimal(repr(present_value(flows, float(annual_rate_percent) / 1200))))


def yield_to_maturity(flows: list[tuple[float, float]], price: Decimal) -> Decimal:
    """The annualized IRR, in percent to 2 decimals, of paying ``price`` today for ``flows``:
    (1 + monthly IRR) ** 12 - 1. -100.00 when the flows cannot return the price at all."""
    cost = float(price)
    if not flows or sum(a for _, a in flows) <= 0:
        return Decimal("-100.00")
    low, high = -0.99, 1.0
    if present_value(flows, high) > cost:
        high = 10.0
    for _ in range(100):
        mid = (low + high) / 2
        if present_value(flows, mid) > cost:
            low = mid
        else:
            high = mid
    annual = ((1 + (low + high) / 2) ** 12 - 1) * 100
    return Decimal(repr(max(min(annual, 99999.0), -100.0))).quantize(CENT)


def price_percent(price: Decimal, outstanding: Decimal, accrued: Decimal) -> Decimal:
    """The price as a percent of outstanding principal plus accrued interest, 2 decimals."""
    par = outstanding + accrued
    return cents(price * 100 / par) if par > 0 else Decimal("0.00")


def trading_fee(price: Decimal) -> Decimal:
    """The seller's 1% of the price, half-even to the cent (platform revenue)."""
    return cents(price * SERVICING_FEE_RATE)


def note_accrued_interest(loan_interest: Decimal, *, note_outstanding: Decimal,
                          loan_outstanding: Decimal) -> Decimal:
    """The note's share of the loan's accrued (and past-due unpaid) interest, to the cent."""
    if loan_outstanding <= 0:
        return ZERO
    return cents(loan_interest * note_outstanding / loan_outstanding)
