from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from communitylend.core.adminutils import ReadOnlyAdmin
from communitylend.core.errors import ApplicationError
from communitylend.core.importexport import CsvImportExportMixin

from . import flags, services
from .models import (
    ApiKey,
    AuditEvent,
    DocumentStatus,
    FeatureFlag,
    FeatureFlagOverride,
    KycDocument,
    Notification,
    OutboundEmail,
    TokenCredential,
    User,
    VerificationStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from .resources import UserResource


class KycDocumentInline(admin.TabularInline):
    model = KycDocument
    fk_name = "owner"
    extra = 0
    can_delete = False
    fields = ["document_type", "original_name", "size", "uploaded_at", "status", "staff_note",
              "review", "download"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Review")
    def review(self, document):
        return format_html('<a href="{}">Review</a>',
                           reverse("admin:accounts_kycdocument_change", args=[document.pk]))

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


# Who may do what to an account in the admin (issue 18, finding 1): only a superuser grants or
# changes staff status, superuser status, groups and permissions, sets any password (customers
# reset their own), or changes or deletes another staff account; nobody raises their own
# privileges. Enforced by the form (read-only fields), the views (permissions) and the service
# (services.user_privileges_set refuses a forged request).
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


class ServicePasswordForm(AdminPasswordChangeForm):
    """The admin's password form, written through the service: the account's API tokens and
    other sessions end with the old password."""

    def set_password_and_save(self, user, commit=True, **kwargs):
        password = self.cleaned_data["password1"] if self.cleaned_data["set_usable_password"] \
            else None
        return services.user_password_set(user=user, password=password, acting_user=None)


def _guards_other_staff(request, obj) -> bool:
    """A non-superuser looking at another staff account (or a superuser's)."""
    return (obj is not None and not request.user.is_superuser and obj.pk != request.user.pk
            and (obj.is_staff or obj.is_superuser))


@admin.register(User)
class UserAdmin(CsvImportExportMixin, BaseUserAdmin):
    """Users.csv import (upload, dry-run preview, confirm) and CSV export of the filtered list."""

    change_password_form = ServicePasswordForm

    resource_classes = [UserResource]
    ordering = ["-date_joined"]
    list_display = ["email", "first_name", "last_name", "verification_status", "credit_score",
                    "profile_completed", "is_borrower", "is_lender", "is_staff", "date_joined"]
    list_filter = ["verification_status", "profile_completed", "is_borrower", "is_lender",
                   "is_staff", "employment_status", "home_ownership"]
    # The phone is encrypted: found by its blind index, as a whole number (any punctuation).
    search_fields = ["email", "first_name", "last_name", "=phone"]
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

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The search splits on spaces; a phone number typed with spaces is one term here.
        if " " in search_term.strip() and sum(ch.isdigit() for ch in search_term) >= 4:
            results = results | queryset.filter(phone=search_term)
        return results, may_have_duplicates

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [name for name in PRIVILEGE_FIELDS if name not in fields]
        return fields

    def has_add_permission(self, request):
        # Adding an account sets its password: superusers only (users.csv invites the rest).
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return not _guards_other_staff(request, obj) and super().has_change_permission(
            request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _guards_other_staff(request, obj) and super().has_delete_permission(
            request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied("Only a superuser sets passwords; users reset their own")
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        """Privilege flags through ``user_privileges_set``, profile fields through
        ``profile_update`` (a verified profile whose credit data changes goes back to pending),
        the rest (name, email, active) as the form has them."""
        if not change:
            return super().save_model(request, obj, form, change)
        changed = set(form.changed_data)
        flags = {name: form.cleaned_data[name] for name in ("is_staff", "is_superuser")
                 if name in changed}
        profile = {name: form.cleaned_data[name] for name in changed
                   if name in services.PROFILE_FIELDS}
        plain = [name for name in changed if name not in flags and name not in profile
                 and name not in PRIVILEGE_FIELDS]
        if flags:
            try:
                services.user_privileges_set(acting_user=request.user, user_id=obj.pk, **flags)
            except ApplicationError as exc:
                raise PermissionDenied(exc.message) from exc
        if plain:
            obj.save(update_fields=plain)
        if profile:
            try:
                services.profile_update(user=obj, acting_user=request.user, data=profile)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
        return None

    def save_related(self, request, form, formsets, change):
        if not request.user.is_superuser and set(form.changed_data) & set(PRIVILEGE_FIELDS):
            raise PermissionDenied("Only a superuser changes groups and permissions")
        super().save_related(request, form, formsets, change)

    def delete_model(self, request, obj):
        if _guards_other_staff(request, obj):
            raise PermissionDenied("Only a superuser deletes staff accounts")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        others_with_power = queryset.exclude(pk=request.user.pk).filter(
            Q(is_staff=True) | Q(is_superuser=True))
        if not request.user.is_superuser and others_with_power.exists():
            raise PermissionDenied("Only a superuser deletes staff accounts")
        super().delete_queryset(request, queryset)

    @admin.action(description="Verify selected users (KYC)", permissions=["change"])
    def verify_selected(self, request, queryset):
        return _decide(self, request, queryset, VerificationStatus.VERIFIED)

    @admin.action(description="Reject selected users (KYC)", permissions=["change"])
    def reject_selected(self, request, queryset):
        return _decide(self, request, queryset, VerificationStatus.REJECTED)


class DocumentReviewForm(forms.ModelForm):
    """Staff's decision on one document: accepted or rejected, with a note (required when
    rejecting) that its owner sees. Written by ``services.kyc_document_review``."""

    status = forms.ChoiceField(choices=[("", "---------"),
                                        (DocumentStatus.ACCEPTED, "Accepted"),
                                        (DocumentStatus.REJECTED, "Rejected")],
                               label="Decision")

    class Meta:
        model = KycDocument
        fields = ["status", "staff_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.status == DocumentStatus.PENDING:
            self.initial["status"] = ""

    def clean(self):
        data = super().clean()
        if data.get("status") == DocumentStatus.REJECTED and not data.get(
                "staff_note", "").strip():
            self.add_error("staff_note", "A note is required when rejecting a document.")
        return data


@admin.register(KycDocument)
class KycDocumentAdmin(admin.ModelAdmin):
    """Documents reviewed one by one: open one, look at the file, decide with a note; "Save
    and review the next" opens the oldest document still pending. The owner's profile follows
    the decisions (services.kyc_document_review)."""

    form = DocumentReviewForm
    change_form_template = "admin/accounts/kycdocument/change_form.html"
    list_display = ["owner", "document_type", "original_name", "size", "uploaded_at", "status",
                    "reviewed_at", "download"]
    list_filter = ["status", "document_type", "owner__verification_status"]
    search_fields = ["owner__email"]  # the original name is encrypted
    list_select_related = ["owner"]
    fields = ["owner", "owner_status", "document_type", "original_name", "content_type",
              "size", "sha256", "uploaded_at", "download", "status", "staff_note",
              "reviewed_at", "reviewed_by"]
    readonly_fields = ["owner", "owner_status", "document_type", "original_name",
                       "content_type", "extension", "size", "sha256", "uploaded_at", "download",
                       "reviewed_at", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="File")
    def download(self, document):
        return format_html('<a href="{}">Download</a>',
                           reverse("document_download", args=[document.pk]))

    @admin.display(description="Profile verification")
    def owner_status(self, document):
        return document.owner.get_verification_status_display()

    def save_model(self, request, obj, form, change):
        try:
            services.kyc_document_review(acting_user=request.user, document_id=obj.pk,
                                         status=form.cleaned_data["status"],
                                         note=form.cleaned_data["staff_note"])
        except ApplicationError as exc:
            raise PermissionDenied(exc.message) from exc

    def response_change(self, request, obj):
        if "_review_next" in request.POST:
            following = (KycDocument.objects.filter(status=DocumentStatus.PENDING)
                         .exclude(pk=obj.pk).order_by("uploaded_at").first())
            if following is not None:
                self.message_user(request, f"Decision saved on {obj}. Next pending document:",
                                  messages.SUCCESS)
                return redirect("admin:accounts_kycdocument_change", following.pk)
            self.message_user(request, "Decision saved; no document is pending.",
                              messages.SUCCESS)
            return redirect("admin:accounts_kycdocument_changelist")
        return super().response_change(request, obj)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "title", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["user__email", "title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _FrequentValueFilter(admin.SimpleListFilter):
    """The most frequent values of a field over the last 30 days as choices; any value given in
    the address (``?ip_address=203.0.113.7``, a link from another row) filters too."""

    field = ""
    present: dict = {}  # the lookup of rows that have a value
    limit = 20

    def lookups(self, request, model_admin):
        since = timezone.now() - timedelta(days=30)
        values = (AuditEvent.objects.filter(created_at__gte=since)
                  .filter(**self.present)
                  .values_list(self.field).annotate(n=Count("id")).order_by("-n")[:self.limit])
        choices = [(value, f"{value[:60]} ({n})") for value, n in values]
        if self.value() and self.value() not in {c[0] for c in choices}:
            choices.insert(0, (self.value(), self.value()[:60]))
        return choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class IpAddressFilter(_FrequentValueFilter):
    title = "IP address"
    parameter_name = field = "ip_address"
    present = {"ip_address__isnull": False}


class UserAgentFilter(_FrequentValueFilter):
    title = "user agent"
    parameter_name = field = "user_agent"
    present = {"user_agent__gt": ""}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "event", "target_type", "target_id", "ip_address",
                    "short_user_agent"]
    list_filter = ["event", "target_type", IpAddressFilter, UserAgentFilter]
    # The IP address is a filter, not a search field: on PostgreSQL it is an inet column, and a
    # search for a name would be an invalid address there.
    search_fields = ["actor__email", "target_id", "event", "user_agent", "=request_id"]

    @admin.display(description="User agent", ordering="user_agent")
    def short_user_agent(self, event):
        return event.user_agent[:60]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """The outbox's delivery state. Never the message: it may hold a password-reset link."""

    list_display = ["created_at", "recipients", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipients", "subject"]
    fields = ["created_at", "recipients", "subject", "status", "attempts", "claimed_at",
              "sent_at", "last_error"]


@admin.register(TokenCredential)
class TokenCredentialAdmin(ReadOnlyAdmin):
    """Which accounts hold an API token, since when, with or without the second factor (never
    the token itself)."""

    list_display = ["owner", "issued_at", "second_factor_at"]
    fields = ["owner", "issued_at", "second_factor_at"]
    search_fields = ["token__user__email"]

    @admin.display(description="Owner")
    def owner(self, credential):
        return credential.token.user

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("token__user")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    """A group's permissions are every member's: only a superuser changes them."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class FeatureFlagForm(forms.ModelForm):
    enabled = forms.TypedChoiceField(
        label="Setting", choices=[("", "Follow the environment"), ("on", "On"), ("off", "Off")],
        required=False, coerce=lambda value: {"on": True, "off": False}.get(value),
        empty_value=None)

    class Meta:
        model = FeatureFlagOverride
        fields = ["enabled", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        value = self.instance.enabled
        self.initial["enabled"] = "" if value is None else ("on" if value else "off")


@admin.register(FeatureFlagOverride)
class FeatureFlagAdmin(admin.ModelAdmin):
    """Staff turn a flag on or off at run time (or back to the environment's default); the
    change goes through ``services.feature_flag_set`` (audited)."""

    form = FeatureFlagForm
    list_display = ["flag", "label", "environment_default", "setting", "effective", "note",
                    "updated_by", "updated_at"]
    readonly_fields = ["flag", "label", "environment_default", "effective", "updated_by",
                       "updated_at"]
    fields = ["flag", "label", "environment_default", "enabled", "note", "effective",
              "updated_by", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # A flag added by a later release (or rows flushed away) is listed all the same.
        for name in FeatureFlag.values:
            FeatureFlagOverride.objects.get_or_create(name=name)
        return super().changelist_view(request, extra_context)

    @admin.display(description="Flag (environment variable)", ordering="name")
    def flag(self, row):
        return row.name

    @admin.display(description="What it controls")
    def label(self, row):
        return FeatureFlag(row.name).label

    @admin.display(description="Environment default", boolean=True)
    def environment_default(self, row):
        return flags.flag_default(row.name)

    @admin.display(description="Staff setting")
    def setting(self, row):
        return "follow the environment" if row.enabled is None else (
            "on" if row.enabled else "off")

    @admin.display(description="In effect", boolean=True)
    def effective(self, row):
        return row.enabled if row.enabled is not None else flags.flag_default(row.name)

    def save_model(self, request, obj, form, change):
        services.feature_flag_set(acting_user=request.user, name=obj.name,
                                  enabled=form.cleaned_data["enabled"],
                                  note=form.cleaned_data.get("note", ""))


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    """API keys (only their prefix and hash are stored): who has which, used when, revoked."""

    list_display = ["name", "user", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "=prefix", "name"]
    exclude = ["key_hash"]
    list_select_related = ["user"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "user", "created_at", "deleted_at"]
    search_fields = ["user__email", "url"]
    exclude = ["secret"]
    list_select_related = ["user"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "last_status_code",
                    "next_attempt_at", "delivered_at"]
    list_filter = ["status", "event"]
    search_fields = ["=event_id", "endpoint__url"]
    list_select_related = ["endpoint"]
