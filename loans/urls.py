from django.urls import path

from . import views

urlpatterns = [
    path("marketplace/", views.marketplace, name="marketplace"),
    path("loans/apply/", views.loan_apply, name="loan_apply"),
    path("loans/estimate/", views.loan_estimate, name="loan_estimate"),
    path("marketplace/matches/", views.matches, name="matches"),
    path("loans/<int:loan_id>/", views.loan_detail, name="loan_detail"),
    path("loans/<int:loan_id>/live/", views.loan_live, name="loan_live"),
    path("loans/<int:loan_id>/expected-return/", views.loan_expected_return,
         name="loan_expected_return"),
    path("loans/<int:loan_id>/bid/", views.bid_place, name="bid_place"),
    path("loans/<int:loan_id>/documents/", views.loan_document_add, name="loan_document_add"),
    path("loans/<int:loan_id>/documents/<uuid:document_id>/remove/", views.loan_document_remove,
         name="loan_document_remove"),
    path("loans/<int:loan_id>/accept/", views.loan_accept, name="loan_accept"),
    path("loans/<int:loan_id>/agreement/signed/", views.loan_agreement_signed,
         name="loan_agreement_signed"),
    path("loans/<int:loan_id>/cancel/", views.loan_cancel, name="loan_cancel"),
    path("loans/<int:loan_id>/max-rate/", views.loan_max_rate, name="loan_max_rate"),
    path("bids/<int:bid_id>/change/", views.bid_change, name="bid_change"),
    path("bids/<int:bid_id>/withdraw/", views.bid_withdraw, name="bid_withdraw"),
    path("my/loans/", views.my_loans, name="my_loans"),
    path("my/bids/", views.my_bids, name="my_bids"),
]
