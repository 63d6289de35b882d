"""Staff import the original CSV files in the admin: upload, dry-run preview, confirm."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, User
from loans.models import Loan
from tests.factories import make_staff, make_staff_in

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
USERS_HEADER = "email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"


@pytest.fixture
def staff_client(client):
    client.force_login(make_staff("admin@example.com"))
    return client


def upload(client, url: str, content: bytes, name="file.csv"):
    return client.post(url, {"resource": "0", "format": "0",
                             "import_file": SimpleUploadedFile(name, content, "text/csv")})


def confirm(client, url: str, preview):
    form = preview.context["confirm_form"]
    return client.post(url.replace("/import/", "/process_import/"),
                       {name: form.initial.get(name, "") for name in form.fields}, follow=True)


def test_staff_import_the_sample_users_file_with_a_preview_then_a_confirm(
        staff_client, django_capture_on_commit_callbacks):
    url = "/admin/accounts/user/import/"
    assert staff_client.get(url).status_code == 200
    preview = upload(staff_client, url, (HERE / "users.csv").read_bytes(), "users.csv")
    html = preview.content.decode()
    assert preview.status_code == 200 and "Confirm import" in html
    assert "3 to create, 0 to update, 0 to skip" in re.sub(r"\s+", " ", html)
    assert "john.doe@email.com" in html and "mike.johnson@email.com" in html
    assert not User.objects.filter(email__endswith="@email.com").exists()  # a dry run

    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(staff_client, url, preview)
    assert "Import finished: 3 new, 0 updated, 0 deleted and 0 skipped" in done.content.decode()
    assert set(User.objects.filter(email__endswith="@email.com").values_list(
        "email", flat=True)) == {"john.doe@email.com", "jane.smith@email.com",
                                 "mike.johnson@email.com"}
    assert len([m for m in mail.outbox if "set your password" in m.subject]) == 3
    assert AuditEvent.objects.filter(event="users.imported").exists()

    again = upload(staff_client, url, (HERE / "users.csv").read_bytes(), "users.csv")
    assert "0 to create, 0 to update, 3 to skip" in re.sub(r"\s+", " ", again.content.decode())


def test_staff_import_the_sample_loans_file_after_its_users(staff_client, risk_model):
    upload_users = upload(staff_client, "/admin/accounts/user/import/",
                          (HERE / "users.csv").read_bytes())
    confirm(staff_client, "/admin/accounts/user/import/", upload_users)
    url = "/admin/loans/loan/import/"
    preview = upload(staff_client, url, (HERE / "loans.csv").read_bytes(), "loans.csv")
    assert "3 to create" in re.sub(r"\s+", " ", preview.content.decode())
    assert Loan.objects.count() == 0
    done = confirm(staff_client, url, preview)
    assert "Import finished: 3 new" in done.content.decode()
    john = Loan.objects.get(borrower__email="john.doe@email.com")
    assert (john.requested_amount, john.max_rate, john.risk_grade, john.status) == (
        25000, 8.5, "B", "listed")
    # The same file again is all duplicates of open listings.
    again = upload(staff_client, url, (HERE / "loans.csv").read_bytes())
    assert "0 to create, 0 to update, 3 to skip" in re.sub(r"\s+", " ", again.content.decode())


def test_the_preview_shows_a_warning_for_a_maximum_below_the_floor(staff_client, risk_model):
    confirm(staff_client, "/admin/accounts/user/import/",
            upload(staff_client, "/admin/accounts/user/import/", (HERE / "users.csv").read_bytes()))
    preview = upload(staff_client, "/admin/loans/loan/import/",
                     b"borrower_email,amount,interest_rate,term_months,purpose,risk_grade\n"
                     b"jane.smith@email.com,5000,1.00,12,medical,E\n")
    assert "below the grade E floor" in preview.content.decode()


def test_one_bad_row_among_a_thousand_is_named_and_nothing_can_be_confirmed(staff_client):
    lines = [USERS_HEADER] + [f"user{i}@example.com,U,{i},555,50000,employed,700\n"
                              for i in range(1000)]
    lines[501] = "user500@example.com,U,500,555,50000,employed,900\n"
    preview = upload(staff_client, "/admin/accounts/user/import/", "".join(lines).encode())
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context or not preview.context["confirm_form"]
    assert "Nothing will be imported" in html
    errors = preview.context["result"].invalid_rows
    assert [(row.number, row.error_dict) for row in errors] == [
        (502, {"credit_score": ["must be 300-850, not '900'"]})]
    assert not User.objects.filter(email__startswith="user").exists()


@pytest.mark.parametrize("content, message", [
    (b"email,first_name\njohn@example.com,John\n", "Missing column(s): last_name"),
    ("email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"
     "j\u00f6rg@example.com,J\u00f6rg,M\u00fcller,1,1,employed,700\n".encode("latin-1"),
     "not UTF-8"),
])
def test_a_file_that_cannot_be_read_is_refused_with_a_clear_message(staff_client, content,
                                                                      message):
    preview = upload(staff_client, "/admin/accounts/user/import/", content)
    assert message in preview.content.decode()
    assert not preview.context.get("confirm_form")


def test_support_staff_may_export_but_not_import(client):
    support = make_staff_in("Support")
    client.force_login(support)
    assert client.get("/admin/accounts/user/import/").status_code == 403
    assert upload(client, "/admin/accounts/user/import/",
                  (HERE / "users.csv").read_bytes()).status_code == 403
    assert client.get("/admin/accounts/user/export/").status_code == 200
    assert not User.objects.filter(email__endswith="@email.com").exists()
