from django import template

register = template.Library()

# GOV.UK tag colours by status, for both assessments and contributions.
_TAG_CLASSES = {
    "draft": "govuk-tag--grey",
    "contributions_open": "govuk-tag--blue",
    "in_review": "govuk-tag--yellow",
    "approved": "govuk-tag--green",
    "requested": "govuk-tag--grey",
    "in_progress": "govuk-tag--light-blue",
    "submitted": "govuk-tag--blue",
    "returned": "govuk-tag--orange",
    "accepted": "govuk-tag--green",
    "withdrawn": "govuk-tag--grey",
}


@register.filter
def status_tag_class(status: str) -> str:
    return _TAG_CLASSES.get(status, "")
