"""Start, stop and reset, through the services and the admin; the dashboard at /admin/bots/."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bots.cycle import bot_cycle_run
from bots.lease import cycle_lock_acquire, cycle_lock_release
from bots.models import BotLender, BotStatus
from bots.services import bot_reset, bot_start, bot_stop, bot_update
from communitylend.core.errors import InvalidState
from loans import services as loan_services
from loans.models import Bid, BidStatus
from payments.ledger import platform_account
from payments.models import AccountKind
from tests.bots.conftest import listing, make_borrower
from tests.factories import make_user
from tests.money import available, fund, held

pytestmark = pytest.mark.django_db
D = Decimal


def _ledger_ok():
    out = io.StringIO()
    call_command("ledger_check", stdout=out)
    assert out.getvalue().strip().splitlines()[-1].endswith("- OK")


def test_a_stopped_bot_keeps_its_bids_and_places_no_new_ones_until_started(bots, risk_model):
    quick = bots["QuickCash Solutions"]
    first = listing(make_borrower(800), term=12)
    bot_cycle_run(bot_name=quick.name)
    assert Bid.objects.filter(lender=quick.user, loan=first, status=BidStatus.OPEN).exists()

    bot_stop(acting_user=None, bot_id=quick.pk)
    second = listing(make_borrower(800), term=12)
    assert bot_cycle_run(bot_name=quick.name).reports == []
    assert Bid.objects.filter(lender=quick.user, loan=first, status=BidStatus.OPEN).exists()
    assert not Bid.objects.filter(lender=quick.user, loan=second).exists()
    with pytest.raises(InvalidState, match="already stopped"):
        bot_stop(acting_user=None, bot_id=quick.pk)

    bot_start(acting_user=None, bot_id=quick.pk)
    bot_cycle_run(bot_name=quick.name)
    assert Bid.objects.filter(lender=quick.user, loan=second).exists()
    _ledger_ok()


def test_reset_withdraws_open_bids_and_restores_available_cash_to_the_capital(bots, risk_model):
    balanced = bots["BalancedChoice Finance"]
    loans = [listing(make_borrower(800), term=24) for _ in range(3)]
    bot_cycle_run(bot_name=balanced.name)
    assert held(balanced.user) == D("12000.00")  # 3 x 4,000
    capital_account_before = platform_account(AccountKind.PLATFORM_BOT_CAPITAL).balance

    result = bot_reset(acting_user=None, bot_id=balanced.pk)

    assert result.withdrawn == 3 and result.transferred == 0  # the releases restored it all
    assert set(Bid.objects.filter(lender=balanced.user).values_list("status", flat=True)) == {
        BidStatus.WITHDRAWN}
    assert available(balanced.user) == balanced.capital and held(balanced.user) == 0
    for loan in loans:
        loan.refresh_from_db()
        assert loan.bid_total == loan.bid_count == 0
    assert platform_account(AccountKind.PLATFORM_BOT_CAPITAL).balance == capital_account_before
    _ledger_ok()


def test_reset_tops_up_or_returns_cash_through_the_bot_capital_account_and_keeps_notes(
        bots, risk_model):
    safety = bots["SafetyFirst Capital"]
    borrower = make_borrower(800)
    loan = listing(borrower, amount="6000", term=24)
    bot_cycle_run(bot_name=safety.name)  # 5,000 of the 6,000
    person = make_user("person@example.com", first_name="Pat")
    fund(person, "5000")
    loan_services.bid_place(lender=person, loan_id=loan.pk, amount=D("1000"),
                            rate=loan.max_rate)
    loan_services.loan_accept(borrower=borrower, loan_id=loan.pk)
    capital = platform_account(AccountKind.PLATFORM_BOT_CAPITAL)

    bot_reset(acting_user=None, bot_id=safety.pk)  # the note's 5,000 is topped up
    assert available(safety.user) == D("500000.00")
    assert safety.user.notes.get().principal == D("5000.00")
    after_top_up = platform_account(AccountKind.PLATFORM_BOT_CAPITAL).balance
    assert after_top_up == capital.balance - D("5000.00")

    bot_update(acting_user=None, bot_id=safety.pk, data={"capital": D("450000.00")})
    bot_reset(acting_user=None, bot_id=safety.pk)  # the surplus goes back
    assert available(safety.user) == D("450000.00")
    assert platform_account(AccountKind.PLATFORM_BOT_CAPITAL).balance == after_top_up + D(
        "50000.00")
    _ledger_ok()


def test_reset_waits_for_a_running_cycle(bots):
    token = cycle_lock_acquire()
    with pytest.raises(InvalidState, match="cycle is running"):
        bot_reset(acting_user=None, bot_id=bots["GrowthMax Lending"].pk)
    cycle_lock_release(token)


def _admin(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


def test_staff_start_stop_and_reset_bots_from_the_admin_list(bots, staff, risk_model):
    client = _admin(staff)
    growth = bots["GrowthMax Lending"]
    changelist = "/admin/bots/botlender/"
    page = client.get(changelist)
    assert page.status_code == 200 and b"GrowthMax Lending" in page.content

    client.post(changelist, {"action": "stop_bots", "_selected_action": [growth.pk]})
    growth.refresh_from_db()
    assert growth.status == BotStatus.STOPPED
    client.post(changelist, {"action": "start_bots", "_selected_action": [growth.pk]})
    growth.refresh_from_db()
    assert growth.status == BotStatus.RUNNING

    listing(make_borrower(800), grade="C", term=24)
    bot_cycle_run(bot_name=growth.name)
    response = client.post(changelist, {"action": "reset_bots", "_selected_action": [growth.pk]},
                           follow=True)
    assert b"1 open bids withdrawn" in response.content
    assert available(growth.user) == growth.capital
    _ledger_ok()


def test_staff_edit_a_bots_strategy_in_the_admin_and_bad_values_are_refused(bots, staff):
    client = _admin(staff)
    flexi = bots["FlexiLend Partners"]
    url = f"/admin/bots/botlender/{flexi.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["grade_limits"] = '{"A": 50, "B": 50, "C": 40, "D": 25}'
    data["min_credit_score"] = 700
    assert client.post(url, data).status_code == 302
    flexi.refresh_from_db()
    assert flexi.min_credit_score == 700

    data["min_credit_score"] = 900
    response = client.post(url, data)
    assert response.status_code == 200 and b"850" in response.content
    flexi.refresh_from_db()
    assert flexi.min_credit_score == 700


def test_the_bot_dashboard_is_for_staff_only(bots, lender, staff, risk_model):
    listing(make_borrower(800), term=24, amount="40000")  # room for every bot
    bot_cycle_run()
    client = Client()
    assert client.get("/admin/bots/").status_code == 302
    client.force_login(lender)
    response = client.get("/admin/bots/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    client.force_login(staff)
    response = client.get("/admin/bots/")
    assert response.status_code == 200
    body = response.content.decode()
    for name in bots:
        assert name in body
    assert 'id="bot-dashboard-data"' in body and "js/bots.js" in body
    assert "<script>" not in body.replace('<script id="bot-dashboard-data"', "")
    stats = {s.bot.name: s for s in response.context["stats"]}
    quick = stats["QuickCash Solutions"]
    bid = Bid.objects.get(lender=quick.bot.user)  # what is left when its turn comes
    assert quick.bids_placed == 1 and quick.deployed == bid.amount
    assert quick.utilization == (bid.amount * 100 / quick.bot.capital).quantize(D("0.1"))
    assert quick.average_rate == bid.rate
    assert quick.interest_earned == 0 and quick.defaults == 0 and quick.win_rate is None
    chart = response.context["chart"]
    assert sum(sum(v) for v in chart["hourly"]["series"].values()) == Bid.objects.count() == 5


def test_the_decision_log_is_in_the_admin_filterable_by_bot_action_and_date(bots, staff,
                                                                            risk_model):
    listing(make_borrower(800), term=24, amount="40000")  # room for every bot that fits
    listing(make_borrower(590), term=24)
    bot_cycle_run()
    client = _admin(staff)
    bidder = BotLender.objects.get(user__bids__isnull=False, name="SafetyFirst Capital")
    everything = client.get("/admin/bots/botdecision/")
    assert everything.status_code == 200
    bids = client.get(f"/admin/bots/botdecision/?action__exact=bid&bot__id__exact={bidder.pk}")
    assert bids.status_code == 200
    rows = list(bids.context["cl"].result_list)
    assert [(d.action, d.bot_id) for d in rows] == [("bid", bidder.pk)]
    year = timezone.localdate().year
    skips = client.get(f"/admin/bots/botdecision/?action__exact=skip&created_at__year={year}")
    assert skips.status_code == 200 and b"below minimum" in skips.content
    assert client.get("/admin/bots/autoinvestrule/").status_code == 200
