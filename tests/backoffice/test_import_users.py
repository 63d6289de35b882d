import io
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).with_name("users.csv")
HEADER = "email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"


def write(tmp_path, text: str | bytes, name="users.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def test_the_original_sample_imports_and_reimporting_updates_nothing_twice(
        capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_users", str(SAMPLE))
    assert "3 created, 0 updated, 0 skipped, 0 errors" in capsys.readouterr().out
    john = User.objects.get(email="john.doe@email.com")
    assert (john.first_name, john.credit_score, str(john.annual_income)) == ("John", 720,
                                                                             "75000.00")
    assert not john.has_usable_password()
    assert User.objects.get(email="mike.johnson@email.com").employment_status == "self_employed"
    invitations = [m for m in mail.outbox if "set your password" in m.subject]
    assert len(invitations) == 3 and "/accounts/password/reset/key/" in invitations[0].body
    call_command("import_users", str(SAMPLE))
    assert "0 created, 0 updated, 3 skipped" in capsys.readouterr().out
    assert User.objects.filter(email__endswith="@email.com").count() == 3


def test_an_existing_email_updates_that_profile(tmp_path, capsys):
    call_command("import_users", str(SAMPLE))
    path = write(tmp_path, HEADER + "JOHN.DOE@email.com,John,Doe,555-0101,80000,employed,735\n")
    call_command("import_users", path)
    assert "0 created, 1 updated" in capsys.readouterr().out
    assert User.objects.get(email="john.doe@email.com").credit_score == 735


def test_one_bad_row_among_a_thousand_imports_nothing_and_names_the_row(tmp_path, capsys):
    lines = [HEADER] + [f"user{i}@example.com,U,{i},555,50000,employed,700\n"
                        for i in range(1000)]
    lines[501] = "user500@example.com,U,500,555,50000,employed,900\n"
    path = write(tmp_path, "".join(lines))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_users", path)
    out = capsys.readouterr().out
    assert "line 502, column credit_score: must be 300-850, not '900'" in out
    assert not User.objects.filter(email__startswith="user").exists()


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (HEADER.encode(), "no rows"),
    (b"email,first_name\nx@example.com,X\n", "Missing column(s): last_name"),
    ("email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"
     "jos\xe9@example.com,Jos\xe9,P,1,1,employed,700\n".encode("latin-1"), "not UTF-8"),
])
def test_unreadable_files_are_refused_with_a_reason(tmp_path, content, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("import_users", write(tmp_path, content))
    assert not User.objects.exists()


@pytest.mark.parametrize("row, column", [
    ("not-an-email,A,B,1,100,employed,700", "email"),
    ("a@example.com,A,B,1,lots,employed,700", "annual_income"),
    ("a@example.com,A,B,1,-5,employed,700", "annual_income"),
    ("a@example.com,A,B,1,100,astronaut,700", "employment_status"),
    ("a@example.com,A,B,1,100,employed,299", "credit_score"),
])
def test_bad_values_are_reported_by_column(tmp_path, capsys, row, column):
    with pytest.raises(CommandError):
        call_command("import_users", write(tmp_path, HEADER + row + "\n"))
    assert f"line 2, column {column}" in capsys.readouterr().out


def test_dry_run_counts_and_changes_nothing(capsys):
    call_command("import_users", str(SAMPLE), dry_run=True)
    assert "(dry run): 3 created" in capsys.readouterr().out
    assert not User.objects.exists()


def test_a_file_object_with_a_bom_imports():
    from accounts.imports import users_import

    data = ("\ufeff" + HEADER + "bom@example.com,B,O,1,1000,retired,650\n").encode()
    report = users_import(fileobj=io.BytesIO(data))
    assert report.created == 1 and User.objects.get(email="bom@example.com").credit_score == 650
