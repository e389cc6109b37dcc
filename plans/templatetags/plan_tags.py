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
}


@register.filter
def plan_tag_class(status: str) -> str:
    return _TAG_CLASSES.get(status, "")


@register.filter
def markdown(source: str):
    """Plan text as sanitised HTML."""
    return richtext.render(source or "")
