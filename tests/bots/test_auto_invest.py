"""Auto-invest rules: the API, the page, and the same engine running them."""

from decimal import Decimal

import pytest
from django.test import Client

from bots.cycle import bot_cycle_run
from bots.models import AutoInvestRule, BotDecision, DecisionAction
from bots.services import auto_invest_rule_create
from loans.models import Bid
from tests.bots.conftest import listing, make_borrower
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/auto-invest"


def test_a_lender_creates_lists_changes_and_deletes_rules_through_the_api(lender, api_as):
    api = api_as(lender)
    created = api.post(URL, {"name": "Prime only", "minCreditScore": 720, "grades": ["A", "B"],
                             "terms": [36], "loanShare": "5", "maxPerLoan": "500.00",
                             "gradeLimits": {"B": "40"}, "cashReserve": "1000.00",
                             "maxDebtToIncome": "35"}, format="json")
    assert created.status_code == 201, created.json()
    rule = created.json()["rule"]
    assert rule["minCreditScore"] == 720 and rule["grades"] == ["A", "B"]
    assert rule["terms"] == [36] and rule["cashReserve"] == "1000.00"
    assert rule["gradeLimits"] == {"B": "40.00"} and rule["enabled"] is True
    assert rule["rateSpread"] == "0.00" and rule["verifiedOnly"] is True

    listed = api.get(URL).json()
    assert [r["id"] for r in listed["rules"]] == [rule["id"]]

    changed = api.patch(f"{URL}/{rule['id']}", {"enabled": False, "rateSpread": "-0.50"},
                        format="json")
    assert changed.status_code == 200
    assert changed.json()["rule"]["enabled"] is False
    assert changed.json()["rule"]["rateSpread"] == "-0.50"
    assert changed.json()["rule"]["minCreditScore"] == 720

    assert api.delete(f"{URL}/{rule['id']}").json() == {"success": True}
    assert not AutoInvestRule.objects.exists()


def test_someone_elses_rule_is_not_found(lender, api_as):
    rule = auto_invest_rule_create(user=lender, data={"name": "mine"})
    outsider = api_as(make_user("outsider@example.com"))
    for response in (outsider.get(f"{URL}/{rule.pk}"),
                     outsider.patch(f"{URL}/{rule.pk}", {"enabled": False}, format="json"),
                     outsider.delete(f"{URL}/{rule.pk}")):
        assert response.status_code == 404
        assert response.json() == {"success": False, "error": "Auto-invest rule not found"}
    assert outsider.get(URL).json()["rules"] == []
    assert AutoInvestRule.objects.get(pk=rule.pk).enabled


@pytest.mark.parametrize("body, field", [
    ({"minCreditScore": 900}, "minCreditScore"),
    ({"minCreditScore": 299}, "minCreditScore"),
    ({"grades": ["A", "Z"]}, "grades"),
    ({"purposes": ["yachts"]}, "purposes"),
    ({"terms": [18]}, "terms"),
    ({"cashReserve": "-5"}, "cashReserve"),
    ({"maxPerLoan": "-100"}, "maxPerLoan"),
    ({"minPerLoan": "-1"}, "minPerLoan"),
    ({"loanShare": "0"}, "loanShare"),
    ({"maxCapitalUse": "120"}, "maxCapitalUse"),
    ({"gradeLimits": {"Q": "10"}}, "gradeLimits"),
    ({"gradeLimits": {"A": "-10"}}, "gradeLimits"),
    ({"minPerLoan": "600", "maxPerLoan": "500"}, "minPerLoan"),
    ({"rateJitter": "5"}, "rateJitter"),
])
def test_bad_values_are_refused_with_400_and_the_field(lender, api_as, body, field):
    response = api_as(lender).post(URL, body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["success"] is False and payload["field"].startswith(field), payload
    assert not AutoInvestRule.objects.exists()


def test_bad_values_in_a_change_are_refused_too(lender, api_as):
    rule = auto_invest_rule_create(user=lender, data={})
    response = api_as(lender).patch(f"{URL}/{rule.pk}", {"minCreditScore": 1000}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "minCreditScore"


def test_the_api_needs_a_login(anon_api):
    assert anon_api.get(URL).status_code == 401


def test_the_auto_invest_page_lists_creates_edits_and_deletes_rules(lender):
    client = Client()
    assert client.get("/auto-invest/").status_code == 302  # login required
    client.force_login(lender)
    assert client.get("/auto-invest/").status_code == 200
    form = {"name": "Steady", "enabled": "on", "verified_only": "on", "cash_reserve": "500",
            "min_credit_score": "700", "grades": ["A", "B"], "terms": ["36", "60"],
            "loan_share": "2", "min_per_loan": "25", "max_per_loan": "300",
            "max_capital_use": "80", "borrower_limit": "10", "rate_spread": "0.25",
            "rate_jitter": "0.10", "rebid_step": "0.25", "rebid_floor_margin": "1",
            "limit_C": "30"}
    response = client.post("/auto-invest/", form)
    assert response.status_code == 302
    rule = AutoInvestRule.objects.get(user=lender)
    assert rule.grades == ["A", "B"] and rule.terms == [36, 60]
    assert rule.grade_limits == {"C": "30.00"} and rule.cash_reserve == D("500")
    page = client.get("/auto-invest/")
    assert b"Steady" in page.content

    edit = f"/auto-invest/{rule.pk}/edit/"
    assert client.get(edit).status_code == 200
    bad = client.post(edit, {**form, "min_credit_score": "900"})
    assert bad.status_code == 400
    assert client.post(edit, {**form, "min_per_loan": "400"}).status_code == 400  # > max 300
    assert client.post(edit, {**form, "min_credit_score": "760"}).status_code == 302
    rule.refresh_from_db()
    assert rule.min_credit_score == 760

    other = make_user("nosy@example.com")
    client.force_login(other)
    assert client.get(edit).status_code == 404
    assert client.post(f"/auto-invest/{rule.pk}/delete/").status_code == 404
    client.force_login(lender)
    assert client.post(f"/auto-invest/{rule.pk}/delete/").status_code == 302
    assert not AutoInvestRule.objects.exists()


def test_an_enabled_rule_bids_with_the_engine_and_keeps_the_cash_reserve(lender, risk_model):
    fund(lender, "10000")
    rule = auto_invest_rule_create(user=lender, data={
        "name": "Keep 9,000", "cash_reserve": D("9000"), "min_credit_score": 700,
        "loan_share": D("50"), "max_per_loan": D("800"), "borrower_limit": D("100"),
        "max_capital_use": D("100")})
    loans = [listing(make_borrower(760)) for _ in range(3)]
    too_risky = listing(make_borrower(650))

    result = bot_cycle_run()

    assert [r.label for r in result.reports] == [f"Auto-invest rule #{rule.pk} (Keep 9,000)"]
    bids = list(Bid.objects.filter(lender=lender).order_by("id"))
    # Capital = 10,000 - 9,000 = 1,000; 50% of it a loan, then the cash above the reserve.
    assert [b.amount for b in bids] == [D("500.00"), D("500.00")]
    assert {b.loan_id for b in bids} <= {loan.pk for loan in loans}
    assert all(b.source == "auto_invest" for b in bids)
    assert available(lender) == D("9000.00") and held(lender) == D("1000.00")
    skip = BotDecision.objects.get(rule__isnull=False, loan=too_risky)
    assert skip.reason == "credit score 650 below minimum 700"
    third = BotDecision.objects.get(rule__isnull=False, loan=loans[2])
    assert third.action == DecisionAction.SKIP and "cash above the reserve" in third.reason


def test_a_disabled_rule_does_nothing(lender, risk_model):
    fund(lender, "5000")
    auto_invest_rule_create(user=lender, data={"enabled": False})
    listing(make_borrower(800))
    assert bot_cycle_run().reports == []
    assert not Bid.objects.exists()


def test_staff_see_a_bots_name_on_its_bids(bots, staff, api_as, risk_model):
    loan = listing(make_borrower(800), term=24)
    bot_cycle_run(bot_name="SafetyFirst Capital")
    bids = api_as(staff).get(f"/api/loans/{loan.pk}/bids").json()["bids"]
    assert [b["lender"]["displayName"] for b in bids] == ["SafetyFirst Capital"]
    client = Client()
    client.force_login(staff)
    assert b"SafetyFirst Capital" in client.get(f"/loans/{loan.pk}/").content
