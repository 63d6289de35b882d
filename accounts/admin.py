from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html

from communitylend.core.errors import ApplicationError
from communitylend.core.importexport import CsvImportExportMixin

from . import services
from .models import AuditEvent, KycDocument, Notification, User, VerificationStatus
from .resources import UserResource


class KycDocumentInline(admin.TabularInline):
    model = KycDocument
    extra = 0
    can_delete = False
    fields = ["document_type", "original_name", "size", "uploaded_at", "download"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="File")
    def download(self, document):
        return format_html('<a href="{}">Download</a>',
                           reverse("document_download", args=[document.pk]))


class DecisionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), required=False,
                           help_text="Shown to the user. Required when rejecting.")


def _decide(modeladmin, request, queryset, status):
    if "apply" in request.POST:
        form = DecisionForm(request.POST)
        if form.is_valid():
            done = 0
            for user in queryset:
                try:
                    services.user_verification_set(acting_user=request.user, user_id=user.pk,
                                                   status=status, note=form.cleaned_data["note"])
                    done += 1
                except ApplicationError as exc:
                    modeladmin.message_user(request, f"{user.email}: {exc.message}",
                                            messages.ERROR)
            if done:
                modeladmin.message_user(request, f"{done} user(s) marked {status}; notified.",
                                        messages.SUCCESS)
            return None
    else:
        form = DecisionForm()
    return render(request, "admin/accounts/decision.html", {
        **modeladmin.admin_site.each_context(request),
        "title": f"Mark {status}", "users": queryset, "form": form, "status": status,
        "action": request.POST.get("action"), "opts": modeladmin.model._meta,
    })


@admin.register(User)
class UserAdmin(CsvImportExportMixin, BaseUserAdmin):
    """Users.csv import (upload, dry-run preview, confirm) and CSV export of the filtered list."""

    resource_classes = [UserResource]
    ordering = ["-date_joined"]
    list_display = ["email", "first_name", "last_name", "verification_status", "credit_score",
                    "profile_completed", "is_borrower", "is_lender", "is_staff", "date_joined"]
    list_filter = ["verification_status", "profile_completed", "is_borrower", "is_lender",
                   "is_staff", "employment_status", "home_ownership"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["verification_status", "verification_note", "verified_at", "verified_by",
                       "last_login", "date_joined", "profile_completed"]
    inlines = [KycDocumentInline]
    actions = ["verify_selected", "reject_selected"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal", {"fields": ("first_name", "last_name", "phone", "date_of_birth", "street",
                                 "city", "state", "zip_code")}),
        ("Credit profile", {"fields": ("annual_income", "monthly_debt", "employment_status",
                                       "employment_length", "credit_score", "home_ownership",
                                       "earliest_credit_line", "open_credit_lines",
                                       "total_credit_lines", "revolving_balance",
                                       "revolving_utilization", "inquiries_6m",
                                       "delinquencies_2y", "months_since_last_delinquency",
                                       "public_records", "public_record_bankruptcies")}),
        ("Verification", {"fields": ("verification_status", "verification_note", "verified_at",
                                     "verified_by", "profile_completed", "is_borrower",
                                     "is_lender")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups",
                                    "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("email", "password1", "password2")}),)

    @admin.action(description="Verify selected users (KYC)", permissions=["change"])
    def verify_selected(self, request, queryset):
        return _decide(self, request, queryset, VerificationStatus.VERIFIED)

    @admin.action(description="Reject selected users (KYC)", permissions=["change"])
    def reject_selected(self, request, queryset):
        return _decide(self, request, queryset, VerificationStatus.REJECTED)


@admin.register(KycDocument)
class KycDocumentAdmin(admin.ModelAdmin):
    list_display = ["owner", "document_type", "original_name", "size", "uploaded_at", "download"]
    list_filter = ["document_type", "owner__verification_status"]
    search_fields = ["owner__email", "original_name"]
    readonly_fields = ["owner", "document_type", "original_name", "content_type", "extension",
                       "size", "sha256", "uploaded_at", "download"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="File")
    def download(self, document):
        return format_html('<a href="{}">Download</a>',
                           reverse("document_download", args=[document.pk]))


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["user__email", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "event", "target_type", "target_id"]
    list_filter = ["event", "target_type"]
    search_fields = ["actor__email", "target_id", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
