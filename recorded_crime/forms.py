from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin

from .reader import CrimeFileError, detect_format, parse_period

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def upload_max_bytes() -> int:
    return getattr(settings, "CSP_CRIME_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


class CrimeReleaseUploadForm(GovukFormMixin, forms.Form):
    submit_label = _("Import file")

    file = forms.FileField(
        label=_("Upload the table"),
        help_text=_(
            "Table C2, police recorded crime by Community Safety Partnership area, as a CSV or "
            "XLSX file."
        ),
        error_messages={
            "required": _("Select a CSV or XLSX file"),
            "empty": _("The selected file is empty"),
            "invalid": _("Select a CSV or XLSX file"),
        },
    )
    period = forms.CharField(
        label=_("Period (optional)"),
        required=False,
        max_length=60,
        help_text=_(
            "Only if the file's title does not say, or says it wrongly. For example, year ending "
            "June 2025."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = upload_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The selected file must be smaller than %(size)s"),
                params={"size": filesizeformat(limit)},
            )
        content = upload.read()
        try:
            detect_format(upload.name, content)
        except CrimeFileError as error:
            raise forms.ValidationError(error.errors[0]) from error
        self.content = content
        return upload

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        if period and parse_period(period) is None:
            raise forms.ValidationError(
                _("Enter the period like year ending June 2025"), code="invalid"
            )
        return period


class PopulationUploadForm(GovukFormMixin, forms.Form):
    submit_label = _("Import file")

    file = forms.FileField(
        label=_("Upload the population estimates"),
        help_text=_(
            "ONS mid-year population estimates by local authority district and single year of "
            "age, as a CSV file with the columns code, name, all, 0 to 89 and 90+."
        ),
        error_messages={
            "required": _("Select a CSV file"),
            "empty": _("The selected file is empty"),
            "invalid": _("Select a CSV file"),
        },
    )
    mid_year = forms.IntegerField(
        label=_("Mid-year"),
        min_value=2001,
        max_value=2100,
        help_text=_("The year the estimates are for, for example 2023."),
        error_messages={
            "required": _("Enter the mid-year, for example 2023"),
            "invalid": _("Enter the mid-year as a year, for example 2023"),
            "min_value": _("Enter a mid-year from 2001 onwards"),
            "max_value": _("Enter a mid-year before 2100"),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = upload_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The selected file must be smaller than %(size)s"),
                params={"size": filesizeformat(limit)},
            )
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("The selected file must be a CSV file"))
        self.content = upload.read()
        return upload
