"""The form that issues a quarter's progress report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin

from ..models import Quarter
from .progress import quarter_label


class ProgressReportIssueForm(GovukFormMixin, forms.Form):
    submit_label = _("Issue the progress report")

    quarter = forms.ChoiceField(
        label=_("Which quarter is the report for?"),
        help_text=_(
            "The report shows progress as it stands today. Once issued it does not change."
        ),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {quarter.code: quarter for quarter in quarters}
        field = self.fields["quarter"]
        field.choices = [(quarter.code, quarter_label(quarter)) for quarter in quarters]
        field.error_messages.update(
            required=_("Select the quarter the report is for"),
            invalid_choice=_("Choose one of the listed quarters"),
        )

    def clean_quarter(self) -> Quarter:
        return self.quarters[self.cleaned_data["quarter"]]
