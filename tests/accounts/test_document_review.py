"""KYC documents reviewed one by one (issue 22): each its own status and staff note, decided in
the admin; the profile's verification follows the documents' decisions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import (
    AuditEvent,
    DocumentStatus,
    KycDocument,
    Notification,
    User,
    VerificationStatus,
)
from accounts.services import kyc_document_delete, kyc_document_review, kyc_document_upload
from communitylend.core.errors import ApplicationError, InvalidState, PermissionDenied
from tests.documents import PDF, PNG
from tests.factories import make_staff_in

pytestmark = pytest.mark.django_db


def upload(user, document_type, name="doc.pdf", content=PDF):
    return kyc_document_upload(user=user, uploaded_file=SimpleUploadedFile(name, content),
                               document_type=document_type)


def review_in_admin(client, document, status, note="", button="_save"):
    return client.post(f"/admin/accounts/kycdocument/{document.pk}/change/",
                       {"status": status, "staff_note": note, button: "1"})


def status_of(user):
    return User.objects.get(pk=user.pk).verification_status


def test_staff_review_a_document_in_the_admin_and_the_owner_is_told(client, staff, borrower):
    document = upload(borrower, "government_id", "passport.pdf")
    client.force_login(staff)
    page = client.get(f"/admin/accounts/kycdocument/{document.pk}/change/").content.decode()
    assert "passport.pdf" in page and "Save and review the next pending document" in page
    response = review_in_admin(client, document, "accepted", "Clear scan, matches the name.")
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.status, document.staff_note, document.reviewed_by) == (
        DocumentStatus.ACCEPTED, "Clear scan, matches the name.", staff)
    assert AuditEvent.objects.filter(event="kyc.document_reviewed",
                                     target_id=str(document.pk)).exists()
    notice = Notification.objects.filter(user=borrower, kind="kyc_decision").latest("id")
    assert "government id was accepted" in notice.title.lower()
    assert "Clear scan" in notice.body


def test_rejecting_without_a_note_is_refused_and_changes_nothing(client, staff, borrower):
    document = upload(borrower, "proof_of_address")
    client.force_login(staff)
    response = review_in_admin(client, document, "rejected", "  ")
    assert response.status_code == 200
    assert "A note is required when rejecting" in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING
    with pytest.raises(ApplicationError, match="note is required"):
        kyc_document_review(acting_user=staff, document_id=document.pk, status="rejected")


def test_save_and_review_next_opens_the_oldest_pending_document(client, staff, borrower,
                                                                 other_borrower):
    first = upload(borrower, "government_id")
    second = upload(other_borrower, "government_id")
    third = upload(borrower, "proof_of_income")
    client.force_login(staff)
    response = review_in_admin(client, first, "accepted", button="_review_next")
    assert response.url == f"/admin/accounts/kycdocument/{second.pk}/change/"
    response = review_in_admin(client, second, "accepted", button="_review_next")
    assert response.url == f"/admin/accounts/kycdocument/{third.pk}/change/"
    response = review_in_admin(client, third, "accepted", button="_review_next")
    assert response.url == "/admin/accounts/kycdocument/"


def test_the_profile_follows_the_documents_decisions(staff, borrower):
    identity = upload(borrower, "government_id")
    income = upload(borrower, "proof_of_income")
    kyc_document_review(acting_user=staff, document_id=identity.pk, status="accepted")
    assert status_of(borrower) == VerificationStatus.PENDING  # the income proof waits
    kyc_document_review(acting_user=staff, document_id=income.pk, status="rejected",
                        note="The statement is older than 3 months.")
    profile = User.objects.get(pk=borrower.pk)
    assert profile.verification_status == VerificationStatus.REJECTED
    assert "Proof of income: The statement is older than 3 months." in profile.verification_note
    # A new proof replaces the rejected one: under review again, then verified on acceptance.
    newer = upload(borrower, "proof_of_income", "march.png", PNG)
    assert status_of(borrower) == VerificationStatus.REJECTED  # uploads alone decide nothing
    kyc_document_review(acting_user=staff, document_id=identity.pk, status="accepted",
                        note="re-checked")
    assert status_of(borrower) == VerificationStatus.PENDING
    kyc_document_review(acting_user=staff, document_id=newer.pk, status="accepted")
    profile = User.objects.get(pk=borrower.pk)
    assert profile.verification_status == VerificationStatus.VERIFIED
    assert profile.verified_by == staff
    assert "Government ID" in profile.verification_note
    assert AuditEvent.objects.filter(event="kyc.decided_by_documents",
                                     target_id=str(borrower.pk)).count() == 3


def test_documents_without_a_government_id_do_not_verify_a_profile(staff, borrower):
    income = upload(borrower, "proof_of_income")
    kyc_document_review(acting_user=staff, document_id=income.pk, status="accepted")
    assert status_of(borrower) == VerificationStatus.PENDING


def test_the_same_decision_twice_changes_nothing(staff, borrower):
    identity = upload(borrower, "government_id")
    kyc_document_review(acting_user=staff, document_id=identity.pk, status="accepted")
    kyc_document_review(acting_user=staff, document_id=identity.pk, status="accepted")
    assert AuditEvent.objects.filter(event="kyc.document_reviewed").count() == 1
    assert Notification.objects.filter(user=borrower, kind="kyc_decision").count() == 1


def test_support_staff_see_documents_but_cannot_decide(client, borrower):
    support = make_staff_in("Support")
    document = upload(borrower, "government_id")
    with pytest.raises(PermissionDenied):
        kyc_document_review(acting_user=support, document_id=document.pk, status="accepted")
    client.force_login(support)
    assert client.get(f"/admin/accounts/kycdocument/{document.pk}/change/").status_code == 200
    review_in_admin(client, document, "accepted")
    document.refresh_from_db()
    assert document.status == DocumentStatus.PENDING


def test_an_accepted_document_cannot_be_deleted_but_a_rejected_one_can(staff, borrower):
    identity = upload(borrower, "government_id")
    address = upload(borrower, "proof_of_address")
    kyc_document_review(acting_user=staff, document_id=identity.pk, status="accepted")
    kyc_document_review(acting_user=staff, document_id=address.pk, status="rejected",
                        note="Blurry")
    with pytest.raises(InvalidState, match="accepted document"):
        kyc_document_delete(user=borrower, document=KycDocument.objects.get(pk=identity.pk))
    kyc_document_delete(user=borrower, document=KycDocument.objects.get(pk=address.pk))
    assert not KycDocument.objects.filter(pk=address.pk).exists()


def test_the_owner_sees_each_documents_status_and_note(client, api_as, staff, borrower):
    document = upload(borrower, "proof_of_address", "bill.pdf")
    kyc_document_review(acting_user=staff, document_id=document.pk, status="rejected",
                        note="The address is cut off.")
    body = api_as(borrower).get(f"/api/users/documents/{document.pk}").json()
    assert (body["status"], body["staffNote"]) == ("rejected", "The address is cut off.")
    client.force_login(borrower)
    page = client.get("/profile/documents/").content.decode()
    assert "Rejected" in page and "The address is cut off." in page
