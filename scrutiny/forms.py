from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.richtext import MARKDOWN_HINT, markdown_textarea
from partnerships.models import Partnership

from .models import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CallForActionOutcome,
    RecommendationStatus,
)


def _title(label, missing, hint=""):
    return forms.CharField(
        label=label,
        max_length=TITLE_MAX_LENGTH,
        help_text=hint,
        error_messages={"required": missing},
    )


def _text(label, missing, *, rows=6, required=True, markdown=True):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=rows) if markdown else forms.Textarea(attrs={"rows": rows}),
        help_text=MARKDOWN_HINT if markdown else "",
        error_messages={"required": missing},
    )


class ScrutinyForm(GovukFormMixin, forms.Form):
    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class InformationRequestForm(ScrutinyForm):
    submit_label = _("Send the request")

    title = _title(
        _("Subject"),
        _("Enter the subject"),
        _("A short title, such as “Repeat victims of burglary in Sale”."),
    )
    question = _text(_("What information the committee needs"), _("Say what information you need"))
    due_date = GovukDateField(
        label=_("Answer needed by"),
        help_text=_("The partnership must answer by this date. For example, 27 3 2027."),
    )


class InformationAnswerForm(ScrutinyForm):
    submit_label = _("Send the answer")

    answer = _text(_("Your answer"), _("Enter the answer"), rows=10)
    depersonalised = forms.BooleanField(
        label=_(
            "I confirm that this answer identifies no one: no names, addresses, contact "
            "details or anything else that could identify a victim, an offender or a "
            "member of staff"
        ),
        error_messages={"required": _("Confirm that the answer identifies no one")},
    )


class CommitteeReportForm(ScrutinyForm):
    submit_label = _("Send the report")

    title = _title(_("Title of the report"), _("Enter the title of the report"))
    summary = _text(_("Summary of the report"), _("Enter the summary of the report"))
    made_on = GovukDateField(label=_("Date of the report"), help_text=_("For example, 27 3 2027."))
    recommendations = forms.CharField(
        label=_("Recommendations"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("Write each recommendation on its own line. They are numbered in order."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter at least one recommendation")},
    )

    def clean_recommendations(self):
        return [line for line in self.cleaned_data["recommendations"].splitlines() if line.strip()]


class RecommendationResponseForm(ScrutinyForm):
    submit_label = _("Send the response")

    status = forms.ChoiceField(
        label=_("Response"),
        choices=[
            (value, label)
            for value, label in RecommendationStatus.choices
            if value != RecommendationStatus.PENDING
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the response")},
    )
    response = _text(
        _("What the responsible authorities will do, or why not"),
        "",
        required=False,
    )


class CallForActionForm(ScrutinyForm):
    submit_label = _("Record the call for action")

    matter = _title(
        _("Matter"),
        _("Enter the matter"),
        _("The local crime and disorder matter, such as “Drug dealing behind Kings Road shops”."),
    )
    ward = _title(_("Ward"), _("Enter the ward"))
    councillor = forms.CharField(
        label=_("Councillor who referred it"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Enter the councillor's name")},
    )
    details = _text(_("Details"), _("Enter the details"))
    referred_on = GovukDateField(label=_("Date referred"), help_text=_("For example, 27 3 2027."))


class CallForActionOutcomeForm(ScrutinyForm):
    submit_label = _("Record the outcome")

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CallForActionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome")},
    )
    outcome_details = _text(_("What was done or decided"), _("Say what was done or decided"))


class ScrutinyMeetingForm(ScrutinyForm):
    submit_label = _("Record the meeting")

    held_on = GovukDateField(label=_("Date of the meeting"), help_text=_("For example, 27 3 2027."))
    attended_by = forms.CharField(
        label=_("Who answered for the partnership"),
        max_length=500,
        help_text=_("Their roles, such as “Chair of the partnership; District Commander”."),
        error_messages={"required": _("Say who answered for the partnership")},
    )
    asked = _text(_("What the committee asked"), _("Say what the committee asked"))
    answered = _text(_("What the partnership answered"), _("Say what the partnership answered"))
