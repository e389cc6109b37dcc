"""Forms for domestic homicide reviews, by domain: ``lifecycle`` (the notification, each step of
the process, holds, access), ``evidence`` (agency requests and answers, documents) and
``action_plan`` (its lines). The fields they share are here."""

from django import forms
from django.utils.translation import gettext_lazy as _

NO_NAMES_HINT = _("Use the pseudonyms. Do not include names, addresses or dates of birth.")


def organisation_field(label, *, required_message):
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose an organisation that sits on this partnership"),
        },
    )
