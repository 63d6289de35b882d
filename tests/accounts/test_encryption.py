"""Encryption at rest (issue 22): personal data and credit-report fields in the database, KYC
files on disk, key rotation, and everything that reads them (risk model, imports, exports,
admin search)."""

import importlib
import io
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.imports import users_import
from accounts.models import AuditEvent, KycDocument, User
from risk.services import inputs_from_profile
from tests.documents import PDF
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SECRETS = {
    "phone": "+1 (555) 867-5309",
    "date_of_birth": date(1984, 7, 14),
    "street": "742 Evergreen Terrace",
    "city": "Shelbyvillage",
    "state": "Oregonia",
    "zip_code": "97475",
    "earliest_credit_line": date(2003, 2, 11),
    "open_credit_lines": 13,
    "total_credit_lines": 29,
    "revolving_balance": Decimal("12345.67"),
    "revolving_utilization": Decimal("47.25"),
    "inquiries_6m": 3,
    "delinquencies_2y": 2,
    "months_since_last_delinquency": 17,
    "public_records": 1,
    "public_record_bankruptcies": 1,
}
# What each value would look like in clear in a column (the text a database would hold).
CLEAR_TEXTS = ["867-5309", "8675309", "5309", "1984-07-14", "Evergreen", "Shelbyvillage",
               "Oregonia", "97475", "2003-02-11", "12345.67", "47.25"]


def raw_row(table: str, pk) -> dict:
    model = KycDocument if table == "accounts_kycdocument" else User
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s",
                       [model._meta.pk.get_db_prep_value(pk, connection)])
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


@pytest.fixture
def person():
    return make_user("homer@example.com", complete=True, **SECRETS)


@pytest.fixture
def new_key(settings):
    """A fresh key put in front of the current one, as an operator starts a rotation."""
    old = list(settings.FIELD_ENCRYPTION_KEYS)
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key, *old]
    return key, old


def test_a_profile_row_holds_no_personal_data_in_clear(person):
    row = raw_row("accounts_user", person.pk)
    for name in SECRETS:
        stored = row[name]
        assert isinstance(stored, str) and "gAAAAA" in stored, (name, stored)
    dump = repr(row)
    for text in CLEAR_TEXTS:
        assert text not in dump, text
    # ... and the application reads every value back as it was written.
    fresh = User.objects.get(pk=person.pk)
    for name, value in SECRETS.items():
        assert getattr(fresh, name) == value, name
    values = User.objects.filter(pk=person.pk).values(*SECRETS).get()
    assert values == SECRETS


def test_the_same_value_encrypts_differently_each_time():
    one = make_user(complete=True, city="Springfield")
    two = make_user(complete=True, city="Springfield")
    assert raw_row("accounts_user", one.pk)["city"] != raw_row("accounts_user", two.pk)["city"]


def test_the_audit_row_of_a_profile_change_holds_no_personal_data(person):
    events = AuditEvent.objects.filter(event="profile.updated", target_id=str(person.pk))
    dump = repr(list(events.values("old", "new")))
    for text in CLEAR_TEXTS:
        assert text not in dump, text
    assert "(encrypted)" in dump


def test_a_kyc_file_on_disk_holds_no_plaintext(api_as, person):
    response = api_as(person).post("/api/users/documents", {
        "documentType": "government_id",
        "file": SimpleUploadedFile("homer-simpson-passport.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.content
    document = KycDocument.objects.get(pk=response.json()["id"])
    on_disk = Path(django_settings.MEDIA_ROOT, document.file.name).read_bytes()
    assert on_disk.startswith(b"gAAAAA") and b"%PDF" not in on_disk
    assert PDF[:200] not in on_disk
    assert "homer" not in repr(raw_row("accounts_kycdocument", document.pk))
    download = api_as(person).get(f"/api/users/documents/{document.pk}/download")
    assert b"".join(download.streaming_content) == PDF
    assert KycDocument.objects.get(pk=document.pk).original_name == "homer-simpson-passport.pdf"


def test_an_upload_is_never_written_to_a_temporary_file(api_as, person, monkeypatch):
    from django.core.files import uploadedfile

    def no_temporary_file(*args, **kwargs):
        raise AssertionError("an upload went to a temporary file")

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", no_temporary_file)
    big = PDF + b"%" * (3 * 1024 * 1024)  # above Django's 2.5 MB in-memory default
    response = api_as(person).post("/api/users/documents", {
        "documentType": "other", "file": SimpleUploadedFile("big.pdf", big)},
        format="multipart")
    assert response.status_code == 400 and "after the end of the PDF" in response.json()["error"]


def test_an_upload_past_the_memory_limit_is_counted_not_kept_and_refused(api_as, person,
                                                                         settings):
    settings.KYC_MAX_UPLOAD_BYTES = settings.FILE_UPLOAD_MEMORY_LIMIT = 1024
    response = api_as(person).post("/api/users/documents", {
        "documentType": "other", "file": SimpleUploadedFile("id.pdf", PDF + b"x" * 2048)},
        format="multipart")
    assert response.status_code == 400 and "too large" in response.json()["error"]
    assert not KycDocument.objects.exists()


def test_the_phone_is_found_by_its_blind_index_whatever_its_punctuation(person):
    other = make_user(complete=True, phone="555-0199")
    assert list(User.objects.filter(phone="15558675309")) == [person]
    assert list(User.objects.filter(phone__iexact="+1 555 867 5309")) == [person]
    assert list(User.objects.filter(phone="555-0199")) == [other]
    assert not User.objects.filter(phone="555-0000").exists()


def test_the_admin_finds_a_user_by_phone_number(client, staff, person):
    make_user(complete=True, phone="555-0199")
    client.force_login(staff)
    for query in ("+1-555-867-5309", "+1 (555) 867-5309"):
        page = client.get("/admin/accounts/user/", {"q": query}).content.decode()
        assert "homer@example.com" in page, query
        assert "1 result" in page


def test_comparing_an_encrypted_field_in_sql_is_refused_not_silently_empty(person):
    with pytest.raises(FieldError, match="encrypted at rest"):
        list(User.objects.filter(city="Shelbyvillage"))
    with pytest.raises(FieldError, match="encrypted at rest"):
        list(User.objects.filter(date_of_birth__year=1984))
    assert User.objects.filter(date_of_birth__isnull=False, pk=person.pk).exists()


def test_the_risk_model_reads_the_decrypted_credit_report(person):
    inputs = inputs_from_profile(User.objects.get(pk=person.pk), loan_amount=10000,
                                 term_months=36, purpose="car")
    assert inputs["revolving_balance"] == Decimal("12345.67")
    assert inputs["revolving_utilization"] == Decimal("47.25")
    assert inputs["inquiries_6m"] == 3 and inputs["public_records"] == 1
    assert inputs["months_since_last_delinquency"] == 17
    assert inputs["credit_history_years"] > 20


def test_an_import_writes_encrypted_phones_and_compares_them_decrypted():
    data = (b"email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"
            b"marge@example.com,Marge,S,555-0142,50000,employed,700\n")
    assert users_import(fileobj=io.BytesIO(data)).created == 1
    marge = User.objects.get(email="marge@example.com")
    assert marge.phone == "555-0142"
    assert "0142" not in raw_row("accounts_user", marge.pk)["phone"]
    again = users_import(fileobj=io.BytesIO(data))
    assert (again.created, again.updated, again.skipped) == (0, 0, 1)


def test_the_users_export_carries_the_decrypted_values(person, tmp_path):
    out = tmp_path / "users.csv"
    call_command("export_csv", "users", "-o", str(out), "--filter", "q=1-555-867-5309")
    text = out.read_text()
    assert "homer@example.com" in text and "1984-07-14" in text
    assert "gAAAAA" not in text


def test_rotation_reencrypts_rows_and_files_with_the_newest_key(api_as, person, new_key,
                                                                  settings, capsys, tmp_path):
    key, old = new_key
    settings.MEDIA_ROOT = str(tmp_path)  # only this test's files (others leave imports waiting)
    api_as(person).post("/api/users/documents", {
        "documentType": "government_id", "file": SimpleUploadedFile("id.pdf", PDF)},
        format="multipart")
    document = KycDocument.objects.get(owner=person)
    # Written under the old key: readable now that the new key leads.
    settings.FIELD_ENCRYPTION_KEYS = old
    make_user("under.old@example.com", complete=True, phone="555-0111")
    settings.FIELD_ENCRYPTION_KEYS = [key, *old]
    assert User.objects.get(pk=person.pk).city == "Shelbyvillage"
    assert User.objects.filter(phone="555-0111").exists()  # the old key's blind index

    call_command("rotate_encryption_key")
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    assert summary.startswith("rotate_encryption_key: ") and "1 files" in summary
    assert "accounts.User" in summary and "were under an older key" in summary

    settings.FIELD_ENCRYPTION_KEYS = [key]  # the old key is gone
    fresh = User.objects.get(pk=person.pk)
    for name, value in SECRETS.items():
        assert getattr(fresh, name) == value, name
    assert User.objects.filter(phone="555-0111").exists()
    with KycDocument.objects.get(pk=document.pk).file.open("rb") as opened:
        assert opened.read() == PDF
    # Running it again changes nothing that matters and finds nothing under an old key.
    call_command("rotate_encryption_key")
    assert "(0 were under an older key)" in capsys.readouterr().out


def test_rotation_fails_loudly_when_a_value_is_under_no_configured_key(person, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="no key in FIELD_ENCRYPTION_KEYS decrypts"):
        call_command("rotate_encryption_key")


def test_the_data_migration_encrypts_rows_and_files_left_in_clear(person, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    os.makedirs(tmp_path / "kyc")
    (tmp_path / "kyc" / "old.pdf").write_bytes(PDF)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET phone = %s, city = %s, date_of_birth = %s, "
                       "revolving_balance = %s, inquiries_6m = %s WHERE id = %s",
                       ["555-0177", "Ogdenville", "1970-01-02", "99.5", "4", person.pk])
        cursor.execute("INSERT INTO accounts_kycdocument (id, owner_id, document_type, file, "
                       "original_name, content_type, extension, size, sha256, uploaded_at, "
                       "status, staff_note) "
                       "VALUES (%s, %s, 'other', 'kyc/old.pdf', 'old-name.pdf', "
                       "'application/pdf', '.pdf', %s, '', CURRENT_TIMESTAMP, 'pending', '')",
                       [KycDocument._meta.pk.get_db_prep_value("0" * 32, connection),
                        person.pk, len(PDF)])
    migration = importlib.import_module("accounts.migrations.0009_encrypt_existing_rows")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.encrypt_existing(None, editor)
    migration.encrypt_existing(None, editor)  # idempotent
    row = raw_row("accounts_user", person.pk)
    assert "0177" not in repr(row) and "Ogdenville" not in repr(row)
    fresh = User.objects.get(pk=person.pk)
    assert (fresh.phone, fresh.city, fresh.date_of_birth, fresh.revolving_balance,
            fresh.inquiries_6m) == ("555-0177", "Ogdenville", date(1970, 1, 2),
                                    Decimal("99.50"), 4)
    assert fresh.street == SECRETS["street"]  # already encrypted: left as it was
    assert User.objects.filter(phone="5550177").exists()
    assert (tmp_path / "kyc" / "old.pdf").read_bytes().startswith(b"gAAAAA")
    document = KycDocument.objects.get(pk="0" * 32)
    assert document.original_name == "old-name.pdf"
    with document.file.open("rb") as opened:
        assert opened.read() == PDF

    migration.decrypt_back(None, editor)
    assert raw_row("accounts_user", person.pk)["city"] == "Ogdenville"
    assert (tmp_path / "kyc" / "old.pdf").read_bytes() == PDF


def _production_check(**env_overrides):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_DEBUG", "FIELD_ENCRYPTION_KEYS")}
    env.update({"DJANGO_SETTINGS_MODULE": "communitylend.settings", "SECRET_KEY": "s" * 50,
                "PAYMENT_WEBHOOK_SECRET": "w" * 40, "ALLOWED_HOSTS": "lend.example.com",
                **env_overrides})
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=django_settings.BASE_DIR,
                          env=env, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_an_encryption_key_or_with_a_bad_one():
    missing = _production_check()
    assert missing.returncode != 0 and "FIELD_ENCRYPTION_KEYS is not set" in missing.stderr
    bad = _production_check(FIELD_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},not-a-key")
    assert bad.returncode != 0 and "key 2 is not a Fernet key" in bad.stderr
    public = _production_check(FIELD_ENCRYPTION_KEYS=django_settings.FIELD_ENCRYPTION_KEYS[0])
    assert public.returncode != 0 and "the development key is public" in public.stderr
    good = _production_check(FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode())
    assert good.returncode == 0, good.stderr


def test_a_users_file_waiting_for_confirmation_is_encrypted_and_rotated(client, staff, settings,
                                                                         capsys, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # only this test's files (others leave imports waiting)
    client.force_login(staff)
    content = (b"email,first_name,last_name,phone,annual_income,employment_status,credit_score\n"
               b"waiting@example.com,Wait,Ing,555-0188,40000,employed,690\n")
    preview = client.post("/admin/accounts/user/import/", {
        "resource": "0", "format": "0",
        "import_file": SimpleUploadedFile("users.csv", content, "text/csv")})
    assert preview.status_code == 200 and "Confirm import" in preview.content.decode()
    name = preview.context["confirm_form"].initial["import_file_name"]
    folder = Path(django_settings.MEDIA_ROOT, "django-import-export")
    stored = (folder / name).read_bytes()
    assert stored.startswith(b"gAAAAA") and b"555-0188" not in stored
    key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_encryption_key")
    assert Fernet(key).decrypt((folder / name).read_bytes()) == content
    assert "(1 were under an older key)" in capsys.readouterr().out
