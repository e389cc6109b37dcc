from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.richtext import MARKDOWN_HINT, markdown_textarea
from engagement.forms import SeatAttendanceMixin
from partnerships.models import Partnership

from .models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH
from .selectors import plan_actions_of, signable_plans_of


class MeetingForm(GovukFormMixin, forms.Form):
    submit_label = _("Schedule the meeting")

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example, “Strategy group, June”."),
        error_messages={"required": _("Enter the title")},
    )
    meets_on = GovukDateField(label=_("Date"), help_text=_("For example, 27 3 2027."))
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=8),
        help_text=MARKDOWN_HINT,
        error_messages={"required": _("Enter the agenda")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class RecordForm(SeatAttendanceMixin, GovukFormMixin, forms.Form):
    submit_label = _("Record the meeting")
    name_label = _("%(seat)s: name of who attended")
    name_hint = _("Leave blank if no one attended for this authority.")

    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=12),
        help_text=MARKDOWN_HINT,
        error_messages={"required": _("Enter the minutes")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_seat_fields()

    def clean(self):
        cleaned = super().clean()
        return {"minutes": cleaned.get("minutes", ""), "attendees": self.attendees(cleaned)}


class DecisionForm(GovukFormMixin, forms.Form):
    submit_label = _("Add the decision")

    text = forms.CharField(
        label=_("Decision or action arising"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the decision or action")},
    )
    owner = forms.CharField(
        label=_("Owner (optional)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_("Who is to carry it out."),
    )
    plan_action = forms.ModelChoiceField(
        label=_("Partnership plan action (optional)"),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )

    signed_off_plan = forms.ModelChoiceField(
        label=_("Plan signed off (optional)"),
        help_text=_("If this decision signed off a version of the partnership plan."),
        queryset=None,
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["plan_action"]
        field.queryset = plan_actions_of(partnership_id=partnership.pk)
        field.label_from_instance = lambda action: action.description[:120]
        self.fields["signed_off_plan"].queryset = signable_plans_of(partnership_id=partnership.pk)


class PaperForm(GovukFormMixin, forms.Form):
    submit_label = _("Add the paper")

    file = forms.FileField(
        label=_("Paper"),
        help_text=_("PDF, Word, OpenDocument, Excel, CSV, text or an image."),
        error_messages={"required": _("Choose a file")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class PublicMinutesForm(GovukFormMixin, forms.Form):
    submit_label = _("Publish on the public page")

    public_minutes = forms.CharField(
        label=_("Minutes for the public page"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=12),
        help_text=_(
            "Anyone can read these. Take out names and anything else that could identify a "
            "person: the public page shows which authorities attended, never who attended for "
            "them."
        ),
        error_messages={"required": _("Enter the minutes for the public page")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
