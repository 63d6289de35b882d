"""Encryption at rest (issue 22): personal data in the database and KYC files on disk.

Keys come from ``settings.FIELD_ENCRYPTION_KEYS``: Fernet keys (AES-128-CBC + HMAC-SHA256, from
the ``cryptography`` package), newest first. New values are encrypted with the newest key; every
key in the list still decrypts (``MultiFernet``), so a new key can be put in front at any time and
``manage.py rotate_encryption_key`` then re-encrypts everything with it, after which the old key
can be dropped from the list.

- Model fields: ``EncryptedCharField``, ``EncryptedDateField``, ``EncryptedDecimalField``,
  ``EncryptedPositiveSmallIntegerField`` behave like the Django fields they extend (forms, admin,
  DRF serializers, validators) but store a Fernet token in a ``text`` column. Nothing can be
  compared in SQL except NULL, so every lookup but ``isnull`` is refused with a ``FieldError``
  instead of silently matching nothing. A field with ``blind_index=True`` stores
  ``<HMAC-SHA256 of the normalised value>$<token>``, which makes ``exact``/``iexact`` work (the
  HMAC of every key is tried, so lookups keep working in the middle of a rotation).
- Files: ``EncryptedFileSystemStorage`` writes each file as one Fernet token and decrypts on
  open. Uploads are kept in memory (``MemoryOnlyUploadHandler``), never in a temporary file.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Lookup
from django.utils.functional import cached_property

from .keys import validate_keys

__all__ = [
    "EncryptedCharField", "EncryptedDateField", "EncryptedDecimalField",
    "EncryptedFileSystemStorage", "EncryptedPositiveSmallIntegerField", "InvalidToken",
    "MemoryOnlyUploadHandler", "RotationReport", "blind_digests", "decrypt", "encrypt",
    "encrypted_storage", "encryption_rotate", "is_token", "validate_keys",
]

_BLIND_INDEX_CONTEXT = b"communitylend.blind-index.v1"
_TOKEN_PREFIX = b"gAAAAA"  # a Fernet token's version byte 0x80 and the timestamp's top bytes


@lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet, tuple[bytes, ...]]:
    fernets = [Fernet(key) for key in validate_keys(list(keys))]
    # The blind index has its own key per Fernet key (never the encryption key itself).
    index_keys = tuple(hmac.new(base64.urlsafe_b64decode(key), _BLIND_INDEX_CONTEXT,
                                hashlib.sha256).digest() for key in keys)
    return MultiFernet(fernets), fernets[0], index_keys


def _current() -> tuple[MultiFernet, Fernet, tuple[bytes, ...]]:
    return _keyring(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(data: bytes) -> bytes:
    return _current()[0].encrypt(data)


def decrypt(token: bytes) -> bytes:
    """The plaintext; ``InvalidToken`` when no configured key opens it."""
    return _current()[0].decrypt(token)


def is_token(data: bytes) -> bool:
    return data.startswith(_TOKEN_PREFIX)


def under_newest_key(token: bytes) -> bool:
    try:
        _current()[1].decrypt(token)
    except InvalidToken:
        return False
    return True


def blind_digests(normalised: str) -> list[str]:
    """The HMAC of a normalised value under each key, newest first (the newest is stored)."""
    return [hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
            for key in _current()[2]]


# --- Model fields -------------------------------------------------------------------------------


class BlindIndexExact(Lookup):
    """``field = value`` on a blind-indexed column: the stored digest prefix is one of the
    value's digests (one per configured key)."""

    lookup_name = "exact"

    def process_rhs(self, compiler, connection):
        return "", []

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if self.rhs in ("", None):
            return f"{lhs} = %s", [*lhs_params, ""]
        digests = blind_digests(self.lhs.output_field.normalise(self.rhs))
        clause = " OR ".join(f"{lhs} LIKE %s" for _ in digests)
        params = [param for digest in digests for param in (*lhs_params, f"{digest}$%")]
        return f"({clause})", params


class BlindIndexIExact(BlindIndexExact):
    lookup_name = "iexact"  # the normalisation already ignores case


class EncryptedMixin:
    """Stores the field's value as a Fernet token in a ``text`` column (see the module doc)."""

    def __init__(self, *args, blind_index: bool = False, **kwargs):
        self.blind_index = blind_index
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.blind_index:
            kwargs["blind_index"] = True
        return name, path, args, kwargs

    # A text column: the database's own converters (dates, decimals) must never see a token.
    def get_internal_type(self):
        return "TextField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def db_check(self, connection):
        return None

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def serialise(self, value) -> str:
        return str(value)

    def normalise(self, value) -> str:
        """What the blind index hashes: the value as stored, trimmed, lower case."""
        return self.serialise(self.to_python(value)).strip().lower()

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or hasattr(value, "as_sql"):
            return value
        value = self.to_python(value)
        if value is None or value == "":
            return value
        text = self.serialise(value)
        token = encrypt(text.encode()).decode()
        if self.blind_index:
            return f"{blind_digests(self.normalise(value))[0]}${token}"
        return token

    def get_db_prep_save(self, value, connection):
        return self.get_db_prep_value(value, connection)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        token = value.rsplit("$", 1)[-1]
        return self.to_python(decrypt(token.encode()).decode())

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if self.blind_index and lookup_name == "exact":
            return BlindIndexExact
        if self.blind_index and lookup_name == "iexact":
            return BlindIndexIExact
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted at rest: the database cannot "
            f"compare it ('{lookup_name}'); filter in Python"
            + ("" if self.blind_index else " or give the field a blind index"))

    def get_transform(self, lookup_name):
        return None


class EncryptedCharField(EncryptedMixin, models.CharField):
    def __init__(self, *args, normalise_digits: bool = False, **kwargs):
        self.normalise_digits = normalise_digits
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.normalise_digits:
            kwargs["normalise_digits"] = True
        return name, path, args, kwargs

    def normalise(self, value) -> str:
        text = super().normalise(value)
        if self.normalise_digits:  # a phone number: "+1 (555) 010-0" and "15550100" are one
            return "".join(ch for ch in text if ch.isdigit())
        return text


class EncryptedDateField(EncryptedMixin, models.DateField):
    def serialise(self, value) -> str:
        return value.isoformat()


class EncryptedDecimalField(EncryptedMixin, models.DecimalField):
    def serialise(self, value) -> str:
        return format(value.quantize(Decimal(1).scaleb(-self.decimal_places)), "f")


class EncryptedPositiveSmallIntegerField(EncryptedMixin, models.PositiveSmallIntegerField):
    @cached_property
    def validators(self):
        # IntegerField reads its range from the column type; the column is text here.
        return [*self.default_validators, *self._validators, MinValueValidator(0),
                MaxValueValidator(32767)]


def encrypted_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


# --- Files --------------------------------------------------------------------------------------


class EncryptedFileSystemStorage(FileSystemStorage):
    """Each file on disk is one Fernet token of its content; reading decrypts it."""

    def _save(self, name, content):
        content.seek(0)
        return super()._save(name, ContentFile(encrypt(content.read())))

    def _open(self, name, mode="rb"):
        with super()._open(name, "rb") as raw:
            data = decrypt(raw.read())
        opened = ContentFile(data, name=name)
        opened.mode = mode
        return opened

    def size(self, name):
        with self._open(name) as opened:
            return opened.size

    def rewrite(self, name: str, data: bytes) -> None:
        """Replace a stored file's raw bytes atomically (a crash leaves the old or the new)."""
        path = self.path(name)
        handle, draft = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rotate-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(draft, 0o600)
            os.replace(draft, path)
        except BaseException:
            if os.path.exists(draft):
                os.unlink(draft)
            raise

    def raw_bytes(self, name: str) -> bytes:
        with super()._open(name, "rb") as raw:
            return raw.read()


def encrypted_storage() -> EncryptedFileSystemStorage:
    """The storage of KYC documents (a callable, so migrations do not freeze MEDIA_ROOT)."""
    return EncryptedFileSystemStorage()


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keeps an upload in memory up to FILE_UPLOAD_MEMORY_LIMIT (the largest a KYC document or
    an admin CSV import may be); past that it only counts the bytes, and the file arrives empty
    with its real size, which the KYC service and the import refuse. Django's temporary-file
    handler would put the plaintext of a large document on disk, if only for the length of the
    request."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = bytearray()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= settings.FILE_UPLOAD_MEMORY_LIMIT:
            self.buffer += raw_data
        return None

    def file_complete(self, file_size):
        kept = self.received <= settings.FILE_UPLOAD_MEMORY_LIMIT
        stream = io.BytesIO(bytes(self.buffer) if kept else b"")
        self.buffer = bytearray()
        return InMemoryUploadedFile(stream, self.field_name, self.file_name, self.content_type,
                                    self.received, self.charset, self.content_type_extra)


# --- Rotation -----------------------------------------------------------------------------------


@dataclass
class RotationReport:
    rows: int = 0
    values: int = 0
    files: int = 0
    older_key: int = 0
    models: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"rotate_encryption_key: {self.values} values in {self.rows} rows and "
                f"{self.files} files re-encrypted with the newest key ({self.older_key} were "
                f"under an older key) in {', '.join(self.models) or 'no model'}")


class RotationFailed(Exception):
    """A stored value or file that no configured key opens; the message names it."""


CHUNK = 500


def _raw_values(model, names: list[str], pks: list) -> dict:
    """The stored (encrypted) text of ``names`` for ``pks``, read past the fields' decryption."""
    table = model._meta.db_table
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
    pk_field = model._meta.pk
    placeholders = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(pk_field.column)}, {columns} FROM {quote(table)} "
                       f"WHERE {quote(pk_field.column)} IN ({placeholders})",
                       [pk_field.get_db_prep_value(pk, connection) for pk in pks])
        return {pk_field.to_python(row[0]): row[1:] for row in cursor.fetchall()}


def _rotate_rows(model, report: RotationReport) -> None:
    fields = encrypted_fields(model)
    if not fields:
        return
    names = [f.name for f in fields]
    report.models.append(model._meta.label)
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start:start + CHUNK]
        with transaction.atomic():
            rows = list(model._default_manager.select_for_update().filter(pk__in=chunk)
                        .only("pk", *names).order_by("pk"))
            raw = _raw_values(model, names, chunk)
            for row in rows:
                for _name, stored in zip(names, raw.get(row.pk, ()), strict=False):
                    if stored:
                        report.values += 1
                        if not under_newest_key(stored.rsplit("$", 1)[-1].encode()):
                            report.older_key += 1
            # Reading decrypted them (any key); saving encrypts with the newest key.
            model._default_manager.bulk_update(rows, names, batch_size=CHUNK)
            report.rows += len(rows)


def _rotate_files(model, report: RotationReport) -> None:
    for file_field in model._meta.concrete_fields:
        if not isinstance(file_field, models.FileField):
            continue
        storage = file_field.storage
        if not isinstance(storage, EncryptedFileSystemStorage):
            continue
        names = model._default_manager.exclude(**{file_field.name: ""}).values_list(
            file_field.name, flat=True)
        for name in names.iterator():
            if not storage.exists(name):
                continue
            raw = storage.raw_bytes(name)
            if not under_newest_key(raw):
                report.older_key += 1
            storage.rewrite(name, _current()[0].rotate(raw))
            report.files += 1


def _rotate_pending_imports(report: RotationReport) -> None:
    """The admin's CSV files waiting for "Confirm import" (django-import-export's folder)."""
    if "import_export" not in settings.STORAGES:
        return
    storage = storages["import_export"]
    if not isinstance(storage, EncryptedFileSystemStorage) or not storage.exists(
            "django-import-export"):
        return
    for name in storage.listdir("django-import-export")[1]:
        path = f"django-import-export/{name}"
        raw = storage.raw_bytes(path)
        if not under_newest_key(raw):
            report.older_key += 1
        storage.rewrite(path, _current()[0].rotate(raw))
        report.files += 1


def encryption_rotate() -> RotationReport:
    """Re-encrypt every encrypted value and file with the newest key (idempotent; a run that
    stops half-way is finished by running it again). ``RotationFailed`` names what no key
    opens."""
    report = RotationReport()
    for model in apps.get_models():
        try:
            _rotate_rows(model, report)
        except InvalidToken as exc:
            raise RotationFailed(f"{model._meta.label}: a value that no key in "
                                 f"FIELD_ENCRYPTION_KEYS decrypts (was its key removed?)") from exc
        try:
            _rotate_files(model, report)
        except InvalidToken as exc:
            raise RotationFailed(f"{model._meta.label}: a file that no key in "
                                 f"FIELD_ENCRYPTION_KEYS decrypts (was its key removed?)") from exc
    try:
        _rotate_pending_imports(report)
    except InvalidToken as exc:
        raise RotationFailed("a CSV import waiting for confirmation that no key in "
                             "FIELD_ENCRYPTION_KEYS decrypts (delete it, or restore its key)"
                             ) from exc
    return report
