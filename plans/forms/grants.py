"""The forms of community safety grants: the body's office's offer (amount, financial years,
conditions, what it funds), and the partnership's quarterly return of spend and outcome."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import financial_year_label
from csp_portal.forms import GovukFormMixin

from ..models import (
    GRANT_TEXT_MAX_LENGTH,
    GRANT_TITLE_MAX_LENGTH,
    MONEY_DIGITS,
    PLAN_YEARS,
    Measure,
    PartnershipPlan,
    PlanAction,
    Quarter,
)
from .progress import quarter_label


def _money_field(label, help_text, required_message):
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=0,
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": required_message,
            "invalid": _("Enter an amount in pounds, like 25000 or 1250.50"),
            "min_value": _("Enter an amount of £0 or more"),
            "max_digits": _("Enter an amount with at most 10 digits before the point"),
            "max_whole_digits": _("Enter an amount with at most 10 digits before the point"),
            "max_decimal_places": _("Enter an amount with at most 2 decimal places (pence)"),
        },
    )


class GrantForm(GovukFormMixin, forms.Form):
    submit_label = _("Save grant")

    title = forms.CharField(
        label=_("What the grant is for"),
        help_text=_("A short title, such as “Youth diversion in the town centre”."),
        max_length=GRANT_TITLE_MAX_LENGTH,
        error_messages={
            "required": _("Say what the grant is for"),
            "max_length": _("What the grant is for must be 200 characters or fewer"),
        },
    )
    amount = _money_field(
        _("Amount (£)"), _("The whole grant, for every year it covers."), _("Enter the amount")
    )
    first_year = forms.TypedChoiceField(
        label=_("First financial year"),
        coerce=int,
        error_messages={"required": _("Choose the first financial year")},
    )
    last_year = forms.TypedChoiceField(
        label=_("Last financial year"),
        coerce=int,
        error_messages={"required": _("Choose the last financial year")},
    )
    conditions = forms.CharField(
        label=_("Conditions (optional)"),
        help_text=_("What the partnership agrees to when it accepts the grant."),
        required=False,
        max_length=GRANT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("The conditions must be 5,000 characters or fewer")},
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions it funds"),
        queryset=PlanAction.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose actions of the plan in force")},
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("Measures it funds"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose measures of the plan in force")},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partnership, plan: PartnershipPlan | None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the plan in force's actions and measures can be chosen (never trust an id).
        if plan is not None:
            years = [
                (year, financial_year_label(year))
                for year in range(plan.period_start, plan.period_start + PLAN_YEARS)
            ]
            self.fields["first_year"].choices = years
            self.fields["last_year"].choices = years
            self.fields["actions"].queryset = PlanAction.objects.filter(
                plan=plan, partnership=partnership
            ).select_related("priority")
            self.fields["measures"].queryset = (
                Measure.objects.filter(action__plan=plan, action__partnership=partnership)
                .select_related("action")
                .order_by("action__priority__position", "action__position", "action", "position")
            )
            self.fields["actions"].label_from_instance = lambda action: str(action)
            self.fields["measures"].label_from_instance = lambda measure: (
                _("%(measure)s (for “%(action)s”)")
                % {"measure": measure.name, "action": str(measure.action)}
            )
        for name in ("first_year", "last_year"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose a financial year of the plan in force"
            )


class SpendReturnForm(GovukFormMixin, forms.Form):
    submit_label = _("Save spend return")

    quarter = forms.ChoiceField(
        label=_("Quarter"),
        error_messages={
            "required": _("Select the quarter"),
            "invalid_choice": _(
                "Choose a quarter of the grant's period, up to and including the current quarter"
            ),
        },
    )
    amount_spent = _money_field(
        _("Amount spent this quarter (£)"),
        _("Enter 0 if nothing was spent."),
        _("Enter the amount spent"),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        help_text=_("What the money paid for and what it achieved, against the actions it funds."),
        max_length=GRANT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Say what the money achieved this quarter"),
            "max_length": _("The outcome must be 5,000 characters or fewer"),
        },
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, partnership, quarters: list[Quarter], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            (quarter.code, quarter_label(quarter)) for quarter in quarters
        ]
