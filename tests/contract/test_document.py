"""The served OpenAPI document: valid, exact about path parameters, errors, headers and security,
operation ids that read as method names; every /api/ error as JSON, in both modes; the decimal
patterns equal to what the server accepts."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate

from communitylend.core.api import DecimalInput
from communitylend.core.openapi import decimal_range_pattern, operation_id

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method in METHODS:
                yield path, method, operation


def test_the_served_document_validates(document):
    validate(document)  # raises on any error (openapi-spec-validator)


def test_path_parameters_are_named_as_in_their_paths(document):
    for path, method, operation in operations(document):
        in_path = set(re.findall(r"{(\w+)}", path))
        declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
        assert declared == in_path, f"{method.upper()} {path}: {declared} != {in_path}"


def test_operation_ids_are_unique_method_names_and_every_operation_has_one_tag(document):
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in ids), ids
    assert all(len(operation["tags"]) == 1 for _, _, operation in operations(document))


def test_operation_ids_come_from_the_view_name_and_method():
    assert operation_id("LoanAcceptApi", "post", {"post"}) == "loan_accept"
    assert operation_id("LoanDetailApi", "patch", {"get", "patch"}) == "update_loan"
    assert operation_id("LoanDetailApi", "get", {"get", "patch"}) == "get_loan"
    assert operation_id("KycDocumentListApi", "post", {"get", "post"}) == "create_kyc_document"
    assert operation_id("WalletApi", "get", {"get"}) == "get_wallet"


def test_every_operation_documents_the_error_envelope_and_its_headers(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        for code in ("400", "401", "403", "404", "429", "503"):
            schema = responses[code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, (path, method, code)
        assert "Retry-After" in responses["429"]["headers"]
        assert "Retry-After" in responses["503"]["headers"]
        assert "WWW-Authenticate" in responses["401"]["headers"]
    assert document["components"]["schemas"]["Error"]["required"] == ["success", "error"]


def test_one_security_scheme_per_way_to_authenticate(document):
    schemes = document["components"]["securitySchemes"]
    kinds = [(s["type"], s.get("scheme"), s.get("in"), s.get("name")) for s in schemes.values()]
    assert len(kinds) == len(set(kinds))
    assert ("http", "bearer", None, None) in kinds  # Authorization: Bearer <token>
    assert any(kind[0] == "apiKey" and kind[2] == "cookie" for kind in kinds)  # the session


def test_every_request_body_has_an_example_and_closed_json_objects(document):
    schemas = document["components"]["schemas"]
    for path, method, operation in operations(document):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            assert "example" in media or "examples" in media, (path, method)
            ref = media["schema"].get("$ref", "").rsplit("/", 1)[-1]
            if media_type == "application/json" and ref:
                assert schemas[ref].get("additionalProperties") is False, (path, method)


def test_idempotent_operations_document_the_header(document):
    for path, method, operation in operations(document):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
        ref = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
        takes_key = "idempotencyKey" in document["components"]["schemas"].get(ref, {}).get(
            "properties", {})
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) == takes_key, (path, method)


def test_paginated_lists_document_the_pagination_envelope(document):
    listing = document["paths"]["/api/notifications"]["get"]["responses"]["200"]
    schema = listing["content"]["application/json"]["schema"]
    ref = schema.get("$ref", "").rsplit("/", 1)[-1]
    properties = document["components"]["schemas"][ref]["properties"] if ref else schema["properties"]
    assert set(properties["pagination"]["properties"]) == {"page", "limit", "total", "totalPages"}


def test_the_committed_document_is_the_served_one(document):
    import json

    committed = json.loads((ROOT / "clients" / "openapi.json").read_text())
    assert committed == document, "clients/openapi.json is stale: run `make client`"


# --- bad input under /api/ is the JSON envelope, in production and development mode -------------

BAD_REQUESTS = [("get", "/api/loans/abc", 404), ("get", "/api/no/such/thing", 404),
                ("get", "/api/loans/", 404), ("delete", "/api/auth/login", 405),
                ("put", "/api/wallet/deposit", 405), ("post", "/api/loans/1/nothing", 404)]


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True], ids=["production", "development"])
@pytest.mark.parametrize(("method", "path", "status"), BAD_REQUESTS)
def test_bad_api_paths_and_methods_answer_the_json_envelope(client, lender, debug, method, path,
                                                            status):
    client.force_login(lender)
    with override_settings(DEBUG=debug):
        response = getattr(client, method)(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["success"] is False and body["error"]
    if status == 405:
        assert response.has_header("Allow")


@pytest.mark.django_db
def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- the decimal patterns say exactly what DecimalInput accepts ----------------------------------

BOUNDS = st.tuples(st.integers(-10**6, 10**6), st.integers(0, 10**6), st.integers(0, 4))


@settings(max_examples=60, deadline=None)
@given(bounds=BOUNDS, texts=st.lists(st.from_regex(r"\A-?0{0,2}\d{1,8}(\.\d{1,6})?\Z"), min_size=20,
                                     max_size=40))
def test_the_decimal_pattern_matches_exactly_what_the_field_accepts(bounds, texts):
    low_units, width_units, places = bounds  # bounds a field can have: in its own decimals
    low = Decimal(low_units).scaleb(-places)
    high = low + Decimal(width_units).scaleb(-places)
    field = DecimalInput(max_digits=14, decimal_places=places, min_value=low, max_value=high)
    pattern = re.compile(decimal_range_pattern(low, high, places))
    for text in texts + [str(low), str(high), "-0", "-0.00", "007"]:
        try:
            field.run_validation(text)
            accepted = True
        except Exception:  # noqa: BLE001 - any refusal
            accepted = False
        assert bool(pattern.fullmatch(text)) == accepted, (text, low, high, places)


@pytest.mark.django_db
def test_a_repeated_query_parameter_is_refused(client, lender):
    client.force_login(lender)
    response = client.get("/api/notifications?limit=5&limit=500")
    assert response.status_code == 400
    assert response.json()["field"] == "limit"
    assert client.get("/api/notifications?limit=").status_code == 200  # empty: not given


@pytest.mark.django_db
def test_unknown_fields_and_mistyped_values_in_a_json_body_are_refused(api_as, lender):
    api = api_as(lender)
    typo = api.post("/api/wallet/deposit", {"amount": "10.00", "idempotencyKee": "k1"}, format="json")
    assert typo.status_code == 400 and typo.json()["field"] == "idempotencyKee"
    number_as_text = api.post("/api/auth/password", {"currentPassword": 5, "newPassword": "x"},
                              format="json")
    assert number_as_text.status_code == 400
    header = api.post("/api/wallet/deposit", {"amount": "10.00", "idempotencyKey": "a"},
                      format="json", HTTP_IDEMPOTENCY_KEY="b")
    assert header.status_code == 400 and header.json()["field"] == "idempotencyKey"
    first = api.post("/api/wallet/deposit", {"amount": "10.00"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="same-key")
    again = api.post("/api/wallet/deposit", {"amount": "10.00"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="same-key")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["transaction"]["id"] == first.json()["transaction"]["id"]
