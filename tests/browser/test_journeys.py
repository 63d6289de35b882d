"""What people do on CommunityLend, in a real browser. Each journey checks what the pages show
(grades, balances, statuses, table rows), not only that they loaded; the screenshots of every
step are under test-artifacts/browser/."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from loans import services as market
from loans.models import Bid, Loan
from payments.models import Repayment
from tests.browser.conftest import (
    confirm,
    dismiss_then_confirm,
    log_in,
    publish_agreement,
    staff_log_in,
)
from tests.documents import PDF
from tests.factories import PASSWORD, make_staff, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_a_new_borrower_signs_up_is_verified_by_staff_and_applies(journey, risk_model):
    borrower = journey.person()
    email = "rosa.applicant@example.com"

    borrower.goto("/accounts/signup/")
    borrower.fill("input[name=email]", email)
    borrower.fill("input[name=password1]", PASSWORD)
    borrower.fill("input[name=password2]", PASSWORD)
    journey.step(borrower, "sign-up form")
    borrower.locator("form").filter(has=borrower.locator("input[name=password2]")).locator(
        "button[type=submit]").click()
    borrower.wait_for_load_state()
    journey.step(borrower, "signed up")

    # The verification email's link confirms the address.
    (message,) = [m for m in mail.outbox if m.to == [email]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    borrower.goto(link)
    journey.step(borrower, "confirm email")
    borrower.locator("main form button[type=submit]").last.click()
    borrower.wait_for_load_state()
    journey.step(borrower, "email confirmed")
    user = User.objects.get(email=email)
    assert user.emailaddress_set.get(email=email).verified

    borrower.goto("/profile/")
    expect(borrower.get_by_test_id("missing-fields")).to_contain_text("phone")
    for field, value in {"first_name": "Rosa", "last_name": "Applicant", "phone": "555-0142",
                         "date_of_birth": "1988-04-12", "street": "12 Elm Street",
                         "city": "Springfield", "state": "IL", "zip_code": "62704",
                         "annual_income": "92000", "monthly_debt": "900",
                         "employment_length": "7", "credit_score": "760"}.items():
        borrower.fill(f"#id_{field}", value)
    borrower.select_option("#id_employment_status", "employed")
    borrower.select_option("#id_home_ownership", "RENT")
    journey.step(borrower, "profile filled in")
    borrower.get_by_role("button", name="Save profile").click()
    borrower.wait_for_load_state()
    expect(borrower.locator("body")).to_contain_text("Your profile is complete.")
    expect(borrower.get_by_test_id("verification-status")).to_have_text("Not submitted")
    journey.step(borrower, "profile complete")

    borrower.goto("/profile/documents/")
    borrower.select_option("#id_document_type", "government_id")
    borrower.set_input_files("#id_file", files=[{"name": "passport.pdf",
                                                  "mimeType": "application/pdf", "buffer": PDF}])
    borrower.get_by_role("button", name="Upload").click()
    borrower.wait_for_load_state()
    expect(borrower.locator("body")).to_contain_text("Document uploaded. Staff will review it.")
    expect(borrower.locator("table")).to_contain_text("passport.pdf")
    journey.step(borrower, "KYC document uploaded")

    staff = journey.person()
    staff_log_in(staff, make_staff("kyc.officer@example.com"), PASSWORD)
    staff.goto(f"/admin/accounts/user/?q={email}")
    staff.locator("input[name=_selected_action]").check()
    staff.select_option("select[name=action]", "verify_selected")
    journey.step(staff, "admin selects the borrower")
    staff.locator("button[name=index], input[name=index], button:has-text('Go')").first.click()
    staff.wait_for_load_state()
    staff.fill("textarea[name=note], input[name=note]", "Passport checked against the profile")
    journey.step(staff, "admin confirms the verification")
    staff.locator("input[name=apply]").click()
    staff.wait_for_load_state()
    expect(staff.locator("body")).to_contain_text("1 user(s) marked verified")
    journey.step(staff, "admin verified")

    borrower.goto("/profile/")
    expect(borrower.get_by_test_id("verification-status")).to_have_text("Verified")
    journey.step(borrower, "borrower sees verified")

    borrower.goto("/loans/apply/")
    borrower.fill("#id_amount", "6000")
    borrower.select_option("#id_term_months", "36")
    borrower.select_option("#id_purpose", "car")
    borrower.fill("#id_max_rate", "24")
    borrower.fill("#id_description", "A reliable car to get to work")
    journey.step(borrower, "loan application")
    borrower.get_by_role("button", name="Submit application").click()
    borrower.wait_for_load_state()
    loan = Loan.objects.get(borrower=user)
    assert loan.risk_grade in "ABCDE"
    expect(borrower.get_by_test_id("grade")).to_have_text(f"Grade {loan.risk_grade}")
    expect(borrower.locator("body")).to_contain_text(
        f"Your loan is listed with grade {loan.risk_grade}.")
    expect(borrower.get_by_test_id("loan-status")).to_have_text("Listed")
    journey.step(borrower, "listed with its grade")


def test_a_lender_funds_a_loan_that_the_borrower_accepts_and_repays(journey, risk_model):
    owner = make_user("tom.borrower@example.com", first_name="Tom", verified=True)
    loan = market.loan_apply(borrower=owner, amount=D("1000"), term_months=12, purpose="car",
                             max_rate=D("24"), staff_grade="B")
    make_user("lara.lender@example.com", first_name="Lara")
    publish_agreement()  # the migrations' version 1 is flushed with the rest between tests
    first_rate, lower_rate = loan.floor_rate + 4, loan.floor_rate + 2

    lender = journey.person()
    log_in(lender, "lara.lender@example.com", PASSWORD)
    lender.goto("/wallet/")
    lender.fill("#id_deposit-amount", "1500")
    journey.step(lender, "deposit")
    lender.get_by_role("button", name="Deposit", exact=True).click()
    lender.wait_for_load_state()
    expect(lender.get_by_test_id("available")).to_have_text("$1,500.00")
    journey.step(lender, "deposited")

    lender.goto(f"/loans/{loan.pk}/")
    lender.fill("#id_amount", "1000")
    lender.fill("#id_rate", f"{first_rate:.2f}")
    journey.step(lender, "bid form")
    lender.get_by_role("button", name="Bid", exact=True).click()
    lender.wait_for_load_state()
    expect(lender.locator("body")).to_contain_text("Bid placed; the amount is held in your wallet.")
    expect(lender.locator("body")).to_contain_text(f"1,000.00 at {first_rate:.2f}%")
    journey.step(lender, "bid placed")

    lender.fill("#chg-rate", f"{lower_rate:.2f}")
    lender.get_by_role("button", name="Update bid").click()
    lender.wait_for_load_state()
    expect(lender.locator("body")).to_contain_text("Bid updated.")
    expect(lender.locator("body")).to_contain_text(f"1,000.00 at {lower_rate:.2f}%")
    journey.step(lender, "bid lowered")
    lender.goto("/wallet/")
    expect(lender.get_by_test_id("available")).to_have_text("$500.00")
    expect(lender.get_by_test_id("held")).to_have_text("$1,000.00")
    journey.step(lender, "wallet holds the bid")

    borrower = journey.person()
    log_in(borrower, "tom.borrower@example.com", PASSWORD)
    borrower.goto(f"/loans/{loan.pk}/")
    journey.step(borrower, "fully covered listing")
    borrower.get_by_role("button", name="Review the final terms and accept").click()
    borrower.wait_for_load_state()
    # The review: the final terms at the clearing rate, the schedule and the agreement.
    expect(borrower.get_by_test_id("term-rate")).to_have_text(f"{lower_rate:.4f}%")
    expect(borrower.get_by_test_id("term-amount")).to_have_text("$1,000.00")
    expect(borrower.get_by_test_id("review-schedule").locator("tbody tr")).to_have_count(12)
    expect(borrower.get_by_test_id("agreement-text")).to_contain_text("Tom")
    journey.step(borrower, "review of the final terms and the agreement")
    borrower.get_by_role("button", name=re.compile("Accept the loan")).click()
    borrower.wait_for_load_state()
    expect(borrower.locator("#id_agree")).to_have_attribute("aria-invalid", "true")
    expect(borrower.locator("body")).to_contain_text("Tick the box to accept the loan agreement.")
    journey.step(borrower, "consent is required")
    borrower.check("#id_agree")
    borrower.get_by_role("button", name=re.compile("Accept the loan")).click()
    borrower.wait_for_load_state()
    expect(borrower.locator("body")).to_contain_text("Loan accepted: the money is in your wallet.")
    expect(borrower.get_by_test_id("loan-status")).to_have_text("Active")
    expect(borrower.get_by_test_id("signed-agreement")).to_be_visible()
    journey.step(borrower, "accepted with the signed agreement")
    signed = Loan.objects.get(pk=loan.pk).signed_agreement
    assert signed.ip_address == "127.0.0.1" and "Chrome" in signed.user_agent

    lender.goto("/portfolio/")
    notes = lender.get_by_test_id("notes")
    expect(notes).to_contain_text(f"#{loan.pk}")
    expect(notes).to_contain_text("1,000.00")
    expect(notes).to_contain_text(f"{lower_rate:.2f}")
    journey.step(lender, "portfolio shows the note")

    loan.refresh_from_db()
    installment = loan.installments.get(number=1).total
    borrower.goto(f"/loans/{loan.pk}/schedule/")
    expect(borrower.get_by_test_id("outstanding")).to_have_text("$1,000.00")
    journey.step(borrower, "schedule")
    borrower.get_by_role("button", name="Review payment").click()
    borrower.wait_for_load_state()
    expect(borrower.get_by_test_id("preview-rows")).to_contain_text("#1")
    expect(borrower.get_by_test_id("preview-rows")).to_contain_text("Paid")
    journey.step(borrower, "the payment says what it settles before it is made")
    pay = borrower.get_by_role("button", name="Confirm payment")
    payments_before = Repayment.objects.filter(loan=loan).count()
    text = dismiss_then_confirm(journey, borrower, pay, "pay now")
    assert f"Pay ${installment:,.2f} now from your wallet?" in text
    assert Repayment.objects.filter(loan=loan).count() == payments_before  # dismissed: nothing
    pay.click()
    confirm(borrower, "Pay")
    expect(borrower.locator("body")).to_contain_text(f"Payment of {installment:,.2f} received.")
    expect(borrower.get_by_test_id("payments")).to_contain_text(f"{installment:,.2f}")
    loan.refresh_from_db()
    assert loan.outstanding_principal < D("1000")
    expect(borrower.get_by_test_id("outstanding")).to_have_text(f"${loan.outstanding_principal:,.2f}")
    journey.step(borrower, "installment paid")


def test_staff_see_the_bots_at_work_on_the_bot_dashboard(journey, risk_model):
    from bots.cycle import bot_cycle_run
    from bots.models import BotLender
    from communitylend.demo.market import seed_bots

    seed_bots()
    for n in range(3):
        borrower = make_user(f"bot.target{n}@example.com", verified=True, credit_score=800)
        market.loan_apply(borrower=borrower, amount=D("3000"), term_months=36,
                          purpose="debt_consolidation", max_rate=D("25"), staff_grade="A")
    result = bot_cycle_run()
    bids = sum(report.bids for report in result.reports)
    assert bids > 0

    staff = journey.person()
    staff_log_in(staff, make_staff("bot.operator@example.com"), PASSWORD)
    staff.goto("/admin/bots/")
    dashboard = staff.get_by_test_id("bot-dashboard")
    expect(dashboard).to_contain_text("Bids placed")
    for bot in BotLender.objects.all():
        row = dashboard.locator("tr", has_text=bot.name).first  # the status table comes first
        expect(row).to_contain_text("Running")
        expect(row).to_contain_text(f"{bot.capital:,.2f}")
        placed = Bid.objects.filter(lender=bot.user).count()
        expect(row).to_contain_text(f"{placed} ({placed})")
    journey.step(staff, "bot dashboard")


def test_staff_import_the_original_users_file_in_the_admin(journey, risk_model):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "backoffice" / "users.csv"
    staff = journey.person()
    staff_log_in(staff, make_staff("importer@example.com"), PASSWORD)
    staff.goto("/admin/accounts/user/")
    staff.get_by_role("link", name="Import", exact=True).click()
    staff.wait_for_load_state()
    expect(staff.locator("body")).to_contain_text("All or nothing")
    staff.set_input_files("#id_import_file", str(sample))
    journey.step(staff, "import form with users csv")
    staff.locator("input[type=submit]").click()
    staff.wait_for_load_state()
    expect(staff.get_by_test_id("import-summary")).to_contain_text(
        "3 to create, 0 to update, 0 to skip")
    preview = staff.locator("table.import-preview")
    for email in ("john.doe@email.com", "jane.smith@email.com", "mike.johnson@email.com"):
        expect(preview).to_contain_text(email)
    journey.step(staff, "dry run preview")
    assert not User.objects.filter(email__endswith="@email.com").exists()

    staff.get_by_role("button", name="Confirm import").click()
    staff.wait_for_load_state()
    expect(staff.locator("body")).to_contain_text("Import finished: 3 new, 0 updated")
    expect(staff.locator("#result_list")).to_contain_text("john.doe@email.com")
    journey.step(staff, "users imported")
    john = User.objects.get(email="john.doe@email.com")
    assert (john.credit_score, john.annual_income) == (720, D("75000.00"))
    invited = {m.to[0] for m in mail.outbox if "set your password" in m.subject}
    assert invited == {"john.doe@email.com", "jane.smith@email.com", "mike.johnson@email.com"}

    # A file with a bad row is refused with its line and reason, and imports nothing.
    staff.goto("/admin/accounts/user/import/")
    staff.set_input_files("#id_import_file", files=[{
        "name": "bad.csv", "mimeType": "text/csv",
        "buffer": (sample.read_text() + "new.person@email.com,New,Person,1,5,employed,999\n"
                   ).encode()}])
    staff.locator("input[type=submit]").click()
    staff.wait_for_load_state()
    expect(staff.get_by_test_id("import-refused")).to_contain_text("Nothing will be imported")
    reason = staff.locator("table.import-preview").get_by_text("must be 300-850, not '999'")
    expect(reason).to_be_visible()  # shown in the table, not only on hover
    expect(staff.get_by_role("button", name="Confirm import")).to_have_count(0)
    journey.step(staff, "bad file refused")
    assert not User.objects.filter(email="new.person@email.com").exists()

    staff.goto("/admin/dashboard/")
    expect(staff.get_by_test_id("kpi-open-listings")).to_contain_text("Open listings")
    expect(staff.locator("#volume-chart")).to_be_visible()
    journey.step(staff, "platform dashboard")
