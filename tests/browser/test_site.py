"""The website as borrowers and lenders expect it (issue 19), in a real browser: a lender reads
a listing's facts and sees "outbid", every confirmation dialog (dismiss keeps, confirm acts),
and every signed-in page at 390 px without sideways scrolling. Every step also runs axe-core
(conftest.Journey.step) and fails on a serious or critical WCAG 2.1 AA violation."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.services import kyc_document_upload
from bots.models import AutoInvestRule
from bots.services import auto_invest_rule_create
from loans import services as market
from loans.models import Bid, BidStatus, Loan, LoanStatus
from tests.browser.conftest import confirm, dismiss_then_confirm, log_in
from tests.documents import PDF
from tests.factories import PASSWORD, make_user
from tests.money import available, fund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def a_listing(email="nina.borrower@example.com", amount="2000", **profile):
    owner = make_user(email, first_name="Nina", verified=True, annual_income="64000",
                      monthly_debt="800", employment_length=4, home_ownership="RENT",
                      inquiries_6m=1, revolving_utilization="42", **profile)
    return market.loan_apply(borrower=owner, amount=D(amount), term_months=36,
                             purpose="debt_consolidation", max_rate=D("30"), staff_grade="C",
                             description="Paying off two credit cards at a lower rate")


def test_a_lender_reads_the_facts_and_expected_return_and_sees_outbid(journey, risk_model):
    loan = a_listing()
    fund(make_user("omar.lender@example.com", first_name="Omar"), "3000")
    rival = make_user("olga.rival@example.com", first_name="Olga")
    fund(rival, "5000")
    lender = journey.person()
    log_in(lender, "omar.lender@example.com", PASSWORD)

    lender.goto(f"/loans/{loan.pk}/")
    facts = lender.get_by_test_id("borrower-facts")
    expect(facts).to_contain_text("$50,000–$75,000 a year")
    expect(facts).to_contain_text("15.0%")  # 800 x 12 / 64,000
    expect(facts).to_contain_text("Rents")
    expect(facts).to_contain_text("4 years")
    expect(lender.get_by_test_id("grade-words")).to_contain_text("Grade C: moderate risk")
    expect(lender.get_by_test_id("pd-words")).to_contain_text("chance of default over the")
    expect(lender.get_by_test_id("expected-net-return")).to_contain_text("% a year")
    expect(lender.locator("body")).to_contain_text("Paying off two credit cards")
    journey.step(lender, "listing facts and expected return")

    rate = loan.floor_rate + 4
    lender.fill("#id_amount", "2000")
    lender.fill("#id_rate", f"{rate:.2f}")
    expect(lender.get_by_test_id("bid-expected-return")).to_contain_text(f"{rate:.2f}%")
    lender.get_by_role("button", name="Bid", exact=True).click()
    lender.wait_for_load_state()
    expect(lender.get_by_test_id("my-standing")).to_contain_text("Winning")
    journey.step(lender, "my bid is winning")

    market.bid_place(lender=rival, loan_id=loan.pk, amount=D("2000"), rate=loan.floor_rate + 1)
    lender.reload()
    expect(lender.get_by_test_id("my-standing")).to_contain_text("Outbid")
    expect(lender.get_by_test_id("my-standing")).to_contain_text("lower your rate")
    journey.step(lender, "outbid on the listing")
    lender.goto("/my/bids/")
    expect(lender.get_by_test_id("my-bids")).to_contain_text("Outbid")
    journey.step(lender, "outbid in my bids")
    bids = lender.request.get("/api/bids").json()["bids"]
    assert [b["standing"] for b in bids] == ["outbid"]


def test_each_destructive_action_asks_first(journey, risk_model):
    listing = a_listing(amount="2000")
    lender_user = make_user("cara.lender@example.com", first_name="Cara")
    fund(lender_user, "3000")
    bid = market.bid_place(lender=lender_user, loan_id=listing.pk, amount=D("500"),
                           rate=listing.floor_rate + 2)
    other = a_listing("ivo.borrower@example.com", amount="1500")
    bid_two = market.bid_place(lender=lender_user, loan_id=other.pk, amount=D("300"),
                               rate=other.floor_rate + 2)
    auto_invest_rule_create(user=lender_user, data={"name": "Careful"})

    lender = journey.person()
    log_in(lender, "cara.lender@example.com", PASSWORD)

    # Withdraw bid, on the listing.
    lender.goto(f"/loans/{listing.pk}/")
    withdraw = lender.get_by_role("button", name="Withdraw bid")
    text = dismiss_then_confirm(journey, lender, withdraw, "withdraw bid")
    assert "$500.00" in text and "available in your wallet again" in text
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.OPEN
    withdraw.click()
    confirm(lender, "Withdraw the bid")
    expect(lender.locator("body")).to_contain_text("Bid withdrawn")
    assert Bid.objects.get(pk=bid.pk).status == BidStatus.WITHDRAWN
    journey.step(lender, "bid withdrawn")

    # Withdraw bid, in My bids.
    lender.goto("/my/bids/")
    withdraw = lender.get_by_test_id("my-bids").get_by_role("button", name="Withdraw")
    dismiss_then_confirm(journey, lender, withdraw, "withdraw from my bids")
    assert Bid.objects.get(pk=bid_two.pk).status == BidStatus.OPEN
    withdraw.click()
    confirm(lender, "Withdraw the bid")
    assert Bid.objects.get(pk=bid_two.pk).status == BidStatus.WITHDRAWN

    # Delete an auto-invest rule.
    lender.goto("/auto-invest/")
    delete = lender.get_by_test_id("rules").get_by_role("button", name="Delete")
    text = dismiss_then_confirm(journey, lender, delete, "delete rule")
    assert "Careful" in text
    assert AutoInvestRule.objects.filter(user=lender_user).count() == 1
    delete.click()
    confirm(lender, "Delete the rule")
    assert AutoInvestRule.objects.filter(user=lender_user).count() == 0
    journey.step(lender, "rule deleted")

    # Withdraw cash: the dialog says the amount typed.
    lender.goto("/wallet/")
    lender.fill("#id_withdraw-amount", "1250")
    withdraw = lender.get_by_role("button", name="Withdraw", exact=True)
    text = dismiss_then_confirm(journey, lender, withdraw, "withdraw cash")
    assert "Withdraw $1,250.00 to your bank account?" in text
    assert available(lender_user) == D("3000.00")
    withdraw.click()
    confirm(lender, "Withdraw")
    assert available(lender_user) == D("1750.00")
    journey.step(lender, "cash withdrawn")

    # Cancel a listing (the borrower).
    borrower = journey.person()
    log_in(borrower, "ivo.borrower@example.com", PASSWORD)
    borrower.goto(f"/loans/{other.pk}/")
    cancel = borrower.get_by_role("button", name="Cancel listing")
    text = dismiss_then_confirm(journey, borrower, cancel, "cancel listing")
    assert "closes for good" in text
    assert Loan.objects.get(pk=other.pk).status == LoanStatus.LISTED
    cancel.click()
    confirm(borrower, "Cancel the listing")
    assert Loan.objects.get(pk=other.pk).status == LoanStatus.CANCELLED
    journey.step(borrower, "listing cancelled")


def test_every_signed_in_page_fits_390_px_and_passes_axe(journey, risk_model):
    """Every page a borrower and a lender use, with data in it: each step screenshots at 1366
    and 390 px, checks that nothing scrolls sideways at 390 px and runs axe-core."""
    loan = a_listing("pia.borrower@example.com", amount="1000")
    borrower_user = Loan.objects.get(pk=loan.pk).borrower
    kyc_document_upload(user=borrower_user, document_type="government_id",
                        uploaded_file=SimpleUploadedFile("id.pdf", PDF, "application/pdf"))
    lender_user = make_user("leo.lender@example.com", first_name="Leo")
    fund(lender_user, "5000")
    market.bid_place(lender=lender_user, loan_id=loan.pk, amount=D("1000"),
                     rate=loan.floor_rate + 1)
    market.loan_accept(borrower=borrower_user, loan_id=loan.pk)
    open_listing = a_listing("quinn.borrower@example.com", amount="3000")
    market.bid_place(lender=lender_user, loan_id=open_listing.pk, amount=D("400"),
                     rate=open_listing.floor_rate + 3)
    rule = auto_invest_rule_create(user=lender_user, data={"name": "Grade A and B"})

    borrower = journey.person()
    log_in(borrower, "pia.borrower@example.com", PASSWORD)
    for url, name in [("/borrower/", "borrower dashboard"), ("/profile/", "profile"),
                      ("/profile/documents/", "documents"), ("/loans/apply/", "apply"),
                      ("/loans/estimate/?amount=5000&term_months=36&purpose=car",
                       "rate check"), ("/my/loans/", "my loans"),
                      (f"/loans/{loan.pk}/", "my active loan"),
                      (f"/loans/{loan.pk}/schedule/", "schedule"),
                      ("/wallet/", "borrower wallet"), ("/notifications/", "notifications"),
                      (f"/loans/{loan.pk}/hardship/", "hardship request"),
                      ("/statements/", "borrower statement")]:
        borrower.goto(url)
        journey.step(borrower, name)

    lender = journey.person()
    log_in(lender, "leo.lender@example.com", PASSWORD)
    for url, name in [("/lender/", "lender dashboard"), ("/marketplace/", "marketplace"),
                      ("/marketplace/matches/", "matches"),
                      (f"/loans/{open_listing.pk}/", "listing with my bid"),
                      ("/my/bids/", "my bids"), ("/portfolio/", "portfolio"),
                      ("/wallet/", "lender wallet"), ("/auto-invest/", "auto-invest"),
                      (f"/auto-invest/{rule.pk}/edit/", "auto-invest rule"),
                      ("/how-it-works/", "how it works"), ("/fees/", "fees"),
                      ("/risk/", "risk warning"), ("/performance/", "performance"),
                      ("/market/", "note market"), ("/market/orders/", "standing orders"),
                      ("/statements/", "lender statement"), ("/about/design/", "design deck"),
                      ("/faq/", "faq"), ("/terms/", "terms"), ("/privacy/", "privacy"),
                      ("/no-such-page/", "not found")]:
        lender.goto(url)
        journey.step(lender, name)
    expect(lender.locator("body")).to_contain_text("Page not found")

    visitor = journey.person()
    for url, name in [("/", "home"), ("/accounts/login/", "login"),
                      ("/accounts/signup/", "sign up"),
                      ("/loans/estimate/", "rate check without an account")]:
        visitor.goto(url)
        journey.step(visitor, name)
    visitor.fill("#id_amount", "8000")
    visitor.select_option("#id_term_months", "36")
    visitor.select_option("#id_purpose", "car")
    visitor.fill("#id_annual_income", "72000")
    visitor.select_option("#id_employment_status", "employed")
    visitor.fill("#id_credit_score", "720")
    visitor.get_by_role("button", name="Estimate").click()
    visitor.wait_for_load_state()
    expect(visitor.get_by_test_id("estimate-grade")).to_have_text(re.compile("^[A-E]$"))
    journey.step(visitor, "rate without an account")
