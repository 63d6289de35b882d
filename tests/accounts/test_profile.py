import pytest

from accounts.models import AuditEvent, VerificationStatus
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_it_returns_every_profile_field_in_camel_case(api_as, borrower):
    body = api_as(borrower).get("/api/users/profile").json()
    for key in ("annualIncome", "employmentStatus", "employmentLength", "monthlyDebt",
                "creditScore", "homeOwnership", "verificationStatus", "profileCompleted",
                "dateOfBirth", "debtToIncome"):
        assert key in body
    assert body["address"] == {"street": "1 Main Street", "city": "Springfield", "state": "IL",
                               "zipCode": "62701"}
    assert body["annualIncome"] == "85000.00"
    assert body["profileCompleted"] is True
    assert body["debtToIncome"] == "16.94"


def test_it_updates_the_profile_and_marks_it_complete(api_as):
    user = make_user()
    client = api_as(user)
    assert client.get("/api/users/profile").json()["profileCompleted"] is False
    response = client.put("/api/users/profile", {
        "phone": "555-0111", "dateOfBirth": "1980-02-29",
        "address": {"street": "2 Elm St", "city": "Portland", "state": "OR", "zipCode": "97201"},
        "annualIncome": "64000", "employmentStatus": "self_employed", "employmentLength": 4,
        "monthlyDebt": "800.50", "creditScore": 701, "homeOwnership": "mortgage",
    }, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["profileCompleted"] is True
    assert body["homeOwnership"] == "MORTGAGE"
    assert body["address"]["city"] == "Portland"
    assert body["missingFields"] == []
    assert AuditEvent.objects.filter(event="profile.updated", target_id=str(user.pk)).exists()


@pytest.mark.parametrize("payload, field, words", [
    ({"annualIncome": "-5"}, "annualIncome", "greater than or equal to 0"),
    ({"creditScore": 900}, "creditScore", "less than or equal to 850"),
    ({"creditScore": 299}, "creditScore", "greater than or equal to 300"),
    ({"employmentStatus": "astronaut"}, "employmentStatus", "not a valid choice"),
    ({"homeOwnership": "castle"}, "homeOwnership", "not a valid choice"),
    ({"employmentLength": 51}, "employmentLength", "less than or equal to 50"),
    ({"monthlyDebt": "12.345"}, "monthlyDebt", "decimal places"),
    ({"annualIncome": "lots"}, "annualIncome", "valid number"),
    ({"dateOfBirth": "2020-01-01"}, "dateOfBirth", "18 or older"),
    ({"creditScore": "7OO"}, "creditScore", "valid integer"),
])
def test_it_refuses_bad_profile_values_with_a_clear_400(api_as, borrower, payload, field, words):
    response = api_as(borrower).put("/api/users/profile", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["field"] == field
    assert words in body["error"]
    borrower.refresh_from_db()
    assert borrower.credit_score == 740 and str(borrower.annual_income) == "85000.00"


def test_changing_credit_data_after_verification_sends_the_profile_back_to_pending(api_as):
    user = make_user(verified=True)
    client = api_as(user)
    assert client.put("/api/users/profile", {"phone": "555-0000"}).json()[
        "verificationStatus"] == "verified"
    response = client.put("/api/users/profile", {"annualIncome": "99000"})
    assert response.json()["verificationStatus"] == "pending"
    user.refresh_from_db()
    assert user.verification_status == VerificationStatus.PENDING


def test_the_profile_page_saves_and_shows_errors(client, borrower):
    client.force_login(borrower)
    page = client.get("/profile/")
    assert page.status_code == 200 and b"Your profile" in page.content
    data = {name: getattr(borrower, name) or "" for name in (
        "first_name", "last_name", "phone", "street", "city", "state", "zip_code",
        "annual_income", "monthly_debt", "employment_status", "employment_length",
        "home_ownership")}
    data.update(date_of_birth="1985-06-01", credit_score="900")
    response = client.post("/profile/", data)
    assert response.status_code == 400  # bad input is a 4xx, shown with the form
    assert b"less than or equal to 850" in response.content
    data["credit_score"] = "780"
    response = client.post("/profile/", data)
    assert response.status_code == 302
    borrower.refresh_from_db()
    assert borrower.credit_score == 780
