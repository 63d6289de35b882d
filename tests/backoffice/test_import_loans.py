from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loans.models import Loan

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
HEADER = "borrower_email,amount,interest_rate,term_months,purpose,risk_grade\n"


def test_the_original_samples_import_and_reimporting_creates_no_duplicates(risk_model, capsys):
    call_command("import_users", str(HERE / "users.csv"))
    call_command("import_loans", str(HERE / "loans.csv"))
    out = capsys.readouterr().out
    assert "3 created, 0 updated, 0 skipped, 0 errors" in out.splitlines()[-1]
    john = Loan.objects.get(borrower__email="john.doe@email.com")
    assert (john.amount, john.max_rate, john.term_months, john.purpose, john.risk_grade) == (
        25000, 8.5, 36, "debt_consolidation", "B")
    assert john.model_grade and john.risk_assessment.source == "import"
    assert Loan.objects.get(borrower__email="mike.johnson@email.com").purpose == "business"
    call_command("import_loans", str(HERE / "loans.csv"))
    assert "0 created, 0 updated, 3 skipped" in capsys.readouterr().out
    assert Loan.objects.count() == 3


def test_a_maximum_below_the_floor_imports_with_a_warning(risk_model, tmp_path, capsys):
    call_command("import_users", str(HERE / "users.csv"))
    path = tmp_path / "low.csv"
    path.write_text(HEADER + "jane.smith@email.com,5000,1.00,12,medical,E\n")
    call_command("import_loans", str(path))
    out = capsys.readouterr().out
    assert "WARNING line 2: maximum rate 1.00% is below the grade E floor" in out
    assert Loan.objects.get().rate_below_floor


@pytest.mark.parametrize("row, column", [
    ("nobody@email.com,5000,9,36,car,A", "borrower_email"),
    ("john.doe@email.com,lots,9,36,car,A", "amount"),
    ("john.doe@email.com,500,9,36,car,A", "amount"),
    ("john.doe@email.com,5000,9,48,car,A", "term_months"),
    ("john.doe@email.com,5000,9,36,car,F", "risk_grade"),
    ("john.doe@email.com,5000,9,36,yacht,A", "purpose"),
])
def test_bad_rows_import_nothing_and_are_named(risk_model, tmp_path, capsys, row, column):
    call_command("import_users", str(HERE / "users.csv"))
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "jane.smith@email.com,5000,9,36,car,A\n" + row + "\n")
    with pytest.raises(CommandError):
        call_command("import_loans", str(path))
    assert f"line 3, column {column}" in capsys.readouterr().out
    assert not Loan.objects.exists()


def test_dry_run_lists_nothing(risk_model, capsys):
    call_command("import_users", str(HERE / "users.csv"))
    call_command("import_loans", str(HERE / "loans.csv"), dry_run=True)
    assert "(dry run): 3 created" in capsys.readouterr().out
    assert not Loan.objects.exists()
