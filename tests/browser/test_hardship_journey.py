"""A borrower in difficulty asks for a hardship plan on the site; one staff member approves it
in the admin, a second one confirms it (the first cannot); the lender sees it on the note."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from loans import services as market
from payments.models import HardshipPlan
from tests.browser.conftest import log_in, staff_log_in
from tests.factories import PASSWORD, make_staff, make_user
from tests.money import fund

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_a_borrower_asks_for_a_hardship_plan_that_two_staff_approve(journey, risk_model):
    owner = make_user("hana.borrower@example.com", first_name="Hana", verified=True)
    loan = market.loan_apply(borrower=owner, amount=D("1000"), term_months=12, purpose="car",
                             max_rate=D("24"), staff_grade="B")
    make_user("leo.lender@example.com", first_name="Leo")
    from accounts.models import User
    leo = User.objects.get(email="leo.lender@example.com")
    fund(leo, "1000")
    market.bid_place(lender=leo, loan_id=loan.pk, amount=D("1000"), rate=loan.floor_rate + 2)
    market.loan_accept(borrower=owner, loan_id=loan.pk)

    borrower = journey.person()
    log_in(borrower, owner.email, PASSWORD)
    borrower.goto(f"/loans/{loan.pk}/schedule/")
    borrower.get_by_test_id("hardship-link").click()
    borrower.wait_for_load_state()
    borrower.get_by_label("Deferral (no payment due)").check()
    borrower.fill("#id_months", "2")
    borrower.fill("#id_reason", "My hours were cut for two months")
    journey.step(borrower, "hardship request")
    borrower.get_by_test_id("hardship-submit").click()
    borrower.wait_for_load_state()
    expect(borrower.get_by_test_id("hardship-plan-status")).to_have_text("Requested")
    journey.step(borrower, "hardship requested")

    first = journey.person()
    staff_log_in(first, make_staff("ops.one@example.com"), PASSWORD)
    first.goto("/admin/payments/hardshipplan/")
    first.locator("input[name=_selected_action]").check()
    first.select_option("select[name=action]", "approve")
    journey.step(first, "first staff approves")
    first.locator("button[name=index], input[name=index], button:has-text('Go')").first.click()
    first.wait_for_load_state()
    expect(first.locator("body")).to_contain_text("awaiting a second staff member")
    first.locator("input[name=_selected_action]").check()
    first.select_option("select[name=action]", "confirm")
    first.locator("button[name=index], input[name=index], button:has-text('Go')").first.click()
    first.wait_for_load_state()
    expect(first.locator("body")).to_contain_text("A second staff member must confirm")
    journey.step(first, "first staff cannot confirm their own decision")

    second = journey.person()
    staff_log_in(second, make_staff("ops.two@example.com"), PASSWORD)
    second.goto("/admin/payments/hardshipplan/")
    second.locator("input[name=_selected_action]").check()
    second.select_option("select[name=action]", "confirm")
    second.locator("button[name=index], input[name=index], button:has-text('Go')").first.click()
    second.wait_for_load_state()
    expect(second.locator("body")).to_contain_text("1 decision(s) confirmed")
    journey.step(second, "second staff confirms")
    assert HardshipPlan.objects.get(loan=loan).status == "active"

    borrower.goto(f"/loans/{loan.pk}/hardship/")
    expect(borrower.get_by_test_id("hardship-plan-status")).to_have_text("Active")
    deferred = sum(i.interest for i in loan.installments.filter(status="deferred"))
    assert deferred > 0
    expect(borrower.get_by_test_id("hardship-deferred")).to_contain_text(f"{deferred:,.2f}")
    journey.step(borrower, "borrower sees the plan")

    lender = journey.person()
    log_in(lender, leo.email, PASSWORD)
    lender.goto("/portfolio/")
    note = loan.notes.get()
    expect(lender.get_by_test_id(f"hardship-{note.pk}")).to_contain_text(
        "Hardship plan: 2-month deferral")
    journey.step(lender, "lender sees the plan on the note")
