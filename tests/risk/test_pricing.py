"""Pricing from cash flows (risk.ml.pricing, risk.ml.cashflows): hand-checked pools whose IRR is
known in closed form, monotone floors, and the backtest's re-pricing rule."""

import dataclasses
import math
from decimal import Decimal

import numpy as np
import pandas
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from risk.ml import ModelArtifactError, load_bundle, save_bundle
from risk.ml.cashflows import backtest, estimate_cash_flows, realized
from risk.ml.pricing import (
    Pricing,
    TermCashFlows,
    expected_loss_rate,
    expected_net_return,
    floor_rate,
    pd_for_term,
    pool_cash_flows,
    pooled_irr,
    recommended_rate,
    stressed_pd,
)


def one_month_pool(fee=1.0, recovery=0.4):
    """Loans of one month: a repaying loan pays 1 + r at month 1; a defaulting loan pays nothing
    and recovers ``recovery`` a month later. The pool's IRR is closed-form."""
    flows = TermCashFlows.simple(1, default_month=0, default_recovery=recovery, recovery_lag=1)
    return Pricing(servicing_fee=fee, cash_flows=(flows,), min_rate=0.0)


def test_a_one_month_pool_earns_its_closed_form_irr():
    pricing, pd, rate = one_month_pool(), 0.05, 12.0
    r = rate / 1200
    monthly = 0.99 * ((1 - pd) * (1 + r) + pd * 0.4) - 1
    assert pooled_irr(pd, 1, rate, pricing) == pytest.approx(((1 + monthly) ** 12 - 1) * 100,
                                                             abs=1e-9)
    assert expected_net_return(pd, 1, rate, pricing) == Decimal(
        f"{((1 + monthly) ** 12 - 1) * 100:.2f}")


def test_the_floor_of_a_one_month_pool_is_the_closed_form_rate_rounded_up():
    pricing, pd = one_month_pool(), 0.02
    # 0.99 x ((1 - pd)(1 + r) + pd x 0.4) = 1.04^(1/12)
    r = ((1.04 ** (1 / 12) / 0.99 - pd * 0.4) / (1 - pd)) - 1
    expected = Decimal(math.ceil(r * 1200 * 100)) / 100
    assert floor_rate(pd, 1, pricing) == expected
    assert pooled_irr(pd, 1, float(expected), pricing) >= 4.0
    assert pooled_irr(pd, 1, float(expected) - 0.01, pricing) < 4.0
    r7 = ((1.07 ** (1 / 12) / 0.99 - pd * 0.4) / (1 - pd)) - 1
    assert recommended_rate(pd, 1, pricing) == Decimal(math.ceil(r7 * 1200 * 100)) / 100


def test_the_expected_loss_rate_of_a_one_month_pool_is_closed_form():
    pricing, pd = one_month_pool(), 0.05
    # 5% of the dollars lose 60% of principal; the 95% that repay are out for one month
    loss = pd * 0.6 / ((1 - pd) / 12) * 100
    assert expected_loss_rate(pd, 1, 12.0, pricing) == Decimal(f"{loss:.2f}")


@pytest.mark.parametrize("payoff_month", [36, 12, 1])
def test_without_defaults_or_fee_a_loan_earns_its_own_rate_whenever_it_is_repaid(payoff_month):
    flows = TermCashFlows.simple(36, payoff_month=payoff_month)
    pricing = Pricing(servicing_fee=0.0, cash_flows=(flows,))
    assert pooled_irr(0.0, 36, 9.0, pricing) == pytest.approx(
        ((1 + 0.09 / 12) ** 12 - 1) * 100, abs=1e-8)
    # and the floor is the nominal rate whose annualized IRR is the funding cost: 3.93%
    assert floor_rate(0.0, 36, pricing) == Decimal("3.93")


def test_the_pool_lends_one_dollar_and_takes_the_fee_off_every_payment():
    flows = TermCashFlows.simple(12)
    with_fee = pool_cash_flows(0.0, 12, 10.0, Pricing(cash_flows=(TermCashFlows.simple(36),)))
    no_fee = pool_cash_flows(0.0, 12, 10.0, Pricing(servicing_fee=0.0,
                                                    cash_flows=(TermCashFlows.simple(36),)))
    assert with_fee[0] == no_fee[0] == -1.0
    np.testing.assert_allclose(with_fee[1:], 0.99 * no_fee[1:])
    assert flows.term == 12


def test_short_terms_take_the_36_month_cash_flows_scaled_and_the_pd_scaled_by_term():
    base = TermCashFlows.simple(36, payoff_month=18, default_month=9, default_principal=0.2,
                                default_recovery=0.1)
    short = base.scaled(12)
    assert short.payoff_share[6] == 1.0 and short.default_share[3] == 1.0
    assert short.default_principal[3] == pytest.approx(0.2)
    assert float(pd_for_term(0.15, 12)) == pytest.approx(0.05)
    assert float(pd_for_term(0.15, 24)) == pytest.approx(0.10)
    assert float(pd_for_term(0.15, 60)) == pytest.approx(0.15)


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.0, 0.6), step=st.floats(0.005, 0.3),
       term=st.sampled_from([12, 24, 36, 60]))
def test_floors_and_recommended_rates_never_fall_as_the_pd_rises(low, step, term):
    high = min(low + step, 1.0)
    assert floor_rate(low, term) <= floor_rate(high, term)
    assert recommended_rate(low, term) <= recommended_rate(high, term)
    assert floor_rate(high, term) <= recommended_rate(high, term)


def test_the_floor_is_the_lowest_rate_that_earns_the_funding_cost(risk_bundle):
    """At the stressed PD (the margin of conservatism measured at training); at the PD itself
    the floor earns at least the funding cost and the recommended rate at least the target."""
    assert risk_bundle.pricing.pd_margin > 0
    for pd, term in ((0.03, 36), (0.12, 36), (0.25, 60), (0.05, 12)):
        floor = float(floor_rate(pd, term, risk_bundle))
        stressed = float(stressed_pd([pd], risk_bundle)[0])
        assert pooled_irr(stressed, term, floor, risk_bundle) >= 4.0
        assert pooled_irr(stressed, term, floor - 0.01, risk_bundle) < 4.0
        assert pooled_irr(pd, term, floor, risk_bundle) > 4.0
        assert float(expected_net_return(pd, term, recommended_rate(pd, term, risk_bundle),
                                         risk_bundle)) >= 7.0


def _loans(rows):
    frame = pandas.DataFrame(rows, columns=["term_months", "defaulted", "funded_amnt", "issue_d",
                                        "last_pymnt_d", "total_rec_prncp", "recoveries",
                                        "int_rate", "total_rec_int"])
    frame["issue_d"] = pandas.to_datetime(frame["issue_d"])
    frame["last_pymnt_d"] = pandas.to_datetime(frame["last_pymnt_d"])
    return frame


def test_a_repaid_loan_is_replayed_at_our_rate_until_its_last_payment():
    loans = _loans([(36, 0, 1000.0, "2011-01-01", "2011-07-01", 1000.0, 0.0, 12.0, 0.0)])
    out = realized(loans, np.array([12.0]), 36, fee=0.0)
    r = 0.01
    installment = r / (1 - (1 + r) ** -36)
    balance5 = (1 + r) ** 5 - installment * ((1 + r) ** 5 - 1) / r
    np.testing.assert_allclose(out["cash"][0, 1:6], installment)
    assert out["cash"][0, 6] == pytest.approx(balance5 * (1 + r))
    assert out["cash"][0, 7:].sum() == 0
    assert out["lost"][0] == 0


def test_a_charged_off_loan_repays_its_real_principal_then_recovers_after_the_lag():
    loans = _loans([(36, 1, 1000.0, "2011-01-01", "2011-05-01", 200.0, 100.0, 12.0, 0.0)])
    out = realized(loans, np.array([12.0]), 36, fee=0.0, recovery_lag=12)
    cash = out["cash"][0]
    assert cash[1:5].sum() == pytest.approx(0.2 + 0.01 * (1 + 0.95 + 0.9 + 0.85))
    assert cash[16] == pytest.approx(0.1)
    assert out["lost"][0] == pytest.approx(0.7)


def test_estimated_cash_flows_average_the_loans_by_amount():
    loans = _loans([
        (36, 0, 3000.0, "2010-01-01", "2013-01-01", 3000.0, 0.0, 10.0, 0.0),
        (36, 0, 1000.0, "2010-01-01", "2010-12-01", 1000.0, 0.0, 10.0, 0.0),
        (36, 1, 2000.0, "2010-01-01", "2010-07-01", 500.0, 200.0, 10.0, 0.0),
        (60, 0, 1000.0, "2010-01-01", "2015-01-01", 1000.0, 0.0, 10.0, 0.0),
        (60, 1, 1000.0, "2010-01-01", None, 0.0, 0.0, 10.0, 0.0),
    ])
    flows36, flows60 = estimate_cash_flows(loans)
    assert flows36.payoff_share[36] == pytest.approx(0.75)
    assert flows36.payoff_share[11] == pytest.approx(0.25)
    assert flows36.default_share[6] == 1.0
    assert flows36.default_principal[6] == pytest.approx(0.25)
    assert flows36.default_recovery[6] == pytest.approx(0.1)
    assert flows60.default_share[0] == 1.0  # never paid


def test_the_backtest_reports_every_grade_and_term_and_the_book():
    loans = _loans([
        (36, 0, 1000.0, "2011-01-01", "2014-01-01", 1000.0, 0.0, 10.0, 0.0),
        (36, 1, 1000.0, "2011-01-01", "2011-07-01", 300.0, 50.0, 14.0, 0.0),
        (60, 0, 1000.0, "2011-01-01", "2016-01-01", 1000.0, 0.0, 15.0, 0.0),
    ])
    result = backtest(loans, np.array([0.05, 0.3, 0.2]), np.array([0, 4, 3]), Pricing())
    keys = {(r["grade"], r["term"]) for r in result["rows"]}
    assert {("A", "36"), ("E", "36"), ("D", "60"), ("all", "all")} <= keys
    book = next(r for r in result["rows"] if r["grade"] == "all" and r["term"] == "all")
    assert book["loans"] == 3
    assert book["floor"]["rate"] < book["recommended"]["rate"]
    assert book["floor"]["irr"] < book["recommended"]["irr"]


def test_a_bundle_trained_before_cash_flow_pricing_is_refused_with_a_retrain_message(
        risk_bundle, tmp_path):
    old = dataclasses.replace(risk_bundle, pricing=Pricing())
    path = tmp_path / "old.joblib"
    digest = save_bundle(old, path)
    with pytest.raises(ModelArtifactError, match="retrain"):
        load_bundle(path, digest)


def test_the_margin_of_conservatism_raises_the_rates_but_not_the_expected_return():
    """Rates are solved at the stressed PD (log-odds + pd_margin); what a lender is told to
    expect uses the PD itself."""
    flows = TermCashFlows.simple(36, default_month=12, default_principal=0.3,
                                 default_recovery=0.05)
    plain, stressed = Pricing(cash_flows=(flows,)), Pricing(cash_flows=(flows,), pd_margin=0.2)
    pd = 0.10
    odds = pd / (1 - pd) * math.exp(0.2)
    assert float(stressed_pd([pd], stressed)[0]) == pytest.approx(odds / (1 + odds))
    assert float(stressed_pd([pd], plain)[0]) == pd
    assert floor_rate(pd, 36, stressed) == floor_rate(odds / (1 + odds), 36, plain)
    assert floor_rate(pd, 36, stressed) > floor_rate(pd, 36, plain)
    assert recommended_rate(pd, 36, stressed) > recommended_rate(pd, 36, plain)
    assert expected_net_return(pd, 36, 12.0, stressed) == expected_net_return(pd, 36, 12.0, plain)
    assert expected_loss_rate(pd, 36, 12.0, stressed) == expected_loss_rate(pd, 36, 12.0, plain)
    # a certain outcome stays certain
    assert list(stressed_pd([0.0, 1.0], stressed)) == [0.0, 1.0]


def test_the_vintage_margin_is_the_rms_of_the_vintages_log_odds_errors():
    from scipy.special import logit

    from risk.ml.model import vintage_margin
    issued = pandas.Series(pandas.to_datetime(["2010-01-15"] * 400 + ["2010-04-15"] * 400))
    y = np.r_[np.ones(80), np.zeros(320), np.ones(40), np.zeros(360)]  # 20%, then 10%
    pd_pred = np.full(800, 0.15)
    terms = np.full(800, 36)
    expected = math.sqrt(((logit(0.2) - logit(0.15)) ** 2 + (logit(0.1) - logit(0.15)) ** 2) / 2)
    assert vintage_margin(pd_pred, y, np.ones(800), terms, issued) == pytest.approx(expected,
                                                                                     abs=1e-4)
    # a vintage of fewer than 200 loans is too noisy to count
    assert vintage_margin(pd_pred[:150], y[:150], np.ones(150), terms[:150], issued[:150]) == 0.0
