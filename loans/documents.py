"""KYC documents attached to a loan application (issue 22): the services and selectors.

A borrower attaches their own documents (already uploaded, or uploaded here) to their own
application while it is open (listed or awaiting acceptance). The document itself, its review
status and staff note live in accounts; this app only links it to the loan."""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import KycDocument, User
from accounts.services import audit_record, kyc_document_upload
from communitylend.core.errors import ApplicationError, InvalidState, NotFound, PermissionDenied

from .models import ACCEPTABLE, Loan, LoanDocument

NOT_YOURS = ("This loan application is not yours: documents can be attached only to your own "
             "loan applications")


def _open_application(*, borrower: User, loan_id: int, lock: bool) -> Loan:
    """The borrower's own open application, or the error that says why not."""
    loans = Loan.objects.select_for_update(no_key=True) if lock else Loan.objects
    loan = loans.filter(pk=loan_id).first()
    if loan is None:
        raise NotFound("Loan not found")
    if loan.borrower_id != borrower.pk:
        raise PermissionDenied(NOT_YOURS)
    if loan.status not in ACCEPTABLE:
        raise InvalidState(f"Documents can be attached only while the application is open "
                           f"(listed or awaiting acceptance); this loan is "
                           f"{loan.get_status_display().lower()}")
    return loan


def _link(*, borrower: User, loan: Loan, document: KycDocument) -> LoanDocument:
    try:
        with transaction.atomic():
            link = LoanDocument.objects.create(loan=loan, document=document)
    except IntegrityError as exc:
        raise ApplicationError("That document is already attached to this application",
                               field="document_id") from exc
    audit_record(actor=borrower, event="loan.document_attached", target=loan,
                 new={"document": str(document.pk), "document_type": document.document_type})
    return link


def loan_document_attach(*, borrower: User, loan_id: int, document_id) -> KycDocument:
    """Attach one of ``borrower``'s documents to their open application ``loan_id``."""
    with transaction.atomic(durable=True):
        loan = _open_application(borrower=borrower, loan_id=loan_id, lock=True)
        # Someone else's document and no document get the same answer (API.md).
        document = KycDocument.objects.filter(pk=document_id, owner=borrower).first()
        if document is None:
            raise ApplicationError("No such document among yours", field="document_id")
        _link(borrower=borrower, loan=loan, document=document)
    return document


def loan_document_upload(*, borrower: User, loan_id: int, uploaded_file,
                         document_type: str) -> KycDocument:
    """Upload a document (checked and encrypted as every KYC upload) and attach it to the
    borrower's open application, all or nothing."""
    _open_application(borrower=borrower, loan_id=loan_id, lock=False)  # refuse before the work

    def attach(document: KycDocument) -> None:
        loan = _open_application(borrower=borrower, loan_id=loan_id, lock=True)
        _link(borrower=borrower, loan=loan, document=document)

    return kyc_document_upload(user=borrower, uploaded_file=uploaded_file,
                               document_type=document_type, then=attach)


def loan_document_detach(*, borrower: User, loan_id: int, document_id) -> None:
    """Take a document off the borrower's open application (the document itself stays)."""
    with transaction.atomic(durable=True):
        loan = _open_application(borrower=borrower, loan_id=loan_id, lock=True)
        deleted, _ = LoanDocument.objects.filter(loan=loan, document_id=document_id).delete()
        if not deleted:
            raise NotFound("That document is not attached to this application")
        audit_record(actor=borrower, event="loan.document_detached", target=loan,
                     old={"document": str(document_id)})


def loan_documents(*, loan: Loan) -> QuerySet[KycDocument]:
    """The documents attached to ``loan``, newest first (callers check who may see them)."""
    return KycDocument.objects.filter(loan_links__loan=loan).order_by("-uploaded_at")


def may_see_documents(*, user, loan: Loan) -> bool:
    return user.is_authenticated and (user.is_staff or loan.borrower_id == user.pk)


def attachable_documents(*, borrower: User, loan: Loan) -> QuerySet[KycDocument]:
    """The borrower's documents not yet attached to ``loan``."""
    return KycDocument.objects.filter(owner=borrower).exclude(loan_links__loan=loan)
