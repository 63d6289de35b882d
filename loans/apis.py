import math

from djangorestframework_camel_case.render import CamelCaseBrowsableAPIRenderer
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from accounts.flags import flag_enabled
from accounts.models import FeatureFlag, KycDocumentType, User
from accounts.serializers import KycDocumentSerializer
from communitylend.core.errors import ApplicationError, NotFound
from communitylend.core.forms import LimitQuery, query_problem
from communitylend.core.http import client_ip, user_agent
from communitylend.core.renderers import FastCamelCaseJSONRenderer

from . import documents, selectors, services
from .agreements import agreement_review
from .matching import loan_matches
from .models import LenderPreference
from .pricing import active_pricing, expected_at
from .serializers import (
    AcceptSerializer,
    AgreementSerializer,
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
        bids = list(selectors.order_book(loan))
        mine = [b for b in bids if b.lender_id == request.user.pk]
        return Response({"bids": BidSerializer(bids, many=True, context={
                             "request": request,
                             "standings": selectors.standings_in_book(bids, loan.amount, mine)}).data,
                         "clearingRate": loan.clearing_rate,
                         "fundedAmount": f"{loan.funded_amount:.2f}",
                         "bidCount": loan.bid_count})


class LoanAgreementApi(APIView):
    """The review step of accepting: the agreement to read and the final terms (the borrower)."""

    @extend_schema(parameters=[OpenApiParameter("amount", str, required=False)],
                   responses={200: AgreementSerializer})
    def get(self, request, loan_id: int):
        loan = _visible_loan(request, loan_id)
        amount = request.query_params.get("amount")
        review = agreement_review(loan=loan, borrower=request.user,
                                  amount=_amount_param(amount) if amount else None)
        return Response({"agreement_version": review.agreement.version,
                         "title": review.agreement.title, "text": review.text,
                         "terms": review.terms.as_json()})


def _amount_param(text: str):
    data = AcceptSerializer(data={"amount": text})
    data.is_valid(raise_exception=True)
    return data.validated_data["amount"]


class LoanAcceptApi(MoneyThrottleMixin, APIView):
    @extend_schema(request=AcceptSerializer, responses={200: LoanResponseSerializer})
    def post(self, request, loan_id: int):
        _visible_loan(request, loan_id)
        data = AcceptSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        consent = services.Consent(
            agreement_version=data.validated_data.get("agreement_version"),
            ip_address=client_ip(request), user_agent=user_agent(request))
        loan = services.loan_accept(borrower=request.user, loan_id=loan_id,
                                    amount=data.validated_data.get("amount"), consent=consent)
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
        bids = list(selectors.bids_of(request.user,
                                      status=request.query_params.get("status"))[:500])
        return Response({"bids": BidSerializer(bids, many=True, context={
            "request": request, "standings": selectors.bid_standings(bids)}).data})


class BidDetailApi(MoneyThrottleMixin, APIView):
    @extend_schema(responses={200: BidResponseSerializer}, operation_id="bids_retrieve")
    def get(self, request, bid_id: int):
        bid = selectors.bids_of(request.user).filter(pk=bid_id).first()
        if bid is None:
            raise NotFound("Bid not found")
        return Response({"success": True,
                         "bid": BidSerializer(bid, context={"request": request}).data})

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
        if not flag_enabled(FeatureFlag.AUTO_MATCHING):
            raise NotFound("Loan matching is turned off on this platform (ENABLE_AUTO_MATCHING)")
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


class LoanDocumentAttachSerializer(serializers.Serializer):
    """Either a new file (multipart, with its type) or one of your documents by id."""

    document_id = serializers.UUIDField(required=False)
    document_type = serializers.ChoiceField(choices=KycDocumentType.choices, required=False)
    file = serializers.FileField(required=False)


class LoanDocumentsApi(APIView):
    """The documents attached to a loan application: the borrower and staff see them; the
    borrower attaches (an upload, or one of their documents) while it is open."""

    def _loan(self, request, loan_id):
        loan = _visible_loan(request, loan_id)
        if not documents.may_see_documents(user=request.user, loan=loan):
            raise NotFound("Loan not found")  # a listing's documents are its borrower's own
        return loan

    @extend_schema(responses={200: inline_serializer("LoanDocumentList", {
        "documents": KycDocumentSerializer(many=True)})})
    def get(self, request, loan_id: int):
        loan = self._loan(request, loan_id)
        return Response({"documents": KycDocumentSerializer(
            documents.loan_documents(loan=loan), many=True).data})

    @extend_schema(request={"multipart/form-data": LoanDocumentAttachSerializer,
                            "application/json": LoanDocumentAttachSerializer},
                   responses={201: inline_serializer("LoanDocumentAttached", {
                       "success": serializers.BooleanField(),
                       "document": KycDocumentSerializer()})})
    def post(self, request, loan_id: int):
        _visible_loan(request, loan_id)  # someone else's private loan: 404
        data = LoanDocumentAttachSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("file") is not None:
            if not values.get("document_type"):
                raise ApplicationError("documentType is required with a file",
                                       field="document_type")
            document = documents.loan_document_upload(
                borrower=request.user, loan_id=loan_id, uploaded_file=values["file"],
                document_type=values["document_type"])
        elif values.get("document_id") is not None:
            document = documents.loan_document_attach(
                borrower=request.user, loan_id=loan_id, document_id=values["document_id"])
        else:
            raise ApplicationError("Send a file (with documentType) or a documentId",
                                   field="document_id")
        return Response({"success": True, "document": KycDocumentSerializer(document).data},
                        status=status.HTTP_201_CREATED)


class LoanDocumentDetailApi(APIView):
    @extend_schema(responses={200: inline_serializer("LoanDocumentDetached", {
        "success": serializers.BooleanField()})})
    def delete(self, request, loan_id: int, document_id):
        _visible_loan(request, loan_id)
        documents.loan_document_detach(borrower=request.user, loan_id=loan_id,
                                       document_id=document_id)
        return Response({"success": True})
