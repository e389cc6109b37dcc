"""The form for a quarter's progress on an action: which quarter, the status, what happened, and
an actual for each of the action's measures."""

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout
from django import forms
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin

from ..models import ActionStatus, Measure, PlanAction, Quarter


def quarter_label(quarter: Quarter) -> str:
    return _("%(quarter)s: %(start)s to %(end)s") % {
        "quarter": quarter,
        "start": date_format(quarter.starts_on, "F"),
        "end": date_format(quarter.ends_on, "F Y"),
    }


def plain_number(value) -> str:
    return f"{value.normalize():f}"


def actual_field_name(measure: Measure) -> str:
    return f"actual_{measure.pk}"


def comment_field_name(measure: Measure) -> str:
    return f"comment_{measure.pk}"


def revisions_shown(revisions: dict[str, int], quarters: list[Quarter]) -> str:
    """The form's hidden record of what the page showed: each quarter's code and the revision of
    its update (0 for none), like "2027-1:2 2027-2:0"."""
    return " ".join(f"{quarter.code}:{revisions.get(quarter.code, 0)}" for quarter in quarters)


def _revisions_read(value: str) -> dict[str, int]:
    pairs = (pair.partition(":") for pair in value.split())
    return {code: int(revision) for code, _, revision in pairs if revision.isdigit()}


class ProgressForm(GovukFormMixin, forms.Form):
    submit_label = _("Save progress")

    quarter = forms.ChoiceField(
        label=_("Quarter"),
        help_text=_("The current quarter is chosen. Choose an earlier one to add or correct it."),
    )
    status = forms.ChoiceField(
        label=_("Status of the action"),
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the action's status"),
            "invalid_choice": _("Select one of the listed statuses"),
        },
    )
    narrative = forms.CharField(
        label=_("Progress this quarter"),
        help_text=_("What was done, what changed, and anything holding the action back."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
        error_messages={"required": _("Say what progress has been made this quarter")},
    )
    # What the page showed of each quarter, so that a report made over someone else's newer one
    # is refused (two tabs, two people); a page that says nothing is taken to have seen nothing.
    revisions = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action: PlanAction, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {quarter.code: quarter for quarter in quarters}
        self.measures = list(action.measures.all())
        # The quarterly update asks only for the measures nobody imports.
        self.typed = [measure for measure in self.measures if not measure.is_bound]
        self.bound = [measure for measure in self.measures if measure.is_bound]
        field = self.fields["quarter"]
        field.choices = [(quarter.code, quarter_label(quarter)) for quarter in quarters]
        field.error_messages.update(
            required=_("Select the quarter"),
            invalid_choice=_(
                "Choose a quarter of this plan's period, up to and including the current quarter"
            ),
        )
        for measure in self.bound:
            self.fields[comment_field_name(measure)] = forms.CharField(
                label=_("Comment on %(measure)s") % {"measure": measure.name},
                help_text=_(
                    "Filled from %(series)s by each import; it cannot be typed. Your comment "
                    "is kept with the quarter's figure."
                )
                % {"series": measure.series_label},
                required=False,
                max_length=2_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for measure in self.typed:
            self.fields[actual_field_name(measure)] = forms.DecimalField(
                label=(
                    _("%(measure)s (%(unit)s)") % {"measure": measure.name, "unit": measure.unit}
                    if measure.unit
                    else measure.name
                ),
                help_text=(
                    _("Baseline %(baseline)s, target %(target)s. %(direction)s")
                    % {
                        "baseline": plain_number(measure.baseline),
                        "target": plain_number(measure.target),
                        "direction": _("Higher is better.")
                        if measure.higher_is_better
                        else _("Lower is better."),
                    }
                ),
                required=False,
                max_digits=14,
                decimal_places=2,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}
                ),
                error_messages={
                    "invalid": _("Enter the actual for %(measure)s as a number, like 320 or 12.5")
                    % {"measure": measure.name},
                    "max_digits": _("Enter an actual with at most 12 digits before the point"),
                    "max_decimal_places": _("Enter an actual with at most 2 decimal places"),
                    "max_whole_digits": _(
                        "Enter an actual with at most 12 digits before the point"
                    ),
                },
            )
        self.build_helper()

    def build_helper(self) -> None:
        super().build_helper()
        if not hasattr(self, "measures"):
            return
        parts = [Field("revisions"), Field("quarter"), Field("status"), Field("narrative")]
        if self.typed:
            hint = format_html(
                '<div class="govuk-hint">{}</div>',
                _("Leave a measure blank if there is no figure for the quarter yet."),
            )
            parts.append(
                Fieldset(
                    HTML(hint),
                    *(Field(actual_field_name(measure)) for measure in self.typed),
                    legend=_("Measures: the actual for the quarter"),
                    legend_size="s",
                )
            )
        if self.bound:
            parts.append(
                Fieldset(
                    *(Field(comment_field_name(measure)) for measure in self.bound),
                    legend=_("Measures filled from imported figures"),
                    legend_size="s",
                )
            )
        self.helper.layout = Layout(*parts)

    def clean_quarter(self) -> Quarter:
        return self.quarters[self.cleaned_data["quarter"]]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quarter"):
            seen = _revisions_read(cleaned.get("revisions", ""))
            cleaned["revision"] = seen.get(cleaned["quarter"].code, 0)
        return cleaned

    def actuals(self) -> dict[int, object]:
        return {
            measure.pk: self.cleaned_data.get(actual_field_name(measure)) for measure in self.typed
        }

    def comments(self) -> dict[int, str]:
        return {
            measure.pk: self.cleaned_data.get(comment_field_name(measure), "")
            for measure in self.bound
        }
