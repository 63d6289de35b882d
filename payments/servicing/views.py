"""The borrower's repayment page: schedule, next payment, payoff quote, history, pay now."""

import uuid
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communitylend.core.errors import ApplicationError
from communitylend.core.forms import DecimalFormField
from loans.models import SERVICED, Loan
from payments.models import ApplyTo, HardshipPlan, Installment, InstallmentStatus, Repayment

from .lifecycle import hardship_request
from .selectors import hardship_plan_for, payment_preview, payoff_quote, schedule_summary
from .services import repayment_schedule
from .statements import statement_csv, statement_for, statement_pdf, statement_year


class PayForm(forms.Form):
    amount = DecimalFormField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
                                widget=forms.NumberInput(attrs={"class": "form-control",
                                                                "step": "0.01"}))
    payment_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date",
                                                                 "class": "form-control"}))
    apply_to = forms.ChoiceField(choices=[
        (ApplyTo.INSTALLMENT, "Pay my next installment (anything more goes to principal)"),
        (ApplyTo.PRINCIPAL, "Pay extra toward principal (after what is due and the interest "
                            "to date)")], initial=ApplyTo.INSTALLMENT,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    method = forms.ChoiceField(choices=[
        (Repayment.Method.WALLET, "From my wallet"),
        (Repayment.Method.BANK_DEBIT, "By bank debit (installments only; your bank can return "
                                      "it within 4 business days)")],
        initial=Repayment.Method.WALLET, required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_method(self):
        return self.cleaned_data.get("method") or Repayment.Method.WALLET


def _loan(request, loan_id):
    loan = Loan.objects.filter(pk=loan_id).first()
    if loan is None or not (loan.borrower_id == request.user.pk or request.user.is_staff
                            or loan.notes.filter(lender=request.user).exists()):
        raise Http404("Loan not found")
    return loan


@login_required
def loan_schedule(request, loan_id, form=None, status=200, preview=None):
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
        "preview": preview, "hardship_plan": hardship_plan_for(loan),
    }, status=status)


@login_required
@require_POST
def loan_pay(request, loan_id):
    loan = _loan(request, loan_id)
    form = PayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if not data["confirm"]:  # first step: say what the payment will settle
                if loan.borrower_id != request.user.pk or loan.status not in SERVICED:
                    raise ApplicationError("Only the borrower can pay this loan")
                if data["payment_date"] < timezone.localdate():
                    raise ApplicationError("The date cannot be in the past",
                                           field="payment_date")
                preview = payment_preview(loan, amount=data["amount"],
                                          day=data["payment_date"],
                                          apply_to=data["apply_to"])
                confirm = PayForm(initial={**data, "confirm": True})
                return loan_schedule(request, loan.pk, form=confirm, preview=preview)
            payment = repayment_schedule(borrower=request.user, loan_id=loan.pk,
                                         amount=data["amount"],
                                         payment_date=data["payment_date"],
                                         idempotency_key=data["idempotency_key"],
                                         apply_to=data["apply_to"], method=data["method"])
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in ("amount", "payment_date") else None,
                           exc.message)
        else:
            what = ("received" if payment.status == "completed"
                    else f"scheduled for {payment.scheduled_for}")
            messages.success(request, f"Payment of {payment.amount:,.2f} {what}.")
            return redirect("loan_schedule", loan_id=loan.pk)
    return loan_schedule(request, loan.pk, form=form, status=400)


class HardshipForm(forms.Form):
    type = forms.ChoiceField(choices=HardshipPlan.Kind.choices,
                             widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    months = forms.IntegerField(min_value=1, max_value=6, widget=forms.NumberInput(
        attrs={"class": "form-control", "min": 1, "max": 6}))
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(
        attrs={"class": "form-control", "rows": 4}))


@login_required
def loan_hardship(request, loan_id):
    """The borrower asks for a hardship plan and sees where it stands."""
    loan = _loan(request, loan_id)
    if loan.borrower_id != request.user.pk:
        raise Http404("Loan not found")
    form = HardshipForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                hardship_request(borrower=request.user, loan_id=loan.pk, kind=data["type"],
                                 months=data["months"], reason=data["reason"])
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Your request is with our team: two staff members "
                                          "review it, usually within two business days.")
                return redirect("loan_hardship", loan_id=loan.pk)
        status = 400
    # A running deferral's interest: added to the principal when it ends.
    deferred = sum((i.interest - i.interest_paid for i in Installment.objects.filter(
        loan=loan, status=InstallmentStatus.DEFERRED)), Decimal("0.00"))
    return render(request, "payments/hardship.html", {
        "loan": loan, "form": form, "plan": hardship_plan_for(loan), "deferred": deferred,
        "past": loan.hardship_plans.exclude(status__in=HardshipPlan.OPEN)}, status=status)


@login_required
def statements(request):
    """The user's yearly statement: on the page, or as CSV or PDF."""
    today = timezone.localdate()
    try:
        year = statement_year(request.GET.get("year") or today.year)
    except ApplicationError as exc:
        return render(request, "payments/statements.html", {
            "error": exc.message, "years": range(today.year, today.year - 6, -1)}, status=400)
    statement = statement_for(user=request.user, year=year)
    fmt = request.GET.get("format")
    if fmt in ("csv", "pdf"):
        body, kind = ((statement_csv(statement), "text/csv") if fmt == "csv"
                      else (statement_pdf(statement), "application/pdf"))
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = (f'attachment; filename="communitylend-statement-'
                                           f'{year}.{fmt}"')
        return response
    return render(request, "payments/statements.html", {
        "statement": statement, "year": year, "years": range(today.year, today.year - 6, -1),
        "totals": {name: statement.total(name) for name in (
            "principal_received", "interest", "late_fees", "servicing_fees",
            "charged_off_principal", "recoveries", "trade_gains", "interest_capitalized")}})
