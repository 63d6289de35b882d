"""Template tags for listings: the expected figures a lender reads in the marketplace table."""

from django import template

from loans.pricing import listing_expected
from risk.services import active_pricing

register = template.Library()


@register.simple_tag(takes_context=True)
def listing_figures(context, loan):
    """(expected loss rate, expected net return) of ``loan`` at its current rate, with the
    active model's pricing looked up once per render."""
    key = "_active_pricing"
    if key not in context.dicts[0]:  # None (no model) is an answer too
        context.dicts[0][key] = active_pricing()
    return listing_expected(loan, context.dicts[0][key])
