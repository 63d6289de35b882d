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
    hardship_reschedule,
    recovery_split,
)

D = Decimal


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
       plan=st.integers(1, 6))
def test_a_hardship_plan_keeps_the_principal_and_adds_only_interest(amount, rate, months, paid,
                                                                    missed, kind, plan):
    rows = schedule(amount, rate, months)
    for row in rows[:paid]:
        row.principal_paid, row.interest_paid, row.status = row.principal, row.interest, "paid"
    today = rows[min(paid + missed, len(rows) - 1)].due_date
    terms = Terms(outstanding_principal=sum(r.principal - r.principal_paid for r in rows),
                  rate=D(rate), installment=rows[0].total, disbursed_on=date(2026, 1, 15))
    if plan > (3 if kind == "deferral" else 6):
        with pytest.raises(ValueError):
            hardship_reschedule(rows, kind=kind, months=plan, as_of=today, terms=terms)
        return
    arrears_interest = sum(r.interest - r.interest_paid for r in rows
                           if r.status != "paid" and r.due_date <= today)
    try:
        result = hardship_reschedule(rows, kind=kind, months=plan, as_of=today, terms=terms)
    except ValueError:
        # Too long for what is left of the loan, or nothing is left to reschedule: no instalment
        # falls due after today (the last one is due today).
        assert kind == "reduced" or all(r.due_date <= today for r in rows)
        return
    by_number = {r.number: r for r in rows}
    kept = [r for r in rows if r.number < result.rows[0].number]
    assert sum(r.principal for r in kept) + sum(r.principal for r in result.rows) == D(amount)
    assert all(r.principal == r.principal_paid for r in kept)
    plan_rows, after = result.rows[:plan], result.rows[plan:]
    assert all(r.principal == 0 for r in plan_rows)
    if kind == "deferral":
        assert all(r.interest == 0 and r.waived for r in plan_rows)
        assert len(result.rows) == len([r for r in by_number.values()
                                        if r.number >= result.rows[0].number]) + plan
    else:
        assert all(r.interest > 0 for r in plan_rows)
    assert result.capitalized >= arrears_interest
    assert sum(r.interest for r in after) >= result.capitalized
    assert result.ends_on == plan_rows[-1].due_date
