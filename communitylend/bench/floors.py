"""The floors: the least work that gives the same answer as each measured endpoint.

Each floor goes through the same stack as the real thing (middleware, DRF authentication,
permission, throttling and the camelCase renderer; or the same template) but answers with objects
fixed in memory when the bench starts, taken from the real endpoint's own output, so the bytes
are the same and no database work is left. ``fix`` sets them; ``communitylend.bench.urls`` routes
them under ``/bench-floor/`` (only while the bench runs).
"""

import copy

from django.core.paginator import Paginator
from django.shortcuts import render
from rest_framework.response import Response
from rest_framework.views import APIView

from investments.market.apis import ListingsApi
from loans.apis import LoanDetailApi, LoanListApi
from loans.forms import MarketplaceFilterForm

FIXED: dict[str, object] = {}


class _FixedList(list):
    """A list that reports ``total`` items to the paginator (it holds only one page)."""

    def __init__(self, items, total: int):
        super().__init__(items)
        self.total = total

    def count(self):  # noqa: D401 - Paginator's protocol
        return self.total


def fix(*, loans_list: dict, loan_detail: dict, marketplace_loans: list, marketplace_total: int):
    FIXED.update(loans_list=copy.deepcopy(loans_list), loan_detail=copy.deepcopy(loan_detail),
                 marketplace_loans=list(marketplace_loans), marketplace_total=marketplace_total)


class LoansFloorApi(APIView):
    """``/api/loans``'s floor: the same envelope of 50 fixed loans."""

    renderer_classes = LoanListApi.renderer_classes

    def get(self, request):
        return Response(FIXED["loans_list"])


class LoanDetailFloorApi(APIView):
    renderer_classes = LoanDetailApi.renderer_classes
    def get(self, request):
        return Response(FIXED["loan_detail"])


class MarketListingsFloorApi(APIView):
    """``/api/market/listings``'s floor: the same page of fixed listings."""

    renderer_classes = ListingsApi.renderer_classes

    def get(self, request):
        return Response(FIXED["market_listings"])


def marketplace_floor(request):
    """``/marketplace/``'s floor: the same template and form over a fixed page of listings."""
    items = FIXED["marketplace_loans"]
    page = Paginator(_FixedList(items, FIXED["marketplace_total"]), len(items) or 1).get_page(1)
    return render(request, "loans/marketplace.html", {
        "form": MarketplaceFilterForm(None), "page": page, "querystring": ""})
