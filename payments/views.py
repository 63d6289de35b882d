import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communitylend.core.errors import ApplicationError

from . import selectors, services
from .forms import HistoryFilterForm, MoveForm, WithdrawForm
from .gateways import get_gateway

HISTORY_PAGE_SIZE = 25


@login_required
def wallet(request, deposit_form=None, withdraw_form=None, status=200):
    filters = HistoryFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    history = selectors.wallet_history(request.user.pk, kind=criteria.get("kind") or None,
                                       date_from=criteria.get("date_from"),
                                       date_to=criteria.get("date_to"))
    page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "payments/wallet.html", {
        "balances": selectors.wallet_balances(request.user.pk),
        "test_money": get_gateway().is_test_money,
        "deposit_form": deposit_form or MoveForm(prefix="deposit"),
        "withdraw_form": withdraw_form or WithdrawForm(prefix="withdraw"),
        "filters": filters, "page": page, "querystring": query.urlencode(),
    }, status=status)


def _move(request, prefix, service, done):
    form_class = WithdrawForm if prefix == "withdraw" else MoveForm
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            payment, created = service(user=request.user, amount=form.cleaned_data["amount"],
                                       idempotency_key=form.cleaned_data["idempotency_key"])
        except ApplicationError as exc:
            # Nothing happened under this key: the corrected form gets a fresh one.
            data = request.POST.copy()
            data[f"{prefix}-idempotency_key"] = uuid.uuid4().hex
            form = form_class(data, prefix=prefix)
            form.is_valid()
            form.add_error("amount", exc.message)
        else:
            if not created:
                messages.info(request, "That request was already processed; nothing was done "
                                       "twice.")
            elif payment.status == payment.Status.SETTLED:
                label = " (sandbox test money)" if get_gateway(payment.gateway).is_test_money else ""
                messages.success(request, f"{done} {payment.amount:,.2f}{label}.")
            else:
                state = payment.get_status_display().lower()
                messages.info(request, f"{prefix.title()} of {payment.amount:,.2f} is {state} at "
                                       "the payment provider.")
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
