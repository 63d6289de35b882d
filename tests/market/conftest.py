import pytest


@pytest.fixture(autouse=True)
def _ledger_stays_clean(request):
    """Every market scenario ends with a clean ledger and books (ledger_check's invariants,
    the trades' check included)."""
    yield
    if "db" in request.fixturenames or "risk_model" in request.fixturenames:
        from payments.ledger_check import ledger_report
        from payments.servicing.books import books_report

        report = ledger_report()
        assert report.ok, report
        books = books_report()
        assert books.ok, books.problems
