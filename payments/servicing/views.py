"""The borrower's repayment page: schedule, next payment, payoff quote, history, pay now."""

import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communitylend.core.errors import ApplicationError
from loans.models import SERVICED, Loan

from .selectors import payoff_quote, schedule_summary
from .services import repayment_schedule


class PayForm(forms.Form):
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                                widget=forms.NumberInput(attrs={"class": "form-control",
                                                                "step": "0.01"}))
    payment_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date",
                                                                 "class": "form-control"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)


def _loan(request, loan_id):
    loan = Loan.objects.filter(pk=loan_id).first()
    if loan is None or not (loan.borrower_id == request.user.pk or request.user.is_staff
                            or loan.notes.filter(lender=request.user).exists()):
        raise Http404("Loan not found")
    return loan


@login_required
def loan_schedule(request, loan_id, form=None, status=200):
    loan = _loan(request, loan_id)
    today = timezone.localdate()
    summary = schedule_summary(loan, today)
    quote = payoff_quote(loan, today) if loan.status in SERVICED else None
    form = form or PayForm(initial={"amount": summary["next_payment_amount"],
                                    "payment_date": today,
                                    "idempotency_key": uuid.uuid4().hex})
    return render(request, "payments/schedule.html", {
        "loan": loan, "summary": summary, "quote": quote, "form": form,
        "installments": loan.installments.order_by("number"),
        "repayments": loan.repayments.order_by("-created_at")[:100],
        "is_borrower": loan.borrower_id == request.user.pk, "today": today,
    }, status=status)


@login_required
@require_POST
def loan_pay(request, loan_id):
    loan = _loan(request, loan_id)
    form = PayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment = repayment_schedule(borrower=request.user, loan_id=loan.pk,
                                         amount=data["amount"],
                                         payment_date=data["payment_date"],
                                         idempotency_key=data["idempotency_key"])
        except ApplicationError as exc:
            form.add_error("amount" if exc.field in (None, "amount") else None, exc.message)
        else:
            what = ("received" if payment.status == "completed"
                    else f"scheduled for {payment.scheduled_for}")
            messages.success(request, f"Payment of {payment.amount:,.2f} {what}.")
            return redirect("loan_schedule", loan_id=loan.pk)
    return loan_schedule(request, loan.pk, form=form, status=400)
