"""The form for a line of a review's action plan: its owner is one of the partnership's own
organisations (the service checks it again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin

from ..models import RecommendationStatus
from . import NO_NAMES_HINT, organisation_field


class RecommendationForm(GovukFormMixin, forms.Form):
    submit_label = _("Save")

    recommendation = forms.CharField(
        label=_("Recommendation"),
        help_text=NO_NAMES_HINT,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        error_messages={"required": _("Enter the recommendation")},
    )
    action = forms.CharField(
        label=_("Action"),
        help_text=_("What will be done to meet the recommendation."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        error_messages={"required": _("Enter the action that answers it")},
    )
    owner = organisation_field(
        _("Owner organisation"), required_message=_("Select the organisation that owns it")
    )
    due_date = GovukDateField(label=_("Due date"), help_text=_("For example, 14 6 2026"))
    status = forms.ChoiceField(
        label=_("Status"),
        choices=RecommendationStatus.choices,
        initial=RecommendationStatus.OPEN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the status")},
    )
    progress = forms.CharField(
        label=_("Progress (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )
    evidence_of_completion = forms.CharField(
        label=_("Evidence of completion"),
        help_text=_("Needed before the line can be marked complete."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        required=False,
    )
    based_on = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, organisations, wording_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations
        if wording_fixed:
            # After publication the words are the report's; the field shows them, read-only.
            self.fields["recommendation"].disabled = True
            self.fields["recommendation"].help_text = _(
                "As worded in the published report; it cannot be changed."
            )

    def clean_based_on(self):
        return self.cleaned_data["based_on"] or None

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == RecommendationStatus.COMPLETE
            and not cleaned.get("evidence_of_completion", "").strip()
        ):
            self.add_error(
                "evidence_of_completion",
                _("Give the evidence of completion before marking it complete"),
            )
        return cleaned
