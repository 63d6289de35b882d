"""CSV exports of users, loans, notes, payments and the ledger: in the admin and by command,
with the admin list's filters; users and loans round-trip through import."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from loans import services as market
from loans.models import Loan, LoanStatus
from payments.models import LedgerLeg
from payments.servicing.services import repayment_pay
from tests.factories import make_staff, make_user
from tests.money import fund

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
D = Decimal


def export(what: str, tmp_path, **options) -> list[dict]:
    path = tmp_path / f"{what}.csv"
    call_command("export_csv", what, output=str(path), **options)
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def admin_export(client, url: str) -> list[dict]:
    form = client.get(url).context["form"]
    data = {name: ("on" if field.initial is True else field.initial)
            for name, field in form.fields.items() if field.initial is not None}
    data.update(format="0", resource="0")
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def book(risk_model):
    """The original samples imported, plus one loan disbursed and paid once."""
    call_command("import_users", str(HERE / "users.csv"))
    call_command("import_loans", str(HERE / "loans.csv"))
    with time_machine.travel(datetime(2026, 1, 15, 12, tzinfo=UTC), tick=False):
        borrower = make_user("active.borrower@example.com", verified=True)
        loan = market.loan_apply(borrower=borrower, amount=D("2000.00"), term_months=12,
                                 purpose="car", max_rate=D("30"), staff_grade="C")
        for share in ("1200.00", "800.00"):
            lender = make_user()
            fund(lender, share)
            market.bid_place(lender=lender, loan_id=loan.pk, amount=D(share), rate=D("12.00"))
        market.loan_accept(borrower=borrower, loan_id=loan.pk)
    repayment_pay(borrower=borrower, loan_id=loan.pk, amount=D("200.00"),
                  as_of=datetime(2026, 2, 10).date())
    return loan


def test_users_export_reimports_as_all_unchanged(book, tmp_path, capsys):
    rows = export("users", tmp_path)
    assert {"john.doe@email.com", "jane.smith@email.com"} <= {r["email"] for r in rows}
    john = next(r for r in rows if r["email"] == "john.doe@email.com")
    assert (john["annual_income"], john["credit_score"], john["employment_status"]) == (
        "75000.00", "720", "employed")
    assert "password" not in rows[0]
    call_command("import_users", str(tmp_path / "users.csv"))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.endswith(f"0 created, 0 updated, {len(rows)} skipped, 0 errors")


def test_loans_export_reimports_as_the_same_listings(book, tmp_path, capsys):
    rows = export("loans", tmp_path, filter="status__exact=listed")
    assert len(rows) == 3 and {r["status"] for r in rows} == {"listed"}
    john = next(r for r in rows if r["borrower_email"] == "john.doe@email.com")
    assert (john["amount"], john["interest_rate"], john["term_months"], john["purpose"],
            john["risk_grade"]) == ("25000.00", "8.5000", "36", "debt_consolidation", "B")
    # Still open: every row is a duplicate and is skipped.
    call_command("import_loans", str(tmp_path / "loans.csv"))
    assert "0 created, 0 updated, 3 skipped" in capsys.readouterr().out
    # Once cancelled, the same file lists them again with the same terms.
    staff = make_staff()
    for loan in Loan.objects.filter(status=LoanStatus.LISTED):
        market.loan_cancel(acting_user=staff, loan_id=loan.pk)
    call_command("import_loans", str(tmp_path / "loans.csv"))
    assert "3 created" in capsys.readouterr().out
    relisted = Loan.objects.filter(status=LoanStatus.LISTED)
    assert sorted((str(x.requested_amount), str(x.max_rate), x.term_months, x.purpose,
                   x.risk_grade, x.borrower.email) for x in relisted) == sorted(
        (r["amount"], r["interest_rate"], int(r["term_months"]), r["purpose"], r["risk_grade"],
         r["borrower_email"]) for r in rows)


def test_notes_payments_and_ledger_export_what_the_books_hold(book, tmp_path):
    notes = export("notes", tmp_path)
    assert sorted(r["principal"] for r in notes) == ["1200.00", "800.00"]
    assert sum(D(r["interest_received"]) + D(r["principal_received"]) for r in notes) > 0
    payments = export("payments", tmp_path)
    assert [(p["amount"], p["status"], p["borrower_email"]) for p in payments] == [
        ("200.00", "completed", "active.borrower@example.com")]
    assert D(payments[0]["principal"]) + D(payments[0]["interest"]) == D("200.00")
    legs = export("ledger", tmp_path)
    assert len(legs) == LedgerLeg.objects.count()
    assert sum(D(r["debit"]) for r in legs) == sum(D(r["credit"]) for r in legs)
    only_repayments = export("ledger", tmp_path, filter="transaction__kind=repayment")
    assert only_repayments and {r["transaction_kind"] for r in only_repayments} == {"repayment"}


def test_the_admin_lists_export_with_their_filters(book, client):
    client.force_login(make_staff())
    listed = admin_export(client, "/admin/loans/loan/export/?status__exact=listed")
    assert len(listed) == 3
    grade_a = admin_export(client, "/admin/loans/loan/export/?risk_grade__exact=A")
    assert [r["borrower_email"] for r in grade_a] == ["jane.smith@email.com"]
    searched = admin_export(client, "/admin/accounts/user/export/?q=john.doe")
    assert [r["email"] for r in searched] == ["john.doe@email.com"]
    assert len(admin_export(client, "/admin/investments/note/export/")) == 2
    assert len(admin_export(client, "/admin/payments/repayment/export/")) == 1
    ledger = admin_export(client, "/admin/payments/ledgertransaction/export/"
                                  "?kind__exact=repayment")
    assert ledger and {r["transaction_kind"] for r in ledger} == {"repayment"}
    assert sum(D(r["debit"]) for r in ledger) == sum(D(r["credit"]) for r in ledger)


def test_a_bad_filter_is_refused_with_a_clear_message(db, tmp_path):
    with pytest.raises(CommandError, match="bad --filter"):
        export("loans", tmp_path, filter="no_such_field=1")


FORMULAS = ['==HYPERLINK("http://x")', '=1+1', '+1+cmd|" /C calc"!A0', "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("name", FORMULAS)
def test_no_cell_a_spreadsheet_would_evaluate_leaves_export_csv_or_the_admin(db, tmp_path,
                                                                             client, name):
    """Finding 4 (OWASP's CSV injection rule): every export, one function."""
    make_user("formula@example.com", first_name=name, phone="+1 555 0100")
    row = next(r for r in export("users", tmp_path) if r["email"] == "formula@example.com")
    assert row["first_name"] == "'" + name
    assert row["phone"] == "'+1 555 0100"
    client.force_login(make_staff())
    response = client.post("/admin/accounts/user/export/?q=formula", {
        "format": "0", "resource": "0", **{f"userresource_{f}": "on" for f in (
            "email", "first_name", "phone")}})
    text = response.content.decode()
    line = next(line for line in text.splitlines() if "formula@example.com" in line)
    cells = next(csv.reader([line]))
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cells
    assert User.objects.get(email="formula@example.com").first_name == name


def test_plain_negative_numbers_stay_numbers_and_an_export_imports_back_unchanged():
    from communitylend.core.csvimport import _unescaped
    from communitylend.core.importexport import spreadsheet_safe

    assert spreadsheet_safe("-12.50") == "-12.50"
    assert spreadsheet_safe(-3) == -3
    for value in FORMULAS[:5] + ["+1 555 0100"]:
        assert _unescaped(spreadsheet_safe(value)) == value
