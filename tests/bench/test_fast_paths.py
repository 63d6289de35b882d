"""The hot paths made fast give exactly what the generic code gives."""

import copy
import json
from datetime import timedelta
from decimal import Decimal

from djangorestframework_camel_case.render import CamelCaseJSONRenderer
from rest_framework import serializers

from communitylend.core.renderers import FastCamelCaseJSONRenderer, fast_camelize
from loans.models import Loan, LoanStatus
from loans.serializers import LoanSerializer


def _generic(loan) -> dict:
    return dict(serializers.ModelSerializer.to_representation(LoanSerializer(), loan))


def test_the_loan_serializer_fast_path_matches_the_generic_one_on_every_kind_of_loan(market):
    loans = list(Loan.objects.select_related("borrower").order_by("pk"))
    assert {loan.status for loan in loans} >= {LoanStatus.LISTED, LoanStatus.ACTIVE}
    assert any(loan.clearing_rate for loan in loans) and any(not loan.clearing_rate
                                                             for loan in loans)
    odd = copy.copy(loans[0])
    odd.status, odd.probability_default, odd.ml_score = LoanStatus.FUNDED, None, None
    odd.acceptance_deadline = odd.funding_deadline + timedelta(days=5)
    odd.amount, odd.bid_total = Decimal("1234.5"), Decimal("99999.999")
    expired = copy.copy(loans[1])
    expired.status = LoanStatus.EXPIRED
    for loan in [*loans, odd, expired]:
        fast = LoanSerializer(loan).data
        assert json.dumps(fast, default=str) == json.dumps(_generic(loan), default=str), loan.pk


def test_the_fast_renderer_writes_the_same_bytes_as_the_library(market):
    loans = list(Loan.objects.select_related("borrower").order_by("pk")[:60])
    payload = {"loans": LoanSerializer(loans, many=True).data,
               "pagination": {"page": 1, "limit": 50, "total": 300, "total_pages": 6},
               "odd_keys": {"inquiries_6m": 1, "a_b_c": [{"x_y": None}], "already": (1, 2)}}
    assert FastCamelCaseJSONRenderer().render(payload) == CamelCaseJSONRenderer().render(payload)
    assert fast_camelize({"total_pages": 1})["totalPages"] == 1


def test_listing_totals_are_live_up_to_the_limit_and_shared_for_a_few_seconds_above_it(
        market, monkeypatch, django_assert_num_queries):
    from loans import selectors

    monkeypatch.setattr(selectors, "EXACT_COUNT_LIMIT", 50)
    listed = Loan.objects.filter(status=LoanStatus.LISTED)
    total = listed.count()
    assert total > 50
    assert selectors.listing_count(listed) == total
    few = listed.filter(amount=Decimal("40000"))
    assert 0 < few.count() <= 50
    assert selectors.listing_count(few) == few.count()
    Loan.objects.filter(pk=listed.first().pk).update(status=LoanStatus.CANCELLED)
    with django_assert_num_queries(0):
        assert selectors.listing_count(listed) == total  # the shared large total
    live = few.count()
    with django_assert_num_queries(1):
        assert selectors.listing_count(few) == live  # small: exact and live
