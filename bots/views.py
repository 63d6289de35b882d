from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.flags import flag_enabled
from accounts.models import FeatureFlag
from communitylend.core.errors import ApplicationError, NotFound
from payments.selectors import wallet_balances

from . import selectors, services
from .forms import AutoInvestRuleForm
from .models import AutoInvestRule, BotDecision

# --- Auto-invest (lenders) ----------------------------------------------------------------------


def _save(request, form, action) -> bool:
    if not form.is_valid():
        return False
    try:
        action(form.to_service())
    except ApplicationError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    return True


@login_required
def auto_invest(request):
    """The user's rules, and a form to add one."""
    form = AutoInvestRuleForm(request.POST or None)
    wallet = wallet_balances(request.user.pk)
    if request.method == "POST" and _save(request, form, lambda data: services.auto_invest_rule_create(
            user=request.user, data=data)):
        messages.success(request, "Auto-invest rule saved: it runs with the next cycle (every "
                                  "30 seconds).")
        return redirect("auto_invest")
    return render(request, "bots/auto_invest.html", {
        "form": form, "rules": selectors.rules_of(request.user),
        "activity": selectors.rule_activity(request.user),
        "portfolio": wallet["total"] + wallet["invested"],
        "rules_run": flag_enabled(FeatureFlag.AUTO_MATCHING),
    }, status=400 if request.method == "POST" else 200)


def _rule_or_404(request, rule_id) -> AutoInvestRule:
    rule = AutoInvestRule.objects.filter(pk=rule_id, user=request.user).first()
    if rule is None:
        raise Http404("Auto-invest rule not found")
    return rule


@login_required
def auto_invest_edit(request, rule_id):
    rule = _rule_or_404(request, rule_id)
    form = AutoInvestRuleForm.for_rule(rule, request.POST or None)
    if request.method == "POST" and _save(request, form, lambda data: services.auto_invest_rule_update(
            user=request.user, rule_id=rule.pk, data=data)):
        messages.success(request, "Auto-invest rule updated.")
        return redirect("auto_invest")
    return render(request, "bots/auto_invest_edit.html", {"form": form, "rule": rule},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def auto_invest_delete(request, rule_id):
    try:
        services.auto_invest_rule_delete(user=request.user, rule_id=rule_id)
    except NotFound:
        raise Http404("Auto-invest rule not found") from None
    messages.success(request, "Auto-invest rule deleted; bids it placed stay open.")
    return redirect("auto_invest")


# --- The bot dashboard (staff) ------------------------------------------------------------------


def _market_rows(stats) -> list[dict]:
    names = {s.bot.user_id: s.bot.name for s in stats}
    return sorted(({**row, "name": names.get(row["buyer_id"], row["buyer_id"])}
                   for row in selectors.market_making()), key=lambda r: str(r["name"]))


@staff_member_required
def bot_dashboard(request):
    stats = selectors.bot_stats()
    per_hour = selectors.decisions_per_hour()
    chart = {
        "capital": {
            "labels": [s.bot.name for s in stats],
            "deployed": [float(s.deployed) for s in stats],
            "available": [float(s.available) for s in stats],
            "capital": [float(s.bot.capital) for s in stats],
        },
        "hourly": per_hour,
    }
    recent = BotDecision.objects.select_related("bot", "rule", "lender").order_by(
        "-created_at", "-id")[:25]
    return render(request, "bots/dashboard.html", {
        **admin.site.each_context(request),
        "is_nav_sidebar_enabled": False,  # the table and the charts need the width
        "title": "Bot lenders", "stats": stats, "chart": chart, "recent": recent,
        "market": _market_rows(stats),
    })
