"""The back-office of a loan's later life: hardship plans (decided by one staff member,
confirmed by another), recoveries (recorded through the recovery service) and reconciliation
runs with their breaks. Actions and forms call the services; nothing is edited in place."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from communitylend.core.adminutils import (
    ReadOnlyAdmin,
    ReadOnlyInline,
    ServiceActionsAdmin,
    run_service_action,
)
from communitylend.core.errors import ApplicationError
from communitylend.core.forms import DecimalFormField
from payments.models import (
    Capitalization,
    HardshipPlan,
    ReconciliationBreak,
    ReconciliationRun,
    Recovery,
    RecoveryShare,
)

from .lifecycle import hardship_confirm, hardship_decide, recovery_record


@admin.register(HardshipPlan)
class HardshipPlanAdmin(ServiceActionsAdmin):
    list_display = ["id", "loan", "kind", "months", "status", "decision", "requested_by",
                    "decided_by", "confirmed_by", "starts_on", "ends_on", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["loan__id", "requested_by__email"]
    list_select_related = ["requested_by", "decided_by", "confirmed_by"]
    actions = ["approve", "reject", "confirm"]

    @admin.action(description="Approve selected requests (a second staff member confirms)",
                  permissions=["change"])
    def approve(self, request, queryset):
        run_service_action(self, request, queryset, lambda plan: hardship_decide(
            staff=request.user, plan_id=plan.pk, decision="approve"),
            "{count} plan(s) approved: awaiting a second staff member's confirmation.")

    @admin.action(description="Reject selected requests (a second staff member confirms)",
                  permissions=["change"])
    def reject(self, request, queryset):
        run_service_action(self, request, queryset, lambda plan: hardship_decide(
            staff=request.user, plan_id=plan.pk, decision="reject"),
            "{count} plan(s) rejected: awaiting a second staff member's confirmation.")

    @admin.action(description="Confirm the decision on selected plans (second staff member)",
                  permissions=["change"])
    def confirm(self, request, queryset):
        run_service_action(self, request, queryset, lambda plan: hardship_confirm(
            staff=request.user, plan_id=plan.pk), "{count} decision(s) confirmed.")


class RecoveryShareInline(ReadOnlyInline):
    model = RecoveryShare
    fields = ["note", "gross", "collection_fee", "servicing_fee", "net"]


class RecoveryForm(forms.Form):
    loan_id = forms.IntegerField(min_value=1, label="Loan id")
    amount = DecimalFormField(max_digits=12, decimal_places=2)
    source = forms.ChoiceField(choices=Recovery.Source.choices)
    received_on = forms.DateField(initial=timezone.localdate,
                                  widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(Recovery)
class RecoveryAdmin(ReadOnlyAdmin):
    list_display = ["id", "loan", "amount", "source", "received_on", "collection_fee",
                    "servicing_fees", "net", "recorded_by", "created_at"]
    list_filter = ["source"]
    search_fields = ["loan__id"]
    inlines = [RecoveryShareInline]

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("payments.add_recovery")

    def add_view(self, request, form_url="", extra_context=None):
        """Record a recovery through the service (it posts to the ledger and distributes)."""
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied("You may not record recoveries")
        form = RecoveryForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                recovery = recovery_record(staff=request.user, loan_id=data["loan_id"],
                                           amount=data["amount"], source=data["source"],
                                           received_on=data["received_on"],
                                           idempotency_key=request.POST.get("key"))
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, f"Recovery of {recovery.amount:,.2f} distributed to "
                                           f"{recovery.shares.count()} note(s).",
                                  messages.SUCCESS)
                return redirect("admin:payments_recovery_change", recovery.pk)
        return render(request, "admin/payments/recovery_add.html", {
            **self.admin_site.each_context(request), "form": form, "opts": self.model._meta,
            "title": "Record a recovery", "key": timezone.now().strftime("%Y%m%d%H%M%S%f")},
            status=400 if request.method == "POST" else 200)


class BreakInline(ReadOnlyInline):
    model = ReconciliationBreak
    fields = ["kind", "reference", "file_amount", "ledger_amount", "detail"]


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "day", "file_lines", "ledger_entries", "matched", "break_count",
                    "created_at"]
    list_filter = ["day"]
    inlines = [BreakInline]


@admin.register(ReconciliationBreak)
class ReconciliationBreakAdmin(ReadOnlyAdmin):
    list_display = ["run", "kind", "reference", "file_amount", "ledger_amount", "detail"]
    list_filter = ["kind"]


@admin.register(RecoveryShare)
class RecoveryShareAdmin(ReadOnlyAdmin):
    list_display = ["recovery", "note", "gross", "collection_fee", "servicing_fee", "net"]
    list_select_related = ["recovery", "note"]
    search_fields = ["note__id", "recovery__loan__id"]


@admin.register(Capitalization)
class CapitalizationAdmin(ReadOnlyAdmin):
    """Interest hardship plans added to each note's principal (read-only: servicing writes it)."""

    list_display = ["note", "plan", "amount", "day", "ledger_transaction"]
    list_select_related = ["note", "plan"]
    list_filter = ["day"]
    search_fields = ["note__id", "plan__loan__id"]
