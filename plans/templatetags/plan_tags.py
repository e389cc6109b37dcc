from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

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
}


@register.filter
def plan_tag_class(status: str) -> str:
    return _TAG_CLASSES.get(status, "")


@register.filter
def markdown(source: str):
    """Plan text as sanitised HTML."""
    return richtext.render(source or "")


@register.filter
def thousands(value) -> str:
    """A figure kept as text ("12500.0") as people read it ("12,500"), in the active language."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return number_format(number.normalize(), force_grouping=True)
