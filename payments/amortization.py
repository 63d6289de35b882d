"""Equal-installment, declining-balance monthly amortization (DESIGN.md, "Amortization").

Pure functions on Decimal; no database. Rounding is to the cent with ROUND_HALF_EVEN.

- Monthly rate r = annual rate / 12 / 100 (kept exact, never rounded).
- Installment = PMT(r, n, principal) rounded to the cent.
- Each period: interest = balance x r rounded to the cent; principal = installment - interest.
- The last installment's principal is the whole remaining balance, so principal parts sum exactly
  to the amount lent (the last payment may differ from the others by a few cents).
- Period k falls due k months after the start date on the same day of the month, clamped to the
  month's last day, always counted from the start date (never chained).
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from communitylend.core.money import cents


def monthly_rate(annual_rate_percent) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(annual_rate_percent) / Decimal(1200)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def installment_amount(principal, annual_rate_percent, months: int) -> Decimal:
    """PMT rounded to the cent; with a zero rate, principal / months."""
    principal = Decimal(principal)
    if months <= 0:
        raise ValueError("months must be positive")
    r = monthly_rate(annual_rate_percent)
    with localcontext() as ctx:
        ctx.prec = 40
        if r == 0:
            return cents(principal / months)
        factor = (1 + r) ** months
        return cents(principal * r * factor / (factor - 1))


@dataclass(frozen=True)
class ScheduleRow:
    period: int
    due_date: date
    principal: Decimal
    interest: Decimal
    payment: Decimal
    balance: Decimal


@dataclass(frozen=True)
class Schedule:
    installment: Decimal
    rows: list[ScheduleRow]

    @property
    def total_interest(self) -> Decimal:
        return sum((row.interest for row in self.rows), Decimal("0.00"))

    @property
    def total_payment(self) -> Decimal:
        return sum((row.payment for row in self.rows), Decimal("0.00"))


def rows_from_balance(balance, annual_rate_percent, installment, *, first_period: int,
                      start: date, max_periods: int) -> list[ScheduleRow]:
    """Rows that repay ``balance`` with a fixed installment (also the re-amortization after a
    prepayment: the installment stays, the term shortens)."""
    balance = cents(balance)
    r = monthly_rate(annual_rate_percent)
    rows = []
    period = first_period
    while balance > 0 and len(rows) < max_periods:
        interest = cents(balance * r)
        last = len(rows) == max_periods - 1 or installment - interest >= balance
        principal = balance if last else installment - interest
        balance -= principal
        rows.append(ScheduleRow(period, add_months(start, period), principal, interest,
                                principal + interest, balance))
        period += 1
    return rows


def amortize(principal, annual_rate_percent, months: int, start: date) -> Schedule:
    principal = cents(principal)
    if principal <= 0:
        raise ValueError("principal must be positive")
    installment = installment_amount(principal, annual_rate_percent, months)
    rows = rows_from_balance(principal, annual_rate_percent, installment, first_period=1,
                             start=start, max_periods=months)
    return Schedule(installment=installment, rows=rows)
