"""``{% load wallet %}{% wallet_card %}``: the wallet summary card on the dashboards, so that the
accounts app shows it without importing payments."""

from django import template

from payments.gateways import get_gateway
from payments.selectors import wallet_balances

register = template.Library()


@register.inclusion_tag("payments/_wallet_card.html", takes_context=True)
def wallet_card(context):
    user = context["request"].user
    if not user.is_authenticated:
        return {"balances": None}
    return {"balances": wallet_balances(user.pk), "test_money": get_gateway().is_test_money}


KIND_LABELS = {
    "withdrawal_reserve": "Withdrawal requested",
    "withdrawal_release": "Withdrawal failed (released)",
}


@register.filter
def ledger_kind(kind: str) -> str:
    """A ledger transaction kind as people read it ("withdrawal_reserve" -> "Withdrawal requested")."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()
