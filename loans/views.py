from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.flags import flag_enabled
from accounts.models import FeatureFlag
from communitylend.core.errors import ApplicationError
from communitylend.core.http import client_ip, user_agent
from communitylend.core.redirects import safe_next
from risk.models import RiskAssessment
from risk.services import inputs_from_profile, risk_assess

from . import documents, selectors, services
from .agreements import agreement_review
from .auction import STANDING_LABELS, bid_views, clear, standing
from .facts import borrower_facts, grade_in_words, pd_in_words
from .forms import (
    AcceptForm,
    BidChangeForm,
    BidForm,
    ConsentForm,
    EstimateForm,
    ExpectedReturnForm,
    LoanApplyForm,
    LoanDocumentForm,
    MarketplaceFilterForm,
    MaxRateForm,
    PreferenceForm,
    VisitorEstimateForm,
)
from .matching import loan_matches
from .models import Bid, BidStatus, LenderPreference, Loan, LoanStatus, SignedAgreement
from .pricing import active_pricing, expected_at, listing_expected, listing_rate


def marketplace(request):
    form = MarketplaceFilterForm(request.GET or None)
    qs = selectors.with_borrower(Loan.objects.filter(status=LoanStatus.LISTED))
    sort = "-created_at"
    filters = None
    if form.is_valid():
        data = form.cleaned_data
        filters = sorted((k, str(v)) for k, v in data.items() if k != "sort")
        qs = selectors.filter_loans(qs, min_amount=data["min_amount"],
                                    max_amount=data["max_amount"], risk_grade=data["grade"],
                                    term_months=data["term"], purpose=data["purpose"])
        sort = data["sort"] or sort
    qs = qs.order_by(sort, "-id" if sort.startswith("-") else "id")
    # The total is the same for every visitor too: keyed by the filters (not the SQL text) and
    # shared as long as the table.
    page = selectors.ListingPaginator(
        qs, 20, count_key=f"marketplace:{filters!r}",
        shared_seconds=settings.LISTING_CACHE_SECONDS).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The table is the same for every visitor: its HTML is shared for LISTING_CACHE_SECONDS (the
    # rows are only queried when it is rendered again). The rest of the page is per visitor.
    return render(request, "loans/marketplace.html", {
        "form": form, "page": page, "querystring": query.urlencode(),
        "listing_cache_seconds": settings.LISTING_CACHE_SECONDS})


def _loan_or_404(request, loan_id, *, with_assessment: bool = False):
    loan = None
    if request.user.is_authenticated:
        loan = selectors.loan_visible(request.user, loan_id, with_assessment=with_assessment)
    else:
        loan = Loan.objects.filter(pk=loan_id, status=LoanStatus.LISTED).select_related(
            "borrower", "risk_assessment").first()
    if loan is None:
        raise Http404("Loan not found")
    return loan


def _live_expected_return(form, loan) -> None:
    """The rate field asks for the expected net return at the rate typed, as it is typed (htmx;
    attributes only, no script: the CSP forbids inline scripts)."""
    form.fields["rate"].widget.attrs.update({
        "hx-get": reverse("loan_expected_return", args=[loan.pk]),
        "hx-trigger": "load, input changed delay:300ms", "hx-target": "#expected-return",
        "hx-swap": "innerHTML", "aria-describedby": "expected-return"})


def _documents_context(request, loan, document_form=None) -> dict:
    if not documents.may_see_documents(user=request.user, loan=loan):
        return {}
    is_owner = loan.borrower_id == request.user.pk
    attachable = documents.attachable_documents(borrower=request.user, loan=loan) \
        if is_owner else []
    return {"loan_documents": documents.loan_documents(loan=loan),
            "document_form": document_form or LoanDocumentForm(attachable=attachable)
            if is_owner else None}


def _listing_context(request, loan, bid_form=None, document_form=None):
    user = request.user
    book = list(selectors.order_book(loan))
    my_bid = next((b for b in book if user.is_authenticated and b.lender_id == user.pk
                   and b.status == BidStatus.OPEN), None)
    bid_form = bid_form or BidForm(initial={
        "rate": min(loan.recommended_rate, loan.max_rate).quantize(Decimal("0.01"))})
    _live_expected_return(bid_form, loan)
    loss_rate, net_return = listing_expected(loan, active_pricing())
    return {
        "loan": loan, "book": book, "my_bid": my_bid,
        "is_owner": user.is_authenticated and loan.borrower_id == user.pk,
        "bid_form": bid_form,
        "change_form": BidChangeForm(initial={"rate": my_bid.rate, "amount": my_bid.amount})
        if my_bid else None,
        "show_lenders": user.is_authenticated and user.is_staff,
        "expected_loss_rate": loss_rate, "expected_net_return": net_return,
        "expected_at_rate": listing_rate(loan),
        **_documents_context(request, loan, document_form),
        "my_standing": STANDING_LABELS[standing(my_bid.pk, my_bid.amount, clear(
            bid_views([b for b in book if b.status == BidStatus.OPEN]), loan.amount))]
        if my_bid else None,
        "signed_agreement": SignedAgreement.objects.filter(loan=loan).only(
            "loan_id", "version").first()
        if user.is_authenticated and loan.disbursed_at
        and (user.is_staff or loan.borrower_id == user.pk) else None,
    }


def _lender_view(loan) -> dict:
    """What a lender reads to judge the listing (the page, not the live fragment)."""
    return {"facts": borrower_facts(loan), "pd_words": pd_in_words(loan),
            "pd_percent": None if loan.probability_default is None
            else loan.probability_default * 100,
            "grade_words": grade_in_words(loan.risk_grade)}


def loan_detail(request, loan_id):
    loan = _loan_or_404(request, loan_id, with_assessment=True)
    return render(request, "loans/detail.html",
                  {**_listing_context(request, loan), **_lender_view(loan)})


def loan_expected_return(request, loan_id):
    """The expected net return at the rate typed in the bid form (an htmx fragment; always 200,
    since htmx shows only successful answers: a bad rate gets a line saying so)."""
    loan = _loan_or_404(request, loan_id)
    form = ExpectedReturnForm(request.GET)
    context = {"loan": loan, "error": None, "rate": None}
    if not form.is_valid():
        context["error"] = "Enter a rate between 0 and 100, such as 9.50."
    else:
        rate = form.cleaned_data["rate"]
        loss_rate, net_return = expected_at(loan, rate, active_pricing())
        context.update(rate=rate, expected_loss_rate=loss_rate, expected_net_return=net_return)
    return render(request, "loans/_expected_return.html", context)


def loan_live(request, loan_id):
    """The live auction state, polled by htmx on the listing page."""
    loan = _loan_or_404(request, loan_id)
    return render(request, "loans/_live.html", _listing_context(request, loan))


@login_required
def loan_apply(request):
    form = LoanApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.loan_apply(
                borrower=request.user, amount=data["amount"], term_months=data["term_months"],
                purpose=data["purpose"], max_rate=data["max_rate"],
                description=data["description"],
                collateral_description=data["collateral_description"])
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Your loan is listed with grade {loan.risk_grade}.")
            if loan.rate_below_floor:
                messages.warning(request, f"Your maximum rate {loan.max_rate:.2f}% is below "
                                 f"the grade {loan.risk_grade} floor of {loan.floor_rate:.2f}%: "
                                 "nobody can bid until you raise it.")
            return redirect("loan_detail", loan_id=loan.pk)
    return render(request, "loans/apply.html", {"form": form,
                                                "missing": request.user.missing_profile_fields()},
                  status=400 if form.errors else 200)


def _report_form_errors(request, form) -> None:
    """Every invalid field of the bid, by the name the form shows."""
    def label(name: str) -> str:
        field = form.fields.get(name)
        return (field.label if field and field.label else name.replace("_", " ")).capitalize()

    messages.error(request, "Check the bid: " + "; ".join(
        f"{label(name) if name != '__all__' else 'Bid'}: {' '.join(errors)}"
        for name, errors in form.errors.items()))


def _act(request, action, success):
    try:
        action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def bid_place(request, loan_id):
    loan = _loan_or_404(request, loan_id)
    form = BidForm(request.POST)
    if form.is_valid():
        if _act(request, lambda: services.bid_place(
                lender=request.user, loan_id=loan.pk, amount=form.cleaned_data["amount"],
                rate=form.cleaned_data["rate"]), "Bid placed; the amount is held in your wallet."):
            return redirect("loan_detail", loan_id=loan.pk)
    else:
        _report_form_errors(request, form)
    loan.refresh_from_db()
    return render(request, "loans/detail.html",
                  {**_listing_context(request, loan, form), **_lender_view(loan)}, status=400)


def _my_bid_or_404(request, bid_id) -> Bid:
    bid = Bid.objects.filter(pk=bid_id, lender=request.user).first()
    if bid is None:
        raise Http404("Bid not found")
    return bid


@login_required
@require_POST
def bid_change(request, bid_id):
    bid = _my_bid_or_404(request, bid_id)
    form = BidChangeForm(request.POST)
    if form.is_valid():
        _act(request, lambda: services.bid_update(
            lender=request.user, bid_id=bid.pk, rate=form.cleaned_data["rate"],
            amount=form.cleaned_data["amount"]), "Bid updated.")
    else:
        _report_form_errors(request, form)
    return redirect(safe_next(request, f"/loans/{bid.loan_id}/"))


@login_required
@require_POST
def bid_withdraw(request, bid_id):
    bid = _my_bid_or_404(request, bid_id)
    _act(request, lambda: services.bid_withdraw(lender=request.user, bid_id=bid.pk),
         "Bid withdrawn; the funds are available again.")
    return redirect(safe_next(request, f"/loans/{bid.loan_id}/"))


def _requested_amount(request):
    form = AcceptForm(request.GET if request.method == "GET" else request.POST)
    return form.cleaned_data.get("amount") if form.is_valid() else None


@login_required
@require_POST
def loan_document_add(request, loan_id):
    """Attach one of your documents, or a new upload, to your open application. Someone
    else's application is refused with the reason (403), anything else wrong with 400."""
    loan = _loan_or_404(request, loan_id)
    attachable = documents.attachable_documents(borrower=request.user, loan=loan)
    form = LoanDocumentForm(request.POST, request.FILES, attachable=attachable)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["file"]:
                documents.loan_document_upload(
                    borrower=request.user, loan_id=loan.pk, uploaded_file=data["file"],
                    document_type=data["document_type"])
            else:
                documents.loan_document_attach(borrower=request.user, loan_id=loan.pk,
                                               document_id=data["document"])
        except ApplicationError as exc:
            messages.error(request, exc.message)
            status = exc.status_code
        else:
            messages.success(request, "Document attached to your application. Staff will "
                                      "review it.")
            return redirect("loan_detail", loan_id=loan.pk)
    elif loan.borrower_id != request.user.pk:
        messages.error(request, documents.NOT_YOURS)
        status = 403
    else:
        _report_form_errors(request, form)
    return render(request, "loans/detail.html",
                  _listing_context(request, loan, document_form=form if loan.borrower_id
                                   == request.user.pk else None), status=status)


@login_required
@require_POST
def loan_document_remove(request, loan_id, document_id):
    loan = _loan_or_404(request, loan_id)
    _act(request, lambda: documents.loan_document_detach(
        borrower=request.user, loan_id=loan.pk, document_id=document_id),
        "Document taken off the application (it stays among your documents).")
    return redirect("loan_detail", loan_id=loan.pk)


@login_required
def loan_accept(request, loan_id):
    """Accepting, in two steps: GET reviews the final terms and the agreement; POST (the box
    ticked, the version read) accepts them, records the consent and disburses."""
    loan = _loan_or_404(request, loan_id)
    amount = _requested_amount(request)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        accepted = _act(request, lambda: services.loan_accept(
            borrower=request.user, loan_id=loan.pk, amount=amount,
            consent=services.Consent(agreement_version=data["agreement_version"],
                                     ip_address=client_ip(request),
                                     user_agent=user_agent(request)),
            reviewed_rate=data["reviewed_rate"]),
            "Loan accepted: the money is in your wallet. Your signed agreement is on this page.")
        if accepted:
            return redirect("loan_detail", loan_id=loan.pk)
        loan.refresh_from_db()
    try:
        review = agreement_review(loan=loan, borrower=request.user, amount=amount)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("loan_detail", loan_id=loan.pk)
    if request.method == "GET" or not form.is_bound or form.is_valid():
        form = ConsentForm(initial={"agreement_version": review.agreement.version,
                                    "reviewed_rate": review.terms.rate, "amount": amount})
    return render(request, "loans/accept.html", {"loan": loan, "review": review, "form": form,
                                                 "amount": amount},
                  status=400 if form.errors else 200)


@login_required
def loan_agreement_signed(request, loan_id):
    """The signed copy, for the borrower and staff only."""
    signed = SignedAgreement.objects.filter(loan_id=loan_id).first()
    if signed is None or not (request.user.is_staff or signed.borrower_id == request.user.pk):
        raise Http404("No signed agreement")
    response = HttpResponse(signed.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="loan-{loan_id}-agreement-v{signed.version}.txt"')
    return response


@login_required
@require_POST
def loan_max_rate(request, loan_id):
    loan = _loan_or_404(request, loan_id)
    form = MaxRateForm(request.POST)
    if form.is_valid():
        _act(request, lambda: services.loan_raise_max_rate(
            borrower=request.user, loan_id=loan.pk, max_rate=form.cleaned_data["max_rate"]),
            "Maximum rate raised.")
    else:
        messages.error(request, "Enter a rate such as 12.50.")
    return redirect("loan_detail", loan_id=loan.pk)


@login_required
@require_POST
def loan_cancel(request, loan_id):
    loan = _loan_or_404(request, loan_id)
    _act(request, lambda: services.loan_cancel(acting_user=request.user, loan_id=loan.pk),
         "Listing cancelled; every bid's hold was released.")
    return redirect("my_loans")


@login_required
def my_loans(request):
    loans = Loan.objects.filter(borrower=request.user).order_by("-created_at")
    return render(request, "loans/my_loans.html", {"loans": loans})


@login_required
def my_bids(request):
    status = request.GET.get("status") or None
    page = Paginator(selectors.bids_of(request.user, status=status), 25).get_page(
        request.GET.get("page"))
    standings = selectors.bid_standings(page.object_list)
    for bid in page.object_list:
        bid.standing = standings.get(bid.pk)
        bid.standing_label = STANDING_LABELS.get(bid.standing, "")
    return render(request, "loans/my_bids.html", {
        "page": page, "status": status, "statuses": BidStatus.choices,
        "querystring": f"status={status}" if status else ""})


def loan_estimate(request):
    """What a borrower would get before applying: grade, rate range, monthly payment. Signed in,
    from the profile; without an account, from the few facts typed in (nothing is stored)."""
    visitor = not request.user.is_authenticated
    form = (VisitorEstimateForm if visitor else EstimateForm)(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            if visitor:
                assessment = risk_assess(inputs=form.model_inputs(),
                                         source=RiskAssessment.Source.ESTIMATE, save=False)
            else:
                assessment = risk_assess(
                    inputs=inputs_from_profile(request.user, loan_amount=data["amount"],
                                               term_months=data["term_months"],
                                               purpose=data["purpose"]),
                    user=request.user, source=RiskAssessment.Source.ESTIMATE)
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            low = services.loan_terms(amount=data["amount"], rate=assessment.floor_rate,
                                      term_months=data["term_months"], grade=assessment.grade)
            high = services.loan_terms(amount=data["amount"], rate=assessment.recommended_rate,
                                       term_months=data["term_months"], grade=assessment.grade)
            result = {"assessment": assessment, "low": low, "high": high,
                      "pd_percent": assessment.probability_default * 100}
    return render(request, "loans/estimate.html", {
        "form": form, "result": result, "visitor": visitor,
        "missing": [] if visitor else request.user.missing_profile_fields()},
        status=400 if form.errors else 200)


@login_required
def matches(request):
    if not flag_enabled(FeatureFlag.AUTO_MATCHING):
        raise Http404("Loan matching is turned off on this platform")

    preference = LenderPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST or None, initial={
        "risk_tolerance": preference.risk_tolerance if preference else "",
        "min_amount": preference.min_amount if preference else None,
        "max_amount": preference.max_amount if preference else None,
        "terms": [str(t) for t in preference.terms] if preference else []})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _act(request, lambda: services.lender_preference_set(
                user=request.user, risk_tolerance=data["risk_tolerance"],
                min_amount=data["min_amount"], max_amount=data["max_amount"],
                terms=[int(t) for t in data["terms"]]), "Preferences saved."):
            return redirect("matches")
    found = loan_matches(request.user)
    loans = {loan.pk: loan for loan in Loan.objects.filter(pk__in=[m.loan_id for m in found])}
    rows = [(m, loans[m.loan_id]) for m in found if m.loan_id in loans]
    return render(request, "loans/matches.html", {"form": form, "rows": rows},
                  status=400 if form.errors else 200)
