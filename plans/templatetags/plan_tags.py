from decimal import Decimal

from django import template

from csp_portal import richtext

register = template.Library()

# GOV.UK tag colours by plan and action status.
_TAG_CLASSES = {
    "draft": "govuk-tag--grey",
    "consultation": "govuk-tag--yellow",
    "approved": "govuk-tag--blue",
    "published": "govuk-tag--green",
    "superseded": "govuk-tag--grey",
    "not_started": "govuk-tag--grey",
    "on_track": "govuk-tag--green",
    "at_risk": "govuk-tag--yellow",
    "off_track": "govuk-tag--red",
    "complete": "govuk-tag--blue",
    # Community safety grants.
    "offered": "govuk-tag--yellow",
    "accepted": "govuk-tag--green",
    "ended": "govuk-tag--grey",
}


@register.filter
def plan_tag_class(status: str) -> str:
    return _TAG_CLASSES.get(status, "")


@register.filter
def markdown(source: str):
    """Plan text as sanitised HTML."""
    return richtext.render(source or "")


@register.filter
def pounds(value) -> str:
    """An amount of money as people write it: £12,500 for whole pounds, £1,250.50 otherwise."""
    if value is None or value == "":
        return "–"
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"
