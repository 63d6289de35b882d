"""Bad input everywhere: a 4xx with a clear message, never a 5xx, nothing changed.

Wrong types, huge numbers, negative and zero amounts, too many decimals, unknown enum values,
very long strings, unicode tricks (NUL, bidi overrides, zero-width characters, look-alike letters,
non-ASCII digits) and SQL-looking strings, sent to every endpoint and form that takes input.
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from loans.models import Bid, Loan
from payments.models import GatewayPayment
from tests.documents import PDF
from tests.factories import api_client_for
from tests.money import available
from tests.security.world import build_world

pytestmark = pytest.mark.django_db

SQL = ["1; DROP TABLE loans_loan; --", "' OR '1'='1", "0 UNION SELECT password FROM accounts_user"]
BAD_AMOUNTS = [
    "abc", "", None, [], {"a": 1}, True, "1e400", 1e308, "99999999999999999999.99",
    "-5.00", -5, "0", "0.00", 0, "10.001", "NaN", "Infinity", "-Infinity", "１００.００", "١٠٠",
    "10,00", " 10 . 00", "0x10", *SQL,
]
BAD_ENUMS = ["platinum", "", "CAR", "cаr", "car\u200b", "car\x00", "c" * 5000, 12, None, [],
             *SQL]
INVISIBLE = ["Bea\u202etrice", "Bea\u200btrice", "Bea\x00trice", "Bea\x1btrice", "Bea\u2066x"]
LONG = "x" * 100_000
TODAY = date.today().isoformat()


@pytest.fixture
def world(risk_model):
    return build_world(risk_model)


@pytest.fixture
def as_(world):
    return lambda person: api_client_for(world.people[person])


def refused(response, field=None):
    """A 400 (or 413) with the error envelope and a readable message naming the field."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    body = response.json()
    assert body["success"] is False
    assert isinstance(body["error"], str) and 3 < len(body["error"]) < 600, body
    if field:
        assert body.get("field") == field, body
    return body


def _ids(values):
    return [repr(v)[:30] for v in values]


# --- money and rates ---------------------------------------------------------------------------


@pytest.mark.parametrize("amount", BAD_AMOUNTS, ids=_ids(BAD_AMOUNTS))
def test_money_endpoints_refuse_bad_amounts_and_move_nothing(as_, world, amount):
    lender = as_("lender")
    before = (available(world.people["lender"]), GatewayPayment.objects.count(),
              Bid.objects.count(), Loan.objects.count())
    refused(lender.post("/api/wallet/deposit", {"amount": amount}, format="json"), "amount")
    refused(lender.post("/api/wallet/withdraw", {"amount": amount}, format="json"), "amount")
    refused(lender.post("/api/investments/create", {"loanId": world.ids["listed"],
                                                    "amount": amount, "rate": "29.00"},
                        format="json"), "amount")
    refused(lender.patch(f"/api/bids/{world.ids['bid']}", {"amount": amount}, format="json"),
            "amount")
    borrower = as_("borrower")
    refused(borrower.post("/api/loans/create", {"amount": amount, "interestRate": "20",
                                                "termMonths": 36, "purpose": "car"},
                          format="json"), "amount")
    refused(borrower.post("/api/payments/schedule", {"loanId": world.ids["active"],
                                                     "amount": amount, "paymentDate": TODAY},
                          format="json"), "amount")
    after = (available(world.people["lender"]), GatewayPayment.objects.count(),
             Bid.objects.count(), Loan.objects.count())
    assert after == before


@pytest.mark.parametrize("rate", ["-1", "0", "36.01", "1000", "12.34567", "abc", "NaN", "１２",
                                  None, True, *SQL])
def test_rates_are_refused_out_of_range_or_malformed(as_, world, rate):
    refused(as_("other_lender").post("/api/investments/create", {
        "loanId": world.ids["listed"], "amount": "25.00", "rate": rate}, format="json"), "rate")
    refused(as_("borrower").patch(f"/api/loans/{world.ids['listed']}", {"interestRate": rate},
                                  format="json"), "interestRate")
    refused(as_("borrower").post("/api/loans/create", {"amount": "2000", "interestRate": rate,
                                                       "termMonths": 36, "purpose": "car"},
                                 format="json"), "interestRate")


@pytest.mark.parametrize("loan_id", [0, -1, "abc", 10**30, 2**63, 1.5, None, "1 OR 1=1"])
def test_ids_in_bodies_are_refused_when_malformed_or_out_of_range(as_, loan_id):
    response = as_("other_lender").post("/api/investments/create", {
        "loanId": loan_id, "amount": "25.00", "rate": "29.00"}, format="json")
    refused(response, "loanId")
    response = as_("borrower").post("/api/payments/schedule", {
        "loanId": loan_id, "amount": "10.00", "paymentDate": TODAY}, format="json")
    refused(response, "loanId")


@pytest.mark.parametrize("path", [
    "/api/loans/{huge}", "/api/loans/{huge}/bids",
    "/api/payments/history/{huge}", "/api/payments/payoff/{huge}",
    "/api/notifications/{huge}/read", "/api/auto-invest/{huge}", "/api/ml/loan-matching/{huge}",
])
def test_huge_ids_in_urls_are_not_found(as_, path):
    url = path.format(huge=10**30)
    method = "post" if url.endswith("/read") else "get"
    assert getattr(as_("borrower"), method)(url).status_code == 404
    assert as_("lender").patch(f"/api/bids/{10**30}", {"rate": "20"},
                               format="json").status_code == 404


@pytest.mark.parametrize("path", ["/loans/{huge}/", "/loans/{huge}/schedule/",
                                  "/auto-invest/{huge}/edit/", "/staff/risk/models/{huge}/card/"])
def test_huge_ids_in_page_urls_are_not_found(client, world, path):
    client.force_login(world.people["administrator"])
    assert client.get(path.format(huge=10**30)).status_code == 404


# --- enums and filters -------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_ENUMS, ids=_ids(BAD_ENUMS))
def test_unknown_enum_values_are_refused(as_, world, value):
    borrower = as_("borrower")
    refused(borrower.post("/api/loans/create", {"amount": "2000", "interestRate": "20",
                                                "termMonths": 36, "purpose": value},
                          format="json"), "purpose")
    refused(borrower.put("/api/users/profile", {"employmentStatus": value or "x"},
                         format="json"), "employmentStatus")
    refused(borrower.put("/api/users/profile", {"homeOwnership": value or "x"}, format="json"),
            "homeOwnership")
    refused(as_("lender").put("/api/lender/preferences", {"riskTolerance": value or "x"},
                              format="json"), "riskTolerance")
    refused(as_("lender").post("/api/auto-invest", {"grades": [value]}, format="json"),
            "grades")
    refused(as_("administrator").post(f"/api/users/{world.ids['borrower']}/verification",
                                      {"status": value or "x", "note": "n"}, format="json"),
            "status")


@pytest.mark.parametrize("query", [
    "termMonths=7", "purpose=yacht", "riskGrade=Z", "sortBy=password", "sortOrder=sideways",
    "status=deleted", "minAmount=-1", "minAmount=abc", "maxAmount=1e400", "page=0", "page=abc",
    "limit=-5", "riskGrade=A%27%20OR%20%271%27=%271", "purpose=car%00", "sortBy=amount;DROP",
])
def test_loan_list_filters_refuse_bad_values(as_, query):
    refused(as_("lender").get(f"/api/loans?{query}"))


def test_sql_looking_search_values_are_data_not_code(as_, world):
    response = as_("lender").get("/api/wallet/transactions?kind=' OR '1'='1")
    assert response.status_code == 200
    assert response.json()["transactions"] == []


@pytest.mark.parametrize("value", ["51", "-1", "1.5", "abc", "１２", 10**30, "1e3", True])
def test_integers_out_of_range_or_malformed_are_refused(as_, value):
    refused(as_("borrower").put("/api/users/profile", {"employmentLength": value},
                                format="json"), "employmentLength")
    refused(as_("borrower").put("/api/users/profile", {"creditScore": value}, format="json"),
            "creditScore")


# --- strings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", INVISIBLE, ids=_ids(INVISIBLE))
def test_names_and_texts_with_invisible_or_control_characters_are_refused(as_, name):
    borrower = as_("borrower")
    body = refused(borrower.put("/api/users/profile", {"firstName": name}, format="json"),
                   "firstName")
    assert "character" in body["error"]
    refused(borrower.post("/api/loans/create", {
        "amount": "2000", "interestRate": "20", "termMonths": 36, "purpose": "car",
        "description": f"Please fund {name}"}, format="json"), "description")
    refused(as_("lender").post("/api/auto-invest", {"name": name}, format="json"), "name")
    refused(api_client_for(None).post("/api/auth/register", {
        "email": "new.person@example.com", "password": "a-Long-password-77",
        "firstName": name}, format="json"), "firstName")
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_ordinary_unicode_names_are_welcome(as_):
    for name in ("Zoë", "Björk", "Nguyễn", "李", "O'Brien", "Jean-Luc", "Ana María"):
        response = as_("borrower").put("/api/users/profile", {"firstName": name}, format="json")
        assert response.status_code == 200 and response.json()["firstName"] == name


@pytest.mark.parametrize("email", ["a@exa\u200bmple.com", "\u202eadmin@example.com",
                                   "admin@example.com\x00", "not-an-email", "a" * 300 + "@x.com",
                                   "admin@example.com' OR '1'='1"])
def test_registration_refuses_tricky_emails(email):
    refused(api_client_for(None).post("/api/auth/register", {
        "email": email, "password": "a-Long-password-77"}, format="json"), "email")


@pytest.mark.parametrize("field, value", [
    ("firstName", LONG), ("lastName", LONG), ("phone", LONG), ("address", {"street": LONG}),
    ("address", {"zipCode": LONG}), ("annualIncome", LONG), ("address", "not an object"),
])
def test_very_long_or_wrongly_typed_profile_values_are_refused(as_, field, value):
    refused(as_("borrower").put("/api/users/profile", {field: value}, format="json"))


def test_very_long_texts_are_refused_on_loans_rules_and_notes(as_, world):
    refused(as_("borrower").post("/api/loans/create", {
        "amount": "2000", "interestRate": "20", "termMonths": 36, "purpose": "car",
        "description": LONG}, format="json"), "description")
    refused(as_("lender").post("/api/auto-invest", {"name": LONG}, format="json"), "name")
    refused(as_("administrator").post(f"/api/users/{world.ids['borrower']}/verification",
                                      {"status": "rejected", "note": LONG}, format="json"),
            "note")
    refused(as_("lender").post("/api/wallet/deposit", {"amount": "10", "idempotencyKey": LONG},
                               format="json"), "idempotencyKey")


def test_a_body_that_is_not_json_or_not_an_object_is_refused(as_):
    lender = as_("lender")
    for body in ("{not json", "[1, 2]", '"a string"', "null", "NaN"):
        response = lender.post("/api/wallet/deposit", body, content_type="application/json")
        refused(response)


def test_a_body_over_the_upload_limit_is_refused(as_, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = as_("lender").post("/api/wallet/deposit",
                                  '{"amount": "10", "pad": "' + "x" * 20_000 + '"}',
                                  content_type="application/json")
    assert 400 <= response.status_code < 500


# --- uploads -----------------------------------------------------------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HTML = b"<html><script>alert(1)</script></html>"


@pytest.mark.parametrize("name, content", [
    ("passport.pdf", EXE), ("selfie.png", HTML), ("scan.jpg", PDF), ("statement.docx", PDF),
    ("passport.pdf.exe", PDF), ("passport", PDF), ("passport.svg", b"<svg onload=alert(1)/>"),
    ("empty.pdf", b""), ("\u202efdp.exe", PDF),
])
def test_uploads_that_lie_about_their_type_are_refused(as_, name, content):
    response = as_("borrower").post("/api/users/documents", {
        "documentType": "government_id", "file": SimpleUploadedFile(name, content)},
        format="multipart")
    refused(response, "file")


@pytest.mark.parametrize("document_type", ["passport ", "GOVERNMENT_ID", "x" * 500, *SQL])
def test_uploads_with_an_unknown_document_type_are_refused(as_, document_type):
    response = as_("borrower").post("/api/users/documents", {
        "documentType": document_type, "file": SimpleUploadedFile("id.pdf", PDF)},
        format="multipart")
    refused(response, "documentType")


# --- forms -------------------------------------------------------------------------------------


def _page_refused(response, *words):
    assert 400 <= response.status_code < 500, response.status_code
    text = response.content.decode()
    for word in words:
        assert word in text, word


@pytest.mark.parametrize("amount", ["-5", "0", "10.001", "abc", "1e400", "99999999999999.99",
                                    "NaN", *SQL])
def test_wallet_forms_refuse_bad_amounts(client, world, amount):
    client.force_login(world.people["lender"])
    before = available(world.people["lender"])
    for action in ("deposit", "withdraw"):
        response = client.post(f"/wallet/{action}/", {f"{action}-amount": amount,
                                                      f"{action}-idempotency_key": "k" + action})
        _page_refused(response)
    assert available(world.people["lender"]) == before


@pytest.mark.parametrize("field, value", [
    ("amount", "-1000"), ("amount", "0"), ("amount", "1000.001"), ("amount", "1e400"),
    ("max_rate", "36.5"), ("max_rate", "abc"), ("term_months", "7"), ("purpose", "yacht"),
    ("description", "x" * 2001), ("description", "Fund me\u202e now"), ("amount", SQL[0]),
])
def test_the_loan_application_form_refuses_bad_values(client, world, field, value):
    client.force_login(world.people["borrower"])
    data = {"amount": "2000", "term_months": "36", "purpose": "car", "max_rate": "20",
            "description": "", "collateral_description": ""}
    data[field] = value
    count = Loan.objects.count()
    response = client.post("/loans/apply/", data)
    _page_refused(response)
    assert Loan.objects.count() == count


@pytest.mark.parametrize("field, value", [
    ("credit_score", "900"), ("annual_income", "-1"), ("employment_status", "astronaut"),
    ("first_name", "x" * 151), ("first_name", "Bea\u202etrice"), ("first_name", "Bea\x00"),
    ("date_of_birth", "yesterday"), ("employment_length", "1.5"),
])
def test_the_profile_form_refuses_bad_values(client, world, field, value):
    client.force_login(world.people["borrower"])
    response = client.post("/profile/", {"first_name": "Bea", "last_name": "B", field: value})
    _page_refused(response)


@pytest.mark.parametrize("field, value", [("amount", "10"), ("amount", "-25"),
                                          ("rate", "99"), ("rate", "abc"), ("amount", SQL[1])])
def test_the_bid_form_refuses_bad_values(client, world, field, value):
    client.force_login(world.people["other_lender"])
    data = {"amount": "25", "rate": "29"}
    data[field] = value
    count = Bid.objects.count()
    response = client.post(f"/loans/{world.ids['listed']}/bid/", data)
    _page_refused(response)
    assert Bid.objects.count() == count


@pytest.mark.parametrize("field, value", [("name", "x" * 101), ("name", "Rule\u200b"),
                                          ("min_credit_score", "200"), ("loan_share", "0"),
                                          ("max_capital_use", "101"), ("grades", "Z")])
def test_the_auto_invest_form_refuses_bad_values(client, world, field, value):
    client.force_login(world.people["other_lender"])
    data = {"name": "r", "cash_reserve": "0", "min_credit_score": "680", "loan_share": "2",
            "min_per_loan": "25", "max_per_loan": "500", "max_capital_use": "90",
            "borrower_limit": "5", "rate_spread": "0", "rate_jitter": "0", "rebid_step": "0.25",
            "rebid_floor_margin": "1"}
    data[field] = value
    response = client.post("/auto-invest/", data)
    _page_refused(response)


def test_the_documents_page_refuses_a_renamed_executable(client, world):
    client.force_login(world.people["other_borrower"])
    response = client.post("/profile/documents/", {
        "document_type": "government_id", "file": SimpleUploadedFile("id.pdf", EXE)})
    _page_refused(response, "does not match")


@pytest.mark.parametrize("query", ["amount=50&term_months=36&purpose=car",
                                   "amount=abc&term_months=36&purpose=car",
                                   "amount=5000&term_months=7&purpose=car",
                                   "amount=5000&term_months=36&purpose=yacht",
                                   "amount=1e400&term_months=36&purpose=car"])
def test_the_estimate_form_refuses_bad_values(client, world, query):
    client.force_login(world.people["borrower"])
    _page_refused(client.get(f"/loans/estimate/?{query}"))


@pytest.mark.parametrize("data", [{"risk_tolerance": "reckless"}, {"min_amount": "-1"},
                                  {"terms": ["7"]}, {"max_amount": "abc"}])
def test_the_preferences_form_refuses_bad_values(client, world, data):
    client.force_login(world.people["lender"])
    _page_refused(client.post("/marketplace/matches/", data))


@pytest.mark.parametrize("value", ["29", "-1", "36.01", "abc", "30.123"])
def test_the_max_rate_form_refuses_bad_values_and_keeps_the_rate(client, world, value):
    client.force_login(world.people["borrower"])
    before = Loan.objects.get(pk=world.ids["listed"]).max_rate
    client.post(f"/loans/{world.ids['listed']}/max-rate/", {"max_rate": value})
    assert Loan.objects.get(pk=world.ids["listed"]).max_rate == before
