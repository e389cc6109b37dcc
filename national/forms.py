from django import forms
from django.utils.translation import gettext_lazy as _

from authorities.models import Nation
from csp_portal.forms import GovukFormMixin
from csp_portal.text import PlainTextFormMixin

from .models import CHARACTERISTICS
from .selectors.compliance import SORT_KEYS


class ComplianceFilterForm(PlainTextFormMixin, forms.Form):
    """The compliance view's filters and order, from the query string (a GET form: it works with
    JavaScript off and its address can be shared)."""

    nation = forms.ChoiceField(
        label=_("Nation"), required=False, choices=[("", _("All")), *Nation.choices]
    )
    force_area = forms.TypedChoiceField(
        label=_("Police force area"), required=False, coerce=int, empty_value=None
    )
    late = forms.BooleanField(label=_("Only partnerships late on anything"), required=False)
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in SORT_KEYS] + [(f"-{key}", key) for key in SORT_KEYS],
    )

    def __init__(self, *args, force_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force_area"].choices = [("", _("All"))] + [
            (area.pk, area.name) for area in force_areas
        ]

    def filters(self) -> dict:
        """The valid filters (an invalid value is ignored, as if it had not been chosen)."""
        if not self.is_valid():
            return {"nation": "", "force_area": None, "late": False, "sort": "name"}
        return {
            "nation": self.cleaned_data["nation"],
            "force_area": self.cleaned_data["force_area"],
            "late": self.cleaned_data["late"],
            "sort": self.cleaned_data["sort"] or "name",
        }


class ReviewLearningForm(GovukFormMixin, forms.Form):
    """What the published review found, yes or no for each characteristic of the national counts
    (the Home Office library's): ticked boxes are yes."""

    submit_label = _("Save what the review found")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CHARACTERISTICS.items():
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.build_helper()
