"""Import users from the original platform's CSV format, all or nothing.

``email,first_name,last_name,phone,annual_income,employment_status,credit_score``

Two streaming passes over the file: the first validates every row and reports each bad one with
its line number, column and reason; only if there is none does the second write, in chunks of
1,000 rows with bulk queries inside one transaction. New users get no usable password and an
invitation email (a set-your-password link); an existing email updates that profile (and, as
through the profile page, a change of credit data sends a verified profile back to pending).
"""

from decimal import Decimal, InvalidOperation

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction

from communitylend.core.csvimport import ImportFileError, ImportReport, RowError, read_rows
from communitylend.core.http import site_url
from communitylend.core.money import parse_decimal, parse_whole_number

from .models import CREDIT_DATA_FIELDS, EmploymentStatus, User, VerificationStatus
from .services import audit_record

USER_COLUMNS = ("email", "first_name", "last_name", "phone", "annual_income",
                "employment_status", "credit_score")
CHUNK = 1000


def clean_user_row(line: int, row: dict) -> tuple[dict, list[RowError]]:
    errors, data = [], {}
    email = row.get("email", "").lower()
    try:
        validate_email(email)
        data["email"] = email
    except ValidationError:
        errors.append(RowError(line, "email", f"not a valid email address: {email!r}"))
    for name, limit in (("first_name", 150), ("last_name", 150), ("phone", 32)):
        value = row.get(name, "")
        if len(value) > limit:
            errors.append(RowError(line, name, f"longer than {limit} characters"))
        data[name] = value[:limit]
    income = row.get("annual_income", "")
    if income:
        try:
            amount = parse_decimal(income.replace(",", ""))
            if not amount.is_finite() or amount < 0 or amount > 100_000_000:
                raise InvalidOperation
            data["annual_income"] = amount.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors.append(RowError(line, "annual_income",
                                   f"must be a number from 0 to 100,000,000, not {income!r}"))
    status = row.get("employment_status", "").lower()
    if status:
        if status in EmploymentStatus.values:
            data["employment_status"] = status
        else:
            errors.append(RowError(line, "employment_status",
                                   f"{status!r} is not one of {', '.join(EmploymentStatus.values)}"))
    score = row.get("credit_score", "")
    if score:
        try:
            value = parse_whole_number(score)
        except ValueError:
            value = None
        if value is not None and 300 <= value <= 850:
            data["credit_score"] = value
        else:
            errors.append(RowError(line, "credit_score", f"must be 300-850, not {score!r}"))
    return data, errors


def _write_chunk(rows: list[tuple[int, dict, dict]], report: ImportReport,
                 new_ids: list[int]) -> None:

    existing = {u.email: u for u in User.objects.filter(
        email__in=[data["email"] for _, data, _ in rows])}
    to_update, to_create = [], []
    for line, data, raw in rows:
        user = existing.get(data["email"])
        if user is None:
            user = User(**data)
            user.set_unusable_password()
            user.profile_completed = not user.missing_profile_fields()
            to_create.append(user)
            existing[data["email"]] = user
            report.outcome(line, "new", raw)
            continue
        changed = {k for k, v in data.items() if k != "email" and getattr(user, k) != v}
        if not changed:
            report.skipped += 1
            report.outcome(line, "skip", raw)
            continue
        report.outcome(line, "update", raw)
        for name in changed:
            setattr(user, name, data[name])
        if user.verification_status == VerificationStatus.VERIFIED and changed & set(
                CREDIT_DATA_FIELDS):
            user.verification_status = VerificationStatus.PENDING
        user.profile_completed = not user.missing_profile_fields()
        to_update.append(user)
    created = User.objects.bulk_create(to_create)
    EmailAddress.objects.bulk_create([EmailAddress(user=u, email=u.email, primary=True,
                                                   verified=False) for u in created])
    User.objects.bulk_update(to_update, ["first_name", "last_name", "phone", "annual_income",
                                         "employment_status", "credit_score",
                                         "verification_status", "profile_completed"])
    report.created += len(created)
    report.updated += len(to_update)
    new_ids.extend(u.pk for u in created)


def users_import(*, fileobj, dry_run: bool = False, acting_user=None, max_errors: int = 200,
                 track_rows: bool = False) -> ImportReport:
    """Validate every row, then (only if none is bad) write them all in one transaction. A dry
    run takes the same write path and rolls it back, so its counts are exactly what a real run
    would do; no invitation leaves."""

    report = ImportReport(dry_run=dry_run, rows=[] if track_rows else None)
    seen: set[str] = set()
    rows = 0
    for line, row in read_rows(fileobj, USER_COLUMNS):
        rows += 1
        data, errors = clean_user_row(line, row)
        if data.get("email") in seen:
            errors.append(RowError(line, "email", "appears twice in the file"))
        seen.add(data.get("email"))
        for error in errors:
            error.values = row
        report.errors.extend(errors[: max(0, max_errors - len(report.errors))])
    if rows == 0:
        raise ImportFileError("The file has a header but no rows")
    if report.errors:
        return report
    new_ids: list[int] = []
    with transaction.atomic(durable=True):
        chunk: list[tuple[int, dict, dict]] = []
        for line, row in read_rows(fileobj, USER_COLUMNS):
            chunk.append((line, clean_user_row(line, row)[0], row if track_rows else {}))
            if len(chunk) == CHUNK:
                _write_chunk(chunk, report, new_ids)
                chunk = []
        if chunk:
            _write_chunk(chunk, report, new_ids)
        if dry_run:
            transaction.set_rollback(True)
            return report
        if acting_user is not None and acting_user.pk:
            audit_record(actor=acting_user, event="users.imported", target=acting_user,
                         new={"created": report.created, "updated": report.updated,
                              "skipped": report.skipped})
        transaction.on_commit(lambda: _queue_invitations(new_ids))
    return report


def _queue_invitations(user_ids: list[int]) -> None:
    from .tasks import send_invitations  # tasks import this module

    for start in range(0, len(user_ids), 500):
        try:
            send_invitations.delay(user_ids[start:start + 500])
        except Exception:  # noqa: BLE001 - the broker is down: send them here instead
            send_invitations(user_ids[start:start + 500])


def send_invitation(user: User) -> None:
    """An email with a link to set a password (allauth's password-reset key)."""

    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    link = f"{site_url()}/accounts/password/reset/key/{key}/"
    send_mail(subject="[CommunityLend] You are invited: set your password",
              message=f"Hello {user.first_name or ''},\n\nAn account was created for you at "
                      f"CommunityLend. Set your password here:\n{link}\n",
              from_email=None, recipient_list=[user.email])
