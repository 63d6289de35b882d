from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communitylend.errors import ApplicationError

from . import selectors, services
from .forms import HistoryFilterForm, MoveForm


@login_required
def wallet(request, deposit_form=None, withdraw_form=None, status=200):
    filters = HistoryFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    legs = selectors.wallet_legs(request.user.pk, kind=criteria.get("kind") or None,
                                 date_from=criteria.get("date_from"),
                                 date_to=criteria.get("date_to"))
    page = Paginator(legs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "payments/wallet.html", {
        "balances": selectors.wallet_balances(request.user.pk),
        "deposit_form": deposit_form or MoveForm(prefix="deposit"),
        "withdraw_form": withdraw_form or MoveForm(prefix="withdraw"),
        "filters": filters, "page": page, "querystring": query.urlencode(),
    }, status=status)


def _move(request, prefix, service, done):
    form = MoveForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            payment, created = service(user=request.user, amount=form.cleaned_data["amount"],
                                       idempotency_key=form.cleaned_data["idempotency_key"])
        except ApplicationError as exc:
            form.add_error("amount", exc.message)
        else:
            if created:
                messages.success(request, f"{done} {payment.amount:,.2f} (sandbox test money).")
            return redirect("wallet")
    forms = {f"{prefix}_form": form}
    return wallet(request, **forms, status=400)


@login_required
@require_POST
def deposit(request):
    return _move(request, "deposit", services.wallet_deposit, "Deposited")


@login_required
@require_POST
def withdraw(request):
    return _move(request, "withdraw", services.wallet_withdraw, "Withdrew")
