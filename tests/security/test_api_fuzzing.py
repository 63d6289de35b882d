"""Schemathesis fuzzes every operation of /api/schema/ as a borrower, a lender and staff.

Generated requests (valid by the schema, and deliberately invalid ones) go through the real WSGI
application in this test's database, with the person's token. Every response must not be a 5xx,
must carry a documented status code and content type, and its body must match the schema (errors
match the error envelope). Bounded: a few examples per operation and mode, derandomized, so the
run is repeatable and stays within a minute or two.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi import checks as openapi_checks

from tests.security.world import build_world

pytestmark = pytest.mark.django_db

CHECKS = [checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}
# Logging out would revoke the token the rest of the run uses (the access matrix covers it).
SKIP = {("POST", "/api/auth/logout")}


def known_ids(world, role) -> dict:
    """Path parameters that name real objects, so detail operations answer 200 (and their
    bodies are checked) instead of 404: the person's own where they have one."""
    ids = world.ids
    return {"loan_id": ids["active"] if role == "borrower" else ids["listed"],
            "bid_id": ids["bid"], "document_id": str(ids["document"]),
            "notification_id": ids["notification"], "rule_id": ids["rule"],
            "user_id": world.people[role].pk, "gateway": "sandbox"}


def fuzz(schema, headers, ids) -> list[str]:
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        params = {p.name: ids[p.name] for p in operation.path_parameters if p.name in ids}
        passes = [(mode, examples, None) for mode, examples in EXAMPLES.items()]
        if params:
            passes.append((GenerationMode.POSITIVE, 4, params))
        for mode, examples, fixed in passes:
            @given(case=operation.as_strategy(generation_mode=mode, path_parameters=fixed))
            @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
            def run(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing invalid to generate (e.g. a lone free-text path parameter)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
                label = f"{mode}, known ids" if fixed else mode
                failures.append(f"{operation.label} [{label}]: {str(exc)[:1500]}")
    return failures


@pytest.fixture
def keep_the_test_connection():
    """The WSGI app closes the database connection after each request (request_finished);
    inside the test's transaction that would lose it on PostgreSQL. Django's test client
    disconnects the same handler."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.mark.parametrize("role", ["borrower", "lender", "administrator"])
def test_the_api_answers_every_generated_request_within_its_schema(role, risk_model,
                                                                   keep_the_test_connection):
    world = build_world(risk_model)
    token, _ = Token.objects.get_or_create(user=world.people[role])
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    failures = fuzz(schema, {"Authorization": f"Bearer {token.key}"}, known_ids(world, role))
    assert not failures, "\n\n".join(failures)
