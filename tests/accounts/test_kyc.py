import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import KycDocument, Notification
from tests.documents import JPEG, PDF, PNG, docx_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def upload(client, name, content, document_type="government_id"):
    return client.post("/api/users/documents",
                       {"documentType": document_type,
                        "file": SimpleUploadedFile(name, content)}, format="multipart")


@pytest.mark.parametrize("name, content", [
    ("passport.pdf", PDF), ("selfie.png", PNG), ("statement.docx", docx_bytes()),
    ("scan.jpeg", JPEG),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
])
def test_it_accepts_real_documents_under_a_random_name(api_as, borrower, name, content):
    response = upload(api_as(borrower), name, content)
    assert response.status_code == 201, response.content
    document = KycDocument.objects.get(pk=response.json()["id"])
    assert document.original_name == name
    assert name.rsplit(".", 1)[0] not in document.file.name
    assert document.file.name.startswith("kyc/")


def test_it_refuses_a_renamed_executable(api_as, borrower):
    response = upload(api_as(borrower), "passport.pdf", EXE)
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert "does not match" in response.json()["error"]
    assert not KycDocument.objects.exists()


def test_it_refuses_an_11_mb_file(api_as, borrower):
    big = PDF + b"0" * (11 * 1024 * 1024)
    response = upload(api_as(borrower), "big.pdf", big)
    assert response.status_code == 400
    assert "too large" in response.json()["error"]
    assert not KycDocument.objects.exists()


def test_it_refuses_a_disallowed_extension(api_as, borrower):
    response = upload(api_as(borrower), "tool.exe", EXE)
    assert response.status_code == 400
    assert "not allowed" in response.json()["error"]


def test_an_outsider_gets_404_for_someone_elses_document(api_as, client, borrower,
                                                         other_borrower, staff):
    document_id = upload(api_as(borrower), "passport.pdf", PDF).json()["id"]
    outsider = api_as(other_borrower)
    assert outsider.get(f"/api/users/documents/{document_id}").status_code == 404
    assert outsider.get(f"/api/users/documents/{document_id}/download").status_code == 404
    assert outsider.delete(f"/api/users/documents/{document_id}").status_code == 404
    client.force_login(other_borrower)
    assert client.get(f"/documents/{document_id}/").status_code == 404
    owner = api_as(borrower).get(f"/api/users/documents/{document_id}/download")
    assert owner.status_code == 200
    assert b"".join(owner.streaming_content) == PDF
    client.force_login(staff)
    assert client.get(f"/documents/{document_id}/").status_code == 200
    assert KycDocument.objects.filter(pk=document_id).exists()


def test_the_documents_page_uploads_and_reports_a_lie(client, borrower):
    client.force_login(borrower)
    response = client.post("/profile/documents/", {
        "document_type": "proof_of_income", "file": SimpleUploadedFile("pay.pdf", EXE)})
    assert response.status_code == 400
    assert b"does not match" in response.content
    response = client.post("/profile/documents/", {
        "document_type": "proof_of_income", "file": SimpleUploadedFile("pay.pdf", PDF)})
    assert response.status_code == 302
    assert b"pay.pdf" in client.get("/profile/documents/").content


def test_staff_verification_notifies_the_user(api_as, borrower, staff,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(staff).post(f"/api/users/{borrower.pk}/verification",
                                      {"status": "verified", "note": "ID matches"},
                                      format="json")
    assert response.status_code == 200, response.content
    assert response.json()["user"]["verificationStatus"] == "verified"
    notification = Notification.objects.get(user=borrower, kind="kyc_decision")
    assert "ID matches" in notification.body
    assert notification.email_status == "sent"
    assert mail.outbox[-1].to == ["borrower@example.com"]
    assert "verified" in mail.outbox[-1].subject


def test_rejection_needs_a_note_and_non_staff_are_refused(api_as, borrower, other_borrower,
                                                          staff):
    url = f"/api/users/{borrower.pk}/verification"
    assert api_as(other_borrower).post(url, {"status": "verified"}).status_code == 403
    response = api_as(staff).post(url, {"status": "rejected"})
    assert response.status_code == 400 and response.json()["field"] == "note"
    assert api_as(staff).post(url, {"status": "maybe"}).status_code == 400
    assert api_as(staff).post("/api/users/999999/verification",
                              {"status": "verified"}).status_code == 404


def test_staff_verify_in_the_admin_with_a_note(client, borrower, staff):
    client.force_login(staff)
    response = client.post("/admin/accounts/user/", {
        "action": "reject_selected", "_selected_action": [borrower.pk], "apply": "1",
        "note": "Blurry passport scan"})
    assert response.status_code == 302
    borrower.refresh_from_db()
    assert borrower.verification_status == "rejected"
    assert borrower.verification_note == "Blurry passport scan"
    assert Notification.objects.filter(user=borrower, kind="kyc_decision").count() == 1


def test_notifications_show_an_unread_count_and_can_be_marked_read(client, api_as):
    user = make_user(verified=True)
    client.force_login(user)
    page = client.get("/notifications/")
    assert b'data-testid="unread-count">1<' in page.content
    notification = Notification.objects.get(user=user)
    client.post(f"/notifications/{notification.pk}/read/")
    assert b"unread-count" not in client.get("/notifications/").content
    body = api_as(user).get("/api/notifications").json()
    assert body["results"][0]["read"] is True
    assert body["pagination"]["total"] == 1


def _zip_bomb() -> bytes:
    return docx_bytes({"word/media/padding.bin": b"\x00" * (60 * 1024 * 1024)})


def _appended_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", "<html><script>alert(1)</script></html>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, reason", [
    ("statement.docx", _zip_bomb(), "decompressed"),
    ("statement.docx", docx_bytes({f"part{i}.xml": "<a/>" for i in range(1001)}), "parts"),
    ("statement.docx", docx_bytes({"word/x.bin": b"\x00" * 5_000_000}), "zip bomb"),
    ("report.docx", docx_bytes().replace(b"word/document.xml", b"word/documenx.xml"),
     "does not match"),
    ("passport.pdf", PDF + _appended_zip(), "after the end"),
    ("passport.pdf", PDF.replace(b"%%EOF", b"<html><script>alert(1)</script>%%EOF"),
     "web page"),
    ("passport.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", "PDF"),
    ("selfie.png", PNG + b"<html><script>alert(1)</script></html>", "after the end"),
    ("selfie.png", PNG[:40] + PNG[-12:], "image cannot be read"),
    ("scan.jpg", JPEG + _appended_zip(), "after the end"),
    ("scan.jpg", JPEG[:-2] + b"<script>x</script>\xff\xd9", "web page"),
])
def test_polyglots_zip_bombs_and_broken_documents_are_refused(api_as, borrower, name, content,
                                                              reason):
    """Finding 15: each type is parsed, not only sniffed; archives are bounded."""
    response = upload(api_as(borrower), name, content)
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "file"
    assert reason in response.json()["error"], response.json()["error"]
    assert not KycDocument.objects.exists()


def test_a_huge_image_in_pixels_is_refused_before_it_is_decoded(api_as, borrower):
    from tests.documents import image_bytes

    response = upload(api_as(borrower), "huge.png", image_bytes("PNG", size=(8000, 8000), mode="1"))
    assert response.status_code == 400 and "pixels" in response.json()["error"]
