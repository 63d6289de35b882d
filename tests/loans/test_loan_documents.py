"""KYC documents attached to a loan application (issue 22): the borrower attaches their own
documents to their own open application, through the API and the listing's page; anything
else is refused with a clear error and changes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent, KycDocument
from accounts.services import kyc_document_review, kyc_document_upload
from loans import services
from loans.models import LoanDocument
from tests.documents import PDF, PNG
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(risk_model):
    return make_user("applicant@example.com", first_name="Ada", verified=True)


@pytest.fixture
def neighbour(risk_model):
    return make_user("neighbour@example.com", first_name="Ned", verified=True)


def application(borrower):
    return services.loan_apply(borrower=borrower, amount=Decimal("5000"), term_months=36,
                               purpose="car", max_rate=Decimal("15.00"), staff_grade="B")


def document_of(user, document_type="proof_of_income", name="payslip.pdf", content=PDF):
    return kyc_document_upload(user=user, uploaded_file=SimpleUploadedFile(name, content),
                               document_type=document_type)


def test_the_borrower_uploads_a_document_for_their_application(api_as, applicant):
    loan = application(applicant)
    api = api_as(applicant)
    response = api.post(f"/api/loans/{loan.pk}/documents",
                        {"documentType": "proof_of_income",
                         "file": SimpleUploadedFile("payslip-may.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["document"]["status"] == "pending"
    listed = api.get(f"/api/loans/{loan.pk}/documents").json()["documents"]
    assert [d["originalName"] for d in listed] == ["payslip-may.pdf"]
    # It is one of the borrower's KYC documents too, reviewed like any other.
    assert str(KycDocument.objects.get(owner=applicant).pk) == listed[0]["id"]
    assert AuditEvent.objects.filter(event="loan.document_attached",
                                     target_id=str(loan.pk)).exists()


def test_the_borrower_attaches_a_document_already_uploaded_once(api_as, applicant):
    loan = application(applicant)
    document = document_of(applicant)
    api = api_as(applicant)
    response = api.post(f"/api/loans/{loan.pk}/documents", {"documentId": str(document.pk)})
    assert response.status_code == 201, response.content
    again = api.post(f"/api/loans/{loan.pk}/documents", {"documentId": str(document.pk)})
    assert again.status_code == 400 and again.json()["field"] == "documentId"
    assert "already attached" in again.json()["error"]
    assert LoanDocument.objects.filter(loan=loan).count() == 1


def test_a_document_for_someone_elses_application_is_refused(api_as, applicant, neighbour):
    loan = application(neighbour)
    mine = document_of(applicant)
    api = api_as(applicant)
    attach = api.post(f"/api/loans/{loan.pk}/documents", {"documentId": str(mine.pk)})
    assert attach.status_code == 403
    assert attach.json() == {"success": False, "error": (
        "This loan application is not yours: documents can be attached only to your own "
        "loan applications")}
    upload = api.post(f"/api/loans/{loan.pk}/documents",
                      {"documentType": "proof_of_income",
                       "file": SimpleUploadedFile("payslip.pdf", PDF)}, format="multipart")
    assert upload.status_code == 403 and "not yours" in upload.json()["error"]
    assert not LoanDocument.objects.exists()
    assert KycDocument.objects.filter(owner=applicant).count() == 1  # nothing new kept
    # ... and its documents stay private to its borrower and staff.
    assert api.get(f"/api/loans/{loan.pk}/documents").status_code == 404


def test_someone_elses_document_is_refused_like_no_document(api_as, applicant, neighbour):
    loan = application(applicant)
    theirs = document_of(neighbour)
    api = api_as(applicant)
    for document_id in (str(theirs.pk), "00000000-0000-0000-0000-000000000000"):
        response = api.post(f"/api/loans/{loan.pk}/documents", {"documentId": document_id})
        assert response.status_code == 400
        assert response.json() == {"success": False, "error": "No such document among yours",
                                    "field": "documentId"}
    nothing = api.post(f"/api/loans/{loan.pk}/documents", {})
    assert nothing.status_code == 400 and nothing.json()["field"] == "documentId"
    assert not LoanDocument.objects.exists()


def test_a_closed_application_takes_no_document(api_as, applicant):
    loan = application(applicant)
    services.loan_cancel(acting_user=applicant, loan_id=loan.pk)
    document = document_of(applicant)
    response = api_as(applicant).post(f"/api/loans/{loan.pk}/documents",
                                      {"documentId": str(document.pk)})
    assert response.status_code == 400
    assert "only while the application is open" in response.json()["error"]


def test_staff_see_the_documents_and_their_reviews(api_as, staff, applicant, lender):
    loan = application(applicant)
    document = document_of(applicant, "government_id", "id.png", PNG)
    api_as(applicant).post(f"/api/loans/{loan.pk}/documents", {"documentId": str(document.pk)})
    kyc_document_review(acting_user=staff, document_id=document.pk, status="accepted")
    listed = api_as(staff).get(f"/api/loans/{loan.pk}/documents").json()["documents"]
    assert [(d["documentType"], d["status"]) for d in listed] == [("government_id", "accepted")]
    assert api_as(lender).get(f"/api/loans/{loan.pk}/documents").status_code == 404


def test_the_borrower_takes_a_document_off_the_application(api_as, applicant):
    loan = application(applicant)
    document = document_of(applicant)
    api = api_as(applicant)
    api.post(f"/api/loans/{loan.pk}/documents", {"documentId": str(document.pk)})
    assert api.delete(f"/api/loans/{loan.pk}/documents/{document.pk}").status_code == 200
    assert not LoanDocument.objects.exists() and KycDocument.objects.filter(pk=document.pk).exists()
    assert api.delete(f"/api/loans/{loan.pk}/documents/{document.pk}").status_code == 404


def test_the_listing_page_attaches_and_shows_documents(client, applicant):
    loan = application(applicant)
    document = document_of(applicant, "proof_of_address", "bill.pdf")
    client.force_login(applicant)
    page = client.get(f"/loans/{loan.pk}/").content.decode()
    assert "Documents for this application" in page and "bill.pdf" in page  # to choose
    response = client.post(f"/loans/{loan.pk}/documents/", {"document": str(document.pk)})
    assert response.status_code == 302
    response = client.post(f"/loans/{loan.pk}/documents/", {
        "document_type": "proof_of_income", "file": SimpleUploadedFile("payslip.pdf", PDF)})
    assert response.status_code == 302
    page = client.get(f"/loans/{loan.pk}/").content.decode()
    assert "Pending review" in page and "payslip.pdf" in page
    assert LoanDocument.objects.filter(loan=loan).count() == 2


def test_the_page_refuses_someone_elses_application_with_the_reason(client, applicant,
                                                                    neighbour):
    loan = application(neighbour)
    mine = document_of(applicant)
    client.force_login(applicant)
    assert "Documents for this application" not in client.get(f"/loans/{loan.pk}/").content.decode()
    response = client.post(f"/loans/{loan.pk}/documents/", {"document": str(mine.pk)})
    assert response.status_code == 403
    assert "This loan application is not yours" in response.content.decode()
    response = client.post(f"/loans/{loan.pk}/documents/", {
        "document_type": "proof_of_income", "file": SimpleUploadedFile("p.pdf", PDF)})
    assert response.status_code == 403
    assert not LoanDocument.objects.exists()
    assert KycDocument.objects.filter(owner=applicant).count() == 1


def test_the_admin_shows_an_applications_documents_with_a_link_to_review(client, staff,
                                                                          applicant):
    loan = application(applicant)
    document = document_of(applicant)
    LoanDocument.objects.create(loan=loan, document=document)
    client.force_login(staff)
    page = client.get(f"/admin/loans/loan/{loan.pk}/change/").content.decode()
    assert "documents attached to this application" in page.lower()
    assert f"/admin/accounts/kycdocument/{document.pk}/change/" in page
