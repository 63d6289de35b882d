"""The six bots of the original platform, as seed_demo creates them."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from bots.models import BotLender, BotStatus
from communitylend.demo.market import BOTS, seed_bots
from investments.models import Note
from loans.models import Bid, Loan, LoanStatus
from payments.ledger import platform_account
from payments.models import AccountKind
from tests.money import available

pytestmark = pytest.mark.django_db
D = Decimal


def test_seed_bots_creates_six_running_funded_bots_once(db):
    assert seed_bots() == 6
    assert seed_bots() == 0
    bots = list(BotLender.objects.select_related("user").order_by("id"))
    assert [(b.name, b.capital, b.min_credit_score) for b in bots] == [
        ("SafetyFirst Capital", D("500000"), 750), ("GrowthMax Lending", D("300000"), 650),
        ("BalancedChoice Finance", D("400000"), 700), ("QuickCash Solutions", D("200000"), 600),
        ("PremiumRate Investors", D("750000"), 780), ("FlexiLend Partners", D("350000"), 680)]
    for bot in bots:
        assert bot.status == BotStatus.RUNNING
        assert available(bot.user) == bot.capital
        assert bot.user.is_lender and not bot.user.has_usable_password()
        assert bot.user.display_name == bot.name
        assert bot.user.email.endswith("@bots.communitylend.local")
    assert sum(spec[3] for spec in BOTS) == D("2500000")
    assert platform_account(AccountKind.PLATFORM_BOT_CAPITAL).balance == D("-2500000.00")
    call_command("ledger_check", stdout=io.StringIO())


def test_seed_demo_starts_a_live_market_with_bot_bids(risk_model):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-1].startswith("seed_demo: created 1 staff, 10 borrowers, 3 lenders, "
                                "40 listings, 12 bids, 6 bots")
    assert Bid.objects.filter(source="bot", loan__status=LoanStatus.LISTED).count() > 20
    assert BotLender.objects.filter(status=BotStatus.RUNNING).count() == 6
    assert "4 loans disbursed" in lines[-1]
    active = Loan.objects.filter(status=LoanStatus.ACTIVE)
    assert active.count() == 4 and Note.objects.filter(loan__in=active).exists()
    assert Loan.objects.filter(status=LoanStatus.LISTED).count() >= 30

    again = io.StringIO()
    call_command("seed_demo", stdout=again)  # idempotent
    assert "0 loans disbursed" in again.getvalue()
    assert BotLender.objects.count() == 6 and active.count() == 4
    call_command("ledger_check", stdout=io.StringIO())
