"""The public list of open listings is shared by every visitor for LISTING_CACHE_SECONDS; what is
user-specific never is, and nothing is shared longer than that."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loans import services
from tests.factories import api_client_for, make_user

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def cached(settings):
    settings.LISTING_CACHE_SECONDS = 2


def listing(borrower, amount="5000"):
    return services.loan_apply(borrower=borrower, amount=D(amount), term_months=36,
                               purpose="car", max_rate=D("20"), staff_grade="B")


def queries(client, url, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries), response


def test_the_public_list_is_shared_for_a_few_seconds_then_fresh(risk_model, cached):
    borrower = make_user("share@example.com", verified=True)
    first_loan = listing(borrower)
    reader, other = api_client_for(make_user()), api_client_for(make_user())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        cold, response = queries(reader, "/api/loans", limit=50)
        warm, again = queries(other, "/api/loans", limit=50)
        assert [loan["id"] for loan in response.json()["loans"]] == [first_loan.pk]
        assert again.json() == response.json()
        assert warm < cold  # no loan query: only the other reader's own token lookup
        second_loan = listing(borrower, "7000")
        assert [x["id"] for x in other.get("/api/loans", {"limit": 50}).json()["loans"]] == [
            first_loan.pk]  # within the few seconds, the shared answer
        # Another filter or page is another entry.
        assert other.get("/api/loans", {"limit": 10}).json()["loans"][0]["id"] == second_loan.pk
    with time_machine.travel(start + timedelta(seconds=3), tick=False):
        ids = [x["id"] for x in other.get("/api/loans", {"limit": 50}).json()["loans"]]
    assert ids == [second_loan.pk, first_loan.pk]


def test_a_users_own_view_is_never_shared(risk_model, cached):
    borrower = make_user("own@example.com", verified=True)
    api = api_client_for(borrower)
    loan = listing(borrower)
    assert [x["id"] for x in api.get("/api/loans", {"status": "all"}).json()["loans"]] == [
        loan.pk]
    services.loan_cancel(acting_user=borrower, loan_id=loan.pk)
    mine = api.get("/api/loans", {"status": "all"}).json()["loans"]
    assert [(x["id"], x["status"]) for x in mine] == [(loan.pk, "cancelled")]
    assert api_client_for(make_user()).get("/api/loans", {"status": "all"}).json()["loans"] == []


def test_the_marketplace_table_is_shared_but_each_visitor_keeps_their_own_page(risk_model,
                                                                             cached):
    borrower = make_user("page@example.com", verified=True)
    loan = listing(borrower)
    first, second = Client(), Client()  # signed in: their pages carry their CSRF token
    first.force_login(make_user("one@example.com"))
    second.force_login(make_user("two@example.com"))
    cold, page_one = queries(first, "/marketplace/")
    warm, page_two = queries(second, "/marketplace/")
    assert f"#{loan.pk}</a>" in page_one.content.decode()
    assert f"#{loan.pk}</a>" in page_two.content.decode()
    assert warm < cold
    token = re.compile(r'X-CSRFToken": "([^"]+)"')
    assert token.search(page_one.content.decode()).group(1) != token.search(
        page_two.content.decode()).group(1)  # per visitor, never from the cache


def test_the_filter_form_is_shared_per_query_and_shows_each_query_its_own_values(risk_model,
                                                                                cached):
    client = Client()
    first = client.get("/marketplace/", {"grade": "B", "min_amount": "1000"}).content.decode()
    again = client.get("/marketplace/", {"grade": "B", "min_amount": "1000"}).content.decode()
    other = client.get("/marketplace/", {"min_amount": "2500"}).content.decode()
    bad = client.get("/marketplace/", {"min_amount": "-5"}).content.decode()
    assert 'value="1000"' in first and 'value="1000"' in again
    assert 'value="2500"' in other and 'value="1000"' not in other
    assert re.search(r'value="B"[^>]*checked|checked[^>]*value="B"', first)
    assert 'data-testid="filter-errors"' in bad and 'data-testid="filter-errors"' not in first


def test_an_anonymous_page_needs_no_csrf_token_a_signed_in_one_carries_it(risk_model):
    anonymous = Client().get("/marketplace/")
    assert "csrftoken" not in anonymous.cookies and "X-CSRFToken" not in anonymous.content.decode()
    client = Client()
    client.force_login(make_user("csrf@example.com", verified=True))
    page = client.get("/marketplace/")
    assert "X-CSRFToken" in page.content.decode() and "csrftoken" in page.cookies
