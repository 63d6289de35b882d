"""Import loans from the original platform's CSV format, all or nothing.

``borrower_email,amount,interest_rate,term_months,purpose,risk_grade``: each row becomes a listed
loan of that borrower; interest_rate is the borrower's maximum, risk_grade the grade staff
assigned (the model's own assessment is stored beside it). A row matching an open loan of the same
borrower with the same amount, term and purpose is skipped, so re-importing a file creates no
duplicates. A maximum rate below the grade's floor is imported with a warning.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from communitylend.core.csvimport import ImportFileError, ImportReport, RowError, read_rows
from communitylend.core.money import GRADES, TERMS, parse_decimal, parse_whole_number

from .models import MAX_LOAN, MIN_LOAN, Loan, LoanStatus, Purpose
from .services import loan_list_in_transaction

LOAN_COLUMNS = ("borrower_email", "amount", "interest_rate", "term_months", "purpose",
                "risk_grade")
PURPOSE_ALIASES = {"small_business": "business", "educational": "education"}


def clean_loan_row(line: int, row: dict, borrowers: dict[str, int]) -> tuple[dict, list[RowError]]:
    errors, data = [], {}
    email = row.get("borrower_email", "").lower()
    if email not in borrowers:
        errors.append(RowError(line, "borrower_email", f"no user with email {email!r}"))
    data["borrower_id"] = borrowers.get(email)
    try:
        amount = parse_decimal(row.get("amount", "").replace(",", ""))
        if not amount.is_finite() or not MIN_LOAN <= amount <= MAX_LOAN \
                or amount != amount.quantize(Decimal("0.01")):
            raise InvalidOperation
        data["amount"] = amount
    except (InvalidOperation, ValueError):
        errors.append(RowError(line, "amount", f"must be a number from {MIN_LOAN:,.0f} to "
                                               f"{MAX_LOAN:,.0f}, not {row.get('amount')!r}"))
    try:
        rate = parse_decimal(row.get("interest_rate", ""))
        if not rate.is_finite() or not Decimal("0.01") <= rate <= Decimal("36.00") \
                or rate != rate.quantize(Decimal("0.01")):
            raise InvalidOperation
        data["max_rate"] = rate
    except (InvalidOperation, ValueError):
        errors.append(RowError(line, "interest_rate",
                               f"must be a rate from 0.01 to 36.00, not "
                               f"{row.get('interest_rate')!r}"))
    term = row.get("term_months", "")
    try:
        term_months = parse_whole_number(term)
    except ValueError:
        term_months = None
    if term_months in TERMS:
        data["term_months"] = term_months
    else:
        errors.append(RowError(line, "term_months",
                               f"must be one of {', '.join(map(str, TERMS))}, not {term!r}"))
    purpose = PURPOSE_ALIASES.get(row.get("purpose", "").lower(), row.get("purpose", "").lower())
    if purpose in Purpose.values:
        data["purpose"] = purpose
    else:
        errors.append(RowError(line, "purpose", f"{row.get('purpose')!r} is not a purpose"))
    grade = row.get("risk_grade", "").upper()
    if grade in GRADES:
        data["risk_grade"] = grade
    else:
        errors.append(RowError(line, "risk_grade", f"must be A-E, not {row.get('risk_grade')!r}"))
    return data, errors


def _borrowers(fileobj) -> dict[str, int]:
    emails = {row.get("borrower_email", "").lower() for _, row in read_rows(fileobj,
                                                                             LOAN_COLUMNS)}
    found: dict[str, int] = {}
    emails_list = sorted(emails)
    for start in range(0, len(emails_list), 5000):
        found.update(User.objects.filter(email__in=emails_list[start:start + 5000])
                     .values_list("email", "pk"))
    return found


def loans_import(*, fileobj, dry_run: bool = False, acting_user=None, max_errors: int = 200,
                 track_rows: bool = False) -> ImportReport:
    """All or nothing, like users_import; a dry run scores and lists every loan in a transaction
    that is rolled back."""
    report = ImportReport(dry_run=dry_run, rows=[] if track_rows else None)
    borrowers = _borrowers(fileobj)
    rows = 0
    for line, row in read_rows(fileobj, LOAN_COLUMNS):
        rows += 1
        _, errors = clean_loan_row(line, row, borrowers)
        for error in errors:
            error.values = row
        report.errors.extend(errors[: max(0, max_errors - len(report.errors))])
    if rows == 0:
        raise ImportFileError("The file has a header but no rows")
    if report.errors:
        return report
    users = {u.pk: u for u in User.objects.filter(pk__in=set(borrowers.values()))}
    # Open loans of these borrowers, loaded once: (borrower, amount, term, purpose).
    open_keys = set(Loan.objects.filter(
        borrower_id__in=users, status__in=(LoanStatus.LISTED, LoanStatus.FUNDED,
                                           LoanStatus.PARTIALLY_FUNDED))
        .values_list("borrower_id", "requested_amount", "term_months", "purpose"))
    now = timezone.now()
    with transaction.atomic(durable=True):
        for line, row in read_rows(fileobj, LOAN_COLUMNS):
            data, _ = clean_loan_row(line, row, borrowers)
            key = (data["borrower_id"], data["amount"], data["term_months"], data["purpose"])
            if key in open_keys:
                report.skipped += 1
                report.outcome(line, "skip", row)
                continue
            open_keys.add(key)
            loan = loan_list_in_transaction(
                borrower=users[data["borrower_id"]], amount=data["amount"],
                term_months=data["term_months"], purpose=data["purpose"],
                max_rate=data["max_rate"], staff_grade=data["risk_grade"],
                description="Imported by staff.", acting_user=acting_user, now=now)
            report.created += 1
            report.outcome(line, "new", row)
            if loan.rate_below_floor:
                report.warnings.append(
                    f"line {line}: maximum rate {loan.max_rate:.2f}% is below the grade "
                    f"{loan.risk_grade} floor of {loan.floor_rate:.2f}%; nobody can bid until "
                    "it is raised")
        if dry_run:
            transaction.set_rollback(True)
    return report
