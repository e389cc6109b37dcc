"""The form that issues a quarter's progress report. A Welsh partnership's has the summary for the
committee in English and in Welsh side by side (plans.bilingual); an English partnership's asks
only for the quarter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin

from ..bilingual import is_bilingual
from ..models import Quarter
from .drafting import WelshFieldsMixin
from .progress import quarter_label


class ProgressReportIssueForm(GovukFormMixin, WelshFieldsMixin, forms.Form):
    submit_label = _("Issue the progress report")
    welsh_fields = {"narrative": "narrative_cy"}

    quarter = forms.ChoiceField(
        label=_("Which quarter is the report for?"),
        help_text=_(
            "The report shows progress as it stands today. Once issued it does not change."
        ),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, quarters: list[Quarter], partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {quarter.code: quarter for quarter in quarters}
        field = self.fields["quarter"]
        field.choices = [(quarter.code, quarter_label(quarter)) for quarter in quarters]
        field.error_messages.update(
            required=_("Select the quarter the report is for"),
            invalid_choice=_("Choose one of the listed quarters"),
        )
        if partnership is not None and is_bilingual(partnership):
            self.fields["narrative"] = forms.CharField(
                label=_("Summary for the committee"),
                help_text=_(
                    "Optional. What the committee should know about the quarter, shown at the "
                    "top of the report. Write it in both languages."
                ),
                required=False,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )
            self.add_welsh(partnership, None)

    def clean_quarter(self) -> Quarter:
        return self.quarters[self.cleaned_data["quarter"]]
