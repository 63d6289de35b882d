"""The staff platform dashboard at /admin/dashboard/."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bots.models import BotLender
from communitylend.backoffice.dashboard import platform_stats
from communitylend.demo.market import seed_bots
from loans import services as market
from payments.services import wallet_withdraw
from tests.factories import make_staff_in, make_user
from tests.money import available, fund

pytestmark = pytest.mark.django_db
D = Decimal
START = datetime(2026, 1, 15, 12, tzinfo=UTC)


def disbursed(grade: str, shares: dict, amount="1000.00") -> int:
    """A loan of that grade funded by the given lenders, accepted on 2026-01-15."""
    with time_machine.travel(START, tick=False):
        borrower = make_user(verified=True)
        loan = market.loan_apply(borrower=borrower, amount=D(amount), term_months=12,
                                 purpose="car", max_rate=D("30"), staff_grade=grade)
        rate = max(D("14.00"), loan.floor_rate.quantize(D("0.01")))  # E's 12-month floor is higher
        for lender, share in shares.items():
            market.bid_place(lender=lender, loan_id=loan.pk, amount=D(share), rate=rate)
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
    return loan.pk


@pytest.fixture
def book(risk_model):
    seed_bots()
    bot = BotLender.objects.select_related("user").get(name="GrowthMax Lending").user
    person = make_user("person@example.com")
    fund(person, "5000.00")
    good = disbursed("A", {person: "600.00", bot: "400.00"})
    late = disbursed("C", {person: "1000.00"})
    borrower = User.objects.get(loans__pk=late)
    wallet_withdraw(user=borrower, amount=available(borrower))  # nothing for autopay
    with time_machine.travel(datetime(2026, 3, 5, 12, tzinfo=UTC), tick=False):
        listing = market.loan_apply(borrower=make_user(verified=True), amount=D("3000.00"),
                                    term_months=36, purpose="medical", max_rate=D("30"),
                                    staff_grade="B")
        market.bid_place(lender=person, loan_id=listing.pk, amount=D("250.00"), rate=D("20"))
    # 2026-03-05: the late loan is 18 days past its 2026-02-15 installment; the other paid.
    call_command("run_servicing", as_of="2026-03-05")
    return {"good": good, "late": late, "listing": listing.pk, "bot": bot, "person": person}


def test_the_dashboard_figures_add_up(book):
    with time_machine.travel(datetime(2026, 3, 5, 13, tzinfo=UTC), tick=False):
        stats = platform_stats()
    assert stats["open_listings"] == {"count": 1, "asked": D("3000.00"), "covered": D("250.00")}
    assert stats["funding"]["total"] == D("2000.00") and stats["funding"]["bots"] == D("400.00")
    assert stats["funding"]["bot_share"] == D("20.0")
    january = next(m for m in stats["months"] if m["month"] == "2026-01")
    assert (january["loans"], january["volume"]) == (2, D("2000.00"))
    assert [m["month"] for m in stats["months"]][-1] == "2026-03" and len(stats["months"]) == 12
    grades = {g.grade: g for g in stats["grades"]}
    assert grades["A"].loans == 1 and grades["A"].average_rate == D("14.00")
    assert grades["C"].defaulted == 0 and grades["C"].predicted_pd is not None
    buckets = {b["key"]: b for b in stats["delinquency"]}
    assert buckets["late_16_30"]["loans"] == 1 and buckets["current"]["loans"] == 1
    # Origination fees: A 1% of 1,000 and C 3% of 1,000; servicing fees from the paid loan.
    assert stats["fees"]["origination"] == D("40.00") and stats["fees"]["servicing"] > 0
    assert stats["cash"]["held"] >= D("250.00") and stats["cash"]["bots"] > 0


def test_staff_see_the_dashboard_with_its_charts_in_a_fixed_number_of_queries(
        book, client, django_assert_max_num_queries):
    support = make_staff_in("Support")
    client.force_login(support)
    # 10 for the figures (2 of them the note market's); session, user, groups, TOTP
    with django_assert_max_num_queries(16):
        page = client.get("/admin/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="platform-dashboard-data"' in html and "chart.umd.min.js" in html
    assert "20.0%" in html  # the bot share
    assert "<script>" not in html  # data in json_script, code in a static file (CSP)
    assert page.context["chart"]["grades"]["labels"] == ["A", "B", "C", "D", "E"]


def test_the_query_count_does_not_grow_with_the_book(risk_model, client):
    client.force_login(User.objects.create_superuser(email="boss@example.com", password="x"))
    lender = make_user()
    fund(lender, "10000.00")
    disbursed("B", {lender: "1000.00"})
    with CaptureQueriesContext(connection) as small:
        client.get("/admin/dashboard/")
    for grade in "ACDE":
        disbursed(grade, {lender: "1000.00"})
    with CaptureQueriesContext(connection) as large:
        client.get("/admin/dashboard/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_people_who_are_not_staff_are_sent_to_the_admin_login(client):
    client.force_login(make_user("someone@example.com"))
    response = client.get("/admin/dashboard/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
