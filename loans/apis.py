import math

from djangorestframework_camel_case.render import CamelCaseBrowsableAPIRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from accounts.models import User
from communitylend.core.errors import ApplicationError, NotFound
from communitylend.core.forms import LimitQuery, query_problem
from communitylend.core.renderers import FastCamelCaseJSONRenderer

from . import selectors, services
from .matching import loan_matches
from .models import LenderPreference
from .pricing import active_pricing, expected_at
from .serializers import (
    AcceptSerializer,
    BidCreateSerializer,
    BidListResponseSerializer,
    BidResponseSerializer,
    BidSerializer,
    BidUpdateSerializer,
    ExpectedReturnQuerySerializer,
    ExpectedReturnSerializer,
    LenderPreferenceSerializer,
    LoanCreateResponseSerializer,
    LoanCreateSerializer,
    LoanListQuerySerializer,
    LoanListResponseSerializer,
    LoanResponseSerializer,
    LoanSerializer,
    MatchSerializer,
    MaxRateSerializer,
    OrderBookResponseSerializer,
)


class MoneyThrottleMixin:
    throttle_classes = [UserRateThrottle, ScopedRateThrottle]
    throttle_scope = "money"


def _visible_loan(request, loan_id):
    loan = selectors.loan_visible(request.user, loan_id)
    if loan is None:
        raise NotFound("Loan not found")
    return loan


# The read endpoints that answer many loans or bids, many times a second.
FAST_RENDERERS = [FastCamelCaseJSONRenderer, CamelCaseBrowsableAPIRenderer]


class LoanListApi(APIView):
    renderer_classes = FAST_RENDERERS

    @extend_schema(parameters=[LoanListQuerySerializer], responses={200: LoanListResponseSerializer})
    def get(self, request):
        query = LoanListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)

        def build():
            options = dict(params)
            page, limit = options.pop("page"), options.pop("limit")
            after = options.pop("after", None)
            qs = selectors.loan_list(request.user, **options)
            # What decides the count: the filters, and the viewer when a status is asked for
            # (status=all lists the viewer's own loans too); not the sort.
            count_key = repr(sorted((k, v) for k, v in options.items()
                                    if k not in ("sort_by", "sort_order")))
            if options.get("status"):
                count_key += f":user={request.user.pk}"
            total = selectors.listing_count(qs, key=f"api-loans:{count_key}")
            if after is None:
                rows = list(qs[(page - 1) * limit: page * limit + 1])
            else:  # keyset: the rows past the cursor, whatever the depth
                rows = list(selectors.loan_list(request.user, after=after, **options)[:limit + 1])
            more, rows = len(rows) > limit, rows[:limit]
            cursor = selectors.ListCursor.after_row(rows[-1], options["sort_by"],
                                                    options["sort_order"]) if more else None
            return {
                "loans": LoanSerializer(rows, many=True).data,
                "pagination": {"page": page, "limit": limit, "total": total,
                               "total_pages": max(1, math.ceil(total / limit)),
                               "next_cursor": cursor.encode() if cursor else None},
            }

        return Response(selectors.public_listing_page(params, build))


class LoanCreateApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=LoanCreateSerializer, responses={201: LoanCreateResponseSerializer})
    def post(self, request):
        data = LoanCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        loan = services.loan_apply(
            borrower=request.user, amount=values["amount"], term_months=values["term_months"],
            purpose=values["purpose"], max_rate=values["interest_rate"],
            description=values["description"],
            collateral_description=values["collateral_description"],
        )
        body = {"success": True, "loan": LoanSerializer(loan).data}
        if loan.rate_below_floor:
            body["warning"] = (f"Your maximum rate {loan.max_rate:.2f}% is below the grade "
                               f"{loan.risk_grade} floor of {loan.floor_rate:.2f}%: nobody can "
                               "bid until you raise it.")
        return Response(body, status=status.HTTP_201_CREATED)


class LoanDetailApi(APIView):
    patch_partial = False  # PATCH changes the maximum rate: interestRate is required
    renderer_classes = FAST_RENDERERS

    @extend_schema(responses={200: LoanSerializer})
    def get(self, request, loan_id: int):
        return Response(LoanSerializer(_visible_loan(request, loan_id)).data)

    @extend_schema(request=MaxRateSerializer, responses={200: LoanResponseSerializer})
    def patch(self, request, loan_id: int):
        """The borrower raises the maximum rate (interestRate) of an open listing."""
        _visible_loan(request, loan_id)
        data = MaxRateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        loan = services.loan_raise_max_rate(borrower=request.user, loan_id=loan_id,
                                            max_rate=data.validated_data["interest_rate"])
        return Response({"success": True, "loan": LoanSerializer(loan).data})


class LoanExpectedReturnApi(APIView):
    """What a lender can expect from a loan at a rate they are considering."""

    @extend_schema(parameters=[ExpectedReturnQuerySerializer],
                   responses={200: ExpectedReturnSerializer})
    def get(self, request, loan_id: int):
        loan = _visible_loan(request, loan_id)
        query = ExpectedReturnQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rate = query.validated_data["rate"]
        loss_rate, net_return = expected_at(loan, rate, active_pricing())
        return Response(ExpectedReturnSerializer({
            "loan_id": loan.pk, "rate": rate, "expected_loss_rate": loss_rate,
            "expected_net_return": net_return, "floor_rate": loan.floor_rate,
            "recommended_rate": loan.recommended_rate}).data)


class LoanBidsApi(APIView):
    renderer_classes = FAST_RENDERERS

    @extend_schema(responses={200: OrderBookResponseSerializer})
    def get(self, request, loan_id: int):
        loan = _visible_loan(request, loan_id)
        bids = selectors.order_book(loan)
        return Response({"bids": BidSerializer(bids, many=True,
                                                context={"request": request}).data,
                         "clearingRate": loan.clearing_rate,
                         "fundedAmount": f"{loan.funded_amount:.2f}",
                         "bidCount": loan.bid_count})


class LoanAcceptApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=AcceptSerializer, responses={200: LoanResponseSerializer})
    def post(self, request, loan_id: int):
        _visible_loan(request, loan_id)
        data = AcceptSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        loan = services.loan_accept(borrower=request.user, loan_id=loan_id,
                                    amount=data.validated_data.get("amount"))
        return Response({"success": True, "loan": LoanSerializer(loan).data})


class LoanCancelApi(MoneyThrottleMixin, APIView):  # releasing every hold moves money
    @extend_schema(request=None, responses={200: LoanResponseSerializer})
    def post(self, request, loan_id: int):
        _visible_loan(request, loan_id)
        loan = services.loan_cancel(acting_user=request.user, loan_id=loan_id)
        return Response({"success": True, "loan": LoanSerializer(loan).data})


class BidCreateApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=BidCreateSerializer, responses={201: BidResponseSerializer})
    def post(self, request):
        data = BidCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if selectors.loan_visible(request.user, values["loan_id"]) is None:
            raise NotFound("Loan not found")
        bid = services.bid_place(lender=request.user, loan_id=values["loan_id"],
                                 amount=values["amount"], rate=values["rate"], source="api")
        return Response({"success": True,
                         "bid": BidSerializer(bid, context={"request": request}).data},
                        status=status.HTTP_201_CREATED)


class MyBidsApi(APIView):
    renderer_classes = FAST_RENDERERS

    @extend_schema(parameters=[OpenApiParameter("status", str)],
                   responses={200: BidListResponseSerializer})
    def get(self, request):
        bids = selectors.bids_of(request.user, status=request.query_params.get("status"))[:500]
        return Response({"bids": BidSerializer(bids, many=True,
                                                context={"request": request}).data})


class BidDetailApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=BidUpdateSerializer, responses={200: BidResponseSerializer})
    def patch(self, request, bid_id: int):
        data = BidUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bid = services.bid_update(lender=request.user, bid_id=bid_id, **data.validated_data)
        return Response({"success": True,
                         "bid": BidSerializer(bid, context={"request": request}).data})

    @extend_schema(request=None, responses={200: BidResponseSerializer})
    def delete(self, request, bid_id: int):
        bid = services.bid_withdraw(lender=request.user, bid_id=bid_id)
        return Response({"success": True,
                         "bid": BidSerializer(bid, context={"request": request}).data})


class LoanMatchingApi(APIView):
    """Open listings ranked for a lender (the user themself or staff)."""

    @extend_schema(responses={200: inline_serializer(
        "LoanMatchingResponse", {"success": serializers.BooleanField(),
                                 "matches": MatchSerializer(many=True)})})
    def get(self, request, user_id: int):
        if request.user.pk != user_id and not request.user.is_staff:
            raise NotFound("User not found")
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound("User not found")
        query = LimitQuery(request.query_params)
        problem = query_problem(query)
        if problem:
            raise ApplicationError(problem[1], field=problem[0])
        matches = loan_matches(user, limit=query.cleaned_data["limit"] or 20)
        return Response({"success": True,
                         "matches": MatchSerializer([m.__dict__ for m in matches],
                                                    many=True).data})


class LenderPreferenceApi(APIView):
    @extend_schema(responses={200: LenderPreferenceSerializer})
    def get(self, request):
        preference = LenderPreference.objects.filter(user=request.user).first()
        data = LenderPreferenceSerializer(preference).data if preference else {
            "risk_tolerance": "", "min_amount": None, "max_amount": None, "terms": []}
        return Response(data)

    @extend_schema(request=LenderPreferenceSerializer, responses={200: LenderPreferenceSerializer})
    def put(self, request):
        data = LenderPreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.lender_preference_set(user=request.user, **data.validated_data)
        return Response(LenderPreferenceSerializer(preference).data)
