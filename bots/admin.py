"""Back-office for the bots: /admin/bots/ is the dashboard (bots.views), the model lists stay under
it (/admin/bots/botlender/, /admin/bots/botdecision/, /admin/bots/autoinvestrule/). Admin actions
and edits go through bots.services, like every other interface."""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from communitylend.core.adminutils import ReadOnlyAdmin
from communitylend.core.errors import ApplicationError
from communitylend.core.money import GRADES, TERMS
from loans.models import Purpose
from payments.models import Account, AccountKind

from . import services
from .models import STRATEGY_FIELDS, AutoInvestRule, BotCycleLock, BotDecision, BotLender
from .strategy import clean_strategy

STRATEGY_FIELDSETS = [
    ("Eligibility", {"fields": ["min_credit_score", "max_debt_to_income", "grades", "purposes",
                                "terms", "verified_only"]}),
    ("Sizing and concentration (percent of capital)", {
        "fields": ["loan_share", "min_per_loan", "max_per_loan", "max_capital_use",
                   "grade_limits", "borrower_limit"]}),
    ("Pricing and re-bidding", {"fields": ["rate_spread", "rate_jitter", "min_rate",
                                           "min_expected_return", "rebid_step",
                                           "rebid_floor_margin"]}),
]


class StrategyFormMixin(forms.ModelForm):
    grades = forms.MultipleChoiceField(choices=[(g, g) for g in GRADES], required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text="None ticked: every grade.")
    purposes = forms.MultipleChoiceField(choices=Purpose.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text="None ticked: every purpose.")
    terms = forms.TypedMultipleChoiceField(choices=[(t, f"{t} months") for t in TERMS],
                                           coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text="None ticked: every term.")

    def clean(self):
        data = super().clean()
        values = {k: v for k, v in data.items() if k in (*STRATEGY_FIELDS, "capital")}
        try:
            cleaned = clean_strategy(values)
        except ApplicationError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        else:
            data.update(cleaned)
        return data


class BotLenderForm(StrategyFormMixin):
    class Meta:
        model = BotLender
        fields = ["style", "capital", *STRATEGY_FIELDS]


def _balance(kind):
    return Subquery(Account.objects.filter(user_id=OuterRef("user_id"), kind=kind)
                    .values("balance")[:1])


@admin.register(BotLender)
class BotLenderAdmin(admin.ModelAdmin):
    form = BotLenderForm
    list_display = ["name", "style", "status", "capital", "available", "deployed",
                    "min_credit_score", "last_run_at"]
    list_filter = ["status", "style"]
    readonly_fields = ["name", "user", "status", "reset_count", "last_run_at", "created_at",
                       "updated_at"]
    fieldsets = [(None, {"fields": ["name", "user", "style", "status", "capital", "reset_count",
                                    "last_run_at"]}), *STRATEGY_FIELDSETS]
    actions = ["start_bots", "stop_bots", "reset_bots"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").annotate(
            available_balance=_balance(AccountKind.USER_AVAILABLE),
            held_balance=_balance(AccountKind.USER_HELD),
            invested_balance=_balance(AccountKind.USER_INVESTED))

    @admin.display(description="Available")
    def available(self, bot):
        return f"{bot.available_balance or 0:,.2f}"

    @admin.display(description="Deployed (held + invested)")
    def deployed(self, bot):
        return f"{(bot.held_balance or 0) + (bot.invested_balance or 0):,.2f}"

    def has_add_permission(self, request):
        return False  # bots are created by seed_demo (bots.services.bot_create)

    def has_delete_permission(self, request, obj=None):
        return False  # a bot has a wallet and bids: stop it instead

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        if data:
            services.bot_update(acting_user=request.user, bot_id=obj.pk, data=data)

    def _each(self, request, queryset, action, done: str):
        count = 0
        for bot in queryset:
            try:
                result = action(acting_user=request.user, bot_id=bot.pk)
            except ApplicationError as exc:
                self.message_user(request, f"{bot.name}: {exc.message}", messages.ERROR)
                continue
            count += 1
            if isinstance(result, services.ResetResult):
                self.message_user(
                    request, f"{bot.name}: {result.withdrawn} open bids withdrawn"
                    f"{f', {result.kept} on closed listings kept' if result.kept else ''}; "
                    f"available cash restored to {bot.capital:,.2f}.", messages.SUCCESS)
        if count:
            self.message_user(request, f"{count} bot(s) {done}.", messages.SUCCESS)

    @admin.action(description="Start the selected bots", permissions=["change"])
    def start_bots(self, request, queryset):
        self._each(request, queryset, services.bot_start, "started")

    @admin.action(description="Stop the selected bots (their open bids stay)",
                  permissions=["change"])
    def stop_bots(self, request, queryset):
        self._each(request, queryset, services.bot_stop, "stopped")

    @admin.action(description="Reset the selected bots (withdraw open bids, restore capital)",
                  permissions=["change"])
    def reset_bots(self, request, queryset):
        self._each(request, queryset, services.bot_reset, "reset")


@admin.register(BotDecision)
class BotDecisionAdmin(ReadOnlyAdmin):
    """The decision log: read-only, filterable by bot, action and date."""

    list_display = ["created_at", "investor", "loan_link", "action", "reason", "amount", "rate"]
    list_filter = ["action", "bot", ("created_at", admin.DateFieldListFilter)]
    date_hierarchy = "created_at"
    search_fields = ["reason", "lender__email"]
    list_select_related = ["bot", "rule", "lender"]
    show_full_result_count = False
    list_per_page = 100

    @admin.display(description="Bot / rule")
    def investor(self, decision):
        if decision.bot_id:
            return decision.bot.name
        return f"{decision.rule or 'deleted rule'} of {decision.lender.email}"

    @admin.display(description="Loan", ordering="loan_id")
    def loan_link(self, decision):
        if not decision.loan_id:
            return "-"
        return format_html('<a href="{}">#{}</a>', reverse("loan_detail", args=[decision.loan_id]),
                           decision.loan_id)


@admin.register(AutoInvestRule)
class AutoInvestRuleAdmin(ReadOnlyAdmin):
    """People's rules, for support: read-only (the owner edits them on /auto-invest/)."""

    list_display = ["__str__", "user", "enabled", "min_credit_score", "loan_share",
                    "max_per_loan", "cash_reserve", "last_run_at"]
    list_filter = ["enabled"]
    search_fields = ["user__email", "name"]
    list_select_related = ["user"]


@admin.register(BotCycleLock)
class BotCycleLockAdmin(ReadOnlyAdmin):
    """Who holds the bot cycle's lease and until when (a crashed holder's lease runs out)."""

    list_display = ["holder", "acquired_at", "lease_until"]
