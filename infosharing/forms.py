from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import figure_number
from csp_portal.forms import GovukDateField, GovukFormMixin
from partnerships.models import Partnership

from .models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH


class AgreementForm(GovukFormMixin, forms.Form):
    submit_label = _("Add to the register")

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example, “Anti-social behaviour case information”."),
        error_messages={"required": _("Enter the title")},
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every organisation that shares under the agreement."),
        error_messages={"required": _("Choose at least two of the partnership's organisations")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is shared, and what for."),
        error_messages={"required": _("Enter the purpose")},
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example, “Crime and Disorder Act 1998 section 115; UK GDPR article 6(1)(e)”."
        ),
        error_messages={"required": _("Enter the legal basis")},
    )
    signed_on = GovukDateField(label=_("Date agreed"), help_text=_("For example, 27 3 2026."))
    review_due = GovukDateField(label=_("Review by"), help_text=_("For example, 27 3 2027."))

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        parties = self.fields["parties"]
        parties.queryset = partnership.partner_organisations.select_related(
            "organisation"
        ).order_by("organisation__name")
        parties.label_from_instance = lambda partner: partner.organisation.name


class ReviewForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the review")

    reviewed_on = GovukDateField(label=_("Date reviewed"), help_text=_("For example, 27 3 2026."))
    review_due = GovukDateField(label=_("Next review by"), help_text=_("For example, 27 3 2027."))

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class OpenQuarterForm(GovukFormMixin, forms.Form):
    submit_label = _("Ask for the quarter's returns")

    year_start = forms.IntegerField(
        label=_("Financial year starting in"),
        min_value=2007,
        max_value=2100,
        help_text=_("For example, 2026 for April 2026 to March 2027."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={"required": _("Enter the year the financial year starts in")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[
            (1, _("April to June")),
            (2, _("July to September")),
            (3, _("October to December")),
            (4, _("January to March")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a quarter")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)


class ReturnForm(GovukFormMixin, forms.Form):
    submit_label = _("Send the return")

    figures = forms.CharField(
        label=_("Figures"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One figure per line: what it measures, the value and, if it has one, the unit, "
            "separated by commas. For example, “Deliberate fires, 41”. Depersonalised figures "
            "only: nothing that identifies anyone."
        ),
        error_messages={"required": _("Enter at least one figure")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)

    def clean_figures(self):
        figures = []
        for number, line in enumerate(self.cleaned_data["figures"].splitlines(), start=1):
            if not line.strip():
                continue
            label, _comma, rest = line.partition(",")
            # "1,204" is a number with a thousands separator; "1,204, homes" has a unit.
            value, unit = figure_number(rest), ""
            if value is None and "," in rest:
                value_text, unit = rest.rsplit(",", 1)
                value = figure_number(value_text)
            if not label.strip() or value is None:
                raise forms.ValidationError(
                    _("Line %(number)s: write what it measures, a comma, then a number")
                    % {"number": number}
                )
            figures.append((label.strip()[:200], value, unit.strip()[:40]))
        return figures
