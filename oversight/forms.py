from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.richtext import MARKDOWN_HINT, markdown_textarea
from csp_portal.text import PlainTextFormMixin
from csp_portal.uploads import allowed_extensions_text
from partnerships.models import Partnership
from plans.models import PoliceAndCrimePlanPriority

from .models import (
    NOTE_MAX_LENGTH,
    REFERENCE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    too_long,
)
from .services.priorities import DESCRIPTION_MAX_LENGTH
from .services.report_requests import DOCUMENTS_PER_ANSWER

PCC_TITLE_MAX_LENGTH = PoliceAndCrimePlanPriority._meta.get_field("title").max_length


class PccPriorityForm(GovukFormMixin, forms.Form):
    submit_label = _("Save priority")

    title = forms.CharField(
        label=_("Title"),
        max_length=PCC_TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Enter the priority's title"),
            "max_length": too_long(_("The title"), PCC_TITLE_MAX_LENGTH),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": too_long(_("The description"), DESCRIPTION_MAX_LENGTH)},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class MoveForm(PlainTextFormMixin, forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


def _due_date_field():
    return GovukDateField(
        label=_("Due date"),
        help_text=_("When the partnership should answer by. For example, 27 3 2027."),
    )


class ReportRequestForm(GovukFormMixin, forms.Form):
    submit_label = _("Send request")

    title = forms.CharField(
        label=_("Issue of concern"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("A short title, such as “Knife crime in the town centre”."),
        error_messages={
            "required": _("Enter the issue of concern"),
            "max_length": too_long(_("The issue of concern"), TITLE_MAX_LENGTH),
        },
    )
    body = forms.CharField(
        label=_("What the report should cover"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=8),
        help_text=MARKDOWN_HINT,
        error_messages={
            "required": _("Say what the report should cover"),
            "max_length": too_long(_("The text"), TEXT_MAX_LENGTH),
        },
    )
    due_date = _due_date_field()

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class AnswerForm(GovukFormMixin, forms.Form):
    submit_label = _("Send answer")

    body = forms.CharField(
        label=_("Your answer"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=10),
        help_text=MARKDOWN_HINT,
        error_messages={
            "required": _("Enter your answer"),
            "max_length": too_long(_("The text"), TEXT_MAX_LENGTH),
        },
    )
    file = MultipleFileField(
        label=_("Documents (optional)"),
        required=False,
        error_messages={"empty": _("The selected file is empty")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Up to %(count)s files: %(types)s, each up to %(limit)s."
        ) % {
            "count": DOCUMENTS_PER_ANSWER,
            "types": allowed_extensions_text(),
            "limit": filesizeformat(settings.CSP_UPLOAD_MAX_BYTES),
        }


class AskMoreForm(GovukFormMixin, forms.Form):
    submit_label = _("Ask for more")

    body = forms.CharField(
        label=_("What more you need"),
        max_length=TEXT_MAX_LENGTH,
        widget=markdown_textarea(rows=6),
        help_text=MARKDOWN_HINT,
        error_messages={
            "required": _("Say what more you need"),
            "max_length": too_long(_("The text"), TEXT_MAX_LENGTH),
        },
    )
    due_date = _due_date_field()

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class FinishForm(GovukFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long(_("The note"), NOTE_MAX_LENGTH)},
    )

    def __init__(self, *args, partnership: Partnership, submit_label, submit_classes="", **kwargs):
        self.submit_label, self.submit_classes = submit_label, submit_classes
        super().__init__(*args, **kwargs)


class CombinationForm(GovukFormMixin, forms.Form):
    submit_label = _("Record approval")

    partnerships = forms.ModelMultipleChoiceField(
        label=_("Partnerships to combine"),
        queryset=Partnership.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least two partnerships to combine"),
            "invalid_choice": _("Select partnerships of your police force area"),
            "invalid_pk_value": _("Select partnerships of your police force area"),
        },
    )
    approved_on = GovukDateField(label=_("Date of approval"))
    reference = forms.CharField(
        label=_("Decision reference"),
        max_length=REFERENCE_MAX_LENGTH,
        help_text=_("The reference of the PCC's published decision, such as PCC/2027/014."),
        error_messages={
            "required": _("Enter the decision reference"),
            "max_length": too_long(_("The decision reference"), REFERENCE_MAX_LENGTH),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long(_("The note"), NOTE_MAX_LENGTH)},
    )

    def __init__(self, *args, partnership: Partnership, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        # Never trust an id: only this person's partnerships of this force area can be chosen.
        self.fields["partnerships"].queryset = candidates
