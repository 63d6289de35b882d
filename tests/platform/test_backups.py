"""Backup then restore into an empty database gives the same books (README, "Operations:
backups and upgrades"); a file that is not a backup is refused and changes nothing."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from loans.services import bid_place
from payments.models import Account
from tests.bots.conftest import listing, make_borrower
from tests.factories import make_user
from tests.money import fund
from tests.payments.conftest import needs_postgres

D = Decimal


def _books() -> tuple[str, list]:
    out = StringIO()
    call_command("ledger_check", stdout=out)
    balances = sorted(Account.objects.values_list("code", "balance"))
    return out.getvalue().strip().splitlines()[-1], balances


def _build_a_market(risk_model):
    lender = make_user("backup.lender@example.com")
    fund(lender, "2500.00")
    loan = listing(make_borrower(760), amount="5000")
    bid_place(lender=lender, loan_id=loan.pk, amount=D("1200.00"), rate=loan.max_rate)
    return _books()


def _empty_the_database():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            tables = [row[0] for row in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                "'sqlite_%'").fetchall()]
            for table in tables:
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    with connection.cursor() as cursor:
        assert "accounts_user" not in connection.introspection.table_names(cursor)


def _round_trip(tmp_path, risk_model):
    before = _build_a_market(risk_model)
    assert before[0].endswith("- OK") and "0 transactions" not in before[0]
    out = StringIO()
    call_command("backup", str(tmp_path), stdout=out)
    [written] = list(tmp_path.iterdir())
    assert out.getvalue().startswith(f"backup: {written}")
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    _empty_the_database()
    call_command("restore", str(written), "--noinput", stdout=StringIO())
    assert _books() == before
    return written


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_the_same_books(tmp_path, risk_model):
    written = _round_trip(tmp_path, risk_model)
    assert written.suffix == (".dump" if connection.vendor == "postgresql" else ".sqlite3")


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_pg_dump_then_pg_restore_into_an_empty_database_gives_the_same_books(tmp_path,
                                                                             risk_model):
    written = _round_trip(tmp_path, risk_model)
    assert written.read_bytes()[:5] == b"PGDMP"


@pytest.mark.parametrize("content", [
    b"", b"hello, this is a text file\n", b"SQLite format 3\x00" + b"\x00" * 100,
    b"PGDMP not really a dump", b"%PDF-1.7\n"])
@pytest.mark.django_db(transaction=True)
def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(tmp_path, content):
    make_user("stays@example.com")
    fake = tmp_path / "backup.dump"
    fake.write_bytes(content)
    before = _books()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(fake), "--noinput")
    assert _books() == before


@pytest.mark.django_db(transaction=True)
def test_an_sqlite_file_of_another_application_is_refused(tmp_path):
    import sqlite3

    if connection.vendor != "sqlite":
        pytest.skip("an SQLite file is refused on PostgreSQL by its engine already")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    with pytest.raises(CommandError, match="not a backup of this site"):
        call_command("restore", str(other), "--noinput")


def test_a_missing_file_is_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(tmp_path / "missing.dump"), "--noinput")


@pytest.mark.django_db(transaction=True)
def test_restore_asks_before_replacing_the_database(tmp_path, monkeypatch):
    make_user("asked@example.com")
    written = tmp_path / "b.bak"
    call_command("backup", str(written), stdout=StringIO())
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled; nothing was changed"):
        call_command("restore", str(written))
