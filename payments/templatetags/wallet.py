from django import template

from payments.selectors import wallet_balances

register = template.Library()


@register.inclusion_tag("payments/_wallet_card.html", takes_context=True)
def wallet_card(context):
    user = context["request"].user
    return {"balances": wallet_balances(user.pk)}
