from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin

from .models import Frequency


class EmailPreferenceForm(GovukFormMixin, forms.Form):
    submit_label = _("Save")

    frequency = forms.ChoiceField(
        label=_("How often do you want reminder emails?"),
        help_text=_(
            "Your notifications always appear in the service as well. A daily email comes "
            "each morning when there is something to tell you."
        ),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how often you want emails"),
            "invalid_choice": _("Choose one of the listed options"),
        },
    )
