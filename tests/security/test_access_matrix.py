"""Access control: every API endpoint and page for seven people, allowed or denied.

anonymous, a borrower, another borrower, a lender, another lender, support staff (the Support
group: view only) and an administrator. Someone else's private object is a 404, never a 403 that
would confirm it exists. Each person gets a fresh market (tests/security/world.py); requests run in
order, the ones that change or remove things last. Every HTML page that answers 200 is also
checked for inline scripts, CSRF tokens in its POST forms and the security headers.
"""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import api_client_for
from tests.security.world import BASE_PERSONAS, NO_SECOND_FACTOR, PERSONAS, build_world

pytestmark = pytest.mark.django_db

LOGIN = "login"  # a redirect to a login page
SECOND_FACTOR = "2fa"  # a redirect to set up TOTP or to confirm a code (/accounts/2fa/...)
STAFF = ("support", "administrator")
USERS = ("borrower", "other_borrower", "lender", "other_lender", *STAFF)


def expect(default, **overrides) -> dict:
    return {person: overrides.get(person, default) for person in BASE_PERSONAS}


def api_user(status=200, **overrides):
    return expect(status, **{"anonymous": 401, **overrides})


def page_user(status=200, **overrides):
    return expect(status, **{"anonymous": LOGIN, **overrides})


def only(allowed: dict, denied, anonymous) -> dict:
    """``allowed``: person -> status; everyone else ``denied``; anonymous ``anonymous``."""
    return {person: allowed.get(person, denied) if person != "anonymous" else anonymous
            for person in BASE_PERSONAS}


@dataclass
class Case:
    method: str
    name: str
    expected: dict
    kwargs: dict | None = None  # url kwarg -> a key of world.ids (or a literal in a tuple)
    body: dict | None = None


TODAY = date.today().isoformat()
ASSESS = {"loanAmount": "5000", "termMonths": 36, "purpose": "car", "annualIncome": "60000",
          "employmentStatus": "employed"}

API_CASES = [
    Case("GET", "schema", expect(200)),
    Case("GET", "api-docs", expect(200)),
    Case("POST", "api-register", expect(201),
         body={"email": "brand.new@example.com", "password": "a-Long-password-77"}),
    Case("POST", "api-login", expect(401),
         body={"email": "matrix.borrower@example.com", "password": "wrong-password"}),
    Case("POST", "api-password", api_user(400),
         body={"currentPassword": "not-the-password", "newPassword": "a-Long-password-88"}),
    Case("GET", "api-profile", api_user()),
    Case("PUT", "api-profile", api_user(), body={"firstName": "Renamed"}),
    Case("POST", "api-verification", only({"administrator": 200}, 403, 401),
         kwargs={"user_id": "borrower"}, body={"status": "verified", "note": "checked"}),
    Case("GET", "api-documents", api_user()),
    Case("GET", "api-loan-documents", only({"borrower": 200, "support": 200,
                                            "administrator": 200}, 404, 401),
         kwargs={"loan_id": "listed"}),
    # Documents go only on one's own application: on someone else's listing, 403 with why.
    Case("POST", "api-loan-documents", only({"borrower": 201}, 403, 401),
         kwargs={"loan_id": "listed"}, body={"documentId": "document"}),
    Case("GET", "api-document", only({"borrower": 200, "support": 200, "administrator": 200},
                                     404, 401), kwargs={"document_id": "document"}),
    Case("GET", "api-document-download",
         only({"borrower": 200, "support": 200, "administrator": 200}, 404, 401),
         kwargs={"document_id": "document"}),
    Case("GET", "api-notifications", api_user()),
    Case("POST", "api-notification-read", only({"borrower": 200}, 404, 401),
         kwargs={"notification_id": "notification"}),
    Case("POST", "api-notifications-read", api_user()),
    Case("GET", "api-wallet", api_user()),
    Case("POST", "api-wallet-deposit", api_user(201), body={"amount": "10.00"}),
    Case("POST", "api-wallet-withdraw", api_user(201), body={"amount": "1.00"}),
    Case("GET", "api-wallet-transactions", api_user()),
    Case("POST", "api-webhook", expect(400), kwargs={"gateway": ("sandbox",)}, body={}),
    Case("POST", "api-assess-risk", api_user(), body=ASSESS),
    Case("GET", "api-loan-matching",
         only({"lender": 200, "support": 200, "administrator": 200}, 404, 401),
         kwargs={"user_id": "lender"}),
    Case("GET", "api-lender-preferences", api_user()),
    Case("PUT", "api-lender-preferences", api_user(), body={"riskTolerance": "balanced"}),
    Case("GET", "api-loans", api_user()),
    # Any account may borrow; without a complete, verified profile the application is refused.
    Case("POST", "api-loan-create", api_user(400, borrower=201, other_borrower=201),
         body={"amount": "1500.00", "interestRate": "25", "termMonths": 24, "purpose": "car"}),
    Case("GET", "api-loan", api_user(), kwargs={"loan_id": "listed"}),
    Case("GET", "api-loan", only({"borrower": 200, "lender": 200, "support": 200,
                                  "administrator": 200}, 404, 401), kwargs={"loan_id": "active"}),
    Case("PATCH", "api-loan", only({"borrower": 200}, 403, 401), kwargs={"loan_id": "listed"},
         body={"interestRate": "30.50"}),
    Case("PATCH", "api-loan", only({}, 404, 401, ) | {"borrower": 400, "support": 403,
                                                      "administrator": 403, "lender": 403},
         kwargs={"loan_id": "active"}, body={"interestRate": "30.50"}),
    Case("GET", "api-loan-bids", api_user(), kwargs={"loan_id": "listed"}),
    Case("GET", "api-loan-bids", only({"borrower": 200, "lender": 200, "support": 200,
                                       "administrator": 200}, 404, 401),
         kwargs={"loan_id": "active"}),
    Case("GET", "api-loan-expected-return", api_user(), kwargs={"loan_id": "listed"},
         body={"rate": "9.5"}),
    Case("GET", "api-loan-expected-return", only({"borrower": 200, "lender": 200, "support": 200,
                                                  "administrator": 200}, 404, 401),
         kwargs={"loan_id": "active"}, body={"rate": "9.5"}),
    # Not covered yet: the borrower's acceptance is refused (400); nobody else may accept (403).
    Case("POST", "api-loan-accept", only({"borrower": 400}, 403, 401),
         kwargs={"loan_id": "listed"}, body={}),
    Case("GET", "api-loan-agreement", only({"borrower": 400}, 403, 401),
         kwargs={"loan_id": "listed"}),
    Case("GET", "api-loan-agreement", only({"borrower": 400, "lender": 403, "support": 403,
                                            "administrator": 403}, 404, 401),
         kwargs={"loan_id": "active"}),
    # The borrower may not bid on their own loan, the lender already has an open bid, the other
    # borrower has no cash; the rest may bid.
    Case("POST", "api-bid-create", api_user(201, borrower=400, lender=400, other_borrower=400),
         body={"loanId": "listed", "amount": "25.00", "rate": "29.50"}),
    Case("POST", "api-bid-create", only({}, 404, 401) | {"borrower": 400, "lender": 400,
                                                         "support": 400, "administrator": 400},
         body={"loanId": "active", "amount": "25.00", "rate": "29.50"}),
    Case("GET", "api-bids", api_user()),
    Case("PATCH", "api-bid", only({"lender": 200}, 404, 401), kwargs={"bid_id": "bid"},
         body={"rate": "28.50"}),
    Case("GET", "api-bid", only({"lender": 200}, 404, 401), kwargs={"bid_id": "bid"}),
    Case("GET", "api-auto-invest", api_user()),
    Case("POST", "api-auto-invest", api_user(201), body={"name": "mine"}),
    Case("GET", "api-auto-invest-rule", only({"lender": 200}, 404, 401),
         kwargs={"rule_id": "rule"}),
    Case("PATCH", "api-auto-invest-rule", only({"lender": 200}, 404, 401),
         kwargs={"rule_id": "rule"}, body={"name": "renamed"}),
    # Staff see the loan but only its borrower pays it.
    Case("POST", "api-payment-schedule", only({"borrower": 201, "support": 403,
                                              "administrator": 403}, 404, 401),
         body={"loanId": "active", "amount": "10.00", "paymentDate": TODAY}),
    Case("GET", "api-payment-history", only({"borrower": 200, "lender": 200, "support": 200,
                                             "administrator": 200}, 404, 401),
         kwargs={"loan_id": "active"}),
    Case("GET", "api-payoff", only({"borrower": 200, "support": 200, "administrator": 200},
                                   404, 401), kwargs={"loan_id": "active"}),
    Case("GET", "api-portfolio", api_user()),
    Case("GET", "api-payments-received", api_user()),
    Case("GET", "api-statements", api_user(), body={"year": str(date.today().year)}),
    Case("GET", "api-hardship", only({"borrower": 200, "lender": 200, "support": 200,
                                      "administrator": 200}, 404, 401),
         kwargs={"loan_id": "active"}),
    # Only the borrower asks (their loan may not fit a plan: a 400 with the reason).
    Case("POST", "api-hardship", only({"borrower": 201, "lender": 404, "support": 404,
                                       "administrator": 404}, 404, 401),
         kwargs={"loan_id": "active"}, body={"type": "deferral", "months": 1, "reason": "x"}),
    # Staff who may add recoveries (not Support); the loan is not charged off (400).
    Case("POST", "api-recoveries", only({"administrator": 400}, 403, 401),
         kwargs={"loan_id": "active"},
         body={"amount": "10.00", "source": "borrower", "receivedOn": TODAY}),
    Case("GET", "api-loan", api_user(404), kwargs={"loan_id": "missing"}),
    # The note market: anyone logged in browses and orders; a listing is its seller's.
    Case("GET", "api-market-listings", api_user()),
    Case("POST", "api-market-listings", api_user(400), body={"note_id": 1, "price": "1.001"}),
    Case("PATCH", "api-market-listing", api_user(404), kwargs={"listing_id": ("999999",)},
         body={"price": "100.00"}),
    Case("POST", "api-market-buy", api_user(404), kwargs={"listing_id": ("999999",)}),
    Case("GET", "api-market-trades", api_user()),
    Case("GET", "api-market-orders", api_user()),
    Case("POST", "api-market-orders", api_user(400), body={"grades": []}),
    Case("PATCH", "api-market-order", api_user(404), kwargs={"order_id": ("999999",)},
         body={"enabled": False}),
    Case("DELETE", "api-market-order", api_user(404), kwargs={"order_id": ("999999",)}),
    Case("DELETE", "api-market-listing", api_user(404), kwargs={"listing_id": ("999999",)}),
    # API keys and webhooks: each person's own (and a token or session only: the API-key
    # column below refuses every key).
    Case("GET", "api-keys", api_user()),
    Case("POST", "api-keys", api_user(201), body={"name": "matrix", "scopes": "read"}),
    Case("GET", "api-webhook-endpoints", api_user()),
    Case("POST", "api-webhook-endpoints", api_user(201),
         body={"url": "http://127.0.0.1:9/mine", "events": ["bid.won", "loan.funded"]}),
    Case("GET", "api-webhook-deliveries", only({"lender": 200}, 404, 401),
         kwargs={"webhook_id": "webhook"}),
    # Changes that remove things, last.
    Case("DELETE", "api-bid", only({"lender": 200}, 404, 401), kwargs={"bid_id": "bid"}),
    Case("DELETE", "api-auto-invest-rule", only({"lender": 200}, 404, 401),
         kwargs={"rule_id": "rule"}),
    Case("DELETE", "api-key", only({"lender": 200}, 404, 401), kwargs={"key_id": "api_key"}),
    Case("DELETE", "api-webhook-endpoint", only({"lender": 200}, 404, 401),
         kwargs={"webhook_id": "webhook"}),
    # A verified profile's documents are kept (400); nobody else may see they exist.
    Case("DELETE", "api-document", only({"borrower": 400}, 404, 401),
         kwargs={"document_id": "document"}),
    Case("DELETE", "api-loan-document", only({"borrower": 200}, 403, 401),
         kwargs={"loan_id": "listed", "document_id": "document"}),
    Case("POST", "api-loan-cancel", only({"borrower": 200, "administrator": 200}, 403, 401),
         kwargs={"loan_id": "listed"}),
    Case("POST", "api-logout", api_user()),
]

PAGE_CASES = [
    Case("GET", "home", expect(200)),
    Case("GET", "about_design", expect(200)),
    Case("GET", "healthz", expect(200)),
    Case("GET", "marketplace", expect(200)),
    Case("GET", "matches", page_user()),
    Case("GET", "loan_estimate", expect(200)),  # the rate check needs no account
    Case("GET", "loan_apply", page_user()),
    Case("GET", "loan_detail", expect(200), kwargs={"loan_id": "listed"}),
    Case("GET", "loan_detail", only({"borrower": 200, "lender": 200, "support": 200,
                                     "administrator": 200}, 404, 404),
         kwargs={"loan_id": "active"}),
    Case("GET", "loan_live", expect(200), kwargs={"loan_id": "listed"}),
    Case("GET", "loan_live", only({"borrower": 200, "lender": 200, "support": 200,
                                   "administrator": 200}, 404, 404),
         kwargs={"loan_id": "active"}),
    Case("GET", "loan_expected_return", expect(200), kwargs={"loan_id": "listed"}),
    Case("GET", "loan_expected_return", only({"borrower": 200, "lender": 200, "support": 200,
                                              "administrator": 200}, 404, 404),
         kwargs={"loan_id": "active"}),
    Case("GET", "my_loans", page_user()),
    Case("GET", "my_bids", page_user()),
    Case("GET", "wallet", page_user()),
    Case("GET", "portfolio", page_user()),
    Case("GET", "market", page_user()),
    Case("GET", "market_orders", page_user()),
    Case("POST", "market_buy", page_user(302), kwargs={"listing_id": ("999999",)}),
    Case("POST", "note_sell", page_user(302), kwargs={"note_id": ("999999",)},
         body={"price": "100.00"}),
    Case("POST", "market_listing_price", page_user(302), kwargs={"listing_id": ("999999",)},
         body={"price": "100.00"}),
    Case("POST", "market_listing_cancel", page_user(302), kwargs={"listing_id": ("999999",)}),
    Case("POST", "market_order_toggle", page_user(302), kwargs={"order_id": ("999999",)}),
    Case("POST", "market_order_delete", page_user(302), kwargs={"order_id": ("999999",)}),
    Case("GET", "portfolio_export_notes", page_user()),
    Case("GET", "portfolio_export_payments", page_user()),
    Case("GET", "auto_invest", page_user()),
    Case("GET", "auto_invest_edit", only({"lender": 200}, 404, LOGIN),
         kwargs={"rule_id": "rule"}),
    Case("GET", "profile", page_user()),
    Case("GET", "documents", page_user()),
    Case("GET", "document_download", only({"borrower": 200, "support": 200,
                                           "administrator": 200}, 404, LOGIN),
         kwargs={"document_id": "document"}),
    Case("GET", "notifications", page_user()),
    Case("GET", "borrower_dashboard", page_user()),
    Case("GET", "lender_dashboard", page_user()),
    Case("GET", "loan_schedule", only({"borrower": 200, "lender": 200, "support": 200,
                                       "administrator": 200}, 404, LOGIN),
         kwargs={"loan_id": "active"}),
    Case("GET", "loan_hardship", only({"borrower": 200}, 404, LOGIN),
         kwargs={"loan_id": "active"}),
    Case("GET", "statements", page_user()),
    Case("GET", "risk_model_card", only({"support": 200, "administrator": 200}, LOGIN, LOGIN),
         kwargs={"version_id": "model"}),
    Case("GET", "risk_model_card_image", only({"support": 404, "administrator": 404}, LOGIN,
                                              LOGIN),
         kwargs={"version_id": "model", "name": ("roc_oot.png",)}),
    Case("GET", "bot_dashboard", only({"support": 200, "administrator": 200}, LOGIN, LOGIN)),
    Case("GET", "platform_dashboard", only({"support": 200, "administrator": 200}, LOGIN, LOGIN)),
    Case("GET", "account_change_password", page_user()),
    *(Case("GET", name, expect(200)) for name in (
        "page_how_it_works", "page_fees", "page_risk", "page_terms", "page_privacy", "page_faq",
        "page_performance", "favicon", "robots_txt")),
    Case("GET", "mfa_index", page_user()),
    # Forms that act: someone else's object is a 404; on a public listing the refusal is a
    # redirect back with the reason (the API matrix above checks who may do what).
    Case("POST", "bid_change", only({"lender": 302}, 404, LOGIN), kwargs={"bid_id": "bid"},
         body={"rate": "28.00"}),
    # The loan's lender and staff see its schedule, but only the borrower pays (the page says so).
    Case("POST", "loan_pay", only({"borrower": 302, "lender": 400, "support": 400,
                                   "administrator": 400}, 404, LOGIN),
         kwargs={"loan_id": "active"},
         body={"amount": "10.00", "payment_date": TODAY, "idempotency_key": "matrix-pay",
               "apply_to": "installment", "confirm": "on"}),
    Case("POST", "notification_read", only({"borrower": 302}, 404, LOGIN),
         kwargs={"notification_id": "notification"}),
    Case("POST", "notifications_read_all", page_user(302)),
    Case("POST", "wallet_deposit", page_user(400), body={}),
    Case("POST", "wallet_withdraw", page_user(400), body={}),
    Case("POST", "bid_place", page_user(302, borrower=400, lender=400, other_borrower=400),
         kwargs={"loan_id": "listed"},
         body={"amount": "25", "rate": "29.9"}),
    Case("POST", "loan_max_rate", page_user(302), kwargs={"loan_id": "listed"},
         body={"max_rate": "31"}),
    Case("POST", "loan_accept", page_user(302), kwargs={"loan_id": "listed"}),
    Case("POST", "loan_document_add", page_user(403, borrower=302), kwargs={"loan_id": "listed"},
         body={"document": "document"}),
    Case("POST", "loan_document_remove", page_user(302),
         kwargs={"loan_id": "listed", "document_id": "document"}),
    # The review: nobody but the borrower, and not before bids cover the loan (a redirect back
    # with the reason).
    Case("GET", "loan_accept", page_user(302), kwargs={"loan_id": "listed"}),
    # The active loan was accepted without a signed copy (built by a service, no consent).
    Case("GET", "loan_agreement_signed", only({}, 404, LOGIN), kwargs={"loan_id": "active"}),
    Case("POST", "document_delete", only({"borrower": 302}, 404, LOGIN),
         kwargs={"document_id": "document"}),
    Case("POST", "auto_invest_delete", only({"lender": 302}, 404, LOGIN),
         kwargs={"rule_id": "rule"}),
    Case("POST", "bid_withdraw", only({"lender": 302}, 404, LOGIN), kwargs={"bid_id": "bid"}),
    Case("POST", "loan_cancel", page_user(302), kwargs={"loan_id": "listed"}),
]



def _with_staff_personas(cases, *, api: bool):
    """The Risk officer who passed the second factor answers as the administrator; staff who
    have not are ordinary users (the other lender's answers: they hold nothing here) outside
    the admin and /staff/, sent to the second factor there, and refused by the API except to
    log in, out, change their password or read the docs (a 403 naming the second factor)."""
    for case in cases:
        expected = case.expected
        expected.setdefault("risk_officer", expected["administrator"])
        for person in NO_SECOND_FACTOR:
            if api:
                open_to_all = expected["anonymous"] != 401
                value = expected["other_lender"] if open_to_all or case.name in (
                    "api-login", "api-logout", "api-password") else 403
            elif case.name in STAFF_ONLY_PAGES:
                value = SECOND_FACTOR
            else:
                value = expected["other_lender"]
            expected.setdefault(person, value)
    return cases


STAFF_ONLY_PAGES = {"risk_model_card", "risk_model_card_image", "bot_dashboard",
                    "platform_dashboard"}
_with_staff_personas(API_CASES, api=True)
_with_staff_personas(PAGE_CASES, api=False)

# Pages that only accept POST answer 405 to a GET; the matrix above POSTs to them.
NOT_COVERED_ON_PURPOSE = set()


def _url(case: Case, ids: dict) -> str:
    kwargs = {key: value[0] if isinstance(value, tuple) else ids[value]
              for key, value in (case.kwargs or {}).items()}
    return reverse(case.name, kwargs=kwargs)


def _body(case: Case, ids: dict):
    if case.body is None:
        return None
    return {key: ids[value] if key in ("loanId", "documentId", "document") else value
            for key, value in case.body.items()}


def _status(response, expected):
    if expected == SECOND_FACTOR:
        location = response.get("Location", "")
        return SECOND_FACTOR if response.status_code == 302 and location.startswith(
            "/accounts/2fa/") else (response.status_code, location)
    if expected == LOGIN:
        location = response.get("Location", "")
        return LOGIN if response.status_code == 302 and "login" in location else (
            response.status_code, location)
    return response.status_code


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
POST_FORM = re.compile(r"<form[^>]*method=[\"']?post[\"']?[^>]*>(.*?)</form>", re.I | re.S)


def page_problems(url: str, response) -> list[str]:
    """An HTML page's script, CSRF and header rules."""
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return []
    html = response.content.decode()
    problems = []
    if INLINE_SCRIPT.search(html):
        problems.append(f"{url}: inline <script> {INLINE_SCRIPT.search(html).group(0)}")
    if EVENT_HANDLER.search(html):
        problems.append(f"{url}: inline event handler {EVENT_HANDLER.search(html).group(0)}")
    for form in POST_FORM.findall(html):
        if "csrfmiddlewaretoken" not in form:
            problems.append(f"{url}: a POST form without a CSRF token")
    csp = response.get("Content-Security-Policy", "")
    script_src = re.search(r"script-src ([^;]*)", csp)
    if not script_src or "unsafe-inline" in script_src.group(1) or "unsafe-eval" in csp:
        problems.append(f"{url}: Content-Security-Policy missing or weak: {csp!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append(f"{url}: X-Frame-Options {response.get('X-Frame-Options')!r}")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append(f"{url}: Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{url}: X-Content-Type-Options missing")
    return problems


def _run(cases, person, world, client, *, api: bool) -> list[str]:
    failures = []
    for case in cases:
        url = _url(case, world.ids)
        body = _body(case, world.ids)
        call = getattr(client, case.method.lower())
        if api:
            response = call(url, body, format="json") if body is not None else call(url)
        else:
            response = call(url, body or {}) if case.method == "POST" else call(url)
        expected = case.expected[person]
        got = _status(response, expected)
        if got != expected:
            detail = response.content[:200] if response.status_code != 302 else response.get(
                "Location")
            failures.append(f"{case.method} {url}: expected {expected}, got {got} ({detail!r})")
        if response.status_code >= 500:
            failures.append(f"{case.method} {url}: server error")
        if not api:
            failures.extend(page_problems(url, response))
    return failures


@pytest.fixture
def world(risk_model):
    return build_world(risk_model)


def _api_client(world, person):
    user = world.people[person]
    # support_no_2fa has TOTP, but its token comes from a login that skipped the code.
    return api_client_for(user, second_factor=False if person in NO_SECOND_FACTOR else None)


def _page_client(world, person) -> Client:
    client = Client()
    if world.people[person] is not None:
        client.force_login(world.people[person], second_factor=person not in NO_SECOND_FACTOR)
    return client


@pytest.mark.parametrize("person", PERSONAS)
def test_the_api_allows_and_denies_each_person(person, world):
    client = _api_client(world, person)
    failures = _run(API_CASES, person, world, client, api=True)
    assert not failures, "\n".join(failures)


# The API-key column: a key answers as its user's token would, except that a ``read`` key may
# only use safe methods, no key manages credentials, keys or webhooks (403 for both), and a
# key never carries staff power (a staff member's key answers as a user holding nothing here).
KEY_PERSONAS = ("borrower", "lender", "administrator")
KEY_MANAGEMENT = {"api-keys", "api-key", "api-webhook-endpoints", "api-webhook-endpoint",
                  "api-webhook-deliveries", "api-password", "api-logout"}


def _views(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _views(entry.url_patterns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, getattr(entry.callback, "cls", None)


def _reads_no_credentials(name: str) -> bool:
    """Register, login, the payment gateway's callbacks: views that ignore every credential."""
    views = dict(_views(get_resolver().url_patterns))
    return getattr(views.get(name), "authentication_classes", None) == []


def api_key_expected(case: Case, person: str, scope: str):
    expected = case.expected["other_lender" if person in STAFF else person]
    if case.expected["anonymous"] != 401 or _reads_no_credentials(case.name):
        return expected  # open to everyone: a key changes nothing
    if case.name in KEY_MANAGEMENT:
        return 403
    if scope == "read" and case.method not in ("GET", "HEAD", "OPTIONS"):
        return 403
    return expected


@pytest.mark.parametrize("scope", ["read", "trade"])
@pytest.mark.parametrize("person", KEY_PERSONAS)
def test_the_api_allows_and_denies_each_api_key(person, scope, world):
    from rest_framework.test import APIClient

    from accounts.integrations import api_key_create

    _, key = api_key_create(user=world.people[person], name=f"{scope} key", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    cases = [Case(c.method, c.name, {person: api_key_expected(c, person, scope)}, c.kwargs,
                  c.body) for c in API_CASES]
    failures = _run(cases, person, world, client, api=True)
    assert not failures, "\n".join(failures)


def test_the_api_key_column_expects_refusals_where_it_should():
    """The column's rule itself: reads pass a read key, writes do not, keys manage nothing."""
    by_name = {(c.method, c.name): c for c in API_CASES}
    deposit = by_name[("POST", "api-wallet-deposit")]
    assert api_key_expected(deposit, "lender", "read") == 403
    assert api_key_expected(deposit, "lender", "trade") == 201
    assert api_key_expected(by_name[("GET", "api-wallet")], "lender", "read") == 200
    assert api_key_expected(by_name[("GET", "api-keys")], "lender", "trade") == 403
    assert api_key_expected(by_name[("POST", "api-verification")], "administrator",
                            "trade") == 403


@pytest.mark.parametrize("person", PERSONAS)
def test_the_pages_allow_and_deny_each_person(person, world):
    client = _page_client(world, person)
    failures = _run(PAGE_CASES, person, world, client, api=False)
    assert not failures, "\n".join(failures)


def _our_url_names(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace or str(entry.pattern) in ("accounts/",):
                continue  # the admin (checked below) and allauth (checked by its own pages)
            yield from _our_url_names(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name


def test_the_matrix_covers_every_endpoint_and_page():
    covered = {case.name for case in API_CASES + PAGE_CASES}
    ours = set(_our_url_names(get_resolver().url_patterns))
    assert ours - covered - NOT_COVERED_ON_PURPOSE == set()


ADMIN_APPS_SUPPORT_SEES = {"accounts", "loans", "investments", "payments", "risk", "bots",
                           "django_celery_beat"}


@pytest.mark.parametrize("person", PERSONAS)
def test_every_admin_list_is_for_staff_with_the_right_to_view(person, world):
    client = _page_client(world, person)
    failures = []
    urls = ["/admin/"] + [reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_"
                                  "changelist") for model in admin.site._registry]
    for url in urls:
        response = client.get(url)
        app_label = url.split("/")[2] if url != "/admin/" else None
        if person in ("anonymous", *USERS[:4]):
            expected = LOGIN
        elif person in NO_SECOND_FACTOR:
            expected = SECOND_FACTOR
        elif person == "administrator" or app_label is None:
            expected = 200
        else:
            expected = 200 if app_label in ADMIN_APPS_SUPPORT_SEES else 403
        got = _status(response, expected)
        if got != expected:
            failures.append(f"GET {url}: expected {expected}, got {got}")
        failures.extend(page_problems(url, response))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("person", PERSONAS)
def test_csv_import_is_for_staff_who_may_change_and_export_for_staff_who_may_view(person, world):
    from import_export.admin import ExportMixin, ImportMixin

    client = _page_client(world, person)
    failures = []
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        checks = []
        no_code = dict.fromkeys(NO_SECOND_FACTOR, SECOND_FACTOR)
        if isinstance(model_admin, ImportMixin):
            # The Risk officer may change users and loans, so imports them.
            checks.append((base + "import/", {"administrator": 200, "support": 403,
                                              "risk_officer": 200, **no_code}))
        if isinstance(model_admin, ExportMixin):
            checks.append((base + "export/", {"administrator": 200, "support": 200,
                                              "risk_officer": 200, **no_code}))
        for url, staff in checks:
            expected = staff.get(person, LOGIN)
            got = _status(client.get(url), expected)
            if got != expected:
                failures.append(f"GET {url}: expected {expected}, got {got}")
    assert not failures, "\n".join(failures)


def test_the_page_checks_catch_inline_scripts_handlers_and_forms_without_csrf():
    from django.http import HttpResponse

    bad = HttpResponse('<script>alert(1)</script><a onclick="x()">x</a>'
                       '<form method="post"><input name="a"></form>')
    problems = " ".join(page_problems("/bad/", bad))
    for words in ("inline <script>", "inline event handler", "without a CSRF token",
                  "Content-Security-Policy missing"):
        assert words in problems
    good = HttpResponse('<script src="/static/a.js"></script>'
                        '<script id="d" type="application/json">{}</script>')
    good["Content-Security-Policy"] = "script-src 'self'"
    good["X-Frame-Options"] = "DENY"
    good["Referrer-Policy"] = "same-origin"
    good["X-Content-Type-Options"] = "nosniff"
    assert page_problems("/good/", good) == []


def test_the_periodic_task_form_keeps_its_script_out_of_the_page(client, world):
    client.force_login(world.people["administrator"])
    response = client.get("/admin/django_celery_beat/periodictask/add/")
    assert response.status_code == 200
    assert b"js/periodic_task.js" in response.content
    assert page_problems("/admin/django_celery_beat/periodictask/add/", response) == []


@pytest.mark.parametrize("person", NO_SECOND_FACTOR)
def test_staff_without_the_second_factor_reach_no_admin_form(person, world):
    """Every admin form (add, change, delete, the password form, actions) sends staff who have
    not passed the second factor to it, and a forged POST changes nothing."""
    from django.contrib.auth.models import Group

    from accounts.models import AuditEvent, User

    client = _page_client(world, person)
    me = world.people[person]
    failures = []
    before = AuditEvent.objects.count()
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        first = model._default_manager.order_by("pk").first()
        urls = [base, base + "add/"]
        if first is not None:
            urls += [f"{base}{first.pk}/change/", f"{base}{first.pk}/delete/"]
        for url in urls:
            for method in ("get", "post"):
                response = getattr(client, method)(url, {"is_superuser": "on", "post": "yes"}
                                                   if method == "post" else None)
                if _status(response, SECOND_FACTOR) != SECOND_FACTOR:
                    failures.append(f"{method.upper()} {url}: {response.status_code}")
    for url in (f"/admin/accounts/user/{me.pk}/password/",
                f"/admin/accounts/user/{world.ids['borrower']}/password/"):
        response = client.post(url, {"password1": "Taken-over-1", "password2": "Taken-over-1",
                                     "set_usable_password": "true"})
        if _status(response, SECOND_FACTOR) != SECOND_FACTOR:
            failures.append(f"POST {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
    me.refresh_from_db()
    assert me.is_superuser is False and not me.user_permissions.exists()
    assert list(me.groups.values_list("name", flat=True)) == [
        Group.objects.get(user=me).name]
    assert User.objects.get(pk=world.ids["borrower"]).check_password("correct-horse-battery-9")
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("person", ["support", "risk_officer"])
def test_staff_who_are_not_superusers_gain_no_privilege_through_any_admin_form(person, world):
    """Finding 1 across the admin: privilege fields are never editable for them, their forged
    posts change nothing, and the password, add-user and group forms are refused."""
    from django.contrib.auth.models import Group

    from accounts.models import User

    client = _page_client(world, person)
    me = world.people[person]
    groups_before = sorted(me.groups.values_list("name", flat=True))
    failures = []
    for target in (me, world.people["borrower"], world.people["administrator"]):
        page = client.get(f"/admin/accounts/user/{target.pk}/change/")
        if page.status_code == 200 and "adminform" in page.context:
            editable = set(page.context["adminform"].form.fields)
            leaked = editable & {"is_staff", "is_superuser", "groups", "user_permissions"}
            if leaked:
                failures.append(f"{target.email}: editable {sorted(leaked)}")
        client.post(f"/admin/accounts/user/{target.pk}/change/", {
            "email": target.email, "is_superuser": "on", "is_staff": "on",
            "groups": [str(g.pk) for g in Group.objects.all()]})
        password = client.post(f"/admin/accounts/user/{target.pk}/password/", {
            "password1": "Taken-over-1x", "password2": "Taken-over-1x",
            "set_usable_password": "true"})
        if password.status_code != 403:
            failures.append(f"password form of {target.email}: {password.status_code}")
    if client.get("/admin/accounts/user/add/").status_code != 403:
        failures.append("the add-user form is open")
    support_group = Group.objects.get(name="Support")
    if client.post(f"/admin/auth/group/{support_group.pk}/change/",
                   {"name": "Support", "permissions": []}).status_code != 403:
        failures.append("the group form is open")
    assert not failures, "\n".join(failures)
    me.refresh_from_db()
    assert (me.is_superuser, sorted(me.groups.values_list("name", flat=True))) == (
        False, groups_before)
    assert User.objects.get(pk=world.ids["borrower"]).check_password("correct-horse-battery-9")
    assert User.objects.filter(is_superuser=True).count() == 1  # the administrator only
    assert support_group.permissions.exists()
