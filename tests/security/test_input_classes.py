"""Findings 6, 8 and 13 as classes: every field the model or the lenders read re-opens
verification; query parameters have one validation path and never cause a 500; request bodies
have a depth and size limit; one number parser for the API, web forms and CSV imports, and every
API field name reads back under the name the API writes."""

import io
import json
from decimal import Decimal

import pytest
from django.test import Client

from accounts.imports import users_import
from accounts.models import CREDIT_DATA_FIELDS, User
from communitylend.core.money import parse_decimal, parse_whole_number
from loans.imports import loans_import
from tests.factories import api_client_for, make_user

pytestmark = pytest.mark.django_db

# A value different from COMPLETE_PROFILE's for every field the risk model or the lenders read.
CHANGED = {
    "annual_income": "90000.00", "monthly_debt": "900.00", "employment_status": "self_employed",
    "employment_length": 9, "credit_score": 700, "home_ownership": "OWN",
    "earliest_credit_line": "2001-03-01", "open_credit_lines": 7, "total_credit_lines": 20,
    "revolving_balance": "5000.00", "revolving_utilization": "31.50", "inquiries_6m": 2,
    "delinquencies_2y": 1, "months_since_last_delinquency": 14, "public_records": 1,
    "public_record_bankruptcies": 1,
}


def test_every_field_the_model_reads_is_one_that_reopens_verification():
    from risk.ml.features import RAW_FIELDS

    model_reads = {name for name in RAW_FIELDS if hasattr(User, name)} - {"debt_to_income"}
    assert model_reads <= set(CREDIT_DATA_FIELDS)
    assert set(CHANGED) == set(CREDIT_DATA_FIELDS)


@pytest.mark.parametrize("field", sorted(CHANGED))
def test_changing_a_field_the_model_or_lenders_read_sends_a_verified_profile_to_pending(field):
    from djangorestframework_camel_case.util import camelize

    borrower = make_user(verified=True)
    api = api_client_for(borrower)
    response = api.put("/api/users/profile", camelize({field: CHANGED[field]}), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["verificationStatus"] == "pending"
    borrower.refresh_from_db()
    assert str(getattr(borrower, field)) == str(CHANGED[field])


def test_a_staff_edit_in_the_admin_sends_a_verified_profile_to_pending_too(client):
    from tests.factories import make_staff

    borrower = make_user(verified=True)
    client.force_login(make_staff())
    page = client.get(f"/admin/accounts/user/{borrower.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if not form.fields[name].disabled
            and form[name].value() is not None}
    data = {k: v for k, v in data.items() if v is not False}
    data["groups"] = []
    data["user_permissions"] = []
    data["home_ownership"] = "OWN"
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
    client.post(f"/admin/accounts/user/{borrower.pk}/change/", data)
    borrower.refresh_from_db()
    assert borrower.home_ownership == "OWN"
    assert borrower.verification_status == "pending"


def test_names_with_digits_read_back_under_the_names_the_api_writes():
    borrower = make_user()
    api = api_client_for(borrower)
    response = api.put("/api/users/profile", {"inquiries6m": 3, "delinquencies2y": 2},
                       format="json")
    assert response.status_code == 200
    assert response.json()["inquiries6m"] == 3 and response.json()["delinquencies2y"] == 2
    borrower.refresh_from_db()
    assert (borrower.inquiries_6m, borrower.delinquencies_2y) == (3, 2)


def test_every_request_field_of_the_schema_reads_back_under_its_own_name():
    """The OpenAPI schema names each request field as the API writes it; the parsers must turn
    each of them into the serializer's field name."""
    from djangorestframework_camel_case.util import underscoreize

    from communitylend.core.api import camel
    from communitylend.core.parsers import snake_digits

    schema = Client().get("/api/schema/?format=json").json()
    names = set()
    for component in schema["components"]["schemas"].values():
        names |= set(component.get("properties", {}))
    assert {"inquiries6m", "delinquencies2y"} <= names
    for name in names:
        snake = next(iter(snake_digits(underscoreize({name: 1}))))
        assert camel(snake) == name, (name, snake)


@pytest.mark.parametrize("text", ["1e2", "+5", "²", "١٠٠", "NaN", "Infinity", "1_000", " ",
                                  "0x10", "5.", ".5", "--5", "1,000"])
def test_one_number_parser_refuses_what_is_not_a_plain_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_one_number_parser_reads_plain_numbers_and_json_numbers():
    assert parse_decimal("125.50") == Decimal("125.50")
    assert parse_decimal(" -3 ") == Decimal("-3")
    assert parse_decimal(100) == Decimal(100) and parse_decimal(2.5) == Decimal("2.5")
    assert parse_whole_number("36") == 36
    for bad in ("²", "3.0", "+3", "1e1", True):
        with pytest.raises(ValueError):
            parse_whole_number(bad)


@pytest.mark.parametrize("amount", ["1e2", "+5", "١٠٠", "1e400"])
def test_amounts_in_the_api_and_the_web_forms_are_read_by_the_one_parser(amount):
    lender = make_user()
    api = api_client_for(lender)
    response = api.post("/api/wallet/deposit", {"amount": amount}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "amount"
    profile = api.put("/api/users/profile", {"annualIncome": amount}, format="json")
    assert profile.status_code == 400
    client = Client()
    client.force_login(lender)
    assert client.post("/wallet/deposit/", {"amount": amount}).status_code == 400


@pytest.mark.parametrize("column, value", [
    ("credit_score", "²"), ("credit_score", "7¹0"), ("annual_income", "1e5"),
    ("annual_income", "+5000"), ("annual_income", "١٠٠٠")])
def test_the_users_import_reports_odd_digits_as_bad_rows(column, value):
    row = {"email": "odd@example.com", "first_name": "A", "last_name": "B", "phone": "",
           "annual_income": "50000", "employment_status": "employed", "credit_score": "700",
           column: value}
    header = ",".join(row)
    text = f"{header}\n" + ",".join(row.values()) + "\n"
    report = users_import(fileobj=io.BytesIO(text.encode()))
    assert [(e.line, e.column) for e in report.errors] == [(2, column)]


@pytest.mark.parametrize("column, value", [("term_months", "³6"), ("term_months", "²"),
                                           ("amount", "1e4"), ("interest_rate", "+10")])
def test_the_loans_import_reports_odd_digits_as_bad_rows(column, value, risk_model):
    make_user("importer.borrower@example.com", complete=True)
    row = {"borrower_email": "importer.borrower@example.com", "amount": "5000",
           "interest_rate": "12.5", "term_months": "36", "purpose": "car", "risk_grade": "B",
           column: value}
    text = ",".join(row) + "\n" + ",".join(row.values()) + "\n"
    report = loans_import(fileobj=io.BytesIO(text.encode()))
    assert [(e.line, e.column) for e in report.errors] == [(2, column)]


# --- Finding 8: query parameters and request bodies ----------------------------------------------

QUERIES = [
    ("/marketplace/", {"min_amount": "1e1000000"}),
    ("/marketplace/", {"max_amount": "9" * 40}),
    ("/marketplace/", {"page": "9" * 30}),
    ("/marketplace/", {"page": "²"}),
    ("/wallet/", {"page": "9" * 30}),
    ("/my/bids/", {"status": "\x00"}),
    ("/portfolio/export/payments.csv", {"year": "²"}),
    ("/portfolio/export/payments.csv", {"year": "10000"}),
    ("/portfolio/export/payments.csv", {"year": "99999999999999999999"}),
    ("/api/loans", {"page": "9" * 30}),
    ("/api/loans", {"limit": "²"}),
    ("/api/loans", {"status": "\x00"}),
    ("/api/loans", {"minAmount": "1e1000000"}),
    ("/api/bids", {"status": "\x00"}),
    ("/api/notifications", {"page": "9" * 30, "limit": "²"}),
    ("/api/wallet/transactions", {"page": "9" * 30}),
    ("/api/wallet/transactions", {"kind": "\x00"}),
]


@pytest.mark.parametrize("path, query", QUERIES)
def test_odd_query_parameters_are_a_4xx_or_ignored_never_a_500(path, query):
    lender = make_user()
    client = Client(raise_request_exception=False)
    client.force_login(lender)
    response = client.get(path, query)
    assert response.status_code < 500, (path, query, response.status_code)
    if response.status_code == 200 and hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)  # the download completes


def test_the_loan_matching_limit_and_the_export_year_are_checked_before_anything_runs():
    lender = make_user()
    api = api_client_for(lender)
    response = api.get(f"/api/ml/loan-matching/{lender.pk}", {"limit": "500"})
    assert response.status_code == 400 and response.json()["field"] == "limit"
    client = Client()
    client.force_login(lender)
    assert client.get("/portfolio/export/payments.csv", {"year": "10000"}).status_code == 400
    assert client.get("/portfolio/export/payments.csv", {"year": "2026"}).status_code == 200


def test_a_nul_or_odd_digits_in_a_query_string_are_refused_naming_the_parameter():
    api = api_client_for(make_user())
    response = api.get("/api/loans", {"limit": "²"})
    assert response.status_code == 400 and response.json()["field"] == "limit"
    response = api.get("/api/bids", {"status": "\x00"})
    assert response.status_code == 400 and response.json()["field"] == "status"


def test_deeply_nested_json_is_refused_at_once():
    import time

    api = api_client_for(make_user())
    body = "[" * 600 + "]" * 600
    started = time.monotonic()
    response = api.put("/api/users/profile", body, content_type="application/json")
    assert response.status_code == 400
    assert time.monotonic() - started < 2
    shallow = json.dumps({"firstName": "Ok", "address": {"city": "Springfield"}})
    assert api.put("/api/users/profile", shallow,
                   content_type="application/json").status_code == 200


def test_a_json_body_over_the_size_limit_is_refused():
    from communitylend.core.parsers import MAX_JSON_BYTES

    api = api_client_for(make_user())
    body = json.dumps({"firstName": "x", "padding": "a" * (MAX_JSON_BYTES + 10)})
    response = api.put("/api/users/profile", body, content_type="application/json")
    assert response.status_code in (400, 413)
