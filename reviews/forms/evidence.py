"""Forms for a review's agency evidence: asking an agency, its answers, and the documents attached
to the review. Every choice of organisation is limited to the partnership's own (the services
check it again)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.uploads import allowed_extensions_text

from ..models import AgencyRequestKind, ReviewDocumentKind
from ..services.evidence import ATTACHABLE_KINDS
from . import NO_NAMES_HINT, organisation_field


def _file_field():
    field = forms.FileField(
        label=_("Document"),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
    )
    field.help_text = _("%(types)s, up to %(limit)s.") % {
        "types": allowed_extensions_text(),
        "limit": filesizeformat(settings.CSP_UPLOAD_MAX_BYTES),
    }
    return field


class AgencyRequestForm(GovukFormMixin, forms.Form):
    submit_label = _("Send the request")

    organisation = organisation_field(
        _("Which agency is asked?"), required_message=_("Select the agency")
    )
    kind = forms.ChoiceField(
        label=_("What is it asked for?"),
        choices=AgencyRequestKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what the agency is asked for")},
    )
    due_date = GovukDateField(label=_("Due date"), help_text=_("For example, 14 6 2026"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ChronologyEntryForm(GovukFormMixin, forms.Form):
    submit_label = _("Add the entry")

    occurred_on = GovukDateField(label=_("Date"), help_text=_("For example, 14 6 2026"))
    description = forms.CharField(
        label=_("What happened"),
        help_text=NO_NAMES_HINT,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
        error_messages={"required": _("Say what happened")},
    )


class ImrUploadForm(GovukFormMixin, forms.Form):
    submit_label = _("Upload the IMR")

    file = forms.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.fields["file"].label = _("Individual management review")
        self.build_helper()


class ConfirmForm(GovukFormMixin, forms.Form):
    """A confirmation: the button is the whole form."""

    def __init__(self, *args, submit_label, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)


class ReviewDocumentForm(GovukFormMixin, forms.Form):
    submit_label = _("Upload the document")
    submit_classes = "govuk-button--secondary"

    kind = forms.ChoiceField(
        label=_("What is the document?"),
        choices=[
            (value, label)
            for value, label in ReviewDocumentKind.choices
            if value in ATTACHABLE_KINDS
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what the document is")},
    )
    file = forms.FileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"] = _file_field()
        self.build_helper()
