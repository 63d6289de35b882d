"""The pure rules of issue 21 (no database): the recovery split and the hardship
re-amortization, over random inputs (hypothesis) and exact cents."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.amortization import amortize
from payments.servicing.allocation import (
    Terms,
    hardship_end,
    hardship_reschedule,
    recovery_split,
)

D = Decimal
ZERO = D("0.00")


@dataclass
class Row:
    number: int
    due_date: date
    principal: D
    interest: D
    total: D
    principal_paid: D = D("0.00")
    interest_paid: D = D("0.00")
    late_fee: D = D("0.00")
    late_fee_paid: D = D("0.00")
    platform_fee: D = D("0.00")
    platform_fee_paid: D = D("0.00")
    status: str = "due"


def schedule(amount, rate, months, start=date(2026, 1, 15)):
    return [Row(r.period, r.due_date, r.principal, r.interest, r.payment)
            for r in amortize(D(amount), D(rate), months, start).rows]


def test_a_recovery_pays_the_collection_fee_then_splits_by_principal_written_off():
    parts = recovery_split(D("1000.00"), [(1, D("600.00")), (2, D("400.00"))])
    assert parts[1] == (D("600.00"), D("180.00"), D("4.20"), D("415.80"))
    assert parts[2] == (D("400.00"), D("120.00"), D("2.80"), D("277.20"))


@given(amount=st.decimals("0.01", "100000", places=2),
       weights=st.lists(st.decimals("0.01", "40000", places=2), min_size=1, max_size=7))
def test_every_column_of_a_recovery_sums_to_its_total(amount, weights):
    parts = recovery_split(amount, list(enumerate(weights, start=1)))
    assert sum(p.gross for p in parts.values()) == amount
    collection = sum(p.collection_fee for p in parts.values())
    assert collection == (amount * D("0.30")).quantize(D("0.01"))
    for part in parts.values():
        assert min(part) >= 0
        assert part.gross == part.collection_fee + part.servicing_fee + part.net


@given(amount=st.decimals("1000", "40000", places=2), rate=st.decimals("5", "30", places=2),
       months=st.sampled_from([12, 24, 36, 60]), paid=st.integers(0, 10),
       missed=st.integers(0, 2), kind=st.sampled_from(["deferral", "reduced"]),
       plan=st.integers(1, 6), pays_plan=st.booleans())
def test_a_hardship_plan_adds_the_interest_to_the_principal_and_forgives_none(
        amount, rate, months, paid, missed, kind, plan, pays_plan):
    rows = schedule(amount, rate, months)
    for row in rows[:paid]:
        row.principal_paid, row.interest_paid, row.status = row.principal, row.interest, "paid"
    today = rows[min(paid + missed, len(rows) - 1)].due_date
    outstanding = sum(r.principal - r.principal_paid for r in rows)
    terms = Terms(outstanding_principal=outstanding, rate=D(rate), installment=rows[0].total,
                  disbursed_on=date(2026, 1, 15))
    if plan > (3 if kind == "deferral" else 6):
        with pytest.raises(ValueError):
            hardship_reschedule(rows, kind=kind, months=plan, as_of=today, terms=terms)
        return
    arrears_interest = sum(r.interest - r.interest_paid for r in rows
                           if r.status != "paid" and r.due_date <= today)
    owed_before = outstanding + sum(r.interest - r.interest_paid for r in rows
                                    if r.status != "paid")
    try:
        result = hardship_reschedule(rows, kind=kind, months=plan, as_of=today, terms=terms)
    except ValueError:
        # Too long for what is left of the loan, or nothing is left to reschedule: no instalment
        # falls due after today (the last one is due today).
        assert kind == "reduced" or all(r.due_date <= today for r in rows)
        return
    kept = [r for r in rows if r.number < result.rows[0].number]
    assert all(r.principal == r.principal_paid for r in kept)
    # The arrears' interest is added to the principal now, a deferral's at the plan's end.
    assert result.capitalized == arrears_interest
    assert (sum(r.principal for r in kept) + sum(r.principal for r in result.rows)
            == D(amount) + result.capitalized + result.plan_interest)
    plan_rows, after = result.rows[:plan], result.rows[plan:]
    assert all(r.principal == 0 and r.interest > 0 for r in plan_rows)
    if kind == "deferral":
        assert all(r.status == "deferred" for r in plan_rows)
        assert result.plan_interest == sum(r.interest for r in plan_rows)
        assert len(result.rows) == len([r for r in rows if r.number >= result.rows[0].number]) \
            + plan
    else:
        assert all(r.status == "due" for r in plan_rows) and result.plan_interest == 0
    assert sum(r.principal for r in after) == outstanding + result.capitalized \
        + result.plan_interest
    # Nothing forgiven: what the borrower will pay covers what they owed and more.
    assert sum(r.principal + r.interest for r in result.rows) >= owed_before
    assert result.ends_on == plan_rows[-1].due_date

    # The plan's end: what approval forecast, when the borrower paid as planned; otherwise
    # the unpaid interest joins the principal.
    schedule_after = {r.number: r for r in rows}
    for row in result.rows:
        if row.number not in schedule_after:
            schedule_after[row.number] = Row(row.number, row.due_date, ZERO, ZERO, ZERO)
        target = schedule_after[row.number]
        target.due_date, target.principal, target.interest = row.due_date, row.principal, \
            row.interest
        target.total, target.status = row.principal + row.interest, row.status
    installments = [schedule_after[n] for n in sorted(schedule_after)]
    unpaid = ZERO
    for row in installments[len(kept):len(kept) + plan]:
        if kind == "reduced" and pays_plan:
            row.interest_paid, row.status = row.interest, "paid"
        elif kind == "reduced":
            unpaid += row.interest
    balance = outstanding + result.capitalized
    end = hardship_end(installments, starts_on=today, ends_on=result.ends_on,
                       terms=Terms(outstanding_principal=balance, rate=D(rate),
                                   installment=result.installment,
                                   disbursed_on=date(2026, 1, 15)))
    assert end.capitalized == result.plan_interest + unpaid
    assert all(r.status in ("paid", "waived") and r.principal == r.principal_paid
               and r.interest == r.interest_paid
               for r in installments[len(kept):len(kept) + plan])
    rest = installments[len(kept) + plan:]
    assert sum(r.principal for r in rest) == balance + end.capitalized
    if not unpaid:
        assert end.installment == result.installment
        assert [(r.principal, r.interest) for r in rest] == [(r.principal, r.interest)
                                                              for r in after]
