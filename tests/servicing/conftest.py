import pytest


@pytest.fixture(autouse=True)
def _ledger_stays_clean(request):
    """Every servicing scenario ends with a clean ledger (ledger_check's invariants)."""
    yield
    if "db" in request.fixturenames or "risk_model" in request.fixturenames:
        from payments.ledger_check import ledger_report
        from payments.servicing.books import books_report

        report = ledger_report()
        assert report.ok, report
        books = books_report()
        assert books.ok, books.problems
