from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from payments.amortization import add_months, amortize, installment_amount


def test_it_matches_the_worked_check_in_design_md():
    schedule = amortize(Decimal("100.00"), Decimal("7"), 6, date(2026, 1, 15))
    assert [row.payment for row in schedule.rows] == [Decimal("17.01")] * 5 + [Decimal("17.00")]
    assert [row.interest for row in schedule.rows] == [
        Decimal(x) for x in ("0.58", "0.49", "0.39", "0.29", "0.20", "0.10")]
    assert sum(row.principal for row in schedule.rows) == Decimal("100.00")
    assert schedule.rows[-1].balance == 0


def test_it_matches_the_closed_form_pmt():
    principal, rate, months = Decimal("10000"), Decimal("12.5"), 36
    r = float(rate) / 1200
    closed = float(principal) * r / (1 - (1 + r) ** -months)
    assert installment_amount(principal, rate, months) == Decimal(f"{closed:.2f}")
    assert installment_amount(principal, rate, months) == Decimal("334.54")


def test_a_zero_rate_splits_the_principal_evenly():
    schedule = amortize(Decimal("1000.00"), Decimal("0"), 3, date(2026, 1, 1))
    assert [row.payment for row in schedule.rows] == [Decimal("333.33"), Decimal("333.33"),
                                                      Decimal("333.34")]


@pytest.mark.parametrize("start, k, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 1, 31), 2, date(2026, 3, 31)),
    (date(2027, 12, 31), 2, date(2028, 2, 29)),
    (date(2026, 11, 15), 3, date(2027, 2, 15)),
])
def test_due_dates_clamp_to_the_month_end_counted_from_the_start(start, k, expected):
    assert add_months(start, k) == expected


@settings(max_examples=200, deadline=None)
@given(
    principal=st.decimals(min_value=Decimal("1.00"), max_value=Decimal("10000000"), places=2),
    rate=st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=4),
    months=st.integers(min_value=1, max_value=600),
)
def test_principal_parts_always_sum_to_the_principal(principal, rate, months):
    schedule = amortize(principal, rate, months, date(2026, 1, 31))
    assert len(schedule.rows) <= months
    assert sum(row.principal for row in schedule.rows) == principal
    assert all(row.principal >= 0 and row.interest >= 0 for row in schedule.rows)
    assert all(row.payment == schedule.installment for row in schedule.rows[:-1])


def test_the_amortize_command_prints_json_with_two_decimal_strings(capsys):
    import json

    from django.core.management import call_command

    call_command("amortize", principal="100", rate="7", months="6", start="2026-01-31",
                 json=True)
    body = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert body["installment"] == "17.01" and body["totalInterest"] == "2.05"
    assert body["totalPayment"] == "102.05"
    assert body["rows"][0] == {"period": 1, "dueDate": "2026-02-28", "principal": "16.43",
                               "interest": "0.58", "payment": "17.01", "balance": "83.57"}
    assert body["rows"][-1]["balance"] == "0.00" and body["rows"][-1]["payment"] == "17.00"


@pytest.mark.parametrize("args", [
    {"principal": "0", "rate": "7", "months": "6"},
    {"principal": "100", "rate": "101", "months": "6"},
    {"principal": "100", "rate": "7", "months": "601"},
    {"principal": "abc", "rate": "7", "months": "6"},
    {"principal": "100.001", "rate": "7", "months": "6"},
])
def test_the_amortize_command_refuses_bad_input(args):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("amortize", start="2026-01-15", **args)
