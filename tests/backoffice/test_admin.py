"""The admin for every model: lists, filters and search load in a bounded number of queries, money
is read-only, and the actions go through services."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin

from loans import services as market
from loans.models import Loan
from tests.factories import make_staff, make_staff_in, make_user
from tests.money import fund, held

pytestmark = pytest.mark.django_db
D = Decimal
OUR_APPS = ("accounts", "loans", "investments", "payments", "risk", "bots")



@pytest.fixture
def listing(risk_model):
    borrower = make_user("bea@example.com", verified=True)
    loan = market.loan_apply(borrower=borrower, amount=D("5000.00"), term_months=36,
                             purpose="car", max_rate=D("30"), staff_grade="C")
    lender = make_user("lena@example.com")
    fund(lender, "1000.00")
    market.bid_place(lender=lender, loan_id=loan.pk, amount=D("500.00"), rate=D("20.00"))
    return loan, lender


def test_every_model_of_ours_has_an_admin():
    missing = [m._meta.label for app in OUR_APPS for m in apps.get_app_config(app).get_models()
               if m not in admin.site._registry]
    assert missing == []


def test_every_admin_list_and_search_loads_in_a_bounded_number_of_queries(
        listing, client, django_assert_max_num_queries):
    client.force_login(make_staff())
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        with django_assert_max_num_queries(25):
            response = client.get(url)
        assert response.status_code == 200, url
        if model_admin.search_fields:
            assert client.get(url, {"q": "bea@example.com"}).status_code == 200, url


def test_money_fields_of_a_loan_cannot_be_edited_in_the_admin(listing, client):
    loan, _ = listing
    client.force_login(make_staff())
    page = client.get(f"/admin/loans/loan/{loan.pk}/change/")
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    client.post(f"/admin/loans/loan/{loan.pk}/change/", {"amount": "1.00", "_save": "Save"})
    loan.refresh_from_db()
    assert loan.amount == D("5000.00")
    for url in ("/admin/payments/ledgertransaction/add/", "/admin/investments/note/add/",
                "/admin/loans/bid/add/", "/admin/payments/repayment/add/"):
        assert client.get(url).status_code == 403, url


def test_a_risk_officer_cancels_a_listing_and_every_hold_is_released(listing, client):
    loan, lender = listing
    assert held(lender) == D("500.00")
    client.force_login(make_staff_in("Risk officer"))
    response = client.post("/admin/loans/loan/", {"action": "cancel_listings",
                                                  "_selected_action": [loan.pk]}, follow=True)
    assert "1 listing(s) cancelled" in response.content.decode()
    loan.refresh_from_db()
    assert loan.status == "cancelled" and held(lender) == D("0.00")
    # Cancelling it again is refused with the reason, not a crash.
    again = client.post("/admin/loans/loan/", {"action": "cancel_listings",
                                               "_selected_action": [loan.pk]}, follow=True)
    assert "Cannot cancel a loan that is cancelled" in again.content.decode()


def test_support_staff_cannot_cancel_a_listing(listing, client):
    loan, lender = listing
    client.force_login(make_staff_in("Support"))
    assert client.get("/admin/loans/loan/").status_code == 200
    client.post("/admin/loans/loan/", {"action": "cancel_listings",
                                       "_selected_action": [loan.pk]})
    loan.refresh_from_db()
    assert loan.status == "listed" and held(lender) == D("500.00")
    assert Loan.objects.filter(status="listed").count() == 1


def test_the_lists_offer_import_and_export_to_those_allowed(client):
    client.force_login(make_staff())
    for url in ("/admin/accounts/user/", "/admin/loans/loan/"):
        html = client.get(url).content.decode()
        assert f"href='{url}import/'" in html and f'href="{url}export/' in html, url
    for url in ("/admin/investments/note/", "/admin/payments/repayment/",
                "/admin/payments/ledgertransaction/", "/admin/payments/ledgerleg/"):
        html = client.get(url).content.decode()
        assert f'href="{url}export/' in html and f"{url}import/" not in html, url
    client.force_login(make_staff_in("Support"))
    html = client.get("/admin/loans/loan/").content.decode()
    assert 'href="/admin/loans/loan/export/' in html and "/admin/loans/loan/import/" not in html


def test_the_admin_index_links_to_the_dashboards(client):
    client.force_login(make_staff())
    html = client.get("/admin/").content.decode()
    assert 'href="/admin/dashboard/"' in html and 'href="/admin/bots/"' in html
