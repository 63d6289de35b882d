"""What anyone can read before signing up, and the presentation rules every page shares
(issue 19): trust pages, the public performance page from live data, the rate check without an
account, favicon and robots.txt, styled errors, one money and date format, email links from
the host the site is served on, redirects after sign-up and login."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.sites.models import Site
from django.test import override_settings

from communitylend.core.http import site_url
from communitylend.templatetags.present import day, field_words_filter, moment, money
from loans import services as market
from tests.factories import PASSWORD, make_staff, make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.mark.parametrize("url, words", [
    ("/how-it-works/", "not a promise"), ("/fees/", "Origination fee"),
    ("/risk/", "You can lose some or all"), ("/terms/", "Terms of use"),
    ("/privacy/", "Privacy notice"), ("/faq/", "Can I repay early?"),
    ("/performance/", "Loans funded")])
def test_the_trust_pages_need_no_account(client, url, words):
    response = client.get(url)
    assert response.status_code == 200
    assert words in response.content.decode()


def test_the_fees_page_lists_the_real_origination_fees(client):
    html = client.get("/fees/").content.decode()
    assert "A 1%, B 2%, C 3%, D 4%, E 5%" in html


def test_the_performance_page_counts_funded_loans_and_defaults_by_grade_from_live_data(
        client, risk_model):
    borrower = make_user("perf.borrower@example.com", verified=True)
    loan = market.loan_apply(borrower=borrower, amount=D("1000"), term_months=12,
                             purpose="car", max_rate=D("30"), staff_grade="B")
    lender = make_user("perf.lender@example.com")
    fund(lender, "2000")
    market.bid_place(lender=lender, loan_id=loan.pk, amount=D("1000"), rate=loan.floor_rate)
    market.loan_accept(borrower=borrower, loan_id=loan.pk)
    html = client.get("/performance/").content.decode()
    assert 'data-testid="loans-funded">1<' in html
    assert "$1,000.00" in html
    assert f"<td data-label=\"Vintage\">{date.today().year}</td>" in html
    assert "0 (0.0%)" in html  # nothing has defaulted


def test_the_rate_check_works_without_an_account_and_keeps_nothing(client, risk_model):
    from risk.models import RiskAssessment

    before = RiskAssessment.objects.count()
    response = client.get("/loans/estimate/", {
        "amount": "8000", "term_months": "36", "purpose": "car", "annual_income": "72000",
        "employment_status": "employed", "credit_score": "720"})
    assert response.status_code == 200
    assert 'data-testid="estimate-grade"' in response.content.decode()
    assert "Create an account to apply" in response.content.decode()
    assert RiskAssessment.objects.count() == before


def test_the_rate_check_names_every_invalid_field(client, risk_model):
    response = client.get("/loans/estimate/", {"amount": "50", "term_months": "36",
                                               "purpose": "car", "annual_income": "x",
                                               "employment_status": "employed",
                                               "credit_score": "999"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "3 things to fix" not in html  # the estimate form lists them its own way
    for label in ("Amount", "Annual income", "Credit score"):
        assert f">{label}</a>:" in html, label


def test_favicon_and_robots(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    robots = client.get("/robots.txt").content.decode()
    assert "User-agent: *" in robots and "Disallow: /admin/" in robots


def test_a_non_staff_user_at_the_admin_and_a_missing_page_get_styled_pages(client):
    client.force_login(make_user("nosy.user@example.com"))
    missing = client.get("/nothing-here/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    assert "skip-link" in missing.content.decode()


def test_one_money_and_one_date_format():
    assert money(D("1234.5")) == "$1,234.50" and money(D("-12")) == "-$12.00"
    assert money(None) == "—"
    assert day(date(2026, 12, 3)) == "2026-12-03"
    assert moment(datetime(2026, 12, 3, 14, 5, tzinfo=UTC)).startswith("2026-12-03 ")
    assert field_words_filter(["date_of_birth", "zip_code"]) == "date of birth and ZIP code"


def test_email_links_follow_the_host_the_site_is_served_on(client):
    with override_settings(SITE_URL=""):
        client.get("/", HTTP_HOST="localhost:8123")
        assert Site.objects.get_current().domain == "localhost:8123"
        assert site_url() == "http://localhost:8123"
    with override_settings(SITE_URL="https://lend.example.com/"):
        assert site_url() == "https://lend.example.com"


def test_after_login_the_dashboard_of_the_role_and_after_sign_up_the_profile(client):
    make_user("only.lender@example.com", is_lender=True)
    response = client.post("/accounts/login/", {"login": "only.lender@example.com",
                                                "password": PASSWORD})
    assert response["Location"] == "/lender/"
    client.logout()
    make_user("only.borrower@example.com", is_borrower=True)
    response = client.post("/accounts/login/", {"login": "only.borrower@example.com",
                                                "password": PASSWORD})
    assert response["Location"] == "/borrower/"
    client.logout()
    response = client.post("/accounts/signup/", {"email": "fresh@example.com",
                                                 "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] in ("/profile/", "/accounts/confirm-email/")


def test_the_profile_says_not_submitted_and_names_missing_fields_in_words(client):
    user = make_user("first.run@example.com")
    client.force_login(user)
    html = client.get("/profile/").content.decode()
    assert "Not submitted" in html
    missing = html.split('data-testid="missing-fields">')[1].split("</div>")[0]
    assert "date of birth" in missing and "ZIP code" in missing and "_" not in missing


def test_staff_are_sent_to_the_back_office_after_login():
    from accounts.adapters import dashboard_url

    assert dashboard_url(make_staff("back.office@example.com")) == "/admin/"
