"""Encrypt what 0008 left in plain text: every profile's personal data and credit-report fields,
KYC documents' original names and their files on disk. Idempotent (a value or file that is
already a Fernet token is left alone); reversible (decrypts back to plain text)."""

from django.conf import settings
from django.db import migrations

from communitylend.core import encryption

# The fields as 0008 declares them; their own methods turn the text the column holds (the old
# date, number or string, cast to text by 0008) into the token (and, for the phone, the blind
# index) the models write.
USER_FIELDS = {
    "phone": encryption.EncryptedCharField(max_length=32, blank=True, blind_index=True,
                                           normalise_digits=True),
    "date_of_birth": encryption.EncryptedDateField(null=True, blank=True),
    "street": encryption.EncryptedCharField(max_length=200, blank=True),
    "city": encryption.EncryptedCharField(max_length=100, blank=True),
    "state": encryption.EncryptedCharField(max_length=100, blank=True),
    "zip_code": encryption.EncryptedCharField(max_length=20, blank=True),
    "earliest_credit_line": encryption.EncryptedDateField(null=True, blank=True),
    "open_credit_lines": encryption.EncryptedPositiveSmallIntegerField(null=True, blank=True),
    "total_credit_lines": encryption.EncryptedPositiveSmallIntegerField(null=True, blank=True),
    "revolving_balance": encryption.EncryptedDecimalField(max_digits=14, decimal_places=2,
                                                          null=True, blank=True),
    "revolving_utilization": encryption.EncryptedDecimalField(max_digits=6, decimal_places=2,
                                                              null=True, blank=True),
    "inquiries_6m": encryption.EncryptedPositiveSmallIntegerField(null=True, blank=True),
    "delinquencies_2y": encryption.EncryptedPositiveSmallIntegerField(null=True, blank=True),
    "months_since_last_delinquency": encryption.EncryptedPositiveSmallIntegerField(
        null=True, blank=True),
    "public_records": encryption.EncryptedPositiveSmallIntegerField(null=True, blank=True),
    "public_record_bankruptcies": encryption.EncryptedPositiveSmallIntegerField(
        null=True, blank=True),
}
DOCUMENT_FIELDS = {"original_name": encryption.EncryptedCharField(max_length=255)}


def _encrypted(stored) -> bool:
    text = str(stored)
    return encryption.is_token(text.rsplit("$", 1)[-1].encode())


def _plain_text(stored) -> str:
    """A value as 0008's cast left it: SQLite may hand back a number for a numeric string."""
    return stored if isinstance(stored, str) else str(stored)


def _rewrite_rows(connection, table: str, fields: dict, transform) -> None:
    quote = connection.ops.quote_name
    names = list(fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(n) for n in names)} FROM {quote(table)}")
        rows = cursor.fetchall()
        for pk, *values in rows:
            changes = {}
            for name, stored in zip(names, values, strict=True):
                if stored is None or stored == "":
                    continue
                new = transform(fields[name], stored, connection)
                if new is not None:
                    changes[name] = new
            if changes:
                assignments = ", ".join(f"{quote(n)} = %s" for n in changes)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",
                               [*changes.values(), pk])


def _encrypt_value(field, stored, connection):
    if _encrypted(stored):
        return None
    return field.get_db_prep_value(_plain_text(stored), connection)


def _decrypt_value(field, stored, connection):
    if not _encrypted(stored):
        return None
    return field.serialise(field.from_db_value(stored, None, connection))


def _kyc_files(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT file FROM accounts_kycdocument WHERE file <> ''")
        return [row[0] for row in cursor.fetchall()]


def encrypt_existing(apps, schema_editor):
    connection = schema_editor.connection
    _rewrite_rows(connection, "accounts_user", USER_FIELDS, _encrypt_value)
    _rewrite_rows(connection, "accounts_kycdocument", DOCUMENT_FIELDS, _encrypt_value)
    storage = encryption.EncryptedFileSystemStorage(location=settings.MEDIA_ROOT)
    for name in _kyc_files(connection):
        if storage.exists(name):
            raw = storage.raw_bytes(name)
            if not encryption.is_token(raw):
                storage.rewrite(name, encryption.encrypt(raw))


def decrypt_back(apps, schema_editor):
    connection = schema_editor.connection
    _rewrite_rows(connection, "accounts_user", USER_FIELDS, _decrypt_value)
    _rewrite_rows(connection, "accounts_kycdocument", DOCUMENT_FIELDS, _decrypt_value)
    storage = encryption.EncryptedFileSystemStorage(location=settings.MEDIA_ROOT)
    for name in _kyc_files(connection):
        if storage.exists(name):
            raw = storage.raw_bytes(name)
            if encryption.is_token(raw):
                storage.rewrite(name, encryption.decrypt(raw))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_encrypt_personal_data"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_back, elidable=False),
    ]
