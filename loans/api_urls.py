from django.urls import path

from . import apis

urlpatterns = [
    path("loans", apis.LoanListApi.as_view(), name="api-loans"),
    path("loans/create", apis.LoanCreateApi.as_view(), name="api-loan-create"),
    path("loans/<int:loan_id>", apis.LoanDetailApi.as_view(), name="api-loan"),
    path("loans/<int:loan_id>/bids", apis.LoanBidsApi.as_view(), name="api-loan-bids"),
    path("loans/<int:loan_id>/expected-return", apis.LoanExpectedReturnApi.as_view(),
         name="api-loan-expected-return"),
    path("loans/<int:loan_id>/documents", apis.LoanDocumentsApi.as_view(),
         name="api-loan-documents"),
    path("loans/<int:loan_id>/documents/<uuid:document_id>", apis.LoanDocumentDetailApi.as_view(),
         name="api-loan-document"),
    path("loans/<int:loan_id>/agreement", apis.LoanAgreementApi.as_view(),
         name="api-loan-agreement"),
    path("loans/<int:loan_id>/accept", apis.LoanAcceptApi.as_view(), name="api-loan-accept"),
    path("loans/<int:loan_id>/cancel", apis.LoanCancelApi.as_view(), name="api-loan-cancel"),
    path("investments/create", apis.BidCreateApi.as_view(), name="api-bid-create"),
    path("bids", apis.MyBidsApi.as_view(), name="api-bids"),
    path("bids/<int:bid_id>", apis.BidDetailApi.as_view(), name="api-bid"),
    path("ml/loan-matching/<int:user_id>", apis.LoanMatchingApi.as_view(),
         name="api-loan-matching"),
    path("lender/preferences", apis.LenderPreferenceApi.as_view(), name="api-lender-preferences"),
]
